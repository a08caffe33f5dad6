"""Batch records: undo a committed batch, list batches and their conflicts, remembered mappings.

Undo restores the ledger exactly: members the batch created are deleted (they carry its
``batch_id``), members it updated get their ``before`` values back from ``BatchChange``. It refuses,
changing nothing, when any of those members was changed afterwards or is referenced by a role or a
congress check-in: undoing would then silently lose work done since the import.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlmodel import Session

from partyledger.errors import Conflict, NotFound
from partyledger.ledger.storage import audit, seal
from partyledger.ledger.models import (BatchChange, BatchState, CongressCheckin, ImportBatch, ImportConflict,
                                       MatchDecision, Member, Merge, QuarantineRow, Role, SourceMapping)
from partyledger.ledger.enums import MemberStatus

MEMBER_T = Member.__table__
DATE_FIELDS = {"birth_date", "joined_on", "signed_on", "status_on"}


# The stored form of before/after values: the one batches writes (``batches.jsonable`` is the same
# function). Taken from audit, not batches, so that this module does not import the import service.
_jsonable = audit.plain


def restore_value(name: str, value: Any) -> Any:
    """JSON before/after back to column values (dates, status)."""
    if value is None:
        return None
    if name in DATE_FIELDS:
        return date.fromisoformat(value)
    if name in ("created_at", "updated_at"):
        return datetime.fromisoformat(value)
    if name == "status":
        return MemberStatus(value)
    return value


def _batch(session: Session, batch_id: int) -> ImportBatch:
    batch = session.get(ImportBatch, batch_id)
    if batch is None:
        raise NotFound(f"no import batch {batch_id}", "see `partyledger batches`")
    return batch


def undo_batch(session: Session, batch_id: int, *, actor: str = "") -> dict[str, int]:
    """Take a committed batch back out: delete the members it created, restore the ones it updated.

    Refuses (``Conflict``) when a member was changed after the batch, or is referenced by a role or a
    congress check-in, because undoing would then lose work done since; nothing is changed then.
    """
    batch = _batch(session, batch_id)
    if batch.state != BatchState.COMMITTED:
        raise Conflict(f"batch {batch_id} is {_jsonable(batch.state)}, not committed", "only a committed batch can be undone")
    conn = session.connection()
    m = MEMBER_T
    created = select(m.c.id).where(m.c.batch_id == batch_id)
    touched = conn.execute(select(func.count()).select_from(m).where(
        m.c.batch_id == batch_id, m.c.updated_at > batch.finished_at)).scalar_one()
    for table in (Role.__table__, CongressCheckin.__table__):
        touched += conn.execute(select(func.count()).select_from(table).where(table.c.member_id.in_(created))).scalar_one()
    bc = BatchChange.__table__
    updates = conn.execute(select(bc.c.member_id, bc.c.before, bc.c.after).where(
        bc.c.batch_id == batch_id, bc.c.action == "updated")).all()
    current = {r.id: r for r in conn.execute(select(m).where(m.c.id.in_([u.member_id for u in updates])))} \
        if updates else {}
    for u in updates:
        row = current.get(u.member_id)
        if row is None or any(_jsonable(getattr(row, k)) != v for k, v in u.after.items()):
            touched += 1
    merges = _merges_involving(conn, batch_id, created)
    if merges:
        ids = ", ".join(str(i) for i in merges[:5])
        raise Conflict(f"batch {batch_id}: its members take part in merge {ids}",
                       f"undo would lose a merged person; unmerge first (partyledger dedupe unmerge {merges[0]})")
    if touched:
        raise Conflict(f"batch {batch_id}: {touched} member(s) changed since the import",
                       "undo would lose those changes; edit the members by hand instead")
    for u in updates:
        conn.execute(update(m).where(m.c.id == u.member_id).values(
            **{k: restore_value(k, v) for k, v in u.before.items()}))
    seal.reseal(session, [u.member_id for u in updates])
    md = MatchDecision.__table__     # pairs with a removed member: the review queue must not show ghosts
    pairs = conn.execute(delete(md).where(or_(md.c.member_a_id.in_(created), md.c.member_b_id.in_(created)))).rowcount
    deleted = conn.execute(delete(m).where(m.c.batch_id == batch_id)).rowcount
    qt, ct = QuarantineRow.__table__, ImportConflict.__table__
    dropped = conn.execute(delete(qt).where(qt.c.batch_id == batch_id, qt.c.state == "open")).rowcount
    conn.execute(delete(ct).where(ct.c.batch_id == batch_id))
    batch.state = BatchState.UNDONE
    session.add(batch)
    counts = {"deleted": deleted, "restored": len(updates), "quarantine_dropped": dropped, "duplicate_pairs_dropped": pairs}
    audit.record(session, "batch.undo", "import_batch", batch_id, before={"state": "committed"},
                 after={"state": "undone", **counts}, actor=actor)
    session.flush()
    return counts


def _merges_involving(conn, batch_id: int, created) -> list[int]:
    """Active merges that kept a member of this batch or absorbed one: undoing would orphan a person."""
    mt = Merge.__table__
    kept = set(conn.execute(select(mt.c.id).where(mt.c.undone_at.is_(None), mt.c.kept_member_id.in_(created))).scalars())
    for merge_id, absorbed in conn.execute(select(mt.c.id, mt.c.absorbed).where(mt.c.undone_at.is_(None))):
        if ((absorbed or {}).get("member") or {}).get("batch_id") == batch_id:
            kept.add(merge_id)
    return sorted(kept)


def list_batches(session: Session) -> list[dict[str, Any]]:
    """Every batch, newest first, with its counts and open conflicts (JSON-ready)."""
    ct = ImportConflict.__table__
    open_conflicts = dict(session.connection().execute(
        select(ct.c.batch_id, func.count()).where(ct.c.state == "open").group_by(ct.c.batch_id)).all())
    out = []
    for b in session.scalars(select(ImportBatch).order_by(ImportBatch.id.desc())):
        out.append({"batch_id": b.id, "file_name": b.file_name, "sheet": b.sheet, "sha256": b.sha256,
                    "state": _jsonable(b.state), "started_at": _jsonable(b.started_at),
                    "finished_at": _jsonable(b.finished_at), "counts": b.counts,
                    "open_conflicts": open_conflicts.get(b.id, 0)})
    return out


def batch_conflicts(session: Session, batch_id: int) -> list[dict[str, Any]]:
    """Open conflicts of a batch: the member keeps ``current_value`` until someone decides."""
    _batch(session, batch_id)
    ct, m = ImportConflict.__table__, MEMBER_T
    stmt = (select(ct.c.id, ct.c.member_id, m.c.iin, ct.c.field, ct.c.current_value, ct.c.incoming_value, ct.c.state)
            .join(m, m.c.id == ct.c.member_id).where(ct.c.batch_id == batch_id).order_by(ct.c.id))
    return [dict(r._mapping) for r in session.connection().execute(stmt)]


def previous_imports(session: Session, sha256: str) -> list[int]:
    """Committed batches of the same file (same bytes), to tell the user it was imported before."""
    t = ImportBatch.__table__
    stmt = select(t.c.id).where(t.c.sha256 == sha256, t.c.state == BatchState.COMMITTED).order_by(t.c.id)
    return [i for (i,) in session.connection().execute(stmt)]


def recall_mapping(session: Session, signature: str) -> dict[str, str] | None:
    row = session.scalars(select(SourceMapping).where(SourceMapping.header_signature == signature)).first()
    return dict(row.mapping) if row else None


def remember_mapping(session: Session, signature: str, mapping: dict[str, str]) -> None:
    row = session.scalars(select(SourceMapping).where(SourceMapping.header_signature == signature)).first()
    if row:
        row.mapping = dict(mapping)
        row.updated_at = datetime.utcnow()
        session.add(row)
    else:
        session.add(SourceMapping(header_signature=signature, mapping=dict(mapping)))
    session.flush()
