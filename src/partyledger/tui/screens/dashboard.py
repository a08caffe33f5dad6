"""Dashboard: how far the party is from every legal threshold, on today's date or a chosen one.

Numbers come from ``report.assess_readiness`` (the same assessment as ``partyledger report``), so
the screen and the report can never disagree. It runs in a worker: on a big ledger it takes a
moment and the screen stays usable. Every line leads to the screen that fixes it: a unit to its
members, quarantine and duplicates to Review, the initiative group and committee to Congress,
deadlines to Report.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from partyledger.presentation.i18n import _, number, unit_name
from partyledger.presentation.verdict_text import verdict_lines
from partyledger.tui.loading import gather
from partyledger.tui.plain import safe
from partyledger.tui.screens.base import LedgerScreen
from partyledger.tui.widgets.footer import Footer
from partyledger.tui.widgets.unit_progress import UnitProgressTable

BLOCKERS_SHOWN = 4


DEADLINES = {"congress_window": _("Founding congress due"), "notification_validity": _("Notification valid until"),
             "documents_deadline": _("Registration documents due"), "branches_deadline": _("Branches registered by")}
# (done in time, still open): a met clock says what was done, never "due ... done"
DEADLINE_STATES = {
    "congress_window": (_("Founding congress held in time (deadline {due})"),
                        _("Founding congress: hold it by {due} ({n} days left)")),
    "notification_validity": (_("Notification used in time (valid until {due})"),
                              _("Notification valid until {due} ({n} days left)")),
    "documents_deadline": (_("Registration documents filed in time (deadline {due})"),
                           _("Registration documents: file by {due} ({n} days left)")),
    "branches_deadline": (_("Branches registered in time (deadline {due})"),
                          _("Branches: register by {due} ({n} days left)")),
}


def deadline_line(d: Any) -> str:
    """One clock in words: not started, met in time, open with days left, or lapsed and what that means."""
    label = DEADLINES.get(d.name, d.name.replace("_", " "))
    done, still_open = DEADLINE_STATES.get(d.name, (label + " {due}", label + " {due} ({n} days left)"))
    if d.due is None:
        line = label + ": " + _("starts when {what} is recorded").format(what=d.starts_from)
    elif d.met:
        line = done.format(due=d.due.isoformat())
    elif d.met is False:
        line = _("LAPSED: {words}").format(words=_(d.lapsed)) if d.lapsed else f"{label}: {d.due.isoformat()} " + _("LAPSED")
    else:
        line = still_open.format(due=d.due.isoformat(), n=d.days_left)
    return line if d.confidence == "C" else f"{line} [{d.confidence}]"


class DashboardScreen(LedgerScreen):
    SCREEN_NAME = "dashboard"
    BINDINGS = [
        Binding("t", "choose_date", _("As of date")),
        Binding("f5", "refresh", _("Refresh")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.as_of: date | None = None
        self.data: Any = None          # the last Readiness shown
        self.queues: dict[str, int] = {"quarantine": 0, "duplicates": 0}
        self.engine_after_paint: Any = None

    def compose(self) -> ComposeResult:
        yield Static(_("Reading the ledger..."), id="dash-title", classes="title")
        yield Static("", id="dash-total")
        yield Static("", id="dash-blockers")
        yield UnitProgressTable(id="dash-units")
        yield OptionList(id="dash-todo")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(UnitProgressTable).focus()
        self.action_refresh()

    def on_screen_resume(self) -> None:
        if self.data is not None and self.ledger.unlocked:
            self.action_refresh()   # back from another screen: numbers may have changed

    def action_refresh(self) -> None:
        if not self.ledger.unlocked:
            return   # being locked: the screen is about to go
        as_of = self.as_of or self.ledger.today
        opening = self.app.prefetch
        first = opening.first_numbers(as_of) if opening is not None else None
        if first is not None:                  # assessed while Textual started
            self.start_work(first, name="dashboard", exclusive=True)
            self.engine_after_paint = opening.start_engine
            return
        self.start_work(lambda: gather(self.ledger, as_of), name="dashboard", exclusive=True)

    def action_choose_date(self) -> None:
        from partyledger.tui.screens.date_modal import DateModal

        def chosen(day: date | None) -> None:
            if day is not None:
                self.as_of = day
                self.action_refresh()
        self.app.push_screen(DateModal(_("Readiness as of which date?"), self.as_of or self.ledger.today), chosen)

    def worker_succeeded(self, name: str, result: Any) -> None:
        if name == "dashboard":
            self.data, self.queues = result
            self.show(self.data)
            if self.engine_after_paint is not None:    # the first numbers came before the ORM: build it now
                self.call_after_refresh(self.engine_after_paint)
                self.engine_after_paint = None

    # --- rendering ------------------------------------------------------------------------------
    def show(self, r: Any) -> None:
        note = _("today") if r.as_of == self.ledger.today else _("chosen date, t to change")
        title = _("{party}Readiness on {as_of} ({note}); rules of {since}").format(
            party=f"{safe(r.party_name)}: " if r.party_name else "", as_of=r.as_of.isoformat(), note=note,
            since=r.rule_effective_from.isoformat())
        self.query_one("#dash-title", Static).update(title)
        total = self.query_one("#dash-total", Static)
        total.update(_("{verdict}  members counted {counted} / minimum {required} / safe target {safe}").format(
            verdict=_("DEPENDS ON THE DAY") if r.depends_on_day else (_("READY") if r.ready else _("NOT READY")),
            counted=number(r.members_counted),
            required=number(r.members_required), safe=number(r.margin.members_with_margin)))
        total.set_class(r.ready and not r.depends_on_day, "-ready")
        total.set_class(not r.ready or r.depends_on_day, "-not-ready")
        # what blocks filing comes first, above the units, never in the scrolling list below
        lines = verdict_lines(r, limit=BLOCKERS_SHOWN, with_verdict=False)
        lines.rstrip()
        self.query_one("#dash-blockers", Static).update(lines)
        names = {u.code: unit_name(u, short=True) for u in self.ledger.rules.at(r.as_of).units}
        self.query_one(UnitProgressTable).show_units(r.units, names)
        self.show_todo(r)

    def show_todo(self, r: Any) -> None:
        todo = self.query_one("#dash-todo", OptionList)
        highlighted = todo.highlighted
        todo.clear_options()
        todo.add_option(Option(_("Quarantine: {n} rows to fix").format(n=self.queues["quarantine"]),
                               id="review:quarantine"))
        todo.add_option(Option(_("Duplicates: {n} pairs to decide ({likely} likely the same person)").format(
            n=self.queues["duplicates"], likely=r.duplicate_pairs), id="review:duplicates"))
        g = r.initiative_group
        todo.add_option(Option(_("Initiative group: {size} of {required}, {covered} of {units} units: {state}").format(
            size=g.size, required=number(g.required), covered=g.units_covered, units=number(g.units_required),
            state=_("met") if g.met else _("short")), id="congress:group"))
        todo.add_option(Option(_("Committee: {n} of {required} ({state}); congress attended: {att} in {units} units")
                               .format(n=g.committee_size, required=number(g.committee_required),
                                       state=_("met") if g.committee_met else _("short"),
                                       att=g.congress_attended, units=g.congress_units), id="congress:committee"))
        for d in r.deadlines:
            todo.add_option(Option(deadline_line(d), id=f"report:{d.name}"))
        if highlighted is not None and highlighted < todo.option_count:
            todo.highlighted = highlighted

    # --- leading to the screen that fixes it ----------------------------------------------------
    def on_unit_progress_table_unit_chosen(self, event: UnitProgressTable.UnitChosen) -> None:
        from partyledger.tui.screens.members import MembersScreen

        self.app.push_screen(MembersScreen(unit=event.code))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        screen, what = (event.option.id or "dashboard:").split(":", 1)
        if screen == "review":
            from partyledger.tui.screens.review import ReviewScreen

            self.app.push_screen(ReviewScreen(tab=what))
        elif screen in self.app.available_screens():
            self.app.action_go(screen)
        else:
            self.notify(_("That screen is not available in this build yet."), severity="warning")
