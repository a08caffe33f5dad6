"""The organizer's own region aliases: a region text their sheets write, remembered as a unit.

The law's names and the common spellings are the catalogue in ``rules/`` and stay there; a party's
volunteers still write "Сев.-Каз. обл" or "Алм.обл". Mapping such a text once (``quarantine map``)
stores it here under its folded key (``rules.textkey.place_key``, the folding the unit resolver uses,
so "Алм.обл", "алм обл" and "Alm.obl" are one alias), and every later import reads the aliases once
per batch (``load_aliases``) and hands them to validation as a dict: ``cleaning`` never reads storage.

An alias may only name a unit in force on the date it is made for, and may not re-point a text the
catalogue already reads as a unit (that would silently move members the law's names place). Every
change is an audit event with the alias before and after.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from partyledger.errors import InvalidInput, NotFound
from partyledger.ledger.cleaning.normalize import clean_text
from partyledger.ledger.cleaning.text import check_text
from partyledger.ledger.models import RegionAlias
from partyledger.ledger.storage import audit
from partyledger.rules.textkey import place_key

_HINT = "see `partyledger quarantine aliases`"


def alias_key(text: str) -> str:
    """The folded key of a region text; refuses hostile or empty text with one line."""
    check_text(text, "region text")
    cleaned = clean_text(text)
    key = place_key(cleaned) if cleaned else ""
    if not key:
        raise InvalidInput(f"region text {text!r} is empty once folded", "give the text as the sheet writes it")
    if cleaned.isdigit():
        raise InvalidInput(f"region text {text!r} is a unit code, not a name", "a code is read as it is")
    return key


def load_aliases(session: Session) -> dict[str, str]:
    """Folded key -> unit code, for validation (read once per batch or per fix)."""
    return dict(session.connection().execute(select(RegionAlias.key, RegionAlias.unit_code)).all())


def _as_dict(a: RegionAlias) -> dict[str, Any]:
    return {"id": a.id, "text": a.text, "key": a.key, "unit": a.unit_code,
            "created_at": a.created_at.isoformat(timespec="seconds"),
            "updated_at": a.updated_at.isoformat(timespec="seconds")}


def list_aliases(session: Session) -> list[dict[str, Any]]:
    """Every alias, by text."""
    return [_as_dict(a) for a in session.execute(select(RegionAlias).order_by(RegionAlias.text)).scalars()]


def _check_unit(units, text: str, code: str, as_of: date) -> None:
    record = units.units.get(code)
    if record is None:
        raise InvalidInput(f"unit {code!r} is not in the unit catalogue", "see `partyledger rules units`")
    if not record.in_force(as_of):
        raise InvalidInput(f"unit {code} ({record.unit_on(as_of).name_en}) is not in force on {as_of.isoformat()}",
                           "map the text to a unit in force on that date")
    found = units.resolve(text, None, as_of=as_of)
    if found.status == "ok":
        raise InvalidInput(f"region text {text!r} is already read as unit {found.code} by the catalogue",
                           "no alias is needed; fix the rows' other reasons")


def set_alias(session: Session, text: str, code: str, *, units, as_of: date, actor: str = "") -> dict[str, Any]:
    """Remember ``text`` as unit ``code`` (a new alias, or a changed one); audited."""
    key = alias_key(text)
    text, code = clean_text(text), code.strip()
    _check_unit(units, text, code, as_of)
    alias = session.execute(select(RegionAlias).where(RegionAlias.key == key)).scalars().first()
    before = _as_dict(alias) if alias else None
    if alias is None:
        alias = RegionAlias(key=key, text=text, unit_code=code)
    elif alias.unit_code == code:
        return _as_dict(alias)
    else:
        alias.unit_code, alias.updated_at = code, datetime.utcnow()
    session.add(alias)
    session.flush()
    after = _as_dict(alias)
    audit.record(session, "region_alias.set", "region_alias", alias.id, before=before,
                 after={"text": after["text"], "unit": code}, actor=actor)
    return after


def remove_alias(session: Session, text: str, *, actor: str = "") -> dict[str, Any]:
    """Forget the alias that ``text`` folds to; later imports read the text with the catalogue again."""
    key = alias_key(text)
    alias = session.execute(select(RegionAlias).where(RegionAlias.key == key)).scalars().first()
    if alias is None:
        raise NotFound(f"no alias for region text {text!r}", _HINT)
    gone = _as_dict(alias)
    session.delete(alias)
    session.flush()
    audit.record(session, "region_alias.remove", "region_alias", gone["id"],
                 before={"text": gone["text"], "unit": gone["unit"]}, actor=actor)
    return gone
