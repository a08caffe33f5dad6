"""The unlock screen: the only way into the ledger, and where the idle lock sends you back.

Opening derives the SQLCipher key with argon2id (about 0.1 s by design, slower on old laptops), so
it runs in a worker and the prompt stays responsive. A wrong passphrase is an expected event, not an
error: it is said on the screen and the prompt is cleared for another try.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.widgets import Input, Static

from partyledger.errors import PartyLedgerError, WrongPassphrase
from partyledger.presentation.i18n import _
from partyledger.tui.prefetch import opening_for
from partyledger.tui.screens.base import LedgerScreen
from partyledger.tui.widgets.footer import Footer


class UnlockScreen(LedgerScreen):
    SCREEN_NAME = "unlock"
    BINDINGS = [Binding("escape", "clear", _("Clear"), show=False)]

    def __init__(self, db_path: Path, *, demo: bool = False, locked: bool = False,
                 passphrase: str | None = None) -> None:
        super().__init__()
        self.db_path = db_path
        self.demo = demo
        self.locked = locked
        self.start_passphrase = passphrase
        self.attempts = 0

    def compose(self) -> ComposeResult:
        with Center():
            with Vertical(id="unlock-box"):
                yield Static("partyledger", id="unlock-title")
                yield Static(_("Ledger: {path}").format(path=self.db_path), id="unlock-path", markup=False)
                if self.locked:
                    yield Static(_("Locked after a period without use. Type the passphrase to go on."),
                                 id="unlock-locked")
                if self.demo:
                    yield Static(_("This is the demo ledger: its passphrase is  demo"), id="unlock-demo")
                yield Input(placeholder=_("Passphrase"), password=True, id="unlock-input")
                yield Static(_("Enter unlocks; Ctrl+Q quits."), id="unlock-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        if self.start_passphrase:
            self.try_open(self.start_passphrase)
            self.start_passphrase = None

    def action_clear(self) -> None:
        self.query_one(Input).value = ""

    def action_back(self) -> None:
        """Nothing is under the unlock screen."""

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value:
            self.set_status(_("Type the passphrase and press Enter."), error=True)
            return
        self.try_open(event.value)

    def try_open(self, passphrase: str) -> None:
        field = self.query_one(Input)
        field.disabled = True
        self.set_status(_("Opening the ledger..."))
        # the opening started with the passphrase given at start, or one for the passphrase typed here
        opening = self.app.prefetch = opening_for(self.app.prefetch, self.db_path, passphrase,
                                                  self.app.ledger.rules_dir, self.app.ledger.today)
        self.start_work(opening.unlocked, name="unlock", exclusive=True)

    def set_status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#unlock-status", Static)
        status.update(text)
        status.set_class(error, "-error")

    def worker_failed(self, worker, error) -> None:
        field = self.query_one(Input)
        field.disabled = False
        field.value = ""
        field.focus()
        if isinstance(error, WrongPassphrase):
            self.attempts += 1
            self.set_status(_("Wrong passphrase. Try again.") + (f" ({self.attempts})" if self.attempts > 1 else ""),
                            error=True)
        elif isinstance(error, PartyLedgerError):
            self.set_status(str(error), error=True)
        else:
            super().worker_failed(worker, error)
            self.set_status("")

    def worker_succeeded(self, name: str, result) -> None:
        engine_source, rules = result
        self.app.unlocked(engine_source, rules)
