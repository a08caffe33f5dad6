"""``partyledger congress checkin|status``: personal attendance at the founding congress.

``checkin`` takes an IIN or ``--search SURNAME`` (only when exactly one member matches; otherwise the
candidates are listed and nothing is recorded). It refuses anyone not in the initiative group, or already
checked in, with exit 2. ``status`` shows attendance per unit against the rule in force.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone
from typing import Optional

import typer

from partyledger.cli.context import actor, as_of_or_today, emit_json, ledger_rules, ledger_session, out, say

congress_app = typer.Typer(help="Founding congress: check in initiative-group members in person.",
                           no_args_is_help=True)


@congress_app.command("checkin")
def checkin(
    ctx: typer.Context,
    iin: Optional[str] = typer.Argument(None, help="IIN of the attendee."),
    search: Optional[str] = typer.Option(None, "--search", help="Surname (or its start), when it matches one member."),
    by: Optional[str] = typer.Option(None, "--by", help="Who checks them in (default: your user name)."),
) -> None:
    """Record that an initiative-group member is present in person, now."""
    from partyledger.ledger.members.congress import check_in, find_attendee
    from partyledger.ledger.storage.audit import login_name

    who = by or login_name()
    now = datetime.now(timezone.utc).replace(tzinfo=None)      # stored as naive UTC, like every moment
    with ledger_session(ctx) as session:
        member = find_attendee(session, iin=iin, surname=search)
        check_in(session, member, at=now, by=who, actor=actor(who))
        name = f"{member.surname} {member.given_name}"
    say(f"checked in: {name} ({member.iin}) at {now:%Y-%m-%d %H:%M} UTC by {who}")


@congress_app.command("status")
def status(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Date of the rules and the group, YYYY-MM-DD."),
) -> None:
    """Attendance in person per unit, against the initiative-group requirement in force."""
    from partyledger.ledger.members.reads import attendance
    from partyledger.report.counting import place

    day = as_of_or_today(as_of)
    with ledger_session(ctx) as session:
        rules = ledger_rules(ctx, session)
        snap = rules.at(day)
        seen = attendance(session, day)
    present: Counter = Counter()
    group: Counter = Counter()
    for (unit, loc), n in seen.group_by_unit.items():
        group[place(rules, unit, loc, day)[0]] += n
    for (unit, loc), n in seen.by_unit.items():
        present[place(rules, unit, loc, day)[0]] += n
    required, units_required = snap.initiative_group_min, snap.initiative_group_units_min
    covered = sum(1 for code, n in present.items() if code and n)
    units = [{"code": u.code, "name": u.name, "group": group.get(u.code, 0), "attended": present.get(u.code, 0)}
             for u in snap.units]
    cite = snap.value_of("initiative_group_min")
    data = {"as_of": day.isoformat(), "group_size": seen.group_size, "attended": seen.attended,
            "required": required, "met": None if required is None else seen.attended >= required,
            "units_attended": covered, "units_required": units_required,
            "rule": {"rule_id": cite.rule_id, "value": cite.value, "reference": cite.reference,
                     "effective_from": cite.effective_from.isoformat() if cite.effective_from else None,
                     "confidence": cite.confidence},
            "units": units, "unplaced": group.get(None, 0)}
    if as_json:
        emit_json(data)
        return
    out(f"Founding congress attendance in person: {seen.attended} of {seen.group_size} initiative-group "
               f"members (required {required}; {cite.reference} [{cite.confidence}])")
    out(f"Units represented: {covered} (initiative group must cover {units_required})")
    for u in units:
        if u["group"]:
            out(f"  {u['code']:>3} {u['name']:28} {u['attended']:5} of {u['group']:5}")
    if data["unplaced"]:
        out(f"  unit needs checking: {data['unplaced']} group member(s)")


def register(app: typer.Typer) -> None:
    """Attach ``congress`` to the root app."""
    app.add_typer(congress_app, name="congress")
