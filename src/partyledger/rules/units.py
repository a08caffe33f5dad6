"""Territorial units by date, and the one function that turns typed text into a unit.

The catalogue (``rules/kz/units.toml``) lists each unit with the dates it was in force, its names
(a rename such as Astana/Nur-Sultan is a new name on a date, not a new unit), the aliases people type,
the localities whose unit changed when a region was split, and old region names whose territory is
now spread over several units.  Nothing here knows a place name: it is all in the data file.

Resolving never guesses.  A region that still exists resolves to itself, unless the locality shows
that the member lives in a part that was split off (Semey in "ВКО" after 8 Jun 2022 is Abai, 10).  A
region that no longer exists, or an old name whose territory is now in several units, needs a locality
that settles it; without one the answer is ``ambiguous`` and the report says "unit needs checking".
A unit created after the date asked is placed in the unit it was carved from.

Speed: results depend only on the "era" (the interval between two catalogue changes), so lookups are
cached per (code, locality key, era); ``unit_on`` costs a dict lookup after the first call.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from partyledger.rules.textkey import place_key, strip_markers


def locality_key(text: str | None) -> str:
    """Normalised key of a locality (``"г. Семей"``, ``"Семей қаласы"`` -> ``"семей"``).

    Idempotent and cheap; the report may store or compute it to GROUP BY locality in SQL and then call
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
    code: str | None
    status: str  # ok | missing | unknown | ambiguous  (issue codes unit.missing/unknown/ambiguous)
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"


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
    id: str
    unit: str  # the unit it belonged to when the catalogue starts
    names: tuple[str, ...]


@dataclass(frozen=True)
class HistoricalName:
    """An old region name whose territory now lies in the units ``codes`` (and their split-offs)."""

    names: tuple[str, ...]
    codes: tuple[str, ...]
    note: str


class UnitCatalogue:
    """Units in force on each date, and resolution of typed text to a unit code."""

    def __init__(self, start: date, units: list[UnitRecord], changes: list[Change], localities: list[Locality],
                 historical: list[HistoricalName], renames: list[date] | None = None) -> None:
        self.start = start
        self.units = {u.code: u for u in units}
        self.changes = sorted(changes, key=lambda c: c.on)
        self.localities = {loc.id: loc for loc in localities}
        self.historical = historical
        dates = {start} | {c.on for c in changes} | {u.valid_from for u in units}
        dates |= {u.valid_to.fromordinal(u.valid_to.toordinal() + 1) for u in units if u.valid_to}
        dates |= {n.effective_from for u in units for n in u.names}
        self._eras = sorted(d for d in dates if d >= start)
        self._region_index: dict[str, tuple[str, object]] = {}
        self._locality_index: dict[str, str] = {}
        self._moves: dict[str, list[tuple[date, str]]] = {}
        self._build_indexes()

    # ----- construction --------------------------------------------------------------------------

    def _add(self, index: dict, key: str, target, label: str) -> None:
        if not key:
            raise ValueError(f"{label}: alias is empty after normalisation")
        if key in index and index[key] != target:
            raise ValueError(f"{label}: alias '{key}' already means {index[key]}")
        index[key] = target

    def _build_indexes(self) -> None:
        for u in self.units.values():
            texts = [t for n in u.names for t in (n.en, n.ru, n.kk)] + u.aliases
            for text in texts:
                self._add(self._region_index, place_key(text), ("unit", u.code), f"unit.{u.code}")
        for i, h in enumerate(self.historical):
            for text in h.names:
                self._add(self._region_index, place_key(text), ("historical", i), f"historical.{h.names[0]}")
        for loc in self.localities.values():
            for text in loc.names:
                self._add(self._locality_index, place_key(text), loc.id, f"locality.{loc.id}")
        for ch in self.changes:
            for loc_id in ch.localities:
                self._moves.setdefault(loc_id, []).append((ch.on, ch.to_code))

    def change_dates(self) -> list[date]:
        return list(self._eras)

    def _era(self, as_of: date) -> int:
        return bisect.bisect_right(self._eras, as_of)

    # ----- lookups -------------------------------------------------------------------------------

    def in_force(self, as_of: date) -> list[Unit]:
        """The units in force on ``as_of`` in code order (empty before the catalogue starts)."""
        return list(self._in_force_era(self._era(as_of)))

    @lru_cache(maxsize=64)
    def _in_force_era(self, era: int) -> tuple[Unit, ...]:
        if era == 0:
            return ()
        day = self._eras[era - 1]
        return tuple(u.unit_on(day) for code, u in sorted(self.units.items()) if u.in_force(day))

    def unit(self, code: str, as_of: date) -> Unit | None:
        record = self.units.get(code)
        return record.unit_on(as_of) if record else None

    def _lookup_region(self, key: str):
        if key.endswith(" dist"):  # "Жамбыл ауданы" is a district (in Almaty region), not Zhambyl region
            return self._region_index.get(key)
        base = strip_markers(key)
        for candidate in (key, base):
            if candidate in self._region_index:
                return self._region_index[candidate]
        return None

    def _lookup_locality(self, key: str) -> str | None:
        # Exact only: "Жамбыл ауданы" (a district) must not fall back to "Жамбыл" (old name of Taraz).
        return self._locality_index.get(key)

    def _locality_unit(self, loc_id: str, day: date) -> str:
        unit = self.localities[loc_id].unit
        for on, to_code in self._moves.get(loc_id, ()):
            if on <= day:
                unit = to_code
        return unit

    def _cover(self, code: str, day: date) -> tuple[str | None, frozenset[str]]:
        """(default unit, all units in force on ``day`` that hold territory written as ``code``)."""
        record = self.units[code]
        if day < record.valid_from:
            parents = [c.from_code for c in self.changes if c.to_code == code]
            return self._cover(parents[0], day) if parents else (None, frozenset())
        if record.valid_to is not None and day > record.valid_to:
            found: set[str] = set()
            for c in self.changes:
                if c.from_code == code and c.on <= day:
                    found |= self._cover(c.to_code, day)[1]
            return (next(iter(found)) if len(found) == 1 else None), frozenset(found)
        found = {code}
        for c in self.changes:
            if c.from_code == code and c.kind == "split" and c.on <= day:
                found |= self._cover(c.to_code, day)[1]
        return code, frozenset(found)

    def _name_list(self, codes, day: date) -> str:
        return ", ".join(f"{self.units[c].unit_on(day).name_en} ({c})" for c in sorted(codes))

    # ----- the resolving function ------------------------------------------------------------------

    def resolve(self, region_text: str | None, locality: str | None = None, *, as_of: date) -> UnitResolution:
        """The unit in force on ``as_of`` for a region cell (and optional locality cell)."""
        return self._resolve(place_key(region_text), place_key(locality), self._era(as_of))

    @lru_cache(maxsize=65536)
    def _resolve(self, rk: str, lk: str, era: int) -> UnitResolution:
        if era == 0:
            return UnitResolution(None, "unknown", f"no unit catalogue before {self.start.isoformat()}")
        day = self._eras[era - 1]
        loc_id = self._lookup_locality(lk) if lk else None
        if not rk:
            if loc_id:
                code = self._locality_unit(loc_id, day)
                return UnitResolution(code, "ok", f"unit taken from the locality ({self._name_list([code], day)})")
            if lk:
                return UnitResolution(None, "missing", "no region given and the locality is not in the catalogue")
            return UnitResolution(None, "missing", "no region given")
        hit = self._lookup_region(rk)
        code_typed = rk[3:] if rk.startswith("kz ") else rk  # "75", "KZ-75"
        if hit is None and code_typed in self.units:
            hit = ("unit", code_typed)
        if hit is None:
            town = self._lookup_locality(rk)
            if town:
                code = self._locality_unit(town, day)
                return UnitResolution(code, "ok", f"the region cell names a locality in {self._name_list([code], day)}")
            # "Акмолинская" written without "область": only now, after towns, so "Семей" stays the town
            hit = None if rk.endswith(" dist") else self._region_index.get(strip_markers(rk) + " obl")
        if hit is None:
            return UnitResolution(None, "unknown", "not the name of a territorial unit")
        kind, target = hit
        if kind == "unit":
            default, cover = self._cover(target, day)
            written = target
        else:
            hist = self.historical[target]
            covers = [self._cover(c, day) for c in hist.codes]
            cover = frozenset().union(*(c[1] for c in covers))
            default = next(iter(cover)) if len(cover) == 1 else None
            written = None
        return self._pick(written, default, cover, loc_id, day)

    def _pick(self, written: str | None, default: str | None, cover: frozenset[str], loc_id: str | None,
              day: date) -> UnitResolution:
        if loc_id is not None:
            placed = self._locality_unit(loc_id, day)
            if placed in cover:
                note = "" if placed == default else f"placed by the locality ({self.localities[loc_id].names[0]})"
                return UnitResolution(placed, "ok", note)
        if default is not None:
            note = ""
            if written is not None and default != written:
                note = (f"{self._name_list([written], day)} did not exist on that date; its territory was then in "
                        f"{self._name_list([default], day)}")
            return UnitResolution(default, "ok", note)
        if not cover:
            return UnitResolution(None, "unknown", "this unit has no successor in the catalogue")
        return UnitResolution(None, "ambiguous",
                              f"historical name: now part of {self._name_list(cover, day)}; give the locality")

    def unit_on(self, code: str, locality: str | None, as_of: date) -> UnitResolution:
        """Re-place a unit stored for one date on another date (Semey in 63 -> 10 after 8 Jun 2022)."""
        return self._unit_on(code, place_key(locality), self._era(as_of))

    @lru_cache(maxsize=65536)
    def _unit_on(self, code: str, lk: str, era: int) -> UnitResolution:
        if code not in self.units:
            return UnitResolution(None, "unknown", f"unit code {code} is not in the catalogue")
        if era == 0:
            return UnitResolution(None, "unknown", f"no unit catalogue before {self.start.isoformat()}")
        day = self._eras[era - 1]
        default, cover = self._cover(code, day)
        loc_id = self._lookup_locality(lk) if lk else None
        return self._pick(code, default, cover, loc_id, day)
