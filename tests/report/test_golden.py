"""Golden files: the text, JSON and HTML report of the fixed sample ledger, through the real command.

The ledger is built fresh in each run (tests/report/sample_ledger.py), so a change in any layer that
alters what an organizer reads shows up as a diff here. After a deliberate change, regenerate with
``PARTYLEDGER_UPDATE_GOLDEN=1 .venv/bin/pytest tests/report/test_golden.py`` and review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from report.helpers import run_cli

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("PARTYLEDGER_UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def sample(sample_ledger_per_module):
    return sample_ledger_per_module


def _compare(name: str, actual: str) -> None:
    path = GOLDEN / name
    if UPDATE or not path.exists():
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"golden file {name} was missing and has been written; review and commit it")
    assert actual == path.read_text(encoding="utf-8"), f"output differs from {path}"


@pytest.mark.parametrize("fmt,name", [("json", "report.json"), ("html", "report.html"), ("text", "report.txt")])
def test_report_matches_golden(sample, fmt, name):
    done = run_cli(sample, "report", "--as-of", "2024-06-01", "--format", fmt)
    assert done.returncode == 0, done.stderr
    _compare(name, done.stdout)


def test_golden_json_says_what_an_organizer_needs(sample):
    """Independent of the golden text: the numbers of the sample ledger worked out by hand."""
    data = json.loads((GOLDEN / "report.json").read_text(encoding="utf-8"))
    assert data["as_of"] == "2024-06-01" and data["jurisdiction"] == "KZ"
    assert data["rule_version"]["effective_from"] == "2022-11-16"
    assert data["ready"] is False
    assert data["members_in_ledger"] == 28
    # 8 Almaty + 6 Astana + 5 East KZ/Abai + formula-name + lower-id twin = 21 count
    assert data["members_counted"] == 21 and data["members_required"] == 5000
    assert data["excluded"] == {"status.withdrawn": 1, "status.deceased": 1, "joined.after_as_of": 1,
                                "age.under_minimum": 1, "declaration.citizen": 1, "duplicate.candidate": 1,
                                "unit.ambiguous": 1}
    units = {u["code"]: u for u in data["units"]}
    assert len(units) == 20
    assert (units["75"]["counted"], units["71"]["counted"], units["10"]["counted"], units["63"]["counted"]) == (10, 6, 4, 1)
    assert units["75"]["required"] == 200 and units["75"]["met"] is False and units["75"]["safe_target"] == 240
    assert data["initiative_group"] | {"committee": None, "congress": None} == {
        "size": 5, "required": 700, "units_covered": 2, "units_required": 14, "met": False,
        "listed": 5, "ineligible": {}, "committee": None, "congress": None}
    assert data["initiative_group"]["committee"]["outside_group"] == 1
    assert data["initiative_group"]["congress"]["attended_in_person"] == 2
    assert data["initiative_group"]["congress"]["by_unit"] == {"71": 1, "75": 1}
    assert data["margin"]["safety_factor"] == 1.2 and data["margin"]["members_with_margin"] == 6000
    assert data["duplicate_pairs"] == 1
    deadlines = {d["name"]: d for d in data["deadlines"]}
    assert deadlines["congress_window"]["due"] == "2024-04-15" and deadlines["congress_window"]["met"] is True
    assert deadlines["documents_deadline"]["due"] == "2024-08-10"
    assert deadlines["documents_deadline"]["days_left"] == 70
    assert "Assumption" in deadlines["congress_window"]["assumption"]
    for check in data["checks"]:
        assert check["rule"]["reference"] and check["rule"]["confidence"] in "CPU"
