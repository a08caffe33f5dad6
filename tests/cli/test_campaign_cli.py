"""``partyledger campaign show|set`` and ``roles add|remove|list``: the dates and people the report reads."""

from __future__ import annotations

import json

import pytest

from report.helpers import run_cli
from report.sample_ledger import sample_rows

ROWS = sample_rows()


@pytest.fixture()
def sample(sample_ledger):
    return sample_ledger


def test_set_dates_and_settings_then_the_report_uses_them(sample):
    done = run_cli(sample, "campaign", "set", "--documents-filed", "2024-07-01", "--safety-factor", "1.3",
                   "--require-consent", "--party-name", "Новая партия")
    assert done.returncode == 0, done.stderr
    shown = json.loads(run_cli(sample, "campaign", "show", "--json").stdout)
    assert shown["documents_filed_on"] == "2024-07-01" and shown["safety_factor"] == 1.3
    assert shown["require_consent"] is True and shown["party_name"] == "Новая партия"
    report = json.loads(run_cli(sample, "report", "--as-of", "2024-07-02", "--format", "json").stdout)
    deadlines = {d["name"]: d for d in report["deadlines"]}
    assert deadlines["documents_deadline"]["met"] is True
    assert report["margin"]["safety_factor"] == 1.3 and report["require_consent"] is True


def test_clearing_a_date_and_bad_values(sample):
    assert run_cli(sample, "campaign", "set", "--congress-held", "none").returncode == 0
    assert json.loads(run_cli(sample, "campaign", "show", "--json").stdout)["congress_held_on"] is None
    bad = run_cli(sample, "campaign", "set", "--safety-factor", "9")
    assert bad.returncode == 2 and "between 1.0 and 5.0" in bad.stderr
    bad = run_cli(sample, "campaign", "set", "--registered", "2024/01/01")
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr
    assert run_cli(sample, "campaign", "set").returncode == 2


def test_roles_add_list_remove(sample):
    iin = ROWS[5]["iin"]
    assert run_cli(sample, "roles", "add", iin, "--since", "2024-01-01").returncode == 0
    again = run_cli(sample, "roles", "add", iin)
    assert again.returncode == 2 and "already in the initiative group" in again.stderr
    listed = json.loads(run_cli(sample, "roles", "list", "--kind", "initiative-group", "--json").stdout)
    assert iin in {r["iin"] for r in listed} and len(listed) == 6
    assert run_cli(sample, "roles", "remove", iin, "--on", "2024-05-01").returncode == 0
    listed = json.loads(run_cli(sample, "roles", "list", "--json").stdout)
    assert iin not in {r["iin"] for r in listed if r["kind"] == "initiative_group"}
    # the group on a date before the removal still had them
    report = json.loads(run_cli(sample, "report", "--as-of", "2024-04-15", "--format", "json").stdout)
    assert report["initiative_group"]["size"] == 6
    missing = run_cli(sample, "roles", "add", "000000000000")
    assert missing.returncode == 2


def test_unknown_role_kind_is_exit_2(sample):
    done = run_cli(sample, "roles", "add", ROWS[5]["iin"], "--kind", "treasurer")
    assert done.returncode == 2 and "initiative-group or committee" in done.stderr
