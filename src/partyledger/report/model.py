"""The values a readiness assessment produces: plain dataclasses, no rendering, no I/O.

Every verdict carries the ``Citation`` of the rule value it was measured against (rule id, value,
effective date, legal reference, confidence), so each renderer can show where a number comes from
and keep the [P]/[U] confidence of the research visible.
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

    @classmethod
    def of(cls, rule_value: Any) -> "Citation":
        """From a ``rules.RuleValue``."""
        return cls(rule_value.rule_id or rule_value.name, rule_value.value, rule_value.effective_from,
                   rule_value.reference, rule_value.confidence, rule_value.note)

    @property
    def tag(self) -> str:
        return f"[{self.confidence}]"


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

    @property
    def met(self) -> bool:
        return self.required is None or self.counted >= self.required

    @property
    def short_by(self) -> int:
        return 0 if self.required is None else max(0, self.required - self.counted)

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


@dataclass
class Deadline:
    """A legal clock started by a campaign date; ``due`` is None until the starting date is recorded."""

    name: str
    due: date | None
    days_left: int | None
    met: bool | None
    starts_from: str
    assumption: str
    citation: Citation | None


@dataclass
class InitiativeGroup:
    size: int
    required: int | None
    units_covered: int
    units_required: int | None
    committee_size: int
    committee_required: int | None
    committee_outside_group: int
    congress_attended: int
    congress_units: int
    citations: dict[str, Citation] = field(default_factory=dict)

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

    @property
    def ready(self) -> bool:
        return all(c.met is not False for c in self.checks) and any(c.met for c in self.checks)

    @property
    def members_excluded(self) -> int:
        return sum(self.excluded.values())
