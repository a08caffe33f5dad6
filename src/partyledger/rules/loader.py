"""Read rule files (``<dir>/<jurisdiction>/rules.toml`` and its units file) strictly.

Strict because a typo in a rule file silently changes a legal threshold: an unknown key, a date that
is not a date, a number written as text, a value keyed by a date that is no version of the law, all
stop the load with a ``RuleFileError`` whose message starts with ``file: key``.  The same checks apply
to the shipped files and to a user's own folder (``--rules DIR``).

Where the shipped files are: ``partyledger/_rules`` inside an installed wheel (pyproject force-include),
``rules/`` at the top of a source checkout.  The format is documented in ``rules/README.md``.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any

from partyledger.errors import RuleFileError, UnknownJurisdiction
from partyledger.rules.filecheck import CONFIDENCE, FileCheck
from partyledger.rules.model import (PARAMETERS, BarredCategory, JurisdictionInfo, RuleSet, RuleValue, Share,
                                     Version)
from partyledger.rules.units_file import parse_units

RULES_FILE = "rules.toml"


def shipped_rules_dir() -> Path:
    """The folder of rule files that came with partyledger (wheel or checkout)."""
    package = Path(__file__).resolve().parent.parent
    wheel = package / "_rules"
    if wheel.is_dir():
        return wheel
    checkout = package.parent.parent / "rules"
    if checkout.is_dir():
        return checkout
    raise RuleFileError(f"{wheel}: rules folder missing", "reinstall partyledger; its rule files are not there")


def _typed(check: FileCheck, kind: str, value: Any, where: str) -> Any:
    if kind == "int":
        if type(value) is not int or value < 0:
            raise check.fail(where, "expected a whole number >= 0")
        return value
    if kind == "bool":
        if type(value) is not bool:
            raise check.fail(where, "expected true or false")
        return value
    if kind == "str":
        if not isinstance(value, str):
            raise check.fail(where, "expected text")
        return value
    if kind == "share":
        if type(value) is int and value > 0:
            return Share(count=value, text=f"{value} units")
        if value == "none":
            return Share(count=0, text="none")
        if value == "all":
            return Share(fraction=Fraction(1), text="all")
        if isinstance(value, str) and "/" in value:
            try:
                frac = Fraction(value)
            except (ValueError, ZeroDivisionError):
                frac = None
            if frac is not None and 0 < frac <= 1:
                return Share(fraction=frac, text=value)
        raise check.fail(where, "expected \"all\", \"none\", a fraction such as \"2/3\", or a number of units")
    raise AssertionError(kind)


def _strict(check: FileCheck, kind: str, entry: dict, where: str) -> bool:
    """``strict = true``: the law says "more than" (a minimum or a share the value itself does not meet)."""
    if "strict" not in entry:
        return False
    if type(entry["strict"]) is not bool:
        raise check.fail(f"{where}.strict", "expected true or false")
    if entry["strict"] and kind not in ("int", "share"):
        raise check.fail(f"{where}.strict", "only a number or a share of units can be strict")
    if entry["strict"] and ("value" not in entry or entry["value"] in ("all", "none")):
        raise check.fail(f"{where}.strict", "needs a number or a fraction as its value")
    return entry["strict"]


def _parse_values(check: FileCheck, raw: Any, versions: dict[date, Version]) -> dict[str, list[RuleValue]]:
    raw = check.table(raw, "values", set(PARAMETERS))
    out: dict[str, list[RuleValue]] = {}
    for name, entries in raw.items():
        kind = PARAMETERS[name][0]
        entries = check.table(entries, f"values.{name}", set(entries) if isinstance(entries, dict) else set())
        out[name] = []
        for day_text, entry in entries.items():
            where = f"values.{name}.{day_text}"
            day = check.day(day_text, where)
            if day not in versions:
                raise check.fail(where, "no [[version]] has this effective date")
            entry = check.table(entry, where, {"value", "reference", "confidence", "note", "strict"}, {"confidence"})
            conf = check.confidence(entry, where)
            note = check.text(entry, "note", where, "")
            # A known value without its own reference cites the version's act; an unknown one cites nothing.
            reference = check.text(entry, "reference", where, versions[day].reference if "value" in entry else "")
            strict = _strict(check, kind, entry, where)
            if "value" in entry:
                value = _typed(check, kind, entry["value"], f"{where}.value")
                if strict and kind == "share":
                    value = Share(value.fraction, value.count, f"more than {value.text}", strict=True)
            else:
                if conf != "U" or not note:
                    raise check.fail(where, "an unknown value (no 'value') needs confidence = \"U\" and a note")
                value = None
            out[name].append(RuleValue(name, value, day, reference, conf, note, f"{name}@{day.isoformat()}",
                                       strict=strict and kind == "int", date_confidence=versions[day].confidence))
    return out


def _parse_barred(check: FileCheck, raw: Any) -> list[BarredCategory]:
    if not isinstance(raw, list):
        raise check.fail("barred", "expected an array of tables ([[barred]])")
    out = []
    for i, item in enumerate(raw):
        where = f"barred[{i}]"
        item = check.table(item, where, {"id", "label", "effective_from", "reference", "confidence", "note"},
                           {"id", "label", "effective_from", "reference", "confidence"})
        out.append(BarredCategory(check.text(item, "id", where), check.text(item, "label", where),
                                  check.day(item["effective_from"], f"{where}.effective_from"),
                                  check.text(item, "reference", where), check.confidence(item, where),
                                  check.text(item, "note", where, "")))
    return out


def _window(check: FileCheck, item: dict, day: date, where: str) -> tuple[date | None, date | None]:
    """``earliest``/``latest`` bound an assumed effective date; both or neither, around it."""
    if ("earliest" in item) != ("latest" in item):
        raise check.fail(f"{where}.earliest", "give both earliest and latest, or neither")
    if "earliest" not in item:
        return None, None
    earliest = check.day(item["earliest"], f"{where}.earliest")
    latest = check.day(item["latest"], f"{where}.latest")
    if not earliest <= day <= latest:
        raise check.fail(f"{where}.effective_from", f"{day} is not between earliest {earliest} and latest {latest}")
    if item["confidence"] == "C":
        raise check.fail(f"{where}.confidence", "a date known only within bounds cannot be C")
    return earliest, latest


def parse_rule_file(path: Path, expected_code: str | None = None) -> RuleSet:
    """Parse one ``rules.toml`` (and the units file it names) into a ``RuleSet``."""
    check = FileCheck(path)
    data = check.load()
    check.table(data, "", {"jurisdiction", "version", "values", "barred"}, {"jurisdiction"})
    meta = check.table(data["jurisdiction"], "jurisdiction", {"code", "name", "law", "note", "units", "confidence"},
                       {"code", "name", "law"})
    code = check.text(meta, "code", "jurisdiction")
    if expected_code and code.upper() != expected_code.upper():
        raise check.fail("jurisdiction.code", f"'{code}' does not match its folder '{expected_code}'")
    versions: dict[date, Version] = {}
    raw_versions = data.get("version", [])
    if not isinstance(raw_versions, list):
        raise check.fail("version", "expected an array of tables ([[version]])")
    for i, item in enumerate(raw_versions):
        where = f"version[{i}]"
        item = check.table(item, where, {"effective_from", "reference", "confidence", "note", "earliest", "latest"},
                           {"effective_from", "reference", "confidence"})
        day = check.day(item["effective_from"], f"{where}.effective_from")
        if day in versions:
            raise check.fail(f"{where}.effective_from", f"{day} appears twice")
        earliest, latest = _window(check, item, day, where)
        versions[day] = Version(day, check.text(item, "reference", where), check.confidence(item, where),
                                check.text(item, "note", where, ""), earliest, latest)
    values = _parse_values(check, data.get("values", {}), versions)
    barred = _parse_barred(check, data.get("barred", []))
    units = None
    if "units" in meta:
        units_path = path.parent / check.text(meta, "units", "jurisdiction")
        units = parse_units(units_path, code)
    conf = meta.get("confidence", "P")
    if conf not in CONFIDENCE:
        raise check.fail("jurisdiction.confidence", f"'{conf}' is not one of C, P, U")
    info = JurisdictionInfo(code.upper(), check.text(meta, "name", "jurisdiction"),
                            check.text(meta, "law", "jurisdiction"),
                            sorted(versions.values(), key=lambda v: v.effective_from), conf,
                            check.text(meta, "note", "jurisdiction", ""), units is not None)
    return RuleSet(info, values, barred, units)


def _folder(jurisdiction: str, rules_dir: Path | None) -> tuple[Path, Path]:
    base = Path(rules_dir) if rules_dir is not None else shipped_rules_dir()
    if not base.is_dir():
        raise UnknownJurisdiction(f"{base}: no such rules folder", "give --rules a folder that holds <code>/rules.toml")
    for candidate in (base / jurisdiction.lower(), base / jurisdiction.upper(), base / jurisdiction):
        if (candidate / RULES_FILE).is_file():
            return base, candidate / RULES_FILE
    known = ", ".join(sorted(p.name.upper() for p in base.iterdir() if (p / RULES_FILE).is_file())) or "none"
    raise UnknownJurisdiction(f"no rules for jurisdiction '{jurisdiction}' in {base}", f"known: {known}")


def _stamp(path: Path) -> tuple:
    folder = path.parent
    return tuple(sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in folder.glob("*.toml")))


@lru_cache(maxsize=64)
def _load_cached(path: Path, code: str, stamp: tuple) -> RuleSet:
    return parse_rule_file(path, code)


def load_rules(jurisdiction: str = "KZ", rules_dir: Path | None = None) -> RuleSet:
    """The rule set of a jurisdiction from the shipped files, or from ``rules_dir`` (a user's folder)."""
    _, path = _folder(jurisdiction.strip(), rules_dir)
    return _load_cached(path.resolve(), path.parent.name, _stamp(path))


def list_jurisdictions(rules_dir: Path | None = None) -> list[JurisdictionInfo]:
    """Every jurisdiction in the folder, each loaded with the full checks."""
    base = Path(rules_dir) if rules_dir is not None else shipped_rules_dir()
    if not base.is_dir():
        raise UnknownJurisdiction(f"{base}: no such rules folder", "give --rules a folder that holds <code>/rules.toml")
    folders = sorted(p for p in base.iterdir() if (p / RULES_FILE).is_file())
    return [load_rules(p.name, base).info for p in folders]
