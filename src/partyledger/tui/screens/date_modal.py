"""Ask for a date (ISO only: a typed 03/04/2026 is never guessed)."""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from partyledger.presentation.i18n import _


class DateModal(ModalScreen[date | None]):
    BINDINGS = [Binding("escape", "cancel", _("Cancel"))]

    def __init__(self, prompt: str, initial: date) -> None:
        super().__init__()
        self.prompt, self.initial = prompt, initial

    def compose(self) -> ComposeResult:
        with Vertical(id="date-box"):
            yield Static(self.prompt, classes="title")
            yield Input(self.initial.isoformat(), id="date-input")
            yield Static(_("YYYY-MM-DD, then Enter. Esc cancels."), id="date-status", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            self.dismiss(date.fromisoformat(event.value.strip()))
        except ValueError:
            status = self.query_one("#date-status", Static)
            status.update(_("'{text}' is not a date like 2026-03-31").format(text=event.value))
            status.add_class("error-text")

    def action_cancel(self) -> None:
        self.dismiss(None)
