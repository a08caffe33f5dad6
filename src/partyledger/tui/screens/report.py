"""Report: the readiness report for a chosen date on screen, and exports with the written path shown.

The on-screen text is the rendering ``partyledger report`` prints (``presentation.report_text.render``),
so the screen and the terminal report say the same words. Exports are the CLI's writers: xlsx and
html reports (counts only, plus named exclusions in the xlsx) and the filing workbook (names and
IINs of every member who counts, which is personal data: the screen says so next to the path).

Exports are written as the CLI writes them: a new file, owner-only (0600); an existing file is
replaced only after the person says so. The workbooks that name people (the xlsx report and the
filing lists) are offered a password: given one, the workbook is Office-encrypted
(``exporters/output.py``), and the screen says whether the written file is encrypted.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from partyledger.presentation.i18n import _
from partyledger.tui.plain import safe
from partyledger.tui.screens.base import LedgerScreen
from partyledger.tui.widgets.progress_panel import ProgressPanel

PERSONAL = _("contains names and IINs of members: keep it encrypted, share it only for filing")


class ReportScreen(LedgerScreen):
    SCREEN_NAME = "report"
    BINDINGS = [
        Binding("t", "choose_date", _("As of date")),
        Binding("x", "export('xlsx')", _("Export xlsx")),
        Binding("h", "export('html')", _("Export html")),
        Binding("f", "export('filing')", _("Filing lists")),
        Binding("escape", "back", _("Back / cancel")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.as_of: date | None = None
        self.readiness: Any = None
        self.written: Path | None = None

    def compose(self) -> ComposeResult:
        yield Static(_("Readiness report"), id="report-title", classes="title")
        yield Static("", id="report-written")
        with VerticalScroll(id="report-body"):
            yield Static(_("Assessing..."), id="report-text")
        yield ProgressPanel(id="report-progress")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#report-body").focus()
        self.assess()

    @property
    def day(self) -> date:
        return self.as_of or self.ledger.today

    def assess(self) -> None:
        from partyledger.report import assess_readiness

        panel = self.query_one(ProgressPanel)
        cancel = panel.begin(_("Assessing readiness..."))
        on_progress, day = panel.callback(), self.day

        def work():
            with self.ledger.session() as session:
                return assess_readiness(session, self.ledger.rules, as_of=day, on_progress=on_progress, cancel=cancel)
        self.start_work(work, name="assess", long=True, exclusive=True)

    def action_choose_date(self) -> None:
        from partyledger.tui.screens.date_modal import DateModal

        def chosen(day: date | None) -> None:
            if day is not None:
                self.as_of = day
                self.assess()
        self.app.push_screen(DateModal(_("Report as of which date?"), self.day), chosen)

    def worker_succeeded(self, name: str, result: Any) -> None:
        from partyledger.presentation.report_text import render

        self.query_one(ProgressPanel).end()
        if name == "assess":
            self.readiness = result
            note = _("today") if self.day == self.ledger.today else _("chosen date")
            self.query_one("#report-title", Static).update(
                _("Readiness report as of {day} ({note}); t changes the date").format(day=self.day.isoformat(), note=note))
            self.query_one("#report-text", Static).update(render(result))
        else:
            path, personal, encrypted = result
            self.written = path
            text = _("Wrote {path}").format(path=safe(str(path)))
            if encrypted:
                text += " (" + _("encrypted with the password given; it contains names and IINs of members") + ")"
            elif personal:
                text += f" ({PERSONAL})"
            self.query_one("#report-written", Static).update(text)
            self.notify(text)

    def worker_failed(self, worker, error) -> None:
        self.query_one(ProgressPanel).end()
        super().worker_failed(worker, error)

    # --- exports ---------------------------------------------------------------------------------
    def action_export(self, kind: str) -> None:
        from partyledger.tui.screens.text_modal import TextModal

        if self.readiness is None:
            return
        suffix = {"xlsx": "report.xlsx", "html": "report.html", "filing": "filing.xlsx"}[kind]
        default = Path.home() / f"partyledger-{self.day.isoformat()}-{suffix}"
        note = _("This file {what}.").format(what=PERSONAL) if kind in ("filing", "xlsx") else ""

        def chosen(text: str | None) -> None:
            if text:
                self.confirm_overwrite(kind, Path(text).expanduser())
        self.app.push_screen(TextModal(_("Write the {kind} export to:").format(kind=kind), str(default), note), chosen)

    def confirm_overwrite(self, kind: str, path: Path) -> None:
        """An existing file is replaced only when the person picks "overwrite"."""
        from partyledger.exporters.filing import protocol_path
        from partyledger.tui.screens.choice_modal import ChoiceModal

        # the filing export also writes its protocol draft beside the workbook: that one is never replaced unasked
        if not path.exists() and not (kind == "filing" and protocol_path(path).exists()):
            self.ask_password(kind, path, force=False)
            return

        def answered(choice: str | None) -> None:
            if choice == "overwrite":
                self.ask_password(kind, path, force=True)
        self.app.push_screen(ChoiceModal(_("{path} already exists.").format(path=safe(str(path))),
                                         [("overwrite", _("Overwrite it")), ("keep", _("Keep it (choose another name)"))]),
                             answered)

    def ask_password(self, kind: str, path: Path, *, force: bool) -> None:
        """Workbooks that name people may be encrypted; an empty password writes them unencrypted."""
        from partyledger.tui.screens.text_modal import TextModal

        if kind == "html":
            self.export(kind, path, force=force)
            return

        def given(password: str | None) -> None:
            if password is not None:
                self.export(kind, path, force=force, password=password or None)
        self.app.push_screen(TextModal(_("Password to encrypt the workbook (Enter without one: not encrypted)"), "",
                                       _("Excel and LibreOffice will ask for this password; it cannot be recovered."),
                                       secret=True), given)

    def export(self, kind: str, path: Path, *, force: bool = False, password: str | None = None) -> None:
        panel = self.query_one(ProgressPanel)
        cancel = panel.begin(_("Writing {name}...").format(name=path.name))
        on_progress, day, readiness = panel.callback(), self.day, self.readiness

        def work() -> tuple[Path, bool, bool]:
            if kind == "html":
                from partyledger.exporters.output import save_text
                from partyledger.report.render_html import render_html

                save_text(path, render_html(readiness), force=force)
                return path, False, False
            with self.ledger.session() as session:
                if kind == "xlsx":
                    from partyledger.exporters.report_xlsx import write_report_xlsx
                    from partyledger.report.members import member_verdicts

                    verdicts = member_verdicts(session, self.ledger.rules, as_of=day, on_progress=on_progress,
                                               cancel=cancel)
                    write_report_xlsx(readiness, path, verdicts, force=force, password=password)
                    return path, True, password is not None
                self.write_filing(session, path, day, on_progress, cancel, force=force, password=password)
                return path, True, password is not None
        self.start_work(work, name="export", long=True, exclusive=True)

    def write_filing(self, session, path: Path, day: date, on_progress, cancel, *, force: bool = False,
                     password: str | None = None) -> None:
        """As ``partyledger export filing`` (one workflow: ``exporters.filing.export_filing``)."""
        from partyledger.exporters.filing import export_filing
        from partyledger.ledger.storage import audit

        export_filing(session, self.ledger.rules, path, as_of=day, actor=audit.actor("tui"), force=force,
                      password=password, on_progress=on_progress, cancel=cancel)

