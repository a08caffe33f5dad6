"""Legal clocks started by the campaign's key dates, read against the rule version in force.

Where the research is unsure which date starts a clock, the choice made here is the one that gives the
*earlier* due date, so an organizer who follows the report is never late; the assumption is part of
each ``Deadline`` and every output shows it.
"""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta

from partyledger.report.model import Citation, Deadline


def _add_months(start: date, months: int) -> date:
    return start + relativedelta(months=months)


def _deadline(name: str, start: date | None, start_label: str, months_value, done_on: date | None,
              as_of: date, assumption: str) -> Deadline:
    citation = Citation.of(months_value)
    months = months_value.value
    if months is None:
        return Deadline(name, None, None, None, start_label,
                        assumption + " The rule version does not set (or the research does not know) this period.",
                        citation)
    if start is None:
        return Deadline(name, None, None, None, start_label, assumption, citation)
    due = _add_months(start, int(months))
    if done_on is not None:
        met: bool | None = done_on <= due
    else:
        met = False if as_of > due else None
    return Deadline(name, due, (due - as_of).days, met, start_label, assumption, citation)


def deadlines(campaign, snapshot, as_of: date) -> list[Deadline]:
    """Congress window, notification validity, documents deadline and branches deadline."""
    notice = campaign.notification_filed_on or campaign.notification_confirmed_on
    notice_label = "notification filed" if campaign.notification_filed_on else "notification confirmed"
    return [
        _deadline("congress_window", notice, notice_label, snapshot.value_of("congress_window_months"),
                  campaign.congress_held_on, as_of,
                  "Assumption: the congress clock starts when the notification is filed, the earlier of the two "
                  "dates the research leaves open (filing or the ministry's confirmation) [U]; met when the "
                  "congress is held by the due date."),
        _deadline("notification_validity", campaign.notification_confirmed_on or notice,
                  "notification confirmed" if campaign.notification_confirmed_on else notice_label,
                  snapshot.value_of("notification_valid_months"), campaign.congress_held_on, as_of,
                  "Assumption: the confirmed notification (and the organising committee's term) lapses unless "
                  "the congress is held within this period [P]."),
        _deadline("documents_deadline", campaign.congress_held_on, "congress held",
                  snapshot.value_of("documents_deadline_months"), campaign.documents_filed_on, as_of,
                  "Registration documents are due this long after the founding congress; met when the "
                  "documents-filed date is on or before it."),
        _deadline("branches_deadline", campaign.registered_on, "party registered",
                  snapshot.value_of("branches_deadline_months"), None, as_of,
                  "Branches must be registered this long after the party is registered; partyledger does not "
                  "track branches, so this deadline is shown but never marked met."),
    ]
