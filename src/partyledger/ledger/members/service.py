"""Member services for forms and the command line: add, find, edit, withdraw, list.

Every change writes an audit event in the same transaction. Withdrawal is a status change with a
date and a reason, never a delete: the law counts members present on a date, and the history must
show when someone left (people have been pressured to leave parties).

Search cannot use SQLite's ``LIKE``: it folds case for ASCII only (``LIKE 'аб%'`` finds nothing).
Each member stores ``name_key`` (script-independent key of "surname given patronymic") and
``given_key`` (given name first), both from ``translit.match_keys`` and indexed with ``id``, so a
search for "Омаров", "омаров" or "Omarov" is an index range ``name_key >= k AND name_key < k || U+FFFF``. Digits search the IIN by
prefix. Pages use keyset pagination (``(name_key, id) > (?, ?)``), never ``OFFSET``: on 1M encrypted
rows a keyset page costs 0.1 ms and ``OFFSET 500000`` 168 ms (research/perf-limits.md).
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy.exc
from sqlalchemy import tuple_
from sqlmodel import Session, col, select

from partyledger.errors import Conflict, InvalidInput, NotFound
from partyledger.ledger.storage import audit, seal
from partyledger.ledger.cleaning import translit
from partyledger.ledger.issues import Issue, Severity
from partyledger.ledger.members.filters import filter_conditions
from partyledger.ledger.models import CongressCheckin, Member, MemberBase, MemberDraft, Role
from partyledger.ledger.enums import MemberStatus
from partyledger.ledger.cleaning.text import check_text

_IIN_RE = re.compile(r"\d{12}")
_TOP = "\uffff"
# Fields a user may change with edit_member; "unit" (or "region") is unit text resolved by the rules.
EDITABLE = frozenset({"iin", "surname", "given_name", "patronymic", "unit", "region", "locality", "address",
                      "phone", "email", "joined_on", "birth_date", "application_ref", "signed_on", "citizen",
                      "not_in_other_party", "not_barred"})
_BASE_FIELDS = tuple(MemberBase.model_fields)
_DICT_FIELDS = ("id", "iin", "surname", "given_name", "patronymic") + tuple(
    k for k in list(MemberBase.model_fields) + list(Member.model_fields)
    if k not in ("id", "iin", "surname", "given_name", "patronymic", "name_key", "given_key", "row_hash"))
_DICT_FIELDS = tuple(dict.fromkeys(_DICT_FIELDS))


@dataclass
class MemberPage:
    rows: list[Member]
    next_cursor: str | None


def _who(member: Member) -> str:
    return f"{member.surname.upper()} {member.given_name}, unit {member.unit_code or '?'}"


def _set_keys(member: Member) -> None:
    for column, key in translit.match_keys(member.surname, member.given_name, member.patronymic).items():
        setattr(member, column, key)


def _snapshot(member: Member, names: object = None) -> dict[str, Any]:
    keys = _BASE_FIELDS if names is None else names
    return {k: getattr(member, k) for k in keys}


def _find(session: Session, iin: str) -> Member | None:
    return session.exec(select(Member).where(Member.iin == iin)).first()


def add_member(session: Session, draft: MemberDraft, *, actor: str = "") -> Member:
    """Store a validated draft; an IIN already in the ledger is a ``Conflict`` naming its holder."""
    existing = _find(session, draft.iin)
    if existing is not None:
        raise Conflict(f"IIN {draft.iin} is already in the ledger ({_who(existing)})")
    member = Member.model_validate(draft)
    _set_keys(member)
    session.add(member)
    try:
        session.flush()
    except sqlalchemy.exc.IntegrityError:            # added by someone else since the check above
        session.rollback()
        raise Conflict(f"IIN {draft.iin} is already in the ledger") from None
    audit.record(session, "member.added", "member", member.id, after=_snapshot(member), actor=actor)
    seal.reseal(session, [member.id])
    return member


def get_member(session: Session, iin: str) -> Member:
    iin = "".join(str(iin).split())
    if not _IIN_RE.fullmatch(iin):
        raise InvalidInput(f"'{iin}' is not an IIN: an IIN is 12 digits")
    member = _find(session, iin)
    if member is None:
        raise NotFound(f"no member with IIN {iin} in the ledger")
    return member


def _edit_fields(member: Member, changes: dict[str, object]) -> dict[str, object]:
    """The whole record as validator input, with the changes applied."""
    fields: dict[str, object] = _snapshot(member)
    fields["region"] = member.unit_code
    for drop in ("status", "status_on", "status_reason", "unit_code", "region_text", "sex"):
        fields.pop(drop, None)
    if "iin" in changes and "birth_date" not in changes:
        fields["birth_date"] = None                  # derive it again from the new IIN
    for name, value in changes.items():
        fields["region" if name == "unit" else name] = value
    return fields


def edit_member(session: Session, iin: str, changes: dict[str, object], *, units, as_of: date,
                actor: str = "", issues_out: list[Issue] | None = None) -> Member:
    """Change some fields, each re-validated like a new entry; warnings go to ``issues_out``."""
    from partyledger.ledger.cleaning.validate import draft_from_fields

    member = get_member(session, iin)
    unknown = sorted(set(changes) - EDITABLE)
    if unknown:
        raise InvalidInput(f"these fields cannot be edited: {', '.join(unknown)}",
                           f"editable: {', '.join(sorted(EDITABLE))}")
    if not changes:
        raise InvalidInput("nothing to change", "give at least one --FIELD VALUE")
    result = draft_from_fields(_edit_fields(member, changes), units=units, as_of=as_of)
    errors = [i for i in result.issues if i.severity is Severity.ERROR
              or (i.code.startswith("unit.") and i.severity is not Severity.WARNING
                  and {"unit", "region"} & changes.keys())]   # typed: ask, never guess (a flag is no guess)
    if errors or result.draft is None:
        first = errors[0] if errors else None
        where = f"{first.field}: " if first and first.field else ""
        raise InvalidInput(f"{where}{first.message if first else 'the changed record is not valid'}",
                           issues=result.issues)
    if issues_out is not None:
        issues_out.extend(result.issues)
    draft = result.draft
    targets: set[str] = set()
    for name in changes:
        if name in ("unit", "region"):
            targets |= {"unit_code", "region_text"}
        elif name == "iin":
            targets |= {"iin", "birth_date", "sex"}
        else:
            targets.add(name)
    if draft.iin != member.iin and _find(session, draft.iin) is not None:
        raise Conflict(f"IIN {draft.iin} is already in the ledger ({_who(_find(session, draft.iin))})")
    before = _snapshot(member, sorted(targets))
    after = {k: getattr(draft, k) for k in sorted(targets)}
    changed = {k: v for k, v in after.items() if before[k] != v}
    if not changed:
        return member
    for name, value in changed.items():
        setattr(member, name, value)
    _set_keys(member)
    member.updated_at = datetime.utcnow()
    session.add(member)
    session.flush()
    audit.record(session, "member.edited", "member", member.id,
                 before={k: before[k] for k in changed}, after=changed, actor=actor)
    seal.reseal(session, [member.id])
    return member


def withdraw_member(session: Session, iin: str, *, on: date, reason: str | None, actor: str = "") -> Member:
    """Record that the member left on ``on``; the record stays, with the date and the reason."""
    check_text(reason, "status_reason")
    member = get_member(session, iin)
    if member.status is not MemberStatus.ACTIVE:
        since = f" since {member.status_on.isoformat()}" if member.status_on else ""
        raise Conflict(f"{_who(member)} is already {member.status.value}{since}")
    if member.joined_on and on < member.joined_on:
        raise InvalidInput(f"withdrawal date {on.isoformat()} is before the member joined "
                           f"({member.joined_on.isoformat()})", "give the date the member actually left")
    before = _snapshot(member, ("status", "status_on", "status_reason"))
    member.status, member.status_on, member.status_reason = MemberStatus.WITHDRAWN, on, reason or None
    member.updated_at = datetime.utcnow()
    session.add(member)
    session.flush()
    audit.record(session, "member.withdrawn", "member", member.id, before=before,
                 after=_snapshot(member, ("status", "status_on", "status_reason")), actor=actor)
    seal.reseal(session, [member.id])
    return member


# ---- listing ------------------------------------------------------------------------------------

def _encode(cursor: list[Any]) -> str:
    raw = json.dumps(cursor, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _load_cursor(cursor: str) -> list[Any]:
    """The JSON list inside a cursor; ValueError when it is not one of ours."""
    try:
        value = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError, UnicodeDecodeError):
        raise ValueError(cursor) from None
    if not isinstance(value, list) or not value:
        raise ValueError(cursor)
    return value


def _decode(cursor: str, mode: str) -> list[Any]:
    try:
        value = _load_cursor(cursor)
        if value[0] != mode:
            raise ValueError(cursor)
        return value
    except ValueError:
        raise InvalidInput(f"'{cursor}' is not a cursor from this listing",
                           "pass the cursor printed by the previous page, with the same --search") from None


def _status(status: object) -> MemberStatus:
    try:
        return MemberStatus(getattr(status, "value", status))
    except ValueError:
        raise InvalidInput(f"unknown status '{status}'",
                           f"one of: {', '.join(s.value for s in MemberStatus)}") from None


SORT_ORDERS = ("id", "name", "iin")     # entry order, name (surname first, script-independent), IIN


def list_members(session: Session, *, unit: str | None = None, status: object = None, search: str | None = None,
                 after: str | None = None, limit: int = 50, order: str = "id") -> MemberPage:
    """One page of members; ``next_cursor`` for more.

    Without a search the page follows ``order`` (one of ``SORT_ORDERS``, each an indexed keyset).
    Digits search the IIN by prefix. Text searches names in two phases, each a plain index range read
    in index order (a few ms at 1M members, whatever the number of matches): first surnames
    (``name_key``), then, for 3+ letters, given names (``given_key``) of members whose surname did not
    match. One OR query over both keys had to sort every match: 0.2-1.2 s for a common given name.
    """
    if order not in SORT_ORDERS:
        raise InvalidInput(f"unknown sort order '{order}'", f"one of: {', '.join(SORT_ORDERS)}")
    limit = max(1, int(limit))
    base = select(Member).where(*filter_conditions(session, unit=unit or None,
                                                   status=_status(status) if status else None, limit=limit))
    text = " ".join((search or "").split())
    digits = text.replace(" ", "")
    if digits.isdigit():
        stmt = base.where(Member.iin >= digits, Member.iin < digits + _TOP)
        return _keyset_page(session, stmt, "iin", (Member.iin,), after, limit)
    if not text:
        columns = {"name": (Member.name_key, Member.id), "iin": (Member.iin,), "id": (Member.id,)}[order]
        return _keyset_page(session, base, order, columns, after, limit)
    key = translit.latin_key(text)
    by_surname = (Member.name_key >= key) & (Member.name_key < key + _TOP)
    given_phase = len(key) >= 3
    if after is None or _cursor_mode(after) == "name":
        page = _keyset_page(session, base.where(by_surname), "name", (Member.name_key, Member.id), after, limit)
        if page.next_cursor is not None or not given_phase:
            return page
        rest = limit - len(page.rows)
        if rest == 0:       # surnames ended exactly at the page edge: say there may be more
            return MemberPage(page.rows, _encode(["given"]))
        more = _given_page(session, base, key, by_surname, None, rest)
        return MemberPage(page.rows + more.rows, more.next_cursor)
    return _given_page(session, base, key, by_surname, after, limit)


def _given_page(session: Session, base, key: str, by_surname, after: str | None, limit: int) -> MemberPage:
    by_given = (Member.given_key >= key) & (Member.given_key < key + _TOP)
    stmt = base.where(by_given, ~by_surname)
    if after is not None and len(_decode(after, "given")) == 1:      # the bare "given phase starts" cursor
        after = None
    return _keyset_page(session, stmt, "given", (Member.given_key, Member.id), after, limit)


def _cursor_mode(cursor: str) -> str:
    try:
        return str(_load_cursor(cursor)[0])
    except ValueError:
        return ""


def _keyset_page(session: Session, stmt, mode: str, order: tuple, after: str | None, limit: int) -> MemberPage:
    """``limit`` rows after the cursor in ``order`` (an index order), and the cursor of the next page."""
    if after:
        last = _decode(after, mode)[1:]
        if len(order) == 1:
            stmt = stmt.where(order[0] > last[0])
        else:
            stmt = stmt.where(tuple_(*order) > tuple_(*last))
    rows = list(session.exec(stmt.order_by(*(col(c) for c in order)).limit(limit + 1)))
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        tail = rows[-1]
        next_cursor = _encode([mode] + [getattr(tail, c.key) for c in order])
    return MemberPage(rows, next_cursor)


# ---- output -------------------------------------------------------------------------------------

def member_dict(member: Member) -> dict[str, Any]:
    """JSON-ready: dates ISO, enums as their values; the internal match keys are left out."""
    return {k: audit.plain(getattr(member, k)) for k in _DICT_FIELDS}


def member_detail(session: Session, member: Member) -> dict[str, Any]:
    """``member_dict`` plus roles, congress attendance and the member's audit history."""
    roles = session.exec(select(Role).where(Role.member_id == member.id).order_by(col(Role.id))).all()
    checkin = session.exec(select(CongressCheckin).where(CongressCheckin.member_id == member.id)).first()
    data = member_dict(member)
    data["roles"] = [{"kind": audit.plain(r.kind), "since": audit.plain(r.since), "until": audit.plain(r.until)} for r in roles]
    data["congress"] = None if checkin is None else {
        "checked_in_at": audit.plain(checkin.checked_in_at), "by": checkin.checked_in_by, "in_person": checkin.in_person}
    data["history"] = [audit.event_dict(e) for e in audit.history(session, "member", member.id)]
    return data
