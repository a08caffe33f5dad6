"""The ``?`` screen: every key that works right now, not only the ones that fit in the footer.

At 80 columns the footer cannot show every binding, so this lists the active bindings of the screen
underneath with their descriptions: the screen's own first, then the app's, then the focused widget's.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from partyledger.presentation.i18n import _


def key_label(key: str) -> str:
    return key.replace("ctrl+", "Ctrl+").replace("question_mark", "?").replace("escape", "Esc")


class HelpModal(ModalScreen[None]):
    """A table of key -> action for the screen it was opened over."""

    BINDINGS = [Binding("escape,question_mark,q", "dismiss", _("Close"))]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static(_("Keys on this screen"), id="help-title")
            yield DataTable(id="help-table", cursor_type="row", zebra_stripes=True)
            yield Static(_("Esc closes this list."), id="help-foot")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(_("Key"), _("Action"))
        def rank(item) -> int:
            node, action = item[1].node, item[1].binding.action
            if action.split(".")[-1] in ("focus_next", "focus_previous", "copy_text"):
                return 3                 # Textual's generic keys (Tab, copy) last
            return 0 if node is self.under else (1 if node is self.app else 2)   # the screen's own keys first

        seen: set[str] = set()
        for key, active in sorted(self.under.active_bindings.items(), key=rank):
            binding = active.binding
            if not binding.description or key in seen:
                continue
            seen.add(key)
            table.add_row(key_label(binding.key_display or key), binding.description)
        table.focus()
