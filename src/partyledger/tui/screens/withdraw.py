"""Ask for the date and reason of a withdrawal. Withdrawal is a status change, never a delete."""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from partyledger.presentation.i18n import _


class WithdrawModal(ModalScreen[tuple[date, str] | None]):
    BINDINGS = [Binding("escape", "cancel", _("Cancel"))]

    def __init__(self, today: date) -> None:
        super().__init__()
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical(id="withdraw-box"):
            yield Static(_("Withdraw this member"), classes="title")
            yield Static(_("The member stays in the ledger with the date and reason; history keeps it."),
                         classes="hint")
            yield Label(_("Date (YYYY-MM-DD)"))
            yield Input(self.today.isoformat(), id="withdraw-on")
            yield Label(_("Reason"))
            yield Input(id="withdraw-reason")
            yield Static("", id="withdraw-status", classes="error-text")
            with Horizontal(id="withdraw-buttons"):
                yield Button(_("Withdraw"), id="withdraw-ok", variant="warning")
                yield Button(_("Cancel"), id="withdraw-cancel")

    def on_mount(self) -> None:
        self.query_one("#withdraw-reason", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.confirm()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.confirm() if event.button.id == "withdraw-ok" else self.dismiss(None)

    def confirm(self) -> None:
        text = self.query_one("#withdraw-on", Input).value.strip()
        try:
            on = date.fromisoformat(text)
        except ValueError:
            self.query_one("#withdraw-status", Static).update(_("'{text}' is not a date like 2026-03-31").format(text=text))
            return
        self.dismiss((on, self.query_one("#withdraw-reason", Input).value.strip()))

    def action_cancel(self) -> None:
        self.dismiss(None)
