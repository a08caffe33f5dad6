"""Quarantine: rows that could not become members, kept whole until someone fixes or discards them.

A quarantined row holds the raw cells by header and the issue codes that kept it out. ``fix_row``
applies corrections by field name (``iin``, ``region``, ...) on top of the raw cells, mapped with the
batch's own column mapping, and runs the same validator as the import; only a row that now passes
becomes a member. Promoted members are manual entries (``batch_id`` is None): undoing the batch
later does not take away a person someone fixed by hand.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlmodel import Session

from partyledger.errors import Conflict, InvalidInput, NotFound
from partyledger.ledger.storage import audit, seal
from partyledger.ledger.intake.aliases import load_aliases, set_alias
from partyledger.ledger.intake.batches import MEMBER_T
from partyledger.ledger.intake.member_rows import member_values
from partyledger.ledger.issues import CATALOGUE, Severity, issue
from partyledger.ledger.models import ImportBatch, QuarantineRow
from partyledger.ledger.cleaning.text import check_text


def _row(session: Session, qid: int) -> QuarantineRow:
    row = session.get(QuarantineRow, qid)
    if row is None:
        raise NotFound(f"no quarantined row {qid}", "see `partyledger quarantine list`")
    return row


def row_dict(q: QuarantineRow, file_name: str | None = None, sheet: str | None = None) -> dict[str, Any]:
    return {"id": q.id, "batch_id": q.batch_id, "file_name": file_name, "sheet": sheet, "row": q.row_number,
            "codes": list(q.issue_codes), "raw": dict(q.raw), "state": q.state,
            "promoted_member_id": q.promoted_member_id}


def list_quarantine(session: Session, *, batch_id: int | None = None, state: str | None = "open",
                    limit: int | None = None) -> list[dict[str, Any]]:
    """Quarantined rows (open ones by default), oldest batch first, in sheet order."""
    stmt = select(QuarantineRow, ImportBatch.file_name, ImportBatch.sheet).join(ImportBatch, ImportBatch.id == QuarantineRow.batch_id)
    if batch_id is not None:
        stmt = stmt.where(QuarantineRow.batch_id == batch_id)
    if state:
        stmt = stmt.where(QuarantineRow.state == state)
    stmt = stmt.order_by(QuarantineRow.batch_id, QuarantineRow.row_number, QuarantineRow.id)
    if limit:
        stmt = stmt.limit(limit)
    return [row_dict(q, name, sheet) for q, name, sheet in session.execute(stmt)]


def fields_of(q: QuarantineRow, mapping: dict[str, str]) -> dict[str, object]:
    """The raw cells mapped to fields with the batch's mapping (headers compared as written)."""
    fields: dict[str, object] = {}
    for header, name in mapping.items():
        if header in q.raw and q.raw[header] not in (None, ""):
            fields[name] = q.raw[header]
    return fields


def row_fields(session: Session, qid: int) -> dict[str, object]:
    """A quarantined row's cells as fields, read with the mapping of the batch it came in (the fix form)."""
    q = _row(session, qid)
    batch = session.get(ImportBatch, q.batch_id)
    return fields_of(q, dict(batch.mapping or {}) if batch else {})


def fix_row(session: Session, qid: int, changes: dict[str, object] | None = None, *, units, as_of: date,
            dayfirst: bool = True, actor: str = "") -> dict[str, Any]:
    """Apply ``changes`` (field -> value) to a quarantined row and promote it if it now validates.

    Raises ``InvalidInput`` (with the issues) when it still does not, ``Conflict`` when its IIN is
    already in the ledger (then the row is a duplicate: discard it). Returns the new member's id/iin.
    The organizer's region aliases apply, as they do on import.
    """
    q = _row(session, qid)
    if q.state != "open":
        raise Conflict(f"quarantined row {qid} is already {q.state}")
    batch = session.get(ImportBatch, q.batch_id)
    done, issues = _promote(session, q, batch, changes, units=units, as_of=as_of, dayfirst=dayfirst,
                            aliases=load_aliases(session), actor=actor)
    if done is None:
        errors = [i for i in issues if i.severity is Severity.ERROR]
        detail = "; ".join(f"{i.code}: {i.message}" for i in errors) or "invalid"
        raise InvalidInput(f"row {q.row_number} still cannot become a member ({detail})",
                           "correct it with --set FIELD=VALUE", issues=issues)
    return done


def _promote(session: Session, q: QuarantineRow, batch: ImportBatch, changes: dict[str, object] | None, *,
             units, as_of: date, dayfirst: bool, aliases: dict[str, str],
             actor: str) -> tuple[dict[str, Any] | None, list]:
    """Validate one open row (with ``changes``) and store it as a member if it passes: (result, issues).

    The one way a quarantined row becomes a member: the insert goes through the member table (its
    triggers keep the tally), the row is sealed and the creation audited. ``Conflict`` when the IIN is
    already a member's.
    """
    from partyledger.ledger.cleaning.validate import draft_from_fields

    fields = fields_of(q, dict(batch.mapping or {})) | dict(changes or {})
    res = draft_from_fields(fields, units=units, as_of=as_of, dayfirst=dayfirst, row=q.row_number,
                            source=batch.file_name, aliases=aliases)
    if res.draft is None:
        return None, res.issues
    conn = session.connection()
    holder = conn.execute(select(MEMBER_T.c.id).where(MEMBER_T.c.iin == res.draft.iin)).scalar()
    if holder is not None:
        raise Conflict(f"IIN {res.draft.iin} is already in the ledger (member {holder})",
                       f"this row is a duplicate: partyledger quarantine discard {q.id}")
    values = member_values(res.draft, batch_id=None, row=q.row_number, now=datetime.utcnow())
    member_id = conn.execute(insert(MEMBER_T).values(**values)).inserted_primary_key[0]
    seal.reseal(session, [member_id])
    q.state = "promoted"
    q.promoted_member_id = member_id
    session.add(q)
    audit.record(session, "member.create", "member", member_id,
                 after={"iin": res.draft.iin, "from_quarantine": q.id, "changes": dict(changes or {})}, actor=actor)
    session.flush()
    return {"quarantine_id": q.id, "member_id": member_id, "iin": res.draft.iin,
            "warnings": sorted({i.code for i in res.issues})}, res.issues


def discard_row(session: Session, qid: int, *, reason: str = "", actor: str = "") -> None:
    """Mark a row as not to be imported (a duplicate, a test row); it stays on record."""
    check_text(reason, "reason")
    q = _row(session, qid)
    if q.state != "open":
        raise Conflict(f"quarantined row {qid} is already {q.state}")
    q.state = "discarded"
    session.add(q)
    audit.record(session, "quarantine.discard", "quarantine_row", qid, after={"reason": reason}, actor=actor)
    session.flush()


# ----- by value: the same bad value on many rows is fixed once --------------------------------------

_FIELD_OF = {"iin": "iin", "name": "surname", "birth_date": "birth_date", "sex": "sex", "unit": "region",
             "phone": "phone", "email": "email"}


def _cell_of(code: str, fields: dict[str, object]) -> tuple[str | None, object]:
    """(field, the value that field holds) behind a reason code; a unit reason is read from the region."""
    from partyledger.ledger.cleaning.validate import region_of

    name = _FIELD_OF.get(code.partition(".")[0])
    if name == "region":
        return name, region_of(fields)
    return name, fields.get(name) if name else None


def _open_rows(session: Session) -> list[tuple[QuarantineRow, ImportBatch]]:
    stmt = (select(QuarantineRow, ImportBatch).join(ImportBatch, ImportBatch.id == QuarantineRow.batch_id)
            .where(QuarantineRow.state == "open").order_by(QuarantineRow.batch_id, QuarantineRow.row_number))
    return [(q, batch) for q, batch in session.execute(stmt)]


def value_groups(session: Session) -> list[dict[str, Any]]:
    """Open rows grouped by reason code and the bad value behind it, most rows first.

    A row with two reasons is in two groups. A unit reason's value is the region cell as written, so
    every spelling the catalogue does not know is one group the organizer can map once.
    """
    groups: dict[tuple[str, str | None, str], dict[str, Any]] = {}
    for q, batch in _open_rows(session):
        fields = fields_of(q, dict(batch.mapping or {}))
        for code in dict.fromkeys(q.issue_codes):
            name, value = _cell_of(code, fields)
            shown = "" if value is None else str(value).strip()
            group = groups.setdefault((code, name, shown), {
                "code": code, "reason": CATALOGUE.get(code, (None, code))[1], "field": name, "value": shown,
                "rows": 0, "quarantine_ids": []})
            group["rows"] += 1
            group["quarantine_ids"].append(q.id)
    return sorted(groups.values(), key=lambda g: (-g["rows"], g["code"], g["value"]))


def map_region(session: Session, text: str, code: str, *, units, as_of: date, dayfirst: bool = True,
               actor: str = "") -> dict[str, Any]:
    """Remember ``text`` as unit ``code`` and re-validate every open row whose region folds to it.

    Rows that now pass become members (``_promote``: sealed, tallied, audited); the others stay open
    with the reasons they still have (an IIN already in the ledger stays as ``iin.duplicate``).
    """
    from partyledger.ledger.cleaning.normalize import clean_text
    from partyledger.ledger.cleaning.validate import region_of
    from partyledger.rules.textkey import place_key

    alias = set_alias(session, text, code, units=units, as_of=as_of, actor=actor)
    aliases = load_aliases(session)
    promoted, still_open = [], []
    for q, batch in _open_rows(session):
        cell = clean_text(region_of(fields_of(q, dict(batch.mapping or {}))))
        if cell is None or place_key(cell) != alias["key"]:
            continue
        try:
            done, issues = _promote(session, q, batch, None, units=units, as_of=as_of, dayfirst=dayfirst,
                                    aliases=aliases, actor=actor)
        except Conflict:
            done, issues = None, [issue("iin.duplicate", field="iin")]
        if done is not None:
            promoted.append(done["member_id"])
            continue
        q.issue_codes = sorted({i.code for i in issues if i.severity is Severity.ERROR}) or list(q.issue_codes)
        session.add(q)
        still_open.append(q.id)
    session.flush()
    return {"alias": alias, "promoted": len(promoted), "still_open": len(still_open),
            "member_ids": promoted, "open_ids": still_open}
