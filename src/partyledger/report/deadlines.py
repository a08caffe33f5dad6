"""Legal clocks started by the campaign's key dates, each read against the law in force when it started.

A clock runs under the version of the law in force on the day it started: a notification filed on
2022-10-01 had two months for the congress, and lapsed on 2022-12-01 although the three-month rule of
November 2022 was in force when the report was read. No transitional provision was found in the
research, so this is an assumption and is tagged U wherever a later version sets another period. When
the start day falls inside a window the research leaves open (5-27 Nov 2022), the due date under the
other law is stated too, and ``alternative=True`` takes that other law.

Where the research is unsure which date starts a clock, the choice made here is the one that gives the
*earlier* due date, so an organizer who follows the report is never late; the assumption is part of
each ``Deadline`` and every output shows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta

from partyledger.errors import RuleDateError
from partyledger.report.model import Citation, Deadline

if TYPE_CHECKING:
    from partyledger.ledger.members.reads import CampaignFacts
    from partyledger.rules.model import RuleSet, RuleSnapshot

TRANSITIONAL = ("Transitional assumption [U]: a clock runs under the law in force on the day it started; no "
                "transitional provision was found, so a later amendment is taken not to change a running clock.")


@dataclass(frozen=True)
class Clock:
    name: str
    parameter: str
    start: date | None
    start_label: str
    done_on: date | None
    assumption: str
    lapsed: str          # what a lapse means, filled with due/done/months
    counts: bool = True


def _add_months(start: date, months: int) -> date:
    return start + relativedelta(months=months)


def _law(rules: RuleSet, day: date, alternative: bool) -> RuleSnapshot | None:
    """The rules in force on ``day`` (the other law of an open window when ``alternative``); None before any."""
    try:
        return (rules.alternative(day) if alternative else None) or rules.at(day)
    except RuleDateError:
        return None


def _other_law_note(rules: RuleSet, clock: Clock, months: int, alternative: bool) -> str:
    """Inside an open window: the due date under the other law, when it differs."""
    version = rules.open_window(clock.start)
    if version is None:
        return ""
    other = _law(rules, clock.start, not alternative)
    other_months = other.value_of(clock.parameter).value if other is not None else None
    if other_months == months:
        return ""
    other_due = _add_months(clock.start, int(other_months)).isoformat() if other_months is not None else "unknown"
    return (f"Started on {clock.start.isoformat()}, between {version.earliest.isoformat()} and "
            f"{version.latest.isoformat()}, when the research cannot say whether the law of "
            f"{version.effective_from.isoformat()} [{version.confidence}] was in force yet: under the other law "
            f"the period is {other_months if other_months is not None else 'unknown'} months (due {other_due}).")


def _deadline(rules: RuleSet, clock: Clock, as_of: date, alternative: bool) -> Deadline:
    base = dict(starts_from=clock.start_label, started_on=clock.start, counts=clock.counts)
    law = _law(rules, clock.start or as_of, alternative)
    if law is None:
        return Deadline(clock.name, None, None, None, assumption=clock.assumption + " No law in force on the start "
                        "day is in the rule files.", citation=None, **base)
    value = law.value_of(clock.parameter)
    citation, months = Citation.of(value), value.value
    if months is None:
        return Deadline(clock.name, None, None, None, assumption=clock.assumption + " The rule version does not "
                        "set (or the research does not know) this period.", citation=citation, **base)
    if clock.start is None:
        return Deadline(clock.name, None, None, None, assumption=clock.assumption, citation=citation, **base)
    due = _add_months(clock.start, int(months))
    done = clock.done_on if clock.done_on is not None and clock.done_on <= as_of else None
    met = (done <= due) if done is not None else (False if as_of > due else None)
    later = _law(rules, max(as_of, due), alternative)
    transitional = later is not None and later.value_of(clock.parameter).value != months
    lapsed = clock.lapsed.format(due=due.isoformat(), done=done.isoformat() if done else "",
                                 months=months, start=clock.start.isoformat()) if met is False else ""
    return Deadline(clock.name, due, (due - as_of).days, met, assumption=clock.assumption,
                    citation=citation, law_from=law.effective_from, transitional=transitional,
                    depends_on_day=_other_law_note(rules, clock, months, alternative), lapsed=lapsed, **base)


def _clocks(campaign: CampaignFacts) -> list[Clock]:
    notice = campaign.notification_filed_on or campaign.notification_confirmed_on
    notice_label = "notification filed" if campaign.notification_filed_on else "notification confirmed"
    held = campaign.congress_held_on
    return [
        Clock("congress_window", "congress_window_months", notice, notice_label, held,
              "Assumption: the congress clock starts when the notification is filed, the earlier of the two "
              "dates the research leaves open (filing or the ministry's confirmation) [U]; met when the "
              "congress is held by the due date.",
              "the founding congress on {done} came after its window closed on {due}: the notification had "
              "lapsed, so it must be filed again and the congress held again" if held else
              "the notification lapsed on {due}: no founding congress within {months} months of {start}; it "
              "must be filed again"),
        Clock("notification_validity", "notification_valid_months", campaign.notification_confirmed_on or notice,
              "notification confirmed" if campaign.notification_confirmed_on else notice_label, held,
              "Assumption: the confirmed notification (and the organising committee's term) lapses unless "
              "the congress is held within this period [P].",
              "the notification lapsed on {due} ({months} months after {start}) before the founding congress: "
              "it must be filed again"),
        Clock("documents_deadline", "documents_deadline_months", held, "congress held", campaign.documents_filed_on,
              "Registration documents are due this long after the founding congress; met when the "
              "documents-filed date is on or before it.",
              "the registration documents were due by {due}, {months} months after the founding congress of "
              "{start}: it is too late to file on this congress"),
        Clock("branches_deadline", "branches_deadline_months", campaign.registered_on, "party registered", None,
              "Branches must be registered this long after the party is registered; partyledger does not "
              "track branches, so this deadline is shown but never marked met and never blocks the verdict.",
              "branches were due by {due}", counts=False),
    ]


def deadlines(campaign: CampaignFacts, rules: RuleSet, as_of: date, *, alternative: bool = False) -> list[Deadline]:
    """Congress window, notification validity, documents deadline and branches deadline, each by the law of
    its start day (``alternative``: by the other law where that day is inside an open window)."""
    return [_deadline(rules, clock, as_of, alternative) for clock in _clocks(campaign)]


def starts_in_open_window(campaign: CampaignFacts, rules: RuleSet) -> bool:
    """Whether some clock started on a day the research cannot place before or after a change of the law."""
    return any(c.start is not None and rules.open_window(c.start) is not None for c in _clocks(campaign))
