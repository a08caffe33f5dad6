"""Pick one value from a short list (a mapping target, a batch to undo)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from partyledger.presentation.i18n import _


class ChoiceModal(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", _("Cancel"))]

    def __init__(self, prompt: str, choices: list[tuple[str, str]], *, empty: str = "") -> None:
        """``choices``: (id, label) pairs."""
        super().__init__()
        self.prompt, self.choices, self.empty = prompt, choices, empty

    def compose(self) -> ComposeResult:
        with Vertical(id="choice-box"):
            yield Static(self.prompt, classes="title")
            if self.choices:
                yield OptionList(*[Option(label, id=cid) for cid, label in self.choices], id="choice-list")
            else:
                yield Static(self.empty, classes="hint")

    def on_mount(self) -> None:
        if self.choices:
            options = self.query_one(OptionList)
            options.highlighted = 0
            options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
