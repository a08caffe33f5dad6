"""Ask for one line of text (a file path to write, a password), with a default filled in.

With ``secret`` the input is masked and an empty answer is a real answer ("no password"), not a
cancel: Esc cancels.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from partyledger.presentation.i18n import _


class TextModal(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", _("Cancel"))]

    def __init__(self, prompt: str, initial: str = "", note: str = "", *, secret: bool = False) -> None:
        super().__init__()
        self.prompt, self.initial, self.note, self.secret = prompt, initial, note, secret

    def compose(self) -> ComposeResult:
        with Vertical(id="text-box"):
            yield Static(self.prompt, classes="title")
            if self.note:
                yield Static(self.note, classes="hint")
            yield Input(self.initial, id="text-input", password=self.secret)
            yield Static(_("Enter to confirm, Esc to cancel."), classes="hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value if self.secret else event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
