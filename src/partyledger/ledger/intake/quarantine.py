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
from partyledger.ledger.intake.batches import MEMBER_T
from partyledger.ledger.intake.member_rows import member_values
from partyledger.ledger.issues import Severity
from partyledger.ledger.models import ImportBatch, QuarantineRow
from partyledger.ledger.cleaning.text import check_text


def _row(session: Session, qid: int) -> QuarantineRow:
    row = session.get(QuarantineRow, qid)
    if row is None:
        raise NotFound(f"no quarantined row {qid}", "see `partyledger quarantine list`")
    return row


def row_dict(q: QuarantineRow, file_name: str | None = None) -> dict[str, Any]:
    return {"id": q.id, "batch_id": q.batch_id, "file_name": file_name, "row": q.row_number,
            "codes": list(q.issue_codes), "raw": dict(q.raw), "state": q.state,
            "promoted_member_id": q.promoted_member_id}


def list_quarantine(session: Session, *, batch_id: int | None = None, state: str | None = "open",
                    limit: int | None = None) -> list[dict[str, Any]]:
    """Quarantined rows (open ones by default), oldest batch first, in sheet order."""
    stmt = select(QuarantineRow, ImportBatch.file_name).join(ImportBatch, ImportBatch.id == QuarantineRow.batch_id)
    if batch_id is not None:
        stmt = stmt.where(QuarantineRow.batch_id == batch_id)
    if state:
        stmt = stmt.where(QuarantineRow.state == state)
    stmt = stmt.order_by(QuarantineRow.batch_id, QuarantineRow.row_number, QuarantineRow.id)
    if limit:
        stmt = stmt.limit(limit)
    return [row_dict(q, name) for q, name in session.execute(stmt)]


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
    """
    from partyledger.ledger.cleaning.validate import draft_from_fields

    q = _row(session, qid)
    if q.state != "open":
        raise Conflict(f"quarantined row {qid} is already {q.state}")
    batch = session.get(ImportBatch, q.batch_id)
    fields = fields_of(q, dict(batch.mapping or {})) | dict(changes or {})
    res = draft_from_fields(fields, units=units, as_of=as_of, dayfirst=dayfirst, row=q.row_number,
                            source=batch.file_name)
    if res.draft is None:
        errors = [i for i in res.issues if i.severity is Severity.ERROR]
        detail = "; ".join(f"{i.code}: {i.message}" for i in errors) or "invalid"
        raise InvalidInput(f"row {q.row_number} still cannot become a member ({detail})",
                           "correct it with --set FIELD=VALUE", issues=res.issues)
    conn = session.connection()
    holder = conn.execute(select(MEMBER_T.c.id).where(MEMBER_T.c.iin == res.draft.iin)).scalar()
    if holder is not None:
        raise Conflict(f"IIN {res.draft.iin} is already in the ledger (member {holder})",
                       f"this row is a duplicate: partyledger quarantine discard {qid}")
    values = member_values(res.draft, batch_id=None, row=q.row_number, now=datetime.utcnow())
    member_id = conn.execute(insert(MEMBER_T).values(**values)).inserted_primary_key[0]
    seal.reseal(session, [member_id])
    q.state = "promoted"
    q.promoted_member_id = member_id
    session.add(q)
    audit.record(session, "member.create", "member", member_id,
                 after={"iin": res.draft.iin, "from_quarantine": qid, "changes": dict(changes or {})}, actor=actor)
    session.flush()
    return {"quarantine_id": qid, "member_id": member_id, "iin": res.draft.iin,
            "warnings": sorted({i.code for i in res.issues})}


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
