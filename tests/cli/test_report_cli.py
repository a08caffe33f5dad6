"""``partyledger report``: exit codes, the stdout/stderr split and the date it uses, as a script sees them."""

from __future__ import annotations

import json
from datetime import date

import pytest

from report.helpers import run_cli


@pytest.fixture(scope="module")
def sample(sample_ledger_per_module):
    return sample_ledger_per_module


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


@pytest.fixture(scope="module")
def complete_but_no_congress(tmp_path_factory):
    """5,000 members (250 in each of the 20 units), a group of 700 over all 20, a committee of 10, all 700
    checked in, a notification filed on 2024-01-10, and no congress date recorded."""
    from report.builder import check_in, give_role, insert_members, member_row
    from report.sample_ledger import PASSPHRASE

    from partyledger.ledger.storage import db
    from partyledger.ledger.members.campaign import update_campaign
    from partyledger.rules import load_rules

    path = tmp_path_factory.mktemp("verdict") / "party.db"
    engine = db.create_ledger(path, PASSPHRASE, party_name="Verdict", fast_kdf=True)
    codes = [u.code for u in load_rules("KZ").at(date(2024, 6, 2)).units]
    with db.session_scope(engine) as s:
        update_campaign(s, notification_filed_on=date(2024, 1, 10))
        ids = insert_members(s, [member_row(born=date(1980, 1, 1), unit=code) for code in codes for _ in range(250)])
        for k, mid in enumerate(ids):
            if k % 250 < 35:
                give_role(s, mid, "initiative_group")
                check_in(s, mid)
            if k < 10:
                give_role(s, mid, "committee")
    engine.dispose()
    return path


def test_no_congress_is_not_ready_exit_3_and_says_why_first(complete_but_no_congress):
    done = run_cli(complete_but_no_congress, "report", "--as-of", "2024-03-01", "--format", "json",
                   "--fail-if-not-ready")
    assert done.returncode == 3, done.stderr
    data = json.loads(done.stdout)
    assert data["ready"] is False and data["members_counted"] == 5000
    assert data["blockers"][0] == {"code": "congress_held", "words": "founding congress: not held (no date recorded)",
                                   "numbers": {}, "confidence": "C"}
    assert "founding congress: not held" in done.stderr
    text = run_cli(complete_but_no_congress, "report", "--as-of", "2024-03-01").stdout
    assert text.index("NOT READY to file") < text.index("1. founding congress: not held") < text.index("Checks")


def test_congress_recorded_in_time_makes_it_ready_exit_0(complete_but_no_congress, tmp_path):
    from report.sample_ledger import copy_ledger

    ledger = copy_ledger(complete_but_no_congress, tmp_path / "copy.db")
    assert run_cli(ledger, "campaign", "set", "--congress-held", "2024-03-01").returncode == 0
    done = run_cli(ledger, "report", "--as-of", "2024-06-02", "--format", "json", "--fail-if-not-ready")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["ready"] is True and data["blockers"] == [] and data["alternative"] is None
