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
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Union

from partyledger.ledger.cleaning import eligibility as el
from partyledger.ledger.dedupe.thresholds import HIGH_CONFIDENCE
from partyledger.ledger.enums import RoleKind
from partyledger.ledger.members.reads import attendance, campaign_facts, dbapi_of, role_holders
from partyledger.progress import ProgressCallback, check_cancel
from partyledger.report.counting import count_members, place
from partyledger.report.deadlines import TRANSITIONAL, deadlines, starts_in_open_window
from partyledger.report.model import (Alternative, Citation, InitiativeGroup, Margin, Projection, Readiness,
                                      UnitLine)
from partyledger.report.verdict import blockers, checks, congress_law

if TYPE_CHECKING:
    from sqlalchemy.orm import Session
    from sqlcipher3.dbapi2 import Connection

    from partyledger.ledger.members.reads import CampaignFacts, RoleHolder
    from partyledger.report.counting import Counts
    from partyledger.rules.model import RuleSet, RuleSnapshot

    Source = Union[Session, Connection]   # a session (flushed first) or the bare connection (reads.dbapi_of)

RECENT_DAYS = 28


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


def _ineligible(holders: list[RoleHolder]) -> dict[str, int]:
    """Primary reason -> holders who do not count, in the reason order."""
    found = Counter(h.reasons[0] for h in holders if not h.eligible)
    return dict(sorted(found.items(), key=lambda kv: el.rank(kv[0])))


def _initiative_group(conn: Connection, rules: RuleSet, snapshot: RuleSnapshot, p: el.Params,
                      duplicates: frozenset[int] = frozenset()) -> InitiativeGroup:
    """The group, the committee and the congress counted with eligible people only (the members' test).

    A holder who is the newer half of an open duplicate pair whose other half counts is not counted
    twice: ``duplicates`` are the member ids the count already set aside as duplicates.
    """
    as_of = p.as_of
    people = []
    for h in role_holders(conn, as_of=as_of, rules=p):
        if h.eligible and h.member_id in duplicates:
            h = replace(h, reasons=("duplicate.candidate",))
        people.append(h)
    listed = [h for h in people if h.kind is RoleKind.INITIATIVE_GROUP]
    group = [h for h in listed if h.eligible]
    on_committee = [h for h in people if h.kind is RoleKind.COMMITTEE]
    committee = [h for h in on_committee if h.eligible]
    group_ids = {h.member_id for h in group}
    units = {place(rules, h.unit_code, h.locality, as_of)[0] for h in group} - {None}
    seen = attendance(conn, as_of, people)
    congress_by_unit: Counter = Counter()
    for (u, loc), n in seen.by_unit.items():
        code = place(rules, u, loc, as_of)[0]
        if n and code is not None:
            congress_by_unit[code] += n
    cites = {name: Citation.of(snapshot.value_of(name))
             for name in ("initiative_group_min", "initiative_group_units_min", "committee_min")}
    return InitiativeGroup(
        size=len(group), required=snapshot.initiative_group_min, units_covered=len(units),
        units_required=snapshot.initiative_group_units_min, committee_size=len(committee),
        committee_required=snapshot.committee_min,
        committee_outside_group=sum(1 for h in committee if h.member_id not in group_ids),
        congress_attended=seen.attended, congress_units=len(congress_by_unit), citations=cites,
        group_listed=len(listed), group_ineligible=_ineligible(listed), committee_listed=len(on_committee),
        committee_ineligible=_ineligible(on_committee), congress_checked_in=seen.checked_in,
        congress_ineligible=dict(sorted(seen.ineligible.items(), key=lambda kv: el.rank(kv[0]))),
        congress_by_unit=dict(sorted(congress_by_unit.items())))


def _unit_lines(snapshot: RuleSnapshot, counts: Counts, factor: float, as_of: date) -> list[UnitLine]:
    required = snapshot.members_per_unit_min
    strict = snapshot.value_of("members_per_unit_min").strict
    target = safe_target(required, factor)
    codes = [u.code for u in snapshot.units] or sorted(counts.by_unit)
    names = {u.code: u.name for u in snapshot.units} | {"": "(no unit)"}
    lines = []
    for code in codes:
        n = counts.by_unit.get(code, 0)
        recent = counts.recent_by_unit.get(code, 0)
        rate = recent / RECENT_DAYS
        lines.append(UnitLine(code, names.get(code, code), n, required, target, recent,
                              reach_date(as_of, n, required, rate), reach_date(as_of, n, target, rate), strict,
                              maybe_moved=counts.maybe_moved.get(code, 0),
                              maybe_moved_to=tuple(names.get(c, c) for c in counts.moved_to.get(code, ())),
                              confidence=counts.confidence.get(code, "C")))
    return lines


def assess_readiness(source: Source, rules: RuleSet, *, as_of: date, safety_factor: float | None = None,
                     require_consent: bool | None = None, on_progress: ProgressCallback | None = None,
                     cancel: threading.Event | None = None) -> Readiness:
    """Assess the ledger on ``as_of`` against the rules in force on that date (``RuleDateError`` before them).

    ``source`` is a ``Session`` or a bare DB-API connection: every read is plain SQL (``ledger/members/reads.py``).
    On a date (or with a clock started on a date) that the research cannot place before or after a change
    of the law, ``alternative`` holds the verdict under the other law.
    """
    snapshot = rules.at(as_of)
    conn = dbapi_of(source)
    campaign = campaign_facts(conn)
    factor = float(campaign.safety_factor if safety_factor is None else safety_factor)
    consent = bool(campaign.require_consent if require_consent is None else require_consent)
    result, counts = _assess(conn, rules, snapshot, campaign, as_of, factor, consent, None, on_progress, cancel)
    other = rules.alternative(as_of)
    if other is not None or starts_in_open_window(campaign, rules):
        other = other or snapshot
        # the same members count unless who-may-be-a-member changed between the two laws
        reuse = counts if el.Params.of(other, as_of, consent) == el.Params.of(snapshot, as_of, consent) else None
        alt, _ = _assess(conn, rules, other, campaign, as_of, factor, consent, reuse, None, cancel, alternative=True)
        version = rules.open_window(as_of) or next(v for v in rules.versions if v.earliest is not None and any(
            d.started_on and v.open_on(d.started_on) for d in result.deadlines))
        result.alternative = Alternative(
            why=(f"The law of {version.effective_from.isoformat()} [{version.confidence}] took effect on a day the "
                 f"research places only between {version.earliest.isoformat()} and {version.latest.isoformat()}"
                 + ("; the answer depends on the exact day." if alt.ready != result.ready
                    else "; under either law the verdict is the same.")),
            law_from=alt.rule_effective_from, law_reference=alt.rule_reference, ready=alt.ready,
            blockers=alt.blockers, members_required=alt.members_required)
    return result


def _assess(conn: Connection, rules: RuleSet, snapshot: RuleSnapshot, campaign: CampaignFacts, as_of: date,
            factor: float, consent: bool, counts: Counts | None, on_progress: ProgressCallback | None,
            cancel: threading.Event | None, *, alternative: bool = False) -> tuple[Readiness, Counts]:
    """One assessment under ``snapshot`` (``counts``: the member counts when already made); -> (result, counts)."""
    p = el.Params.of(snapshot, as_of, consent)
    if counts is None:
        counts = count_members(conn, rules, p, score_min=HIGH_CONFIDENCE,
                               recent_days=RECENT_DAYS, on_progress=on_progress, cancel=cancel)
    check_cancel(cancel)
    counted = sum(counts.by_unit.values())
    units = _unit_lines(snapshot, counts, factor, as_of)
    group = _initiative_group(conn, rules, snapshot, p, frozenset(counts.duplicate_ids))
    total_target = safe_target(snapshot.members_total_min, factor)
    short = sorted((u for u in units if u.needed_for_margin > 0), key=lambda u: (-u.needed_for_margin, u.code))
    # bottleneck: a unit that never gets there at its current rate, then the one that gets there last
    slowest = sorted(short, key=lambda u: (u.reaches_safe_on is not None,
                                           -(u.reaches_safe_on or as_of).toordinal(), -u.needed_for_margin))
    bottlenecks = [u.code for u in slowest[:3]]
    rate = counts.recent_total / RECENT_DAYS
    citations = {v.rule_id or v.name: Citation.of(v) for v in snapshot.cited_values()}
    clocks = deadlines(campaign, rules, as_of, alternative=alternative)
    check_list = checks(snapshot, congress_law(rules, snapshot, campaign, as_of), counted, units, group,
                        campaign, as_of)
    return Readiness(
        as_of=as_of, jurisdiction=snapshot.jurisdiction, party_name=campaign.party_name,
        rule_effective_from=snapshot.effective_from, rule_reference=snapshot.reference,
        rule_confidence=snapshot.confidence, members_in_ledger=counts.members_in_ledger,
        members_counted=counted, members_required=snapshot.members_total_min, units=units,
        excluded=dict(sorted(Counter(counts.excluded).items(), key=lambda kv: el.rank(kv[0]))),
        duplicate_pairs=counts.duplicate_pairs, initiative_group=group, deadlines=clocks,
        margin=Margin(factor, total_target, max(0, (total_target or 0) - counted), short, bottlenecks),
        projection=Projection(RECENT_DAYS, counts.recent_total, rate,
                              reach_date(as_of, counted, snapshot.members_total_min, rate),
                              reach_date(as_of, counted, total_target, rate)),
        checks=check_list, citations=citations,
        uncertain=[Citation.of(v) for v in snapshot.uncertain()],
        assumptions=_assumptions(consent, factor), require_consent=consent,
        blockers=blockers(check_list, clocks, units, group, campaign, as_of)), counts


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
        TRANSITIONAL,
    ]
