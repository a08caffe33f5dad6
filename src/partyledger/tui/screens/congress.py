"""Founding congress: check initiative-group members in, in person, and watch attendance per unit.

The law wants the initiative group present in person (no proxies), so the check-in service refuses
anyone outside the group and anyone already in; here those refusals are said plainly on the screen
in red (not in an error box), because at a registration desk they are routine, not failures.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Input, Static

from partyledger.errors import PartyLedgerError
from partyledger.presentation.i18n import _, unit_name
from partyledger.tui.plain import safe
from partyledger.tui.screens.base import LedgerScreen


def attendance_by_unit(ledger) -> dict[str, Any]:
    """Group members and attendees per unit in force today, and the units required."""
    from partyledger.ledger.members.reads import attendance

    snapshot = ledger.snapshot()
    with ledger.session() as session:
        att = attendance(session, ledger.today)

    def place(counter: Counter) -> Counter:
        out: Counter = Counter()
        for (code, locality), n in counter.items():
            placed = ledger.rules.units.unit_on(code, locality, ledger.today).code if code else None
            out[placed or code or "?"] += n
        return out
    return {"group": place(att.group_by_unit), "present": place(att.by_unit), "group_size": att.group_size,
            "attended": att.attended, "units": snapshot.units, "units_min": snapshot.initiative_group_units_min}


class CongressScreen(LedgerScreen):
    SCREEN_NAME = "congress"
    BINDINGS = [Binding("slash", "focus_input", _("Check in"), key_display="/"),
                Binding("f5", "refresh", _("Refresh"))]

    def __init__(self) -> None:
        super().__init__()
        self.checked_in: list[str] = []      # IINs checked in from this screen
        self.last_refusal: str | None = None
        self.data: dict[str, Any] | None = None

    def compose(self) -> ComposeResult:
        yield Static(_("Founding congress: in-person check-in of the initiative group"), classes="title")
        yield Input(placeholder=_("IIN or surname, then Enter"), id="congress-input")
        yield Static("", id="congress-result")
        yield Static("", id="congress-summary")
        yield DataTable(id="congress-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(_("Unit"), key="unit", width=28)
        table.add_column(_("Group members"), key="group")
        table.add_column(_("Present"), key="present")
        self.query_one(Input).focus()
        self.action_refresh()

    def action_focus_input(self) -> None:
        self.query_one(Input).focus()

    def action_refresh(self) -> None:
        self.start_work(lambda: attendance_by_unit(self.ledger), name="attendance", exclusive=True)

    def worker_succeeded(self, name: str, result: Any) -> None:
        if name == "attendance":
            self.data = result
            self.show_attendance(result)

    def show_attendance(self, d: dict[str, Any]) -> None:
        table = self.query_one(DataTable)
        table.clear()
        units_present = sum(1 for n in d["present"].values() if n)
        for unit in d["units"]:
            group, present = d["group"].get(unit.code, 0), d["present"].get(unit.code, 0)
            table.add_row(f"{unit.code} {unit_name(unit, short=True)}", str(group), str(present), key=unit.code)
        self.query_one("#congress-summary", Static).update(
            _("Present: {att} of {size} group members; units represented {units} of {need} required").format(
                att=d["attended"], size=d["group_size"], units=units_present,
                need="?" if d["units_min"] is None else d["units_min"]))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if text:
            self.check_in(text)

    def check_in(self, text: str) -> None:
        from partyledger.ledger.members import congress
        from partyledger.ledger.storage.audit import actor, login_name

        digits = text.replace(" ", "")
        result = self.query_one("#congress-result", Static)
        try:
            with self.ledger.session() as session:
                member = congress.find_attendee(session, iin=digits if digits.isdigit() else None,
                                                surname=None if digits.isdigit() else text)
                congress.check_in(session, member, at=datetime.utcnow(), by=login_name(), actor=actor("tui"))
                who = f"{member.surname} {member.given_name} ({member.iin})"
                iin = member.iin
        except PartyLedgerError as refusal:
            self.last_refusal = str(refusal)
            result.update(_("REFUSED: {why}").format(why=safe(refusal)))
            result.set_class(True, "-refused")
            result.set_class(False, "-ok")
            return
        self.last_refusal = None
        self.checked_in.append(iin)
        result.update(_("Checked in: {who}").format(who=safe(who)))
        result.set_class(False, "-refused")
        result.set_class(True, "-ok")
        self.query_one(Input).value = ""
        self.action_refresh()
