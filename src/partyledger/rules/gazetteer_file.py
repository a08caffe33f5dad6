"""Strict reader for a gazetteer of towns, district centres and districts (``rules/kz/localities.toml``).

The gazetteer places a member whose sheet names a town but not the region (or names the town where the
region should be), and settles which side of a split a member lives on. Each place gives the unit it
was in when the catalogue starts and, for a place a split moved, the date and the new unit; the reader
checks that a ``[[change]]`` of the unit catalogue moved territory that way on that date, so the two
files cannot disagree. Same contract as the other readers: any unknown key, bad date or unknown unit
stops the load with ``file: key: problem``.
"""

from __future__ import annotations

from pathlib import Path

from partyledger.rules.filecheck import FileCheck
from partyledger.rules.units import Change, Locality

PLACE_KINDS = ("town", "district", "village")


def parse_gazetteer(path: Path, jurisdiction: str, known: set[str], changes: list[Change],
                    taken: set[str]) -> tuple[list[Locality], str]:
    """(places, the gazetteer's source note) from ``path``; ``taken`` are ids already used."""
    check = FileCheck(path)
    data = check.load()
    check.table(data, "", {"gazetteer", "place"}, {"gazetteer", "place"})
    meta = check.table(data["gazetteer"], "gazetteer", {"jurisdiction", "source", "reference", "confidence", "note"},
                       {"jurisdiction", "source", "reference", "confidence"})
    if check.text(meta, "jurisdiction", "gazetteer").upper() != jurisdiction.upper():
        raise check.fail("gazetteer.jurisdiction", f"does not match the rule file's '{jurisdiction}'")
    check.confidence(meta, "gazetteer")     # of the list as a whole (its completeness), shown with it
    items = data["place"]
    if not isinstance(items, list):
        raise check.fail("place", "expected an array of tables ([[place]])")
    out = []
    seen = set(taken)
    for i, item in enumerate(items):
        place = _place(check, item, f"place[{i}]", known, changes)
        if place.id in seen:
            raise check.fail(f"place.{place.id}", "id appears twice")
        seen.add(place.id)
        out.append(place)
    return out, f"{check.text(meta, 'source', 'gazetteer')} [{meta['confidence']}]"


def _place(check: FileCheck, item, where: str, known: set[str], changes: list[Change]) -> Locality:
    item = check.table(item, where, {"id", "unit", "kind", "names", "moved", "confidence", "note"},
                       {"id", "unit", "names"})
    pid = check.text(item, "id", where)
    where = f"place.{pid}"
    unit = check.text(item, "unit", where)
    if unit not in known:
        raise check.fail(f"{where}.unit", f"unknown unit code '{unit}'")
    kind = check.text(item, "kind", where, "town")
    if kind not in PLACE_KINDS:
        raise check.fail(f"{where}.kind", f"'{kind}' is not one of {', '.join(PLACE_KINDS)}")
    moves = []
    moved = item.get("moved", [])
    for j, m in enumerate(moved if isinstance(moved, list) else [moved]):
        mw = f"{where}.moved[{j}]"
        m = check.table(m, mw, {"on", "to"}, {"on", "to"})
        on, to = check.day(m["on"], f"{mw}.on"), check.text(m, "to", mw)
        frm = moves[-1][1] if moves else unit
        if not any(c.on == on and c.from_code == frm and c.to_code == to for c in changes):
            raise check.fail(mw, f"no [[change]] moved territory from {frm} to {to} on {on.isoformat()}")
        moves.append((on, to))
    confidence = check.confidence(item, where) if "confidence" in item else "C"
    return Locality(pid, unit, tuple(check.strings(item["names"], f"{where}.names")), kind, confidence, tuple(moves))
