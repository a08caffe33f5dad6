"""The values a readiness assessment produces: plain dataclasses, no rendering, no I/O.

Every verdict carries the ``Citation`` of the rule value it was measured against (rule id, value,
effective date, legal reference, confidence of the value AND of the version date it is keyed by), so
each renderer can show where a number comes from and keep the [P]/[U] confidence of the research
visible. ``Readiness.blockers`` is what stands between the ledger and filing, in the order it must be
done; the verdict is READY only when that list is empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Citation:
    """Where a required value comes from; ``confidence`` is C, P or U as in the research."""

    rule_id: str
    value: Any
    effective_from: date | None
    reference: str
    confidence: str
    note: str = ""
    date_confidence: str = "C"  # the tag of the version date (an assumed entry-into-force day is U)
    strict: bool = False        # "more than" the value

    @classmethod
    def of(cls, rule_value: Any) -> "Citation":
        """From a ``rules.RuleValue``."""
        return cls(rule_value.rule_id or rule_value.name, rule_value.value, rule_value.effective_from,
                   rule_value.reference, rule_value.confidence, rule_value.note,
                   getattr(rule_value, "date_confidence", "C"), getattr(rule_value, "strict", False))

    @property
    def tag(self) -> str:
        return f"[{self.confidence}]"

    @property
    def worst(self) -> str:
        """The weaker of the value's tag and its date's tag: what a verdict resting on it inherits."""
        return worst(self.confidence, self.date_confidence)


def worst(*tags: str) -> str:
    """The least certain of C, P, U tags (C when none)."""
    return max(tags, key="CPU".index, default="C")


@dataclass
class UnitLine:
    """One territorial unit in force on the date: counted members against the minimum and the margin."""

    code: str
    name: str
    counted: int
    required: int | None
    safe_target: int | None
    recent_joins: int = 0
    reaches_min_on: date | None = None
    reaches_safe_on: date | None = None
    strict: bool = False  # the law says "more than" the per-unit minimum
    maybe_moved: int = 0                   # counted here, but the region was split and no town says which side
    maybe_moved_to: tuple[str, ...] = ()   # names of the units split off from this one
    confidence: str = "C"                  # weakest tag of the unit facts the placements used (2018: [P])

    @property
    def tag(self) -> str:
        return "" if self.confidence == "C" else f"[{self.confidence}]"

    @property
    def moved_note(self) -> str:
        """"12 may now live in Abai Region", or "" when no member here is flagged."""
        if not self.maybe_moved:
            return ""
        return f"{self.maybe_moved} may now live in {' or '.join(self.maybe_moved_to) or 'another unit'}"

    @property
    def met(self) -> bool:
        return self.short_by == 0

    @property
    def short_by(self) -> int:
        if self.required is None:
            return 0
        return max(0, self.required + (1 if self.strict else 0) - self.counted)

    @property
    def needed_for_margin(self) -> int:
        return 0 if self.safe_target is None else max(0, self.safe_target - self.counted)


@dataclass
class Check:
    """One condition of readiness. ``met`` is None when it cannot be judged yet (unknown rule, not due)."""

    name: str
    met: bool | None
    actual: int | None
    required: int | None
    citation: Citation | None
    note: str = ""
    on_open_day: bool = False  # the date is inside a window the research leaves open: the date's tag counts

    @property
    def confidence(self) -> str:
        """The tag the verdict of this check rests on: the value's, and its version date's on an open day."""
        if self.citation is None:
            return "C"
        return self.citation.worst if self.on_open_day else self.citation.confidence


@dataclass
class Deadline:
    """A legal clock started by a campaign date; ``due`` is None until the starting date is recorded.

    ``met`` False means the clock lapsed (``lapsed`` says what that means in words); ``counts`` is False for
    a clock partyledger cannot close (branches), which is shown but never blocks the verdict.
    """

    name: str
    due: date | None
    days_left: int | None
    met: bool | None
    starts_from: str
    assumption: str
    citation: Citation | None
    started_on: date | None = None
    law_from: date | None = None     # the version in force on the start day, whose period applies
    transitional: bool = False       # a later version sets another period: the transitional assumption matters
    depends_on_day: str = ""         # the start day is inside a window the research leaves open
    lapsed: str = ""
    counts: bool = True

    @property
    def confidence(self) -> str:
        tags = [self.citation.confidence if self.citation is not None else "U"]
        if self.transitional or self.depends_on_day:
            tags.append("U")
        return worst(*tags)


@dataclass
class InitiativeGroup:
    """The initiative group, the organising committee and the founding congress on the date.

    ``size``, ``committee_size``, ``congress_attended`` and the unit counts are people who COUNT: the
    members' eligibility test (``ledger/cleaning/eligibility``) applied to each role holder. ``*_listed`` is
    everybody holding the role on the date; ``*_ineligible`` gives those who do not count by primary
    reason, so "739 listed, 679 count, 60 do not: 25 not citizens, ..." can be said.
    """

    size: int
    required: int | None
    units_covered: int
    units_required: int | None
    committee_size: int
    committee_required: int | None
    committee_outside_group: int
    congress_attended: int                 # eligible group members checked in, in person
    congress_units: int                    # units in force covered by those attendees
    citations: dict[str, Citation] = field(default_factory=dict)
    group_listed: int = 0
    group_ineligible: dict[str, int] = field(default_factory=dict)
    committee_listed: int = 0
    committee_ineligible: dict[str, int] = field(default_factory=dict)
    congress_checked_in: int = 0           # group members checked in, eligible or not
    congress_ineligible: dict[str, int] = field(default_factory=dict)
    congress_by_unit: dict[str, int] = field(default_factory=dict)   # unit code -> eligible attendees

    @property
    def met(self) -> bool:
        size_ok = self.required is None or self.size >= self.required
        units_ok = self.units_required is None or self.units_covered >= self.units_required
        return size_ok and units_ok

    @property
    def committee_met(self) -> bool:
        size_ok = self.committee_required is None or self.committee_size >= self.committee_required
        return size_ok and self.committee_outside_group == 0


@dataclass
class Margin:
    safety_factor: float
    members_with_margin: int | None
    members_needed: int
    units_short: list[UnitLine]
    bottlenecks: list[str]


@dataclass
class Projection:
    window_days: int
    recent_joins: int
    rate_per_day: float
    reaches_min_on: date | None
    reaches_safe_on: date | None


@dataclass(frozen=True)
class Blocker:
    """One thing that stops filing, in an organizer's words: ``template`` filled with ``numbers`` is
    ``words``; ``code`` is the check or deadline it comes from; ``confidence`` the weakest tag it rests on."""

    code: str
    template: str
    numbers: dict[str, Any]
    confidence: str = "C"

    @property
    def words(self) -> str:
        return self.template.format(**self.numbers)


@dataclass
class Alternative:
    """The answer on the same date under the other law, when the research cannot say which was in force."""

    why: str
    law_from: date
    law_reference: str
    ready: bool
    blockers: list[Blocker]
    members_required: int | None


@dataclass
class Readiness:
    """Everything the report says about one ledger on one date."""

    as_of: date
    jurisdiction: str
    party_name: str
    rule_effective_from: date
    rule_reference: str
    rule_confidence: str
    members_in_ledger: int
    members_counted: int
    members_required: int | None
    units: list[UnitLine]
    excluded: dict[str, int]
    duplicate_pairs: int
    initiative_group: InitiativeGroup
    deadlines: list[Deadline]
    margin: Margin
    projection: Projection
    checks: list[Check]
    citations: dict[str, Citation]
    uncertain: list[Citation]
    assumptions: list[str]
    require_consent: bool
    blockers: list[Blocker] = field(default_factory=list)
    alternative: Alternative | None = None

    @property
    def ready(self) -> bool:
        """Ready to file on ``as_of``: every check met (none pending or unknown) and no clock lapsed."""
        return not self.blockers and bool(self.checks)

    @property
    def depends_on_day(self) -> bool:
        """The two laws the research cannot choose between give different verdicts."""
        return self.alternative is not None and self.alternative.ready != self.ready

    @property
    def members_excluded(self) -> int:
        return sum(self.excluded.values())
