"""Merge two member records into one, and undo it exactly; or record that two records are different.

A wrong merge makes a real member disappear, so nothing here runs without an organizer asking, and
every merge can be undone. ``merge`` keeps one record, fills its empty fields from the other, lists
the fields where both had different values (the kept value wins; the other is in the Merge row), and
moves the absorbed member's roles and congress check-in to the kept one, unless the kept one already
has them. The absorbed row is then deleted (a dead duplicate must not count or block an IIN), after
being written whole into ``Merge.absorbed``: every column (batch provenance included), its roles, its
check-in and its review-queue rows. ``unmerge`` puts all of that back, with the same ids, and
restores the kept member's filled fields, so the ledger reads as before the merge.

Rows are copied column by column from the table definitions, so a column added later is carried too.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import Date, DateTime, delete, or_, select
from sqlmodel import Session, SQLModel

from partyledger.errors import Conflict, InvalidInput, NotFound
from partyledger.ledger.cleaning.translit import MATCH_KEYS, match_keys
from partyledger.ledger.enums import Decision
from partyledger.ledger.models import CongressCheckin, MatchDecision, Member, MemberBase, Merge, Role
from partyledger.ledger.storage import audit, seal

# Identity, keys and bookkeeping are never filled from the absorbed record.
_NOT_FILLED = {"iin", "birth_date", "sex", "status", "status_on", "status_reason"}
FILLABLE = tuple(f for f in MemberBase.model_fields if f not in _NOT_FILLED)


def row_dict(row: SQLModel) -> dict[str, Any]:
    """Every column of a table row, JSON-safe (dates ISO, enums by value)."""
    out: dict[str, Any] = {}
    for column in row.__table__.columns:
        value = getattr(row, column.key)
        if isinstance(value, Enum):
            value = value.value
        elif isinstance(value, (date, datetime)):
            value = value.isoformat()
        out[column.key] = value
    return out


def from_row_dict(model: type[SQLModel], data: dict[str, Any]) -> SQLModel:
    """The inverse of ``row_dict``: typed values back from JSON, ids included."""
    values: dict[str, Any] = {}
    for column in model.__table__.columns:
        if column.key not in data:
            continue
        value = data[column.key]
        if value is not None:
            if isinstance(column.type, DateTime):
                value = datetime.fromisoformat(value)
            elif isinstance(column.type, Date):
                value = date.fromisoformat(value)
            else:
                enum_class = getattr(column.type, "enum_class", None)
                if enum_class is not None:
                    value = enum_class(value)
        values[column.key] = value
    row = model()
    for key, value in values.items():
        setattr(row, key, value)
    return row


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _member(session: Session, member_id: int) -> Member:
    member = session.get(Member, member_id)
    if member is None:
        raise NotFound(f"no member with id {member_id} in the ledger")
    return member


def _decisions_of(session: Session, member_id: int) -> list[MatchDecision]:
    stmt = select(MatchDecision).where(or_(MatchDecision.member_a_id == member_id,
                                           MatchDecision.member_b_id == member_id))
    return list(session.scalars(stmt))


def _move_roles(session: Session, keep: Member, absorb: Member, conflicts: dict[str, Any]) -> tuple[list, list, Any]:
    """Move roles and check-in to ``keep``; returns (moved role ids, dropped role dicts, dropped check-in)."""
    kept_kinds = {r.kind for r in session.scalars(select(Role).where(Role.member_id == keep.id))}
    moved, dropped = [], []
    for role in session.scalars(select(Role).where(Role.member_id == absorb.id)).all():
        if role.kind in kept_kinds:
            dropped.append(row_dict(role))
            conflicts.setdefault("roles", []).append(role.kind.value)
            session.delete(role)
        else:
            role.member_id = keep.id
            moved.append(role.id)
    checkin = session.scalars(select(CongressCheckin).where(CongressCheckin.member_id == absorb.id)).first()
    kept_checkin = session.scalars(select(CongressCheckin).where(CongressCheckin.member_id == keep.id)).first()
    dropped_checkin = None
    moved_checkin = None
    if checkin is not None:
        if kept_checkin is None:
            checkin.member_id = keep.id
            moved_checkin = checkin.id
        else:
            dropped_checkin = row_dict(checkin)
            session.delete(checkin)
    session.flush()
    return moved, dropped, (moved_checkin, dropped_checkin)


def merge(session: Session, keep_id: int, absorb_id: int, actor: str = "") -> Merge:
    """Keep ``keep_id``, absorb ``absorb_id`` into it; returns the Merge row (its id undoes it)."""
    if keep_id == absorb_id:
        raise InvalidInput("a member cannot be merged with itself")
    keep, absorb = _member(session, keep_id), _member(session, absorb_id)
    kept_before = row_dict(keep)
    absorbed_row = row_dict(absorb)
    filled: dict[str, Any] = {}
    differs: dict[str, Any] = {"iin": {"kept": keep.iin, "absorbed": absorb.iin}}
    for name in FILLABLE:
        mine, theirs = getattr(keep, name), getattr(absorb, name)
        if _empty(theirs):
            continue
        if _empty(mine):
            setattr(keep, name, theirs)
            filled[name] = absorbed_row[name]
        elif mine != theirs:
            differs[name] = {"kept": kept_before[name], "absorbed": absorbed_row[name]}
    moved_roles, dropped_roles, (moved_checkin, dropped_checkin) = _move_roles(session, keep, absorb, differs)
    decisions = _decisions_of(session, absorb.id)
    record = {"member": absorbed_row, "roles_dropped": dropped_roles, "checkin_dropped": dropped_checkin,
              "match_decisions": [row_dict(d) for d in decisions]}
    for d in decisions:
        session.delete(d)
    session.flush()
    session.delete(absorb)
    session.flush()
    if filled:
        for column, key in match_keys(keep.surname, keep.given_name, keep.patronymic).items():
            setattr(keep, column, key)
        keep.updated_at = datetime.utcnow()
    merge_row = Merge(kept_member_id=keep.id, absorbed=record, kept_before=kept_before,
                      conflicts={"filled": filled, "differs": differs, "moved_roles": moved_roles,
                                 "moved_checkin": moved_checkin, "kept_after": row_dict(keep)})
    session.add(merge_row)
    session.flush()
    seal.reseal(session, [keep.id])
    audit.record(session, "member.merged", "member", keep.id, before={"kept": kept_before, "absorbed": absorbed_row},
                 after={"kept": row_dict(keep), "merge_id": merge_row.id}, actor=actor)
    return merge_row


def unmerge(session: Session, merge_id: int, actor: str = "") -> Merge:
    """Restore the absorbed member (same id), its roles, check-in and queue rows, and the kept fields."""
    merge_row = session.get(Merge, merge_id)
    if merge_row is None:
        raise NotFound(f"no merge {merge_id} in the ledger", "see the merges with: dedupe list --merges")
    if merge_row.undone_at is not None:
        raise Conflict(f"merge {merge_id} was already undone on {merge_row.undone_at:%Y-%m-%d %H:%M}")
    keep = session.get(Member, merge_row.kept_member_id)
    if keep is None:
        raise Conflict(f"the member kept by merge {merge_id} is no longer in the ledger",
                       "undo the later merge that absorbed it first")
    absorbed = merge_row.absorbed["member"]
    if session.get(Member, absorbed["id"]) is not None:
        raise Conflict(f"member id {absorbed['id']} is in use again; merge {merge_id} cannot be undone exactly")
    taken = session.scalars(select(Member).where(Member.iin == absorbed["iin"])).first()
    if taken is not None:
        raise Conflict(f"IIN {absorbed['iin']} was added to the ledger again after merge {merge_id}",
                       "merge or remove that record first")
    info, before = merge_row.conflicts, merge_row.kept_before
    after_merge = info.get("kept_after", {})
    current = row_dict(keep)
    for name in [*info.get("filled", {}), *MATCH_KEYS, "updated_at"]:
        if current.get(name) == after_merge.get(name, current.get(name)):   # not edited since the merge
            setattr(keep, name, getattr(from_row_dict(Member, before), name))
    session.add(from_row_dict(Member, absorbed))
    session.flush()
    for role_id in info.get("moved_roles", []):
        role = session.get(Role, role_id)
        if role is not None:
            role.member_id = absorbed["id"]
    for data in merge_row.absorbed.get("roles_dropped", []):
        session.add(from_row_dict(Role, data))
    moved_checkin = info.get("moved_checkin")
    if moved_checkin is not None and (row := session.get(CongressCheckin, moved_checkin)) is not None:
        row.member_id = absorbed["id"]
    if merge_row.absorbed.get("checkin_dropped"):
        session.add(from_row_dict(CongressCheckin, merge_row.absorbed["checkin_dropped"]))
    for data in merge_row.absorbed.get("match_decisions", []):
        session.execute(delete(MatchDecision).where(MatchDecision.member_a_id == data["member_a_id"],
                                                    MatchDecision.member_b_id == data["member_b_id"]))
        session.add(from_row_dict(MatchDecision, data))
    merge_row.undone_at = datetime.utcnow()
    session.flush()
    seal.reseal(session, [keep.id, absorbed["id"]])
    audit.record(session, "member.unmerged", "member", keep.id, before={"merge_id": merge_id},
                 after={"kept": row_dict(keep), "restored": absorbed}, actor=actor)
    return merge_row


def decide(session: Session, a_id: int, b_id: int, decision: Decision, actor: str = "") -> MatchDecision:
    """Record the organizer's decision on a pair; ``different`` keeps it out of every later scan."""
    a, b = _member(session, min(a_id, b_id)), _member(session, max(a_id, b_id))
    if a.id == b.id:
        raise InvalidInput("a member cannot be compared with itself")
    row = session.scalars(select(MatchDecision).where(MatchDecision.member_a_id == a.id,
                                                      MatchDecision.member_b_id == b.id)).first()
    before = None if row is None else row_dict(row)
    if row is None:
        row = MatchDecision(member_a_id=a.id, member_b_id=b.id, iin_a=a.iin, iin_b=b.iin)
        session.add(row)
    row.decision = decision
    row.decided_at = datetime.utcnow()
    session.flush()
    audit.record(session, f"dedupe.{decision.value}", "match_decision", row.id, before=before,
                 after=row_dict(row), actor=actor)
    return row
