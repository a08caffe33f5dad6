"""Territorial units by date: which units are in force, where a split moved a place, and the result type.

The catalogue (``rules/kz/units.toml`` with its gazetteer ``rules/kz/localities.toml``) lists each unit
with the dates it was in force, its names (a rename such as Astana/Nur-Sultan is a new name on a date,
not a new unit), the aliases people type, the localities (towns, district centres, districts) with the
unit each was in when the catalogue starts and the date a split moved it, and old region names whose
territory is now spread over several units. Nothing here knows a place name: it is all in the data.

This module owns the dated geometry: ``in_force``, ``cover`` (the units that hold territory written as
one code on a date) and ``locality_unit``. Turning typed text into a unit is ``rules/resolve.py``;
``UnitCatalogue.resolve`` and ``unit_on`` are its entry points, cached per distinct folded
(region, locality, era), where an era is the interval between two catalogue changes.

Every fact carries a confidence tag (C, P, U as in the research): a unit's dates (the 2018 split is a
signing date, [P]) and code (South Kazakhstan's 51 is its old KATO prefix, [U]), each change and each
gazetteer entry. A placement that rests on a tagged fact carries the weakest tag it used.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from partyledger.rules.textkey import place_key

_RANK = {"C": 0, "P": 1, "U": 2}


def weakest(*tags: str) -> str:
    """The least certain of some confidence tags ("C" when none is given)."""
    return max(tags, key=lambda t: _RANK.get(t, 0), default="C") or "C"


def locality_key(text: str | None) -> str:
    """Normalised key of a locality (``"г. Семей"``, ``"Семей қаласы"`` -> ``"semei"``).

    Idempotent and cheap; the report may compute it to group members by locality and then call
    ``UnitCatalogue.unit_on`` once per (unit code, locality key) group.
    """
    return place_key(text)


@dataclass(frozen=True)
class Unit:
    """A first-level territorial unit; ``code`` is the ISO 3166-2:KZ numeric code as a string."""

    code: str
    name_en: str
    name_ru: str
    name_kk: str
    kind: str  # "region" or "city"

    @property
    def name(self) -> str:
        return self.name_en


@dataclass(frozen=True)
class UnitResolution:
    """Where typed text puts a member on a date.

    ``status``: ok | missing | unknown | ambiguous | conflict (issue codes ``unit.<status>``).
    ``flag``: "maybe_moved" when the member is counted in ``code`` but the region was split and nothing
    says on which side they live (issue ``unit.maybe_moved``). ``confidence``: the weakest tag of the
    facts the placement rests on. ``candidates``: the unit codes in question when not ok.
    ``locality``: a town read from the region cell itself ("ВКО, г. Семей"), for the caller to keep
    when its locality cell is blank, so that the member is re-placed correctly on later dates.
    """

    code: str | None
    status: str
    note: str = ""
    flag: str = ""
    confidence: str = "C"
    candidates: tuple[str, ...] = ()
    locality: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def tag(self) -> str:
        return "" if self.confidence == "C" else f"[{self.confidence}]"


@dataclass(frozen=True)
class UnitName:
    effective_from: date
    en: str
    ru: str
    kk: str
    reference: str = ""
    confidence: str = "C"


@dataclass
class UnitRecord:
    code: str
    kind: str
    names: list[UnitName]  # sorted by date; the first applies from valid_from
    valid_from: date
    valid_to: date | None  # last day in force, None = still in force
    aliases: list[str] = field(default_factory=list)
    reference: str = ""
    confidence: str = "C"  # of its dates and code (51 [U], the 2018 units [P])
    note: str = ""

    def in_force(self, as_of: date) -> bool:
        return self.valid_from <= as_of and (self.valid_to is None or as_of <= self.valid_to)

    def unit_on(self, as_of: date) -> Unit:
        name = self.names[0]
        for candidate in self.names:
            if candidate.effective_from <= as_of:
                name = candidate
        return Unit(self.code, name.en, name.ru, name.kk, self.kind)


@dataclass(frozen=True)
class Change:
    """A split (``to`` carved out of ``from_code``, which goes on) or a dissolution (``from_code`` ends)."""

    on: date
    kind: str  # split | dissolve
    from_code: str
    to_code: str
    localities: tuple[str, ...]
    reference: str
    confidence: str
    note: str = ""


@dataclass(frozen=True)
class Locality:
    """A town, district centre or district; ``unit`` is its unit when the catalogue starts.

    ``kind`` "village" marks a name that other villages share: it never contradicts a region cell.
    ``moves`` are (date, new unit) pairs from the gazetteer, on top of the [[change]] lists.
    """

    id: str
    unit: str
    names: tuple[str, ...]
    kind: str = "town"  # town | district | village
    confidence: str = "C"
    moves: tuple[tuple[date, str], ...] = ()


@dataclass(frozen=True)
class HistoricalName:
    """An old region name whose territory now lies in the units ``codes`` (and their split-offs)."""

    names: tuple[str, ...]
    codes: tuple[str, ...]
    note: str


class UnitCatalogue:
    """Units in force on each date, and resolution of typed text to a unit code."""

    def __init__(self, start: date, units: list[UnitRecord], changes: list[Change], localities: list[Locality],
                 historical: list[HistoricalName], renames: list[date] | None = None, *,
                 gazetteer_note: str = "") -> None:
        from partyledger.rules.resolve import Resolver

        self.start = start
        self.units = {u.code: u for u in units}
        self.changes = sorted(changes, key=lambda c: c.on)
        self.localities = {loc.id: loc for loc in localities}
        self.historical = historical
        self.gazetteer_note = gazetteer_note
        dates = {start} | {c.on for c in changes} | {u.valid_from for u in units}
        dates |= {u.valid_to.fromordinal(u.valid_to.toordinal() + 1) for u in units if u.valid_to}
        dates |= {n.effective_from for u in units for n in u.names}
        self._eras = sorted(d for d in dates if d >= start)
        self._moves: dict[str, list[tuple[date, str, str]]] = {}
        for ch in self.changes:
            for loc_id in ch.localities:
                self._moves.setdefault(loc_id, []).append((ch.on, ch.to_code, ch.confidence))
        for loc in localities:
            for on, to in loc.moves:
                found = [c for c in self.changes if c.on == on and c.to_code == to]
                self._moves.setdefault(loc.id, []).append((on, to, found[0].confidence if found else "U"))
        for moves in self._moves.values():
            moves.sort()
        self._resolver = Resolver(self)  # raises ValueError when two units answer to one key

    def change_dates(self) -> list[date]:
        return list(self._eras)

    def era(self, as_of: date) -> int:
        return bisect.bisect_right(self._eras, as_of)

    def era_day(self, era: int) -> date:
        return self._eras[era - 1]

    # ----- lookups -------------------------------------------------------------------------------

    def in_force(self, as_of: date) -> list[Unit]:
        """The units in force on ``as_of`` in code order (empty before the catalogue starts)."""
        return list(self._in_force_era(self.era(as_of)))

    @lru_cache(maxsize=64)
    def _in_force_era(self, era: int) -> tuple[Unit, ...]:
        if era == 0:
            return ()
        day = self._eras[era - 1]
        return tuple(u.unit_on(day) for code, u in sorted(self.units.items()) if u.in_force(day))

    def unit(self, code: str, as_of: date) -> Unit | None:
        record = self.units.get(code)
        return record.unit_on(as_of) if record else None

    def unit_confidence(self, code: str) -> str:
        """The tag of a unit's own dates and code ("C" for a unit every source agrees on)."""
        record = self.units.get(code)
        return record.confidence if record else "C"

    def locality_unit(self, loc_id: str, day: date) -> tuple[str, str]:
        """(unit of a locality on ``day``, the tag of the moves that put it there)."""
        unit, tag = self.localities[loc_id].unit, self.localities[loc_id].confidence
        for on, to_code, confidence in self._moves.get(loc_id, ()):
            if on <= day:
                unit, tag = to_code, weakest(tag, confidence)
        return unit, tag

    def cover(self, code: str, day: date) -> tuple[str | None, frozenset[str], str]:
        """(default unit, all units in force on ``day`` that hold territory written as ``code``, tag).

        A unit not yet created is its parent; a dissolved one is its successors (no default when there
        are several); a unit that lost territory to a split covers the split-off units too.
        """
        record = self.units[code]
        tag = record.confidence
        if day < record.valid_from:
            parents = [c for c in self.changes if c.to_code == code]
            if not parents:
                return None, frozenset(), tag
            default, found, inner = self.cover(parents[0].from_code, day)
            return default, found, weakest(tag, inner, parents[0].confidence)
        if record.valid_to is not None and day > record.valid_to:
            found: set[str] = set()
            for c in self.changes:
                if c.from_code == code and c.on <= day:
                    _, more, inner = self.cover(c.to_code, day)
                    found |= more
                    tag = weakest(tag, inner, c.confidence)
            return (next(iter(found)) if len(found) == 1 else None), frozenset(found), tag
        found = {code}
        for c in self.changes:
            if c.from_code == code and c.kind == "split" and c.on <= day:
                found |= self.cover(c.to_code, day)[1]
        return code, frozenset(found), tag

    def name_list(self, codes, day: date) -> str:
        return ", ".join(f"{self.units[c].unit_on(day).name_en} ({c})" for c in sorted(codes))

    # ----- the resolving functions (rules/resolve.py) ---------------------------------------------

    def resolve(self, region_text: str | None, locality: str | None = None, *, as_of: date) -> UnitResolution:
        """The unit in force on ``as_of`` for a region cell (and optional locality cell)."""
        return self._resolver.resolve(region_text, locality, self.era(as_of))

    def unit_on(self, code: str, locality: str | None, as_of: date) -> UnitResolution:
        """Re-place a unit stored for one date on another date (Semey in 63 -> 10 after 8 Jun 2022).

        A stored code was accepted at entry: a locality may move the member to a split-off unit but never
        contradicts the code (no ``conflict``), so a report never drops a member it counted before."""
        return self._resolver.unit_on(code, locality, self.era(as_of))
