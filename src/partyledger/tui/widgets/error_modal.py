"""The one place the terminal app shows an error.

Every failure a user can meet (a ``PartyLedgerError`` from a service, or a bug) ends here as a short
message with the hint underneath, never as a traceback: organizers are not programmers, and a
traceback can carry personal data onto a projector at a congress.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from partyledger.errors import PartyLedgerError
from partyledger.presentation.i18n import _


def describe_error(error: BaseException) -> tuple[str, str]:
    """(title, text) for an error: the service's message and hint, or a plain 'this is a bug' line."""
    if isinstance(error, PartyLedgerError):
        return _("Could not do that"), error.message + (f"\n\n{error.hint}" if error.hint else "")
    return (_("Unexpected error (a bug in partyledger)"),
            f"{type(error).__name__}: {error}\n\n" + _("Nothing more was written. Please report this."))


class ErrorModal(ModalScreen[None]):
    """A dismissable box with the error's message and hint."""

    BINDINGS = [Binding("escape,enter", "dismiss", _("Close"))]

    def __init__(self, error: BaseException) -> None:
        super().__init__()
        self.title_text, self.body_text = describe_error(error)

    def compose(self) -> ComposeResult:
        with Vertical(id="error-box"):
            yield Static(self.title_text, id="error-title")
            yield Static(self.body_text, id="error-body", markup=False)
            yield Button(_("Close"), id="error-close", variant="error")

    def on_mount(self) -> None:
        self.query_one("#error-close", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss()
