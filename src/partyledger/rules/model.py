"""The shapes of legal rules in memory: values with their citation, snapshots by date, rule sets.

Every threshold lives in a TOML file (``rules/<jurisdiction>/rules.toml``); this module only knows the
*names* of the parameters and their types (``PARAMETERS``), so that the loader can refuse a file with
an unknown key or a wrong type, and so that a snapshot has the same attributes for every jurisdiction.
A value the law does not set, or that the research could not establish, is ``None`` and is reported
by ``RuleSnapshot.uncertain()``: unknown stays visible, it is never replaced by a default.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from partyledger.errors import RuleDateError

if TYPE_CHECKING:
    from partyledger.rules.units import Unit, UnitCatalogue

#: name -> (type, what it means).  Types: int, bool, str, share ("all", "2/3", or a count of units),
#: list (of short category ids).  Adding a parameter here is the only Python change a new kind of
#: legal requirement needs; its values still come from the rule files.
PARAMETERS: dict[str, tuple[str, str]] = {
    "members_total_min": ("int", "minimum number of people on the list (members, or signatures: see list_kind)"),
    "members_per_unit_min": ("int", "minimum in each territorial unit that must be covered (0 = no per-unit minimum)"),
    "members_units_required": ("share", "units that must reach the per-unit minimum (\"none\": no spread rule)"),
    "list_kind": ("str", "what the list holds: members, signatures, supporters or founders"),
    "initiative_group_min": ("int", "minimum size of the citizens' initiative group"),
    "initiative_group_units": ("share", "units the initiative group must represent"),
    "committee_min": ("int", "minimum size of the organising committee"),
    "founding_congress_min": ("int", "minimum number of founders attending or voting at the founding congress"),
    "congress_window_months": ("int", "months to hold the founding congress after the notification is confirmed"),
    "documents_deadline_months": ("int", "months to file registration documents after the founding congress"),
    "notification_valid_months": ("int", "months the confirmed notification (organising committee) stays valid"),
    "branches_deadline_months": ("int", "months to register branches after the party is registered"),
    "application_deadline_days": ("int", "days to apply for registration after the party is formed"),
    "min_age": ("int", "minimum age of a member"),
    "citizens_only": ("bool", "only citizens may be members"),
    "one_party_only": ("bool", "a citizen may belong to one party only"),
}

CONFIDENCE_ORDER = {"C": 0, "P": 1, "U": 2}

#: Shown (as unknown if need be) for every jurisdiction: the figures DESIGN.md section 7 promises.
CORE = frozenset({"members_total_min", "members_per_unit_min", "members_units_required", "min_age",
                  "initiative_group_min", "initiative_group_units", "committee_min"})


@dataclass(frozen=True)
class RuleValue:
    """One legal value as in force on a date, with what a report needs to cite it."""

    name: str
    value: Any
    effective_from: date | None
    reference: str
    confidence: str  # C confirmed, P partly confirmed, U uncertain (research/registration-law.md)
    note: str = ""
    rule_id: str = ""
    strict: bool = False  # the law says "more than": the value itself does not meet it
    date_confidence: str = "C"  # the tag of the version date this value is keyed by (an assumed day is U)

    @property
    def unknown(self) -> bool:
        return self.value is None

    @property
    def uncertain(self) -> bool:
        return self.unknown or self.confidence != "C" or self.date_confidence != "C"

    def reached_by(self, actual: int) -> bool | None:
        """Whether ``actual`` meets this minimum ("at least", or "more than" when ``strict``); None: unknown."""
        if self.value is None:
            return None
        return actual > self.value if self.strict else actual >= self.value


@dataclass(frozen=True)
class BarredCategory:
    """A group of people who may not be party members, with the law that bars them."""

    id: str
    label: str
    effective_from: date
    reference: str
    confidence: str
    note: str = ""


@dataclass(frozen=True)
class Version:
    """An amending act: the date it took effect and its citation.

    ``earliest``/``latest``: the research bounds the real day (in force no earlier than ``earliest``, surely
    by ``latest``) while ``effective_from`` is an assumption inside them; on a day in between the law in
    force is not known, and the report gives the answer under both versions.
    """

    effective_from: date
    reference: str
    confidence: str
    note: str = ""
    earliest: date | None = None
    latest: date | None = None

    def open_on(self, day: date) -> bool:
        """True when ``day`` falls where the research cannot say whether this version was in force yet."""
        return self.earliest is not None and self.latest is not None and self.earliest <= day < self.latest


@dataclass(frozen=True)
class Share:
    """A coverage requirement: all units, a fraction of them, or a fixed count."""

    fraction: Fraction | None = None
    count: int | None = None
    text: str = ""
    strict: bool = False  # "more than half": exactly half is not enough

    def units_needed(self, units_in_force: int) -> int | None:
        if self.count is not None:
            return self.count + 1 if self.strict else self.count
        if self.fraction is None or units_in_force == 0:
            return None  # no catalogue: the number of units cannot be worked out
        exact = self.fraction * units_in_force
        return math.floor(exact) + 1 if self.strict else math.ceil(exact)

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class JurisdictionInfo:
    code: str
    name: str
    law: str
    versions: list[Version]
    confidence: str
    note: str = ""
    has_units: bool = False


@dataclass
class RuleSnapshot:
    """Everything in force in one jurisdiction on one date (``RuleSet.at``)."""

    jurisdiction: str
    as_of: date
    effective_from: date
    reference: str
    confidence: str
    version_note: str
    values: dict[str, RuleValue]
    barred: list[BarredCategory]
    units: list["Unit"] = field(default_factory=list)
    units_note: str = ""
    used: frozenset[str] = frozenset()  # parameters the rule file sets on some date
    version: Version | None = None      # the version whose values these are
    open_version: Version | None = None  # a version the research cannot place before or after as_of

    def value_of(self, name: str) -> RuleValue:
        """The value with its citation; ``barred_categories`` and the ``*_units_min`` counts included."""
        if name == "barred_categories":
            refs = "; ".join(f"{b.label}: {b.reference}" for b in self.barred)
            conf = max((b.confidence for b in self.barred), key=CONFIDENCE_ORDER.__getitem__, default="U")
            first = min((b.effective_from for b in self.barred), default=None)
            return RuleValue(name, [b.id for b in self.barred] if self.barred else None, first, refs, conf, "", name)
        if name in ("members_units_min", "initiative_group_units_min"):
            base = self.values["members_units_required" if name == "members_units_min" else "initiative_group_units"]
            share: Share | None = base.value
            needed = share.units_needed(len(self.units)) if share is not None else None
            note = base.note
            if share is not None and share.strict and needed is not None:
                note = (note + " " if note else "") + f"More than {share.text} of {len(self.units)} units: {needed}."
            if share is not None and needed is None:
                note = (note + " " if note else "") + "The number of units is unknown, so the count cannot be derived."
            return RuleValue(name, needed, base.effective_from, base.reference, base.confidence, note.strip(), name,
                             date_confidence=base.date_confidence)
        if name not in self.values:
            raise KeyError(name)
        return self.values[name]

    def _v(self, name: str) -> Any:
        return self.value_of(name).value

    members_total_min = property(lambda self: self._v("members_total_min"))
    members_per_unit_min = property(lambda self: self._v("members_per_unit_min"))
    members_units_min = property(lambda self: self._v("members_units_min"))
    list_kind = property(lambda self: self._v("list_kind"))
    min_age = property(lambda self: self._v("min_age"))
    initiative_group_min = property(lambda self: self._v("initiative_group_min"))
    initiative_group_units_min = property(lambda self: self._v("initiative_group_units_min"))
    committee_min = property(lambda self: self._v("committee_min"))
    founding_congress_min = property(lambda self: self._v("founding_congress_min"))
    congress_window_months = property(lambda self: self._v("congress_window_months"))
    documents_deadline_months = property(lambda self: self._v("documents_deadline_months"))
    notification_valid_months = property(lambda self: self._v("notification_valid_months"))
    branches_deadline_months = property(lambda self: self._v("branches_deadline_months"))
    application_deadline_days = property(lambda self: self._v("application_deadline_days"))
    citizens_only = property(lambda self: self._v("citizens_only"))
    one_party_only = property(lambda self: self._v("one_party_only"))

    @property
    def barred_categories(self) -> list[str]:
        return [b.id for b in self.barred]

    def cited_values(self) -> list[RuleValue]:
        """The parameters this jurisdiction's file sets (plus the core ones, even when unknown), derived
        unit counts next to their share, in a stable order, for display and JSON."""
        names: list[str] = []
        for name in PARAMETERS:
            if name in CORE or name in self.used:
                names.append(name)
                if name == "members_units_required":
                    names.append("members_units_min")
                elif name == "initiative_group_units":
                    names.append("initiative_group_units_min")
        return [self.value_of(n) for n in names + ["barred_categories"]]

    def uncertain(self) -> list[RuleValue]:
        """Values tagged P or U, and values nobody knows: what a careful organizer must double-check."""
        out = [v for v in self.cited_values() if v.uncertain]
        out += [RuleValue(f"barred_categories.{b.id}", b.label, b.effective_from, b.reference, b.confidence, b.note,
                          f"barred_categories.{b.id}") for b in self.barred if b.confidence != "C"]
        return out


class RuleSet:
    """All dated versions of one jurisdiction's rules; ``at(as_of)`` picks what was in force."""

    def __init__(self, info: JurisdictionInfo, params: dict[str, list[RuleValue]],
                 barred: list[BarredCategory], units: "UnitCatalogue | None") -> None:
        self.info = info
        self.jurisdiction = info.code
        self.versions = sorted(info.versions, key=lambda v: v.effective_from)
        self._version_dates = [v.effective_from for v in self.versions]
        self._params = {name: sorted(vals, key=lambda v: v.effective_from) for name, vals in params.items()}
        self._param_dates = {name: [v.effective_from for v in vals] for name, vals in self._params.items()}
        self.barred = barred
        self.units = units

    @property
    def first_date(self) -> date | None:
        return self._version_dates[0] if self._version_dates else None

    def change_dates(self) -> list[date]:
        """Every date on which something changes: a law version or the unit catalogue."""
        dates = set(self._version_dates)
        if self.units is not None:
            dates |= {d for d in self.units.change_dates() if self.first_date and d > self.first_date}
        return sorted(dates)

    def open_window(self, day: date) -> Version | None:
        """The version whose real first day is unknown and may fall on either side of ``day``."""
        return next((v for v in self.versions if v.open_on(day)), None)

    def alternative(self, as_of: date) -> RuleSnapshot | None:
        """The rules of ``as_of`` had the open version's real day fallen on the other side of it
        (units stay those of ``as_of``); None when the research leaves no doubt about that day."""
        v = self.open_window(as_of)
        if v is None:
            return None
        law_on = v.effective_from if as_of < v.effective_from else v.effective_from - timedelta(days=1)
        return self.at(as_of, law_on=law_on)

    def at(self, as_of: date, *, law_on: date | None = None) -> RuleSnapshot:
        """The rules in force on ``as_of``; a date before the first version is an error, never a default.

        ``law_on``: take the law's values from another day (the units stay those of ``as_of``).
        """
        law_day = as_of if law_on is None else law_on
        if not self.versions:
            raise RuleDateError(f"{self.jurisdiction}: the rule file has no dated versions",
                                self.info.note or "the research found no rules for this jurisdiction")
        i = bisect.bisect_right(self._version_dates, law_day) - 1
        if i < 0:
            raise RuleDateError(f"{self.jurisdiction}: no rules in force on {law_day.isoformat()}",
                                f"the first version in the rule files starts on {self.first_date.isoformat()}")
        version = self.versions[i]
        values: dict[str, RuleValue] = {}
        for name in PARAMETERS:
            entries = self._params.get(name, [])
            j = bisect.bisect_right(self._param_dates.get(name, []), law_day) - 1
            if j < 0:
                note = ("no entry in the rule file for this date" if entries
                        else "not set in this jurisdiction's rule file")
                values[name] = RuleValue(name, None, None, "", "U", note, name)
            else:
                values[name] = entries[j]
        barred = [b for b in self.barred if b.effective_from <= law_day]
        units = self.units.in_force(as_of) if self.units is not None else []
        note = "" if units else ("no territorial-unit catalogue for this date" if self.units is not None
                                 else "no territorial-unit catalogue for this jurisdiction")
        used = frozenset(name for name, entries in self._params.items() if entries)
        return RuleSnapshot(self.jurisdiction, as_of, version.effective_from, version.reference,
                            version.confidence, version.note, values, barred, units, note, used, version,
                            self.open_window(as_of))
