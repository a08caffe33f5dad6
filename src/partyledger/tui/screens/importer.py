"""Import a sign-up sheet: choose file and sheet, check the column mapping, preview, commit, undo.

The steps are the import workflow the command line runs too (``importers.run``): the file is read,
guarded and hashed once when it is chosen; the preview is that workflow with writes switched off
(``dry_run``), so what it shows is exactly what a commit will do. Preview and commit map the sheet
again from its first row (rows stream and are consumed once; a workbook is parsed again from the
bytes read at the start), so a changed mapping always takes effect. Both run in a worker with a
progress panel (rows/s, time left) and a Cancel that rolls the whole batch back.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, DataTable, Footer, Input, Select, Static

from partyledger.presentation.i18n import _, number
from partyledger.tui.plain import cell
from partyledger.tui.screens.base import LedgerScreen
from partyledger.tui.widgets.issue_table import IssueTable
from partyledger.tui.widgets.progress_panel import ProgressPanel


class ImportScreen(LedgerScreen):
    SCREEN_NAME = "import"
    BINDINGS = [
        Binding("b", "browse", _("Browse")),
        Binding("p", "preview", _("Preview")),
        Binding("s", "commit", _("Commit")),
        Binding("u", "undo", _("Undo a batch")),
        Binding("escape", "back", _("Back / cancel")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.path: Path | None = None
        self.opened: Any = None                     # importers.run.OpenedFile: read and guarded once
        self.sheets: list[str] = []
        self.headers: list[str] = []
        self.mapping: dict[str, str] = {}
        self.previewed: dict[str, Any] | None = None
        self.result: dict[str, Any] | None = None

    def compose(self) -> ComposeResult:
        yield Static(_("Import a spreadsheet"), classes="title")
        with Horizontal(classes="row"):
            yield Input(placeholder=_("Path to an xlsx or csv file, then Enter (b: browse)"), id="import-path")
            yield Button(_("Browse"), id="import-browse")
        with Horizontal(classes="row"):
            yield Select([], prompt=_("Sheet"), id="import-sheet", allow_blank=True)
            yield Button(_("Preview"), id="import-preview", disabled=True)
            yield Button(_("Commit"), id="import-commit", variant="primary", disabled=True)
        yield Static(_("b: browse for a file (or Tab to type its path); u: undo a past batch."), id="import-status")
        with Horizontal(id="import-tables"):
            yield DataTable(id="import-mapping", cursor_type="row")
            yield IssueTable(id="import-outcome")
        yield ProgressPanel(id="import-progress")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#import-mapping", DataTable)
        table.add_column(_("Column in the sheet"), key="header")
        table.add_column(_("Field (Enter: change)"), key="field")
        table.focus()   # so b/u/p work at once; Tab reaches the path field

    def say(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#import-status", Static)
        status.update(text)
        status.set_class(error, "error-text")

    # --- choosing the file ---------------------------------------------------------------------
    def action_browse(self) -> None:
        from partyledger.tui.screens.file_picker import FilePickerModal

        self.app.push_screen(FilePickerModal(Path.home()), self.file_chosen)

    def file_chosen(self, path: Path | None) -> None:
        if path is not None:
            self.query_one("#import-path", Input).value = str(path)
            self.open_file(path, None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.open_file(Path(event.value.strip()).expanduser(), None)

    def open_file(self, path: Path, sheet: str | None) -> None:
        """Read the file (or, for another sheet of the same file, reuse what was read) and map its header."""
        opened = self.opened if sheet is not None and self.opened is not None and self.path == path else None
        self.path, self.previewed, self.result = path, None, None
        self.say(_("Reading {name}...").format(name=path.name))
        self.start_work(lambda: self.read_header(path, sheet, opened), name="header", exclusive=True)

    def read_header(self, path: Path, sheet: str | None, opened: Any = None) -> dict[str, Any]:
        from partyledger.importers.run import open_file, prepare

        opened = opened or open_file(path, sheet)
        with self.ledger.session() as session:
            prepared = prepare(session, opened, sheet=sheet)
        data, header = prepared.data, prepared.mapped.header
        return {"sheets": data.sheet_names or [], "sheet": data.name, "headers": header.headers,
                "mapping": header.mapping, "total": data.total_rows, "before": prepared.previous, "opened": opened}

    def show_header(self, info: dict[str, Any]) -> None:
        self.opened = info["opened"]
        self.sheets = info["sheets"]
        select = self.query_one("#import-sheet", Select)
        with self.prevent(Select.Changed):
            select.set_options([(s, s) for s in self.sheets])
            if info["sheet"] in self.sheets:
                select.value = info["sheet"]
        self.headers = [h for h in info["headers"] if h]
        self.mapping = dict(info["mapping"])
        self.show_mapping()
        text = _("{n} columns mapped; check them, then p to preview.").format(n=len(self.mapping))
        if info["total"]:
            text = _("About {n} rows. ").format(n=number(info['total'])) + text
        if info["before"]:
            text += " " + _("This file was imported before (batch {ids}): importing it again creates nothing new.").format(
                ids=", ".join(map(str, info["before"])))
        self.say(text)
        self.query_one("#import-preview", Button).disabled = False
        self.query_one("#import-commit", Button).disabled = True
        self.query_one("#import-mapping", DataTable).focus()

    def show_mapping(self) -> None:
        table = self.query_one("#import-mapping", DataTable)
        table.clear()
        for header in self.headers:
            table.add_row(cell(header), self.mapping.get(header) or _("(ignored)"), key=header)

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "import-sheet" and self.path and isinstance(event.value, str):
            self.open_file(self.path, event.value)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id != "import-mapping" or event.row_key.value is None:
            return
        from partyledger.importers.mapping import FIELDS, IGNORE
        from partyledger.tui.screens.choice_modal import ChoiceModal

        header = event.row_key.value
        choices = [(IGNORE, _("(ignore this column)"))] + [(f, f) for f in sorted(FIELDS)]

        def chosen(field: str | None) -> None:
            if field is None:
                return
            if field == IGNORE:
                self.mapping.pop(header, None)
            else:
                self.mapping = {h: f for h, f in self.mapping.items() if f != field} | {header: field}
            self.previewed = None
            self.query_one("#import-commit", Button).disabled = True
            self.show_mapping()
            self.say(_("Mapping changed: preview again (p) before committing."))
        self.app.push_screen(ChoiceModal(_("Column '{h}' holds:").format(h=header), choices), chosen)

    # --- preview and commit --------------------------------------------------------------------
    def on_button_pressed(self, event: Button.Pressed) -> None:
        actions = {"import-browse": self.action_browse, "import-preview": self.action_preview,
                   "import-commit": self.action_commit}
        if event.button.id in actions:
            event.stop()
            actions[event.button.id]()

    def run_import(self, *, dry_run: bool) -> dict[str, Any]:
        from partyledger.importers.run import prepare, run
        from partyledger.ledger.storage.audit import actor
        from partyledger.ledger.storage.backup import keep_from

        panel = self.query_one(ProgressPanel)
        sheet = self.query_one("#import-sheet", Select).value
        sheet = sheet if isinstance(sheet, str) else None
        keep = keep_from(os.environ.get("PARTYLEDGER_KEEP_BACKUPS"))
        with self.ledger.session() as session:
            prepared = prepare(session, self.opened, sheet=sheet, mapping=dict(self.mapping))
            result = run(session, prepared, units=self.ledger.rules.units, as_of=self.ledger.today, actor=actor("tui"),
                         dry_run=dry_run, keep_backups=keep, on_progress=panel.callback(), cancel=panel.cancel_event)
        return {"summary": result.summary(), "conflicts": result.conflict_count, "skipped": len(prepared.mapped.skipped)}

    def start_import(self, dry_run: bool) -> None:
        if self.path is None or self.opened is None or not self.mapping:
            self.say(_("Choose a file first."), error=True)
            return
        self.query_one(ProgressPanel).begin(_("Previewing...") if dry_run else _("Importing..."))
        self.query_one("#import-preview", Button).disabled = True
        self.query_one("#import-commit", Button).disabled = True
        self.start_work(lambda: self.run_import(dry_run=dry_run), name="preview" if dry_run else "commit",
                        long=True, exclusive=True)

    def action_preview(self) -> None:
        self.start_import(True)

    def action_commit(self) -> None:
        if self.previewed is None:
            self.say(_("Preview first (p): commit imports exactly what the preview showed."), error=True)
            return
        self.start_import(False)

    def worker_succeeded(self, name: str, result: Any) -> None:
        if name == "header":
            self.show_header(result)
            return
        if name == "undo":
            self.say(_("Batch undone: {deleted} members removed, {restored} restored.").format(**result))
            return
        self.query_one(ProgressPanel).end()
        self.query_one("#import-preview", Button).disabled = False
        s = result["summary"]
        self.query_one(IssueTable).show_summary(s, result["conflicts"])
        if name == "preview":
            self.previewed = result
            self.query_one("#import-commit", Button).disabled = False
            self.say(_("Preview: {created} new, {quarantined} to quarantine. Nothing written yet; s commits.").format(**s))
        else:
            self.result, self.previewed = result, None
            self.say(_("Imported as batch {batch_id}: {created} new, {updated} filled in, {quarantined} in quarantine.")
                     .format(**s))
            self.notify(_("Import committed (batch {batch_id}).").format(**s))

    def worker_failed(self, worker, error) -> None:
        if worker.name == "header":
            self.path, self.opened, self.mapping, self.headers = None, None, {}, []
            self.show_mapping()
        self.query_one(ProgressPanel).end()
        self.query_one("#import-preview", Button).disabled = self.path is None
        self.query_one("#import-commit", Button).disabled = self.previewed is None
        if worker.name == "header":
            from partyledger.errors import PartyLedgerError

            if isinstance(error, PartyLedgerError):
                self.say(str(error), error=True)
                return
        super().worker_failed(worker, error)

    # --- undo ------------------------------------------------------------------------------------
    def action_undo(self) -> None:
        from partyledger.ledger.intake.batch_records import list_batches
        from partyledger.tui.screens.choice_modal import ChoiceModal

        with self.ledger.session() as session:
            batches = [b for b in list_batches(session) if b["state"] == "committed"]
        choices = [(str(b["batch_id"]), _("batch {id}: {file}, {at}, {created} created").format(
            id=b["batch_id"], file=b["file_name"], at=str(b["finished_at"] or "")[:16],
            created=(b["counts"] or {}).get("created", 0))) for b in batches]
        self.app.push_screen(ChoiceModal(_("Undo which batch? (its members are taken out again)"), choices,
                                         empty=_("No committed batches.")), self.undo_chosen)

    def undo_chosen(self, batch_id: str | None) -> None:
        from partyledger.ledger.storage.audit import actor
        from partyledger.ledger.intake.batch_records import undo_batch

        if batch_id is None:
            return

        def undo() -> dict[str, int]:
            with self.ledger.session() as session:
                return undo_batch(session, int(batch_id), actor=actor("tui"))
        self.start_work(undo, name="undo", long=True, exclusive=True)
