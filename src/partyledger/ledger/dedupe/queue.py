"""The review queue and the merge history as the front ends show them: one query each.

The terminal app's review screen and ``partyledger dedupe list|review`` walk the same queue, so both
read it here and cannot drift apart (the app once ordered ties by row id and loaded each member with
its own query). ``review_queue`` returns the pairs highest score first, ties by member ids, each with
both members, loaded in the same statement by an outer join: a queue of 500 pairs costs one query,
not 1,001. Merges and batch undos take their pairs out of the queue, so both members are normally
there; a row whose member is missing anyway (a ledger edited outside partyledger) still lists, with
``None`` in its place, rather than vanishing. ``merge_history`` lists merges with the kept member's
current IIN the same way, for ``dedupe list --merges`` and the app's "undo which merge?" list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from partyledger.ledger.enums import Decision
from partyledger.ledger.models import MatchDecision, Member, Merge


class QueuedPair(NamedTuple):
    """One queue row and its two members (``a`` has the lower id); a member no longer stored is None."""

    decision: MatchDecision
    a: Member | None
    b: Member | None


@dataclass(frozen=True, slots=True)
class MergeEntry:
    """A merge as listed for undoing: who was kept (IIN now, None if gone) and who was absorbed."""

    merge_id: int
    kept_iin: str | None
    absorbed_iin: str
    absorbed_name: str
    merged_at: datetime
    undone_at: datetime | None


def review_queue(session: Session, *, include_decided: bool = False, min_score: float = 0.0,
                 limit: int | None = None) -> list[QueuedPair]:
    """The queue as the organizer walks it: highest score first, then by member ids."""
    t = MatchDecision
    a, b = aliased(Member, name="member_a"), aliased(Member, name="member_b")
    stmt = (select(t, a, b).outerjoin(a, a.id == t.member_a_id).outerjoin(b, b.id == t.member_b_id)
            .where(t.score >= min_score))
    if not include_decided:
        stmt = stmt.where(t.decision == Decision.UNDECIDED)
    stmt = stmt.order_by(t.score.desc(), t.member_a_id, t.member_b_id).limit(limit)
    return [QueuedPair(row, ma, mb) for row, ma, mb in session.execute(stmt)]


def merge_history(session: Session, *, include_undone: bool = True, newest_first: bool = False,
                  limit: int | None = None) -> list[MergeEntry]:
    """Merges in the order they were made (or newest first), optionally only those not undone."""
    kept = aliased(Member, name="kept")
    stmt = select(Merge, kept.iin).outerjoin(kept, kept.id == Merge.kept_member_id)
    if not include_undone:
        stmt = stmt.where(Merge.undone_at.is_(None))
    stmt = stmt.order_by(Merge.id.desc() if newest_first else Merge.id).limit(limit)
    out = []
    for m, kept_iin in session.execute(stmt):
        absorbed = m.absorbed["member"]
        name = " ".join(filter(None, (absorbed.get("surname"), absorbed.get("given_name"))))
        out.append(MergeEntry(merge_id=m.id, kept_iin=kept_iin, absorbed_iin=absorbed["iin"], absorbed_name=name,
                              merged_at=m.merged_at, undone_at=m.undone_at))
    return out
