"""Small pure pieces of the assessment: safety targets, projection dates, deadlines by month arithmetic."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from partyledger.report.deadlines import deadlines
from partyledger.report.readiness import reach_date, safe_target
from partyledger.rules import load_rules


def test_safe_target_rounds_up_without_float_noise():
    assert safe_target(5000, 1.2) == 6000          # 5000 * 1.2 is 6000.000000000001 in floats
    assert safe_target(200, 1.2) == 240 and safe_target(201, 1.2) == 242
    assert safe_target(None, 1.2) is None


def test_projection_date_at_the_recent_rate():
    as_of = date(2024, 6, 1)
    assert reach_date(as_of, 100, 200, 10.0) == date(2024, 6, 11)
    assert reach_date(as_of, 100, 200, 3.0) == date(2024, 7, 5)      # 34 days, rounded up
    assert reach_date(as_of, 250, 200, 0.0) == as_of                 # already there
    assert reach_date(as_of, 100, 200, 0.0) is None                  # never at this rate


def _campaign(**dates):
    keys = ("notification_filed_on", "notification_confirmed_on", "congress_held_on", "documents_filed_on",
            "registered_on")
    return SimpleNamespace(**{k: dates.get(k) for k in keys})


def test_deadlines_from_campaign_dates_and_the_rule_in_force():
    snap = load_rules("KZ")        # each clock reads the law of its own start day
    got = {d.name: d for d in deadlines(_campaign(notification_filed_on=date(2024, 1, 31),
                                                  notification_confirmed_on=date(2024, 2, 10),
                                                  congress_held_on=date(2024, 5, 5)), snap, date(2024, 6, 1))}
    window = got["congress_window"]
    assert window.due == date(2024, 4, 30) and window.met is False   # 3 months from 31 Jan, held 5 May: late
    assert window.starts_from == "notification filed" and "[U]" in window.assumption
    assert window.citation.value == 3 and window.citation.reference
    docs = got["documents_deadline"]
    assert docs.due == date(2024, 9, 5) and docs.days_left == 96 and docs.met is None
    assert got["branches_deadline"].due is None and got["branches_deadline"].met is None


def test_deadline_missed_when_the_date_passes_with_nothing_recorded():
    snap = load_rules("KZ")
    got = {d.name: d for d in deadlines(_campaign(notification_filed_on=date(2024, 1, 1)), snap, date(2024, 6, 1))}
    assert got["congress_window"].met is False and got["congress_window"].days_left < 0


def test_2002_rules_have_no_congress_window_and_say_so():
    snap = load_rules("KZ")
    got = {d.name: d for d in deadlines(_campaign(notification_filed_on=date(2004, 1, 1)), snap, date(2005, 1, 1))}
    assert got["congress_window"].due is None and "does not set" in got["congress_window"].assumption
    assert got["documents_deadline"].citation.value == 2
