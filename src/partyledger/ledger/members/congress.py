"""Founding congress check-in: personal attendance of initiative-group members, with time and who.

The law requires the initiative group to take part in person (no proxies), so a check-in is refused
for anyone not in the group on the congress day and for anyone already checked in: a second check-in
would hide a mistake or a stand-in. Time comes in as an argument (the front end reads the clock).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from partyledger.errors import Conflict, InvalidInput
from partyledger.ledger.storage import audit
from partyledger.ledger.models import CongressCheckin, Member
from partyledger.ledger.enums import RoleKind
from partyledger.ledger.members.roles import holds_role
from partyledger.ledger.members.service import get_member, list_members
from partyledger.ledger.cleaning.text import check_text


def find_attendee(session: Session, *, iin: str | None = None, surname: str | None = None) -> Member:
    """The member by IIN, or by a surname search that matches exactly one member."""
    if iin:
        return get_member(session, iin)
    if not surname or not surname.strip():
        raise InvalidInput("give an IIN or --search SURNAME")
    found = list_members(session, search=surname, limit=20).rows
    if len(found) == 1:
        return found[0]
    if not found:
        raise InvalidInput(f"no member whose name starts with '{surname}'")
    names = "; ".join(f"{m.surname} {m.given_name} {m.iin}" for m in found[:10])
    more = " ..." if len(found) > 10 else ""
    raise InvalidInput(f"{len(found)} members match '{surname}': {names}{more}", "check in by IIN")


def check_in(session: Session, member: Member, *, at: datetime, by: str, actor: str = "") -> CongressCheckin:
    """Record personal attendance; refuses non-members of the group and second check-ins (``Conflict``)."""
    check_text(by, "checked_in_by")                 # a name typed at the door, shown in every history
    who = f"{member.surname} {member.given_name} ({member.iin})"
    if not holds_role(session, member.id, RoleKind.INITIATIVE_GROUP, at.date()):
        raise Conflict(f"{who} is not in the initiative group",
                       "only initiative-group members attend the founding congress; add them with roles add")
    existing = session.exec(select(CongressCheckin).where(CongressCheckin.member_id == member.id)).first()
    if existing is not None:
        raise Conflict(f"{who} is already checked in ({existing.checked_in_at:%Y-%m-%d %H:%M} by "
                       f"{existing.checked_in_by or 'unknown'})")
    checkin = CongressCheckin(member_id=member.id, checked_in_at=at, checked_in_by=by, in_person=True)
    session.add(checkin)
    session.flush()
    audit.record(session, "congress.checkin", "member", member.id,
                 after={"checked_in_at": at, "by": by, "in_person": True}, actor=actor or by)
    return checkin
