"""Kazakh legal scenarios from ``kz_scenarios.toml``: the acceptance snapshots through the real CLI,
and both sides of every change of the law and of the unit catalogue."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from datetime import date, timedelta
from pathlib import Path

import pytest

from partyledger.errors import RuleDateError
from partyledger.rules import load_rules

SCENARIOS = tomllib.loads((Path(__file__).parent / "kz_scenarios.toml").read_text(encoding="utf-8"))
CLI = [str(Path(sys.executable).parent / "partyledger")]


def _check(snap, expected: dict, label: str) -> None:
    unit_codes = [u.code for u in snap.units]
    for key, want in expected.items():
        if key == "units":
            assert len(unit_codes) == want, f"{label}: {len(unit_codes)} units, expected {want}"
        elif key == "units_include":
            assert set(want) <= set(unit_codes), f"{label}: missing units {set(want) - set(unit_codes)}"
        elif key == "units_exclude":
            assert not set(want) & set(unit_codes), f"{label}: units {set(want) & set(unit_codes)} should be gone"
        elif key == "unit_names":
            names = {u.code: u.name_en for u in snap.units}
            assert {c: names.get(c) for c in want} == want, label
        elif key == "barred_include":
            assert set(want) <= set(snap.barred_categories), label
        elif key == "barred_exclude":
            assert not set(want) & set(snap.barred_categories), label
        elif key == "effective_from":
            assert snap.effective_from.isoformat() == want, label
        else:
            got = getattr(snap, key)
            assert (got if got is not None else "unknown") == want, f"{label}: {key} = {got}, expected {want}"


@pytest.mark.parametrize("case", SCENARIOS["snapshot"], ids=lambda c: str(c["as_of"]))
def test_rules_show_json_gives_the_thresholds_in_force(case):
    done = subprocess.run(CLI + ["rules", "show", "--as-of", case["as_of"].isoformat(), "--json"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["as_of"] == case["as_of"].isoformat()
    for key, want in case.items():
        if key == "units":
            assert len(data["units"]) == want
            assert all(set(u) >= {"code", "name"} for u in data["units"])
        elif key != "as_of":
            assert data[key] == want, key


@pytest.mark.parametrize("case", SCENARIOS["boundary"], ids=lambda c: str(c["on"]))
def test_day_before_and_day_of_each_change(case):
    rules = load_rules("KZ")
    _check(rules.at(case["on"] - timedelta(days=1)), case["before"], f"day before {case['on']} ({case['what']})")
    _check(rules.at(case["on"]), case["after"], f"{case['on']} ({case['what']})")


def test_every_change_in_the_rule_files_has_a_scenario():
    rules = load_rules("KZ")
    covered = {c["on"] for c in SCENARIOS["boundary"]}
    changes = [d for d in rules.change_dates() if d != rules.first_date]
    assert changes, "the rule files should hold changes"
    assert set(changes) <= covered, f"changes without a scenario: {sorted(set(changes) - covered)}"


def test_no_rules_before_the_first_law():
    rules = load_rules("KZ")
    assert rules.at(date(1996, 7, 2)).members_total_min == 3000
    with pytest.raises(RuleDateError, match="1996-07-01"):
        rules.at(date(1996, 7, 1))
