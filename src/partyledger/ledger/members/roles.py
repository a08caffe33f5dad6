"""Initiative group and organising committee membership, by IIN, with dates.

A role is kept with ``since``/``until`` instead of being deleted: the law counts the group on a date,
and removing someone who left must not rewrite what the group was before. Adding a member back
reopens the same row (one row per member and kind). Every change lands in the audit log.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from partyledger.errors import Conflict, InvalidInput, NotFound
from partyledger.ledger.storage import audit
from partyledger.ledger.cleaning import eligibility
from partyledger.ledger.models import Role
from partyledger.ledger.enums import RoleKind
from partyledger.ledger.members.reads import RoleHolder, holds_on, role_holders
from partyledger.ledger.members.service import get_member

KIND_NAMES = {"initiative-group": RoleKind.INITIATIVE_GROUP, "initiative_group": RoleKind.INITIATIVE_GROUP,
              "group": RoleKind.INITIATIVE_GROUP, "committee": RoleKind.COMMITTEE}


def role_kind(text: str | RoleKind) -> RoleKind:
    if isinstance(text, RoleKind):
        return text
    try:
        return KIND_NAMES[text.strip().lower()]
    except KeyError:
        raise InvalidInput(f"unknown role '{text}'", "use initiative-group or committee") from None


def _label(kind: RoleKind) -> str:
    return "initiative group" if kind is RoleKind.INITIATIVE_GROUP else "organising committee"


def _holds(role: Role, as_of: date | None) -> bool:
    return holds_on(role.since, role.until, as_of)


def add_role(session: Session, iin: str, kind: str | RoleKind, *, since: date | None = None,
             actor: str = "") -> Role:
    """Put a member in the group or committee from ``since``; already in it is a ``Conflict``."""
    kind = role_kind(kind)
    member = get_member(session, iin)
    role = session.exec(select(Role).where(Role.member_id == member.id, Role.kind == kind)).first()
    if role is not None and role.until is None:
        raise Conflict(f"{member.surname} {member.given_name} ({member.iin}) is already in the {_label(kind)}")
    if role is None:
        role = Role(member_id=member.id, kind=kind, since=since)
    else:
        role.since, role.until = since, None
    session.add(role)
    session.flush()
    audit.record(session, "role.added", "member", member.id, after={"kind": kind.value, "since": since},
                 actor=actor)
    return role


def remove_role(session: Session, iin: str, kind: str | RoleKind, *, on: date, actor: str = "") -> Role:
    """End a membership of the group or committee on ``on`` (kept for the history)."""
    kind = role_kind(kind)
    member = get_member(session, iin)
    role = session.exec(select(Role).where(Role.member_id == member.id, Role.kind == kind)).first()
    if role is None or role.until is not None:
        raise NotFound(f"{member.surname} {member.given_name} ({member.iin}) is not in the {_label(kind)}")
    role.until = on
    session.add(role)
    session.flush()
    audit.record(session, "role.removed", "member", member.id, before={"kind": kind.value},
                 after={"kind": kind.value, "until": on}, actor=actor)
    return role


def holders(session: Session, kind: str | RoleKind | None = None, *, as_of: date | None = None) -> list[RoleHolder]:
    """Who holds a role on ``as_of`` (None: currently, i.e. not removed), ordered by surname."""
    return role_holders(session, None if kind is None else role_kind(kind), as_of=as_of)


def counted_holders(session: Session, kind: str | RoleKind, snapshot, as_of: date) -> list[RoleHolder]:
    """The holders of a role who count on ``as_of``, by the one test the report applies
    (``ledger/cleaning/eligibility``).

    The filing lists use this, so the initiative group filed is the group the report counted: a holder who
    withdrew, is under age, is not a citizen or is barred is left off rather than refused by the ministry.
    """
    params = eligibility.Params.of(snapshot, as_of, require_consent=False)
    return [h for h in role_holders(session, role_kind(kind), as_of=as_of, rules=params) if h.eligible]


def holds_role(session: Session, member_id: int, kind: str | RoleKind, as_of: date | None = None) -> bool:
    role = session.exec(select(Role).where(Role.member_id == member_id, Role.kind == role_kind(kind))).first()
    return role is not None and _holds(role, as_of)
