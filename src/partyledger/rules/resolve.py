"""Typed region and locality cells to the unit in force on a date: the one resolving function.

Resolution works on folded words (``textkey``), so every script, alphabet and suffix form of a name
meets one key. For a region cell, in this order:

1. the whole cell is a unit, an old region name or a unit code ("ВКО", "Jetisý oblysy", "KZ-75");
   with "г."/"қ." it is read as a town first ("г. Акмола" is the capital, "Акмола" the region);
2. the whole cell is a town or district of the gazetteer ("Семей" where the region should be);
3. a region and a town in one cell ("ВКО, г. Семей", "Алматинская обл., г. Талдыкорган");
4. one typo in a name of six letters or more, only when exactly one unit is within reach.

Then the locality (from its own cell, or from the region cell) settles where the member lives: a town
moved by a split puts the member in the new unit; a town that the region does not contain is a
``conflict`` with both candidates named, never a silent choice (a name many villages share, kind
"village" in the gazetteer, does not contradict a region). A region that lost territory to a split,
with no town to settle it, counts in the unit that kept the name with the flag ``maybe_moved``. An old
name whose territory is now in several units is ``ambiguous`` without a town. Nothing is guessed.

Results are cached per distinct (folded region, folded locality, era): an import of 100,000 rows
resolves a few hundred distinct spellings.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import NamedTuple

from partyledger.rules.textkey import (COUNTRY_WORDS, compact, fold_words, has_city_word, key_of, letters,
                                       place_key, strip_markers)
from partyledger.rules.units import UnitResolution, weakest

TYPO_MIN_LETTERS = 6
MAX_SPLIT_WORDS = 12
Hit = tuple[str, object]  # ("unit", code) or ("historical", index)


class Town(NamedTuple):
    """Localities of the gazetteer that a folded key names (several when places share the name)."""

    key: str
    ids: tuple[str, ...]


def _typo_targets(index: dict) -> dict[str, str]:
    """Key -> its compact form, for the names long enough to be read through a typo."""
    return {k: compact(k) for k in index if letters(k) >= TYPO_MIN_LETTERS}


class Resolver:
    """The indexes of one catalogue (folded key -> unit, key -> localities) and the cached resolution."""

    def __init__(self, catalogue) -> None:
        self.cat = catalogue
        self.regions: dict[str, Hit] = {}
        self.spelled: dict[str, str] = {}     # key -> a spelling from the file, to say what a typo was read as
        self.places: dict[str, tuple[str, ...]] = {}
        for u in catalogue.units.values():
            for text in [t for n in u.names for t in (n.en, n.ru, n.kk)] + u.aliases:
                self._add_region(place_key(text), ("unit", u.code), f"unit.{u.code}", text)
        for i, h in enumerate(catalogue.historical):
            for text in h.names:
                self._add_region(place_key(text), ("historical", i), f"historical.{h.names[0]}", text)
        for loc in catalogue.localities.values():
            for text in loc.names:
                key = place_key(text)
                if not key:
                    raise ValueError(f"locality.{loc.id}: name '{text}' is empty after normalisation")
                if loc.id not in self.places.get(key, ()):
                    self.places[key] = self.places.get(key, ()) + (loc.id,)
        self._region_keys = _typo_targets(self.regions)
        self._place_keys = _typo_targets(self.places)

    def _add_region(self, key: str, target: Hit, label: str, text: str) -> None:
        if not key:
            raise ValueError(f"{label}: alias is empty after normalisation")
        if key in self.regions and self.regions[key] != target:
            raise ValueError(f"{label}: alias '{text.casefold()}' already means {self._said(self.regions[key])} "
                             f"(both read as '{key}')")
        self.regions[key] = target
        self.spelled.setdefault(key, text)

    def _said(self, hit: Hit) -> str:
        kind, target = hit
        return f"unit {target}" if kind == "unit" else f"the historical name '{self.cat.historical[target].names[0]}'"

    # ----- entry points ---------------------------------------------------------------------------

    def resolve(self, region_text, locality_text, era: int) -> UnitResolution:
        rw = fold_words(str(region_text)) if region_text is not None else ()
        lw = fold_words(str(locality_text)) if locality_text is not None else ()
        return self._resolve(rw, lw, era)

    def unit_on(self, code: str, locality_text, era: int) -> UnitResolution:
        lw = fold_words(str(locality_text)) if locality_text is not None else ()
        return self._unit_on(code, lw, era)

    @lru_cache(maxsize=65536)
    def _unit_on(self, code: str, lw: tuple[str, ...], era: int) -> UnitResolution:
        if code not in self.cat.units:
            return UnitResolution(None, "unknown", f"unit code {code} is not in the catalogue")
        if era == 0:
            return UnitResolution(None, "unknown", f"no unit catalogue before {self.cat.start.isoformat()}")
        day = self.cat.era_day(era)
        # soft: a stored unit was accepted at entry; a locality that contradicts it never drops the member
        return self._pick(("unit", code), self._town(key_of(lw), day)[0] if lw else None, day, soft=True)

    @lru_cache(maxsize=65536)
    def _resolve(self, rw: tuple[str, ...], lw: tuple[str, ...], era: int) -> UnitResolution:
        if era == 0:
            return UnitResolution(None, "unknown", f"no unit catalogue before {self.cat.start.isoformat()}")
        day = self.cat.era_day(era)
        town, typo = self._town(key_of(lw), day) if lw else (None, "")
        if not key_of(rw):
            if town:
                return self._locality_only(key_of(lw), town, day, typo)
            if lw:      # the locality cell may hold the region too ("ВКО, г. Семей")
                found = self._region_cell(lw, None, day)
                if found.status != "unknown":
                    return found
                return UnitResolution(None, "missing", "no region given and the locality is not in the gazetteer"
                                      + self._nearest(key_of(lw), day))
            return UnitResolution(None, "missing", "no region given")
        return self._region_cell(rw, town, day, typo)

    def _locality_only(self, lk: str, town: Town, day: date, typo: str) -> UnitResolution:
        """A locality cell with no region: the town's unit, unless the text is also a region elsewhere
        ("Акмола": Akmola Region, or the capital's name until 1998)."""
        found = self._by_town(town, day, "unit taken from the locality", typo)
        hit = self.regions.get(lk)
        if found.ok and hit is not None:
            units = self._units_of_hit(hit, day) | {found.code}
            if len(units) > 1:
                return UnitResolution(None, "ambiguous", f"'{lk}' names a region and a town: "
                                      f"{self.cat.name_list(units, day)}; give the region",
                                      candidates=tuple(sorted(units)))
        return found

    # ----- lookups --------------------------------------------------------------------------------

    def _region(self, key: str) -> Hit | None:
        if key in self.regions:
            return self.regions[key]
        if key.endswith(" dist"):  # "Жамбыл ауданы" is a district (in Almaty region), not Zhambyl region
            return None
        base = strip_markers(key)
        if base in self.regions:
            return self.regions[base]
        code = base[3:] if base.startswith("kz ") else base        # "75", "KZ-75"
        return ("unit", code) if code in self.cat.units else None

    def _place(self, key: str) -> Town | None:
        return Town(key, self.places[key]) if key in self.places else None

    def _town(self, key: str, day: date) -> tuple[Town | None, str]:
        """(the localities a key names, "" or a note that a typo was read), exact first, then one typo."""
        if key in self.places:
            return Town(key, self.places[key]), ""
        near = self._near(key, self._place_keys)
        units = {self.cat.locality_unit(i, day)[0] for k in near for i in self.places[k]}
        if len(units) == 1:
            town = Town(near[0], tuple(i for k in near for i in self.places[k]))
            return town, f"read as '{self.name_of(town)}' (one letter differs)"
        return None, ""

    @staticmethod
    def _near(key: str, keys: dict[str, str], distance: int = 1) -> list[str]:
        """The keys within ``distance`` edits of ``key`` (counted letter by letter, see ``compact``)."""
        if letters(key) < TYPO_MIN_LETTERS or key.replace(" ", "").isdigit():
            return []
        # imported here: rapidfuzz costs ~50 ms of import, and the dashboard's first numbers (which
        # load the rules while the app starts) place only stored codes and known towns
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        found = process.extract(compact(key), keys, scorer=Levenshtein.distance, score_cutoff=distance,
                                limit=None)
        return [k for _c, _score, k in found]

    # ----- a region cell --------------------------------------------------------------------------

    def _region_cell(self, rw: tuple[str, ...], town: Town | None, day: date, typo: str = "") -> UnitResolution:
        rk = key_of(rw)
        named = self._place(rk)
        if has_city_word(rw) and named:      # "г. Акмола", "Алматы қ.": a town
            return self._by_town(named, day, "the region cell names a town", "", self._canonical(named))
        hit = self._region(rk)
        if hit is not None:
            if town is None and named:      # "Караганда": the region's name and its centre's
                return self._pick(hit, named, day, note=typo, soft=True)
            return self._pick(hit, town, day, note=typo)
        if named:
            return self._by_town(named, day, "the region cell names a locality", "", self._canonical(named))
        if not rk.endswith(" dist") and strip_markers(rk) + " obl" in self.regions:    # "Акмолинская"
            return self._pick(self.regions[strip_markers(rk) + " obl"], town, day, note=typo)
        split = self._split(rw)
        if split is not None:
            hit, found, rest = split
            return self._pick(hit, found or town, day, note=rest, locality=self._canonical(found))
        if all(w in COUNTRY_WORDS for w in rw):
            return UnitResolution(None, "unknown", "names the country, not a region")
        return self._typo(rk, town, day)

    def _typo(self, rk: str, town: Town | None, day: date) -> UnitResolution:
        regions = self._near(rk, self._region_keys)
        places = self._near(rk, self._place_keys)
        targets = {self.regions[k] for k in regions}
        targets |= {("unit", self.cat.locality_unit(i, day)[0]) for k in places for i in self.places[k]}
        units = {c for t in targets for c in ((t[1],) if t[0] == "unit" else self.cat.historical[t[1]].codes)}
        if len(targets) == 1:
            if regions:
                return self._pick(self.regions[regions[0]], town, day, note=f"read as '{self.spelled[regions[0]]}' (one "
                                  "letter differs)")
            named = Town(places[0], self.places[places[0]])
            return self._by_town(named, day, f"read as '{self.name_of(named)}' (one letter differs)", "",
                                 self._canonical(named))
        if len(units) > 1:
            return UnitResolution(None, "unknown", "one letter away from several units: "
                                  f"{self.cat.name_list(units, day)}; write the name out",
                                  candidates=tuple(sorted(units)))
        return UnitResolution(None, "unknown", "not the name of a territorial unit or of a known town"
                              + self._nearest(rk, day))

    def _nearest(self, key: str, day: date) -> str:
        units: set[str] = set()
        for k in self._near(key, self._region_keys, 2):
            units |= self._units_of_hit(self.regions[k], day)
        for k in self._near(key, self._place_keys, 2):
            units |= {self.cat.locality_unit(i, day)[0] for i in self.places[k]}
        return f"; nearest: {self.cat.name_list(units, day)}" if units else ""

    def _units_of_hit(self, hit: Hit, day: date) -> set[str]:
        """The unit a region name counts in on ``day`` (several only when it is ambiguous)."""
        kind, target = hit
        codes = (target,) if kind == "unit" else self.cat.historical[target].codes
        covers = [self.cat.cover(code, day) for code in codes]
        if len(covers) == 1 and covers[0][0] is not None:
            return {covers[0][0]}
        return {c for cover in covers for c in cover[1]}

    def _split(self, rw: tuple[str, ...]):
        """(region hit, locality ids, note) for a cell holding a region and a town, in either order;
        the country's name around them ("РК, ВКО, г. Семей") is passed over."""
        found = self._split_words(rw)
        words = tuple(w for w in rw if w not in COUNTRY_WORDS)
        if found is None and words and words != rw:
            hit = self._region(key_of(words))
            found = (hit, None, "") if hit is not None else self._split_words(words)
        return found

    def _split_words(self, words: tuple[str, ...]):
        if len(words) < 2 or len(words) > MAX_SPLIT_WORDS:
            return None
        for i in range(len(words) - 1, 0, -1):
            for region_part, rest in ((words[:i], words[i:]), (words[i:], words[:i])):
                hit = self._region(key_of(region_part))
                if hit is None or not key_of(rest):
                    continue
                named = self._town_in(rest)
                if named:
                    return hit, named, ""
                if not key_of(tuple(w for w in rest if w not in COUNTRY_WORDS)):
                    return hit, None, ""
                return hit, None, f"the rest of the cell ('{' '.join(rest)}') is not a known locality"
        return None

    def _town_in(self, words: tuple[str, ...]) -> Town | None:
        """The locality named by ``words`` or by the longest run of them ("Урджарский р-н, с. Маканчи")."""
        for size in range(len(words), 0, -1):
            for start in range(0, len(words) - size + 1):
                named = self._place(key_of(words[start:start + size]))
                if named:
                    return named
        return None

    def name_of(self, town: Town) -> str:
        """The gazetteer's spelling of a locality that matches the key ("Талгар", not the first name of
        the entry it is listed under)."""
        for i in town.ids:
            for name in self.cat.localities[i].names:
                if place_key(name) == town.key:
                    return name
        return self.cat.localities[town.ids[0]].names[0]

    def _canonical(self, town: Town | None) -> str | None:
        """The locality to keep for a town read from the region cell (None when the name is ambiguous)."""
        if town is None or len({self.cat.localities[i].unit for i in town.ids}) != 1:
            return None
        return self.name_of(town)

    # ----- placing --------------------------------------------------------------------------------

    def _by_town(self, town: Town, day: date, why: str, typo: str = "",
                 locality: str | None = None) -> UnitResolution:
        placed = {}
        for i in town.ids:
            unit, tag = self.cat.locality_unit(i, day)
            placed[unit] = weakest(placed.get(unit, "C"), tag, self.cat.unit_confidence(unit))
        if len(placed) > 1:
            return UnitResolution(None, "ambiguous", f"a locality of that name is in {self.cat.name_list(placed, day)}"
                                  "; give the region", candidates=tuple(sorted(placed)))
        (code, tag), = placed.items()
        note = f"{why} ({self.cat.name_list([code], day)})" + (f"; {typo}" if typo else "")
        return UnitResolution(code, "ok", note, confidence=tag, locality=locality)

    def _pick(self, hit: Hit, town: Town | None, day: date, note: str = "",
              locality: str | None = None, soft: bool = False) -> UnitResolution:
        """Place a region hit on ``day``, settled by the town when one is given; ``soft``: the town is
        only the region's own name read as a town, so it may settle but never contradict."""
        kind, target = hit
        if kind == "unit":
            default, cover, tag = self.cat.cover(target, day)
            written = target
        else:
            covers = [self.cat.cover(c, day) for c in self.cat.historical[target].codes]
            cover = frozenset().union(*(c[1] for c in covers))
            default = next(iter(cover)) if len(cover) == 1 else None
            tag = weakest(*(c[2] for c in covers))
            written = None
        notes = [note] if note else []
        if town is not None:
            placed = {self.cat.locality_unit(i, day) for i in town.ids}
            inside = {u: t for u, t in placed if u in cover}
            if len(inside) == 1 or (default in inside):
                code = default if default in inside else next(iter(inside))
                if code != default:
                    notes.append(f"placed by the locality ({self.name_of(town)})")
                return UnitResolution(code, "ok", "; ".join(notes), confidence=weakest(tag, inside[code],
                                      self.cat.unit_confidence(code)), locality=locality)
            if not inside and not soft and any(self.cat.localities[i].kind != "village" for i in town.ids):
                return self._conflict(default, cover, {u for u, _ in placed}, town, day)
        if default is not None:
            if written is not None and default != written:
                notes.append(f"{self.cat.name_list([written], day)} did not exist on that date; its territory was "
                             f"then in {self.cat.name_list([default], day)}")
            flag = ""
            if len(cover) > 1:
                flag = "maybe_moved"
                notes.append(f"counted in {self.cat.name_list([default], day)}; the member may now live in "
                             f"{self.cat.name_list(cover - {default}, day)}: give the locality (town or district) to be sure")
            return UnitResolution(default, "ok", "; ".join(notes), flag=flag,
                                  confidence=weakest(tag, self.cat.unit_confidence(default)),
                                  candidates=tuple(sorted(cover)) if flag else (), locality=locality)
        if not cover:
            return UnitResolution(None, "unknown", "this unit has no successor in the catalogue")
        return UnitResolution(None, "ambiguous", f"now part of {self.cat.name_list(cover, day)}; give the locality (town or district)",
                              confidence=tag, candidates=tuple(sorted(cover)))

    def _conflict(self, default, cover, town_units: set[str], town: Town, day: date) -> UnitResolution:
        region_units = {default} if default is not None else set(cover)
        name = self.name_of(town)
        return UnitResolution(None, "conflict",
                              f"the region says {self.cat.name_list(region_units, day)} but {name} is in "
                              f"{self.cat.name_list(town_units, day)}; correct one of the two",
                              candidates=tuple(sorted(region_units | town_units)))
