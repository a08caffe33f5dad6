"""``partyledger congress checkin|status``: personal attendance, refusals, and the count per unit."""

from __future__ import annotations

import json

import pytest

from report.helpers import run_cli
from report.sample_ledger import sample_rows

ROWS = sample_rows()
GROUP_NOT_IN = ROWS[1]["iin"]          # in the group, not checked in yet
OUTSIDER = ROWS[5]["iin"]              # a member who is not in the initiative group
CHECKED = ROWS[0]["iin"]               # checked in by the sample ledger


@pytest.fixture()
def sample(sample_ledger):
    return sample_ledger


def test_checkin_by_iin_then_twice_is_refused(sample):
    done = run_cli(sample, "congress", "checkin", GROUP_NOT_IN, "--by", "Aigerim")
    assert done.returncode == 0, done.stderr
    assert "checked in" in done.stderr and "by Aigerim" in done.stderr and done.stdout == ""
    again = run_cli(sample, "congress", "checkin", GROUP_NOT_IN)
    assert again.returncode == 2 and "already checked in" in again.stderr and "Aigerim" in again.stderr


def test_people_outside_the_group_are_refused(sample):
    done = run_cli(sample, "congress", "checkin", OUTSIDER)
    assert done.returncode == 2 and "not in the initiative group" in done.stderr
    assert "Traceback" not in done.stderr


def test_search_lists_candidates_when_not_unique(sample):
    done = run_cli(sample, "congress", "checkin", "--search", "Ахметов")
    assert done.returncode == 2
    assert "members match" in done.stderr and "check in by IIN" in done.stderr


def test_status_counts_attendance_against_the_rule(sample):
    run_cli(sample, "congress", "checkin", GROUP_NOT_IN)
    done = run_cli(sample, "congress", "status", "--json", "--as-of", "2024-06-01")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["group_size"] == 5 and data["attended"] == 3 and data["required"] == 700 and data["met"] is False
    assert data["rule"]["value"] == 700 and data["rule"]["reference"]
    units = {u["code"]: u for u in data["units"]}
    assert units["75"]["attended"] == 2 and units["71"]["attended"] == 1 and units["71"]["group"] == 2
    text = run_cli(sample, "congress", "status", "--as-of", "2024-06-01")
    assert "3 of 5 initiative-group members" in text.stdout
