"""Choose a spreadsheet from a tree rooted at the home folder (only folders, xlsx, xlsm and csv)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DirectoryTree, Static

from partyledger.presentation.i18n import _

SPREADSHEETS = {".xlsx", ".xlsm", ".csv", ".txt"}


class SpreadsheetTree(DirectoryTree):
    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [p for p in paths if not p.name.startswith(".")
                and (p.is_dir() or p.suffix.lower() in SPREADSHEETS)]


class FilePickerModal(ModalScreen[Path | None]):
    BINDINGS = [Binding("escape", "cancel", _("Cancel"))]

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box"):
            yield Static(_("Choose a spreadsheet (Enter opens a folder or picks a file)"), classes="title")
            yield SpreadsheetTree(self.root, id="picker-tree")

    def on_mount(self) -> None:
        self.query_one(SpreadsheetTree).focus()

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self.dismiss(event.path)

    def action_cancel(self) -> None:
        self.dismiss(None)
