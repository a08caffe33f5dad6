"""The verdict: the checks a filing must pass, in the order an organizer does them, and what blocks it.

READY means ready to file on that date: every numeric requirement met (none pending, none resting on a
value the research does not know), the initiative group and committee met, the founding congress held
in person by the date with the attendance and unit coverage the law of its day requires, and no legal
clock lapsed. Everything else is NOT READY, and ``blockers`` says why in words, the lapsed clocks first
(they undo the rest), then the checks in the order the work is done: group, committee, notification,
congress, members, units.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from partyledger.errors import RuleDateError
from partyledger.report.model import Blocker, Check, Citation, Deadline, InitiativeGroup, UnitLine

if TYPE_CHECKING:
    from partyledger.ledger.members.reads import CampaignFacts
    from partyledger.rules.model import RuleSet, RuleSnapshot

#: the order in which an organizer meets the requirements (and in which the blockers are listed)
ORDER = ("initiative_group", "initiative_group_units", "committee", "notification_filed", "congress_held",
         "congress_attendance", "congress_units", "members_total", "members_per_unit")
UNKNOWN = "{what}: the law in force does not say, or the research does not know, what is required [U]; check it before filing"
LABELS = {"initiative_group": "initiative group", "initiative_group_units": "initiative group's units",
          "committee": "organising committee", "notification_filed": "notification of intent",
          "congress_held": "founding congress", "congress_attendance": "founding congress attendance",
          "congress_units": "founding congress units", "members_total": "members", "members_per_unit": "units"}
WORDS = {
    "initiative_group": "initiative group: {actual} of {required} eligible people, {short} short",
    "initiative_group_units": "initiative group: from {actual} of the {required} units it must represent, {short} more",
    "committee": "organising committee: {actual} of {required} from the initiative group, {short} short",
    "committee_outside": "organising committee: {outside} member(s) not in the initiative group",
    "notification_filed": "notification of intent: not filed (no date recorded)",
    "congress_held": "founding congress: not held (no date recorded)",
    "congress_later": "founding congress: set for {held}, after {as_of}",
    "congress_attendance": "founding congress: {actual} of {required} checked in, in person, {short} short",
    "congress_units": "founding congress: attendees from {actual} of the {required} units required, {short} more",
    "members_total": "members: {actual} count, {short} short of {required}",
    "members_total_strict": "members: {actual} count, {short} short of more than {required}",
    "members_per_unit": "{count} short of {minimum} members: {list}",
    "members_units_share": "units: {actual} of {units} have {minimum} members or more, {more} more needed "
                           "(closest: {list})",
}


def _needs(actual: int, required: int | None, strict: bool = False) -> bool | None:
    if required is None:
        return None
    return actual > required if strict else actual >= required


def congress_law(rules: RuleSet, snapshot: RuleSnapshot, campaign: CampaignFacts, as_of: date) -> RuleSnapshot:
    """The law of the congress day (its attendance and coverage rules), or of ``as_of`` before a congress."""
    held = campaign.congress_held_on
    if held is None or held >= as_of:
        return snapshot
    try:
        return rules.at(held)
    except RuleDateError:
        return snapshot


def checks(snapshot: RuleSnapshot, law_at_congress: RuleSnapshot, counted: int, units: list[UnitLine],
           group: InitiativeGroup, campaign: CampaignFacts, as_of: date) -> list[Check]:
    """Every condition of filing, in ``ORDER``."""
    cite = lambda name, snap=snapshot: Citation.of(snap.value_of(name))  # noqa: E731
    out = [
        Check("initiative_group", _needs(group.size, group.required), group.size, group.required,
              group.citations["initiative_group_min"]),
        Check("initiative_group_units", _needs(group.units_covered, group.units_required), group.units_covered,
              group.units_required, group.citations["initiative_group_units_min"]),
        Check("committee", None if group.committee_required is None else group.committee_met,
              group.committee_size, group.committee_required, group.citations["committee_min"],
              f"{group.committee_outside_group} committee member(s) not in the initiative group"
              if group.committee_outside_group else ""),
    ]
    if snapshot.congress_window_months is not None or snapshot.notification_valid_months is not None:
        notice = campaign.notification_filed_on or campaign.notification_confirmed_on
        # cited by the clock the notification starts: the law that sets it is the law that asks for it
        clock = "congress_window_months" if snapshot.congress_window_months is not None else "notification_valid_months"
        out.append(Check("notification_filed", notice is not None and notice <= as_of, None, None, cite(clock),
                         f"filed {notice.isoformat()}" if notice else ""))
    held = campaign.congress_held_on
    held_by_now = held is not None and held <= as_of
    if not _asks_for_congress(law_at_congress) and not held_by_now:
        return _finish(out + _member_checks(snapshot, counted, units), snapshot)
    attendance_rule = "founding_congress_min" if law_at_congress.founding_congress_min is not None \
        else "initiative_group_min"
    att_required = law_at_congress.value_of(attendance_rule).value
    units_required = law_at_congress.initiative_group_units_min
    out += [
        Check("congress_held", held_by_now, None, None, cite(attendance_rule, law_at_congress),
              f"held {held.isoformat()}" if held_by_now else ""),
        Check("congress_attendance", _needs(group.congress_attended, att_required) if held_by_now else None,
              group.congress_attended, att_required, cite(attendance_rule, law_at_congress),
              "eligible initiative-group members checked in, in person" if held_by_now
              else "judged once the congress is held"),
        Check("congress_units", _needs(group.congress_units, units_required) if held_by_now else None,
              group.congress_units, units_required, cite("initiative_group_units_min", law_at_congress),
              "units the attendees come from" if held_by_now else "judged once the congress is held"),
    ]
    return _finish(out + _member_checks(snapshot, counted, units), snapshot)


def _asks_for_congress(law: RuleSnapshot) -> bool:
    """Whether the rule file says anything of a founding congress (KZ, GE, AM); India's does not."""
    return any(v is not None for v in (law.founding_congress_min, law.initiative_group_min,
                                        law.congress_window_months))


def _member_checks(snapshot: RuleSnapshot, counted: int, units: list[UnitLine]) -> list[Check]:
    """The total, and the units that must reach the per-unit minimum (all, a fraction, or a count of them)."""
    total = snapshot.value_of("members_total_min")
    per_unit = snapshot.value_of("members_per_unit_min")
    units_needed = snapshot.members_units_min
    with_min = sum(1 for u in units if u.met and u.counted > 0)
    per_unit_met = None if per_unit.value is None or units_needed is None else with_min >= units_needed
    return [
        Check("members_total", _needs(counted, total.value, total.strict), counted, total.value, Citation.of(total)),
        Check("members_per_unit", per_unit_met, with_min, units_needed, Citation.of(per_unit),
              f"{with_min} of {len(units)} units have the minimum"
              + (f"; {units_needed} must ({snapshot.value_of('members_units_required').value})"
                 if units_needed is not None else "; the number of units that must have it is unknown")),
    ]


def _finish(out: list[Check], snapshot: RuleSnapshot) -> list[Check]:
    for c in out:
        c.on_open_day = snapshot.open_version is not None
    return out


def _unit_list(short: list[UnitLine], shown: int = 5) -> str:
    words = ", ".join(f"{u.name} by {u.short_by}" for u in short[:shown])
    return words + (f" and {len(short) - shown} more" if len(short) > shown else "")


def _check_blocker(c: Check, units: list[UnitLine], group: InitiativeGroup, campaign: CampaignFacts,
                   as_of: date) -> Blocker:
    tag = c.confidence
    if c.required is None and c.name not in ("notification_filed", "congress_held") and \
            not (c.name == "committee" and group.committee_outside_group):
        return Blocker(c.name, UNKNOWN, {"what": LABELS[c.name]}, "U")
    short = max(0, (c.required or 0) - (c.actual or 0))
    numbers = {"actual": c.actual, "required": c.required, "short": short}
    if c.name == "committee" and group.committee_required is not None and group.committee_size >= group.committee_required:
        return Blocker(c.name, WORDS["committee_outside"], {"outside": group.committee_outside_group}, tag)
    if c.name == "congress_held":
        held = campaign.congress_held_on
        if held is not None:
            return Blocker(c.name, WORDS["congress_later"], {"held": held.isoformat(), "as_of": as_of.isoformat()}, tag)
        return Blocker(c.name, WORDS["congress_held"], {}, "C")
    if c.name == "members_total":
        strict = bool(c.citation and c.citation.strict)
        numbers["short"] = max(0, (c.required or 0) + (1 if strict else 0) - (c.actual or 0))
        return Blocker(c.name, WORDS["members_total_strict" if strict else "members_total"], numbers, tag)
    if c.name == "members_per_unit":
        minimum = units[0].required if units else None
        short_units = sorted((u for u in units if not u.met), key=lambda u: (u.short_by, u.code))
        if c.required is not None and c.required >= len(units):
            worst_first = sorted(short_units, key=lambda u: (-u.short_by, u.code))
            return Blocker(c.name, WORDS["members_per_unit"],
                           {"count": _count_words(len(worst_first)), "minimum": minimum,
                            "list": _unit_list(worst_first), "units": [_unit(u) for u in worst_first]}, tag)
        more = (c.required or 0) - (c.actual or 0)
        closest = short_units[:more]
        return Blocker(c.name, WORDS["members_units_share"],
                       {"actual": c.actual, "units": len(units), "minimum": minimum, "more": more,
                        "list": _unit_list(closest), "closest": [_unit(u) for u in closest]}, tag)
    return Blocker(c.name, WORDS[c.name], numbers, tag)


def _unit(u: UnitLine) -> dict:
    return {"code": u.code, "name": u.name, "counted": u.counted, "short_by": u.short_by}


def _count_words(n: int) -> str:
    names = ("no unit", "one unit", "two units", "three units", "four units", "five units")
    return names[n] if n < len(names) else f"{n} units"


def blockers(check_list: list[Check], deadline_list: list[Deadline], units: list[UnitLine],
             group: InitiativeGroup, campaign: CampaignFacts, as_of: date) -> list[Blocker]:
    """What stops filing, lapsed clocks first, then unmet or pending checks in ``ORDER``."""
    out = [Blocker(d.name, "{lapsed}", {"lapsed": d.lapsed, "due": d.due.isoformat() if d.due else None},
                   d.confidence)
           for d in deadline_list if d.counts and d.met is False]
    rank = {name: i for i, name in enumerate(ORDER)}
    for c in sorted((c for c in check_list if c.met is not True), key=lambda c: rank.get(c.name, len(ORDER))):
        out.append(_check_blocker(c, units, group, campaign, as_of))
    return out
