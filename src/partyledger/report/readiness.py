"""The readiness assessment: can the party file on ``as_of``, and what is missing?

``assess_readiness`` is pure: the date, the safety factor and the rules come in as arguments, the
ledger is only read, and the result is a ``Readiness`` value that the JSON, HTML, xlsx and terminal
renderers format. Counting is SQL aggregates over indexes (``report/counting.py``); the only
per-member work is on the initiative group and the open duplicate pairs, which are small.
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

from partyledger.ledger.enums import RoleKind
from partyledger.ledger.reads import attendance, campaign_facts, dbapi_of, role_holders
from partyledger.progress import ProgressCallback, check_cancel
from partyledger.report import sql as q
from partyledger.report.counting import count_members, place
from partyledger.report.deadlines import deadlines
from partyledger.report.model import (Check, Citation, InitiativeGroup, Margin, Projection, Readiness,
                                      UnitLine)

RECENT_DAYS = 28
# An open pair scoring at least this counts once: ``ledger.dedupe.HIGH_CONFIDENCE``, copied here (a test
# checks they are equal) so that the report does not import the dedupe package, and with it SQLAlchemy,
# on the terminal app's start-up path (ledger/unlock.py).
DUPLICATE_SCORE_MIN = 80.0


def safe_target(required: int | None, factor: float) -> int | None:
    """Members needed to stay above ``required`` after the ministry rejects some names."""
    if required is None:
        return None
    return math.ceil(Decimal(required) * Decimal(str(factor)))


def reach_date(as_of: date, counted: int, target: int | None, rate: float) -> date | None:
    """The day ``counted`` reaches ``target`` at ``rate`` members a day (None: never at this rate)."""
    if target is None or counted >= target:
        return as_of
    if rate <= 0:
        return None
    return as_of + timedelta(days=math.ceil((target - counted) / rate))


def _params(snapshot, as_of: date, require_consent: bool) -> q.Params:
    return q.Params(as_of=as_of, born_by=q.born_by(as_of, snapshot.min_age),
                    citizens_only=snapshot.citizens_only is not False,
                    one_party=snapshot.one_party_only is not False,
                    barred=bool(snapshot.barred), require_consent=require_consent)


def _initiative_group(conn, rules, snapshot, as_of: date) -> InitiativeGroup:
    people = role_holders(conn, as_of=as_of)
    group = [h for h in people if h.kind is RoleKind.INITIATIVE_GROUP and h.active_member]
    committee = [h for h in people if h.kind is RoleKind.COMMITTEE and h.active_member]
    group_ids = {h.member_id for h in group}
    units = {place(rules, h.unit_code, h.locality, as_of)[0] for h in group} - {None}
    seen = attendance(conn, as_of, people)
    congress_units = {place(rules, u, loc, as_of)[0] for (u, loc), n in seen.by_unit.items() if n} - {None}
    cites = {name: Citation.of(snapshot.value_of(name))
             for name in ("initiative_group_min", "initiative_group_units_min", "committee_min")}
    return InitiativeGroup(
        size=len(group), required=snapshot.initiative_group_min, units_covered=len(units),
        units_required=snapshot.initiative_group_units_min, committee_size=len(committee),
        committee_required=snapshot.committee_min,
        committee_outside_group=sum(1 for h in committee if h.member_id not in group_ids),
        congress_attended=seen.attended, congress_units=len(congress_units), citations=cites)


def _unit_lines(snapshot, counts, factor: float, as_of: date) -> list[UnitLine]:
    required = snapshot.members_per_unit_min
    target = safe_target(required, factor)
    codes = [u.code for u in snapshot.units] or sorted(counts.by_unit)
    names = {u.code: u.name for u in snapshot.units} | {"": "(no unit)"}
    lines = []
    for code in codes:
        n = counts.by_unit.get(code, 0)
        recent = counts.recent_by_unit.get(code, 0)
        rate = recent / RECENT_DAYS
        lines.append(UnitLine(code, names.get(code, code), n, required, target, recent,
                              reach_date(as_of, n, required, rate), reach_date(as_of, n, target, rate)))
    return lines


def _checks(snapshot, counted: int, units: list[UnitLine], group: InitiativeGroup, campaign) -> list[Check]:
    cite = lambda name: Citation.of(snapshot.value_of(name))  # noqa: E731
    units_met = sum(1 for u in units if u.counted >= (u.required or 0))
    checks = [
        Check("members_total", None if snapshot.members_total_min is None else counted >= snapshot.members_total_min,
              counted, snapshot.members_total_min, cite("members_total_min")),
        Check("members_per_unit", None if snapshot.members_per_unit_min is None else all(u.met for u in units),
              units_met, len(units), cite("members_per_unit_min"),
              f"{units_met} of {len(units)} units have the minimum"),
    ]
    if snapshot.members_units_min is not None:
        covered = sum(1 for u in units if u.counted > 0 and u.met)
        checks.append(Check("units_covered", covered >= snapshot.members_units_min, covered,
                            snapshot.members_units_min, cite("members_units_min")))
    checks += [
        Check("initiative_group", None if group.required is None else group.size >= group.required,
              group.size, group.required, group.citations["initiative_group_min"]),
        Check("initiative_group_units",
              None if group.units_required is None else group.units_covered >= group.units_required,
              group.units_covered, group.units_required, group.citations["initiative_group_units_min"]),
        Check("committee", None if group.committee_required is None else group.committee_met,
              group.committee_size, group.committee_required, group.citations["committee_min"],
              f"{group.committee_outside_group} committee member(s) not in the initiative group"
              if group.committee_outside_group else ""),
    ]
    held = campaign.congress_held_on is not None
    needed = group.required
    checks.append(Check("congress_attendance",
                        (group.congress_attended >= needed if needed is not None else None) if held else None,
                        group.congress_attended, needed, group.citations["initiative_group_min"],
                        "initiative-group members checked in, in person" if held
                        else "judged once the congress date is recorded"))
    return checks


def assess_readiness(source, rules, *, as_of: date, safety_factor: float | None = None,
                     require_consent: bool | None = None, on_progress: ProgressCallback | None = None,
                     cancel: threading.Event | None = None) -> Readiness:
    """Assess the ledger on ``as_of`` against the rules in force on that date (``RuleDateError`` before them).

    ``source`` is a ``Session`` or a bare DB-API connection: every read is plain SQL (``ledger/reads.py``).
    """
    snapshot = rules.at(as_of)
    conn = dbapi_of(source)
    campaign = campaign_facts(conn)
    factor = float(campaign.safety_factor if safety_factor is None else safety_factor)
    consent = bool(campaign.require_consent if require_consent is None else require_consent)
    p = _params(snapshot, as_of, consent)
    counts = count_members(conn, rules, p, score_min=DUPLICATE_SCORE_MIN, recent_days=RECENT_DAYS,
                           on_progress=on_progress, cancel=cancel)
    check_cancel(cancel)
    counted = sum(counts.by_unit.values())
    units = _unit_lines(snapshot, counts, factor, as_of)
    group = _initiative_group(conn, rules, snapshot, as_of)
    total_target = safe_target(snapshot.members_total_min, factor)
    short = sorted((u for u in units if u.needed_for_margin > 0), key=lambda u: (-u.needed_for_margin, u.code))
    # bottleneck: a unit that never gets there at its current rate, then the one that gets there last
    slowest = sorted(short, key=lambda u: (u.reaches_safe_on is not None,
                                           -(u.reaches_safe_on or as_of).toordinal(), -u.needed_for_margin))
    bottlenecks = [u.code for u in slowest[:3]]
    rate = counts.recent_total / RECENT_DAYS
    citations = {v.rule_id or v.name: Citation.of(v) for v in snapshot.cited_values()}
    return Readiness(
        as_of=as_of, jurisdiction=snapshot.jurisdiction, party_name=campaign.party_name,
        rule_effective_from=snapshot.effective_from, rule_reference=snapshot.reference,
        rule_confidence=snapshot.confidence, members_in_ledger=counts.members_in_ledger,
        members_counted=counted, members_required=snapshot.members_total_min, units=units,
        excluded=dict(sorted(Counter(counts.excluded).items(), key=lambda kv: q.ORDER.index(kv[0]))),
        duplicate_pairs=counts.duplicate_pairs, initiative_group=group,
        deadlines=deadlines(campaign, snapshot, as_of),
        margin=Margin(factor, total_target, max(0, (total_target or 0) - counted), short, bottlenecks),
        projection=Projection(RECENT_DAYS, counts.recent_total, rate,
                              reach_date(as_of, counted, snapshot.members_total_min, rate),
                              reach_date(as_of, counted, total_target, rate)),
        checks=_checks(snapshot, counted, units, group, campaign), citations=citations,
        uncertain=[Citation.of(v) for v in snapshot.uncertain()],
        assumptions=_assumptions(consent, factor), require_consent=consent)


def _assumptions(consent: bool, factor: float) -> list[str]:
    return [
        f"Safety factor {factor:g}: the ministry rejects names, so each minimum is multiplied by it to be safe.",
        "A member counts from the day they joined until the day their withdrawal, death or exclusion takes "
        "effect; a status change with no date is taken as already in effect.",
        "Declarations that were not stated (blank) do not exclude a member; an explicit 'no' does.",
        ("Members without a signed application on record are excluded (the campaign requires consent)."
         if consent else "Consent evidence is not required by this campaign; members without it still count."),
        "Of two records that are probably one person (an open duplicate pair), the newer one is not counted.",
        f"Projection: sign-ups in the last {RECENT_DAYS} days, continued at the same daily rate.",
    ]
