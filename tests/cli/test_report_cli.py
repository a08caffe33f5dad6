"""``partyledger report``: exit codes, the stdout/stderr split and the date it uses, as a script sees them."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1]))

from report.helpers import run_cli  # noqa: E402
from report.sample_ledger import build_sample_ledger  # noqa: E402


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return build_sample_ledger(tmp_path_factory.mktemp("cli") / "party.db")


def test_json_on_stdout_only_and_not_ready_is_exit_0(sample):
    done = run_cli(sample, "report", "--as-of", "2024-06-01", "--format", "json")
    assert done.returncode == 0
    data = json.loads(done.stdout)                     # nothing but the JSON on stdout
    assert data["ready"] is False and data["members_counted"] == 21
    for key in ("as_of", "jurisdiction", "rule_version", "members_required", "units", "initiative_group",
                "excluded", "deadlines", "margin"):
        assert key in data


def test_fail_if_not_ready_exits_3(sample):
    done = run_cli(sample, "report", "--as-of", "2024-06-01", "--format", "json", "--fail-if-not-ready")
    assert done.returncode == 3
    assert json.loads(done.stdout)["ready"] is False   # the report is still printed
    assert "not ready" in done.stderr


def test_without_as_of_uses_today_and_says_so(sample):
    done = run_cli(sample, "report", "--format", "json")
    assert done.returncode == 0
    assert json.loads(done.stdout)["as_of"] == date.today().isoformat()
    assert f"as of {date.today().isoformat()}" in done.stderr


@pytest.mark.parametrize("args,message", [
    (["--as-of", "01.06.2024"], "YYYY-MM-DD"),
    (["--as-of", "1990-01-01"], "no rules in force"),       # before the 2022 law? no: before any version
    (["--format", "xlsx"], "needs -o"),
    (["--safety-factor", "0.5"], "between 1 and 5"),
])
def test_user_mistakes_are_one_line_exit_2(sample, args, message):
    if args[1] == "1990-01-01":
        args = ["--as-of", "1996-07-01"]                  # the day before the first KZ rule version
    done = run_cli(sample, "report", *args)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert done.stdout == ""


def test_safety_factor_changes_the_margin(sample):
    done = run_cli(sample, "report", "--as-of", "2024-06-01", "--format", "json", "--safety-factor", "1.5")
    margin = json.loads(done.stdout)["margin"]
    assert margin["safety_factor"] == 1.5 and margin["members_with_margin"] == 7500


def test_wrong_passphrase_is_exit_2(sample):
    done = run_cli(sample, "report", "--as-of", "2024-06-01", passphrase="not the passphrase")
    assert done.returncode == 2 and "passphrase" in done.stderr


def test_html_to_file(sample, tmp_path):
    out = tmp_path / "r.html"
    done = run_cli(sample, "report", "--as-of", "2024-06-01", "--format", "html", "-o", str(out))
    assert done.returncode == 0 and done.stdout == "" and f"wrote {out}" in done.stderr
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
