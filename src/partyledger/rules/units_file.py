"""Strict reader for a territorial-unit catalogue file (``rules/kz/units.toml``).

Same contract as the rule loader: any unknown key, bad date, dangling unit code or locality id, or an
alias that would mean two different units, stops the load with ``file: key: problem``.  The alias
clash check matters: two units answering to the same typed text would make resolution depend on file
order.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from partyledger.rules.filecheck import FileCheck
from partyledger.rules.gazetteer_file import parse_gazetteer
from partyledger.rules.units import Change, HistoricalName, Locality, UnitCatalogue, UnitName, UnitRecord

KINDS = ("region", "city")
CHANGE_KINDS = ("split", "dissolve")


def parse_units(path: Path, jurisdiction: str) -> UnitCatalogue:
    check = FileCheck(path)
    data = check.load()
    check.table(data, "", {"catalogue", "unit", "change", "locality", "historical"}, {"catalogue", "unit"})
    meta = check.table(data["catalogue"], "catalogue", {"jurisdiction", "starts", "reference", "confidence", "note",
                                                        "gazetteer"},
                       {"jurisdiction", "starts", "reference", "confidence"})
    if check.text(meta, "jurisdiction", "catalogue").upper() != jurisdiction.upper():
        raise check.fail("catalogue.jurisdiction", f"does not match the rule file's '{jurisdiction}'")
    start = check.day(meta["starts"], "catalogue.starts")
    check.confidence(meta, "catalogue")

    units = [_unit(check, item, i, start) for i, item in enumerate(_array(check, data, "unit"))]
    codes = [u.code for u in units]
    for code in codes:
        if codes.count(code) > 1:
            raise check.fail(f"unit.{code}", "code appears twice")
    known = set(codes)
    localities = _localities(check, data, known)
    changes = _changes(check, data, known, {loc.id for loc in localities})
    historical = _historical(check, data, known)
    note = ""
    if "gazetteer" in meta:
        places, note = parse_gazetteer(path.parent / check.text(meta, "gazetteer", "catalogue"), jurisdiction,
                                       known, changes, {loc.id for loc in localities})
        localities += places
    try:
        return UnitCatalogue(start, units, changes, localities, historical, gazetteer_note=note)
    except ValueError as err:
        raise check.fail(str(err).split(":", 1)[0], str(err).split(":", 1)[1].strip()) from None


def _localities(check, data: dict, known: set[str]) -> list[Locality]:
    out = []
    for i, item in enumerate(_array(check, data, "locality")):
        where = f"locality[{i}]"
        item = check.table(item, where, {"id", "unit", "names"}, {"id", "unit", "names"})
        loc = Locality(check.text(item, "id", where), check.text(item, "unit", where),
                       tuple(check.strings(item["names"], f"{where}.names")))
        if loc.unit not in known:
            raise check.fail(f"locality.{loc.id}.unit", f"unknown unit code '{loc.unit}'")
        out.append(loc)
    return out


def _changes(check, data: dict, known: set[str], loc_ids: set[str]) -> list[Change]:
    out = []
    for i, item in enumerate(_array(check, data, "change")):
        where = f"change[{i}]"
        item = check.table(item, where, {"on", "kind", "from", "to", "localities", "reference", "confidence", "note"},
                           {"on", "kind", "from", "to", "reference", "confidence"})
        kind = check.text(item, "kind", where)
        if kind not in CHANGE_KINDS:
            raise check.fail(f"{where}.kind", f"'{kind}' is not one of {', '.join(CHANGE_KINDS)}")
        moved = tuple(check.strings(item.get("localities", []), f"{where}.localities"))
        for key in ("from", "to"):
            if check.text(item, key, where) not in known:
                raise check.fail(f"{where}.{key}", f"unknown unit code '{item[key]}'")
        for loc_id in moved:
            if loc_id not in loc_ids:
                raise check.fail(f"{where}.localities", f"unknown locality id '{loc_id}'")
        out.append(Change(check.day(item["on"], f"{where}.on"), kind, item["from"], item["to"], moved,
                          check.text(item, "reference", where), check.confidence(item, where),
                          check.text(item, "note", where, "")))
    return out


def _historical(check, data: dict, known: set[str]) -> list[HistoricalName]:
    out = []
    for i, item in enumerate(_array(check, data, "historical")):
        where = f"historical[{i}]"
        item = check.table(item, where, {"names", "units", "note"}, {"names", "units", "note"})
        codes = tuple(check.strings(item["units"], f"{where}.units"))
        for code in codes:
            if code not in known:
                raise check.fail(f"{where}.units", f"unknown unit code '{code}'")
        out.append(HistoricalName(tuple(check.strings(item["names"], f"{where}.names")), codes,
                                  check.text(item, "note", where)))
    return out


def _array(check, data: dict, key: str) -> list:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise check.fail(key, f"expected an array of tables ([[{key}]])")
    return value


def _unit(check, item, i: int, start: date) -> UnitRecord:
    where = f"unit[{i}]"
    item = check.table(item, where, {"code", "kind", "en", "ru", "kk", "valid_from", "valid_to", "aliases", "rename",
                                     "reference", "confidence", "note"},
                       {"code", "kind", "en", "ru", "kk"})
    code = check.text(item, "code", where)
    where = f"unit.{code}"
    kind = check.text(item, "kind", where)
    if kind not in KINDS:
        raise check.fail(f"{where}.kind", f"'{kind}' is not one of {', '.join(KINDS)}")
    valid_from = check.day(item["valid_from"], f"{where}.valid_from") if "valid_from" in item else start
    valid_to = check.day(item["valid_to"], f"{where}.valid_to") if "valid_to" in item else None
    if valid_to is not None and valid_to < valid_from:
        raise check.fail(f"{where}.valid_to", "ends before it starts")
    names = [UnitName(valid_from, check.text(item, "en", where), check.text(item, "ru", where),
                      check.text(item, "kk", where))]
    renames = item.get("rename", [])
    if not isinstance(renames, list):
        raise check.fail(f"{where}.rename", "expected an array of tables ([[unit.rename]])")
    for j, r in enumerate(renames):
        rw = f"{where}.rename[{j}]"
        r = check.table(r, rw, {"effective_from", "en", "ru", "kk", "reference", "confidence"},
                        {"effective_from", "en", "ru", "kk", "reference", "confidence"})
        names.append(UnitName(check.day(r["effective_from"], f"{rw}.effective_from"), check.text(r, "en", rw),
                              check.text(r, "ru", rw), check.text(r, "kk", rw), check.text(r, "reference", rw),
                              check.confidence(r, rw)))
    names.sort(key=lambda n: n.effective_from)
    aliases = check.strings(item.get("aliases", []), f"{where}.aliases")
    confidence = check.confidence(item, where) if "confidence" in item else "C"
    return UnitRecord(code, kind, names, valid_from, valid_to, aliases, check.text(item, "reference", where, ""),
                      confidence, check.text(item, "note", where, ""))
