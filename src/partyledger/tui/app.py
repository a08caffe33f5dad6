"""The partyledger terminal app: bindings, screens, the one error handler, idle lock, ``make_app()``.

Contract with the demo and the CLI (agreed with the lead)::

    make_app(db_path, *, rules_dir=None, demo=False, passphrase=None, idle_minutes=None,
             today=None, prefetch=None) -> PartyLedgerApp          # then app.run()

- ``demo=True`` makes the unlock screen say that the passphrase is ``demo``.
- ``passphrase`` unlocks at start (the CLI passes ``$PARTYLEDGER_PASSPHRASE``); after an idle lock
  the passphrase must be typed again, because that is the point of the lock.
- ``idle_minutes``: lock after this long without a key or mouse event; default
  ``$PARTYLEDGER_IDLE_MINUTES`` or 10. ``0`` turns it off.
- ``$PARTYLEDGER_THEME`` picks the starting theme (``textual-dark``, ``textual-light``, ...);
  Ctrl+T switches between light and dark.
- ``today``: the date the app treats as today (only front ends read the clock; tests pin it).
- ``prefetch``: from ``tui.prefetch.start_prefetch`` called *before* importing this module, so the
  key derivation and the first readiness assessment run while textual starts (the CLI does this);
  with a ``passphrase`` and no ``prefetch``, ``make_app`` starts one itself.

The app itself stays thin: screens live in ``tui/screens/`` (one per task) and are imported when
first opened, so start-up only pays for the unlock screen. Navigation is a hub: the dashboard sits
at the bottom of the stack and every other screen is pushed over it, so ``Esc`` always goes back
and a global key (``m``, ``i``, ...) jumps from anywhere without piling screens up.
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from datetime import date
from importlib import import_module
from pathlib import Path
from typing import Iterator

from textual import events
from textual.app import App
from textual.binding import Binding

from partyledger.errors import PartyLedgerError
from partyledger.presentation.i18n import _
from partyledger.tui.state import LedgerState

# name -> (module, class). Only screens whose services exist are listed here, so a key never leads
# to an empty or made-up screen.
SCREENS_BY_NAME: dict[str, tuple[str, str]] = {
    "dashboard": ("partyledger.tui.screens.dashboard", "DashboardScreen"),
    "members": ("partyledger.tui.screens.members", "MembersScreen"),
    "import": ("partyledger.tui.screens.importer", "ImportScreen"),
    "review": ("partyledger.tui.screens.review", "ReviewScreen"),
    "congress": ("partyledger.tui.screens.congress", "CongressScreen"),
    "report": ("partyledger.tui.screens.report", "ReportScreen"),
}

DEFAULT_IDLE_MINUTES = 10.0


class PartyLedgerApp(App[None]):
    """Organizers' daily tool; see the module docstring for how it is put together."""

    CSS_PATH = Path(__file__).with_name("app.tcss")   # absolute: subclasses (bench, demo) live elsewhere
    TITLE = "partyledger"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("d", "go('dashboard')", _("Dashboard")),
        Binding("m", "go('members')", _("Members")),
        Binding("i", "go('import')", _("Import")),
        Binding("v", "go('review')", _("Review")),
        Binding("c", "go('congress')", _("Congress")),
        Binding("r", "go('report')", _("Report")),
        Binding("question_mark", "help", _("Keys"), key_display="?"),
        Binding("ctrl+l", "lock", _("Lock")),
        Binding("ctrl+t", "toggle_theme", _("Light/dark")),
        Binding("ctrl+q", "quit", _("Quit"), priority=True),
    ]

    def __init__(self, db_path: Path, *, rules_dir: Path | None = None, demo: bool = False,
                 passphrase: str | None = None, idle_minutes: float | None = None,
                 today: date | None = None, prefetch=None) -> None:
        super().__init__()
        self.ledger = LedgerState(Path(db_path), rules_dir, today or date.today())
        if passphrase and prefetch is None:
            from partyledger.tui.prefetch import start_prefetch

            prefetch = start_prefetch(self.ledger.db_path, passphrase, rules_dir, self.ledger.today)
        self.prefetch = prefetch
        self.demo = demo
        self._start_passphrase = passphrase
        if idle_minutes is None:
            idle_minutes = float(os.environ.get("PARTYLEDGER_IDLE_MINUTES", DEFAULT_IDLE_MINUTES))
        self.idle_seconds = max(idle_minutes, 0.0) * 60
        self.last_activity = time.monotonic()
        self.errors_shown: list[BaseException] = []
        self.theme = os.environ.get("PARTYLEDGER_THEME", "textual-dark")

    # --- start, unlock, lock -------------------------------------------------------------------
    def on_mount(self) -> None:
        from partyledger.tui.screens.unlock import UnlockScreen

        self.push_screen(UnlockScreen(self.ledger.db_path, demo=self.demo, passphrase=self._start_passphrase))
        self._start_passphrase = None
        if self.idle_seconds:
            self.set_interval(min(5.0, self.idle_seconds / 4), self.lock_if_idle)

    def on_unmount(self) -> None:
        """Close the ledger on the way out (and an opening nobody took: its key, its engine)."""
        self.ledger.close()
        prefetch, self.prefetch = self.prefetch, None
        if prefetch is not None:
            prefetch.discard()

    def unlocked(self, engine_source, rules) -> None:
        """Called by the unlock screen once the key is proven: show the dashboard. ``engine_source``
        gives the SQLAlchemy engine, which may still be on its way (``tui/prefetch.py``)."""
        self.ledger.engine_source = engine_source
        self.ledger.rules = rules
        self.last_activity = time.monotonic()
        self.switch_screen(self._make_screen("dashboard"))

    def action_lock(self) -> None:
        """Back to the unlock screen; the engine is disposed and the key forgotten."""
        from partyledger.tui.screens.unlock import UnlockScreen

        if not self.ledger.unlocked:
            return
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.ledger.close()
        self.switch_screen(UnlockScreen(self.ledger.db_path, demo=self.demo, locked=True))

    def lock_if_idle(self) -> None:
        if not self.ledger.unlocked or time.monotonic() - self.last_activity < self.idle_seconds:
            return
        if any(w.group == "long" and not w.is_finished for w in self.workers):
            return  # never pull the engine from under an import; lock as soon as it ends
        self.action_lock()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)):
            self.last_activity = time.monotonic()
        await super().on_event(event)

    # --- navigation ----------------------------------------------------------------------------
    def _make_screen(self, name: str):
        module, cls = SCREENS_BY_NAME[name]
        return getattr(import_module(module), cls)()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "go":
            return self.ledger.unlocked and parameters[0] in SCREENS_BY_NAME
        if action == "lock":
            return self.ledger.unlocked
        return True

    def action_go(self, name: str) -> None:
        if not self.ledger.unlocked or name not in SCREENS_BY_NAME:
            return
        if getattr(self.screen, "SCREEN_NAME", None) == name:
            return
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if name != "dashboard":
            self.push_screen(self._make_screen(name))

    @staticmethod
    def available_screens() -> set[str]:
        return set(SCREENS_BY_NAME)

    def action_toggle_theme(self) -> None:
        """Light for a bright room or a projector at the congress, dark otherwise."""
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    def action_help(self) -> None:
        from partyledger.tui.screens.help import HelpModal

        if type(self.screen).__name__ != "HelpModal":
            self.push_screen(HelpModal(self.screen))

    # --- errors --------------------------------------------------------------------------------
    def show_error(self, error: BaseException) -> None:
        """The one error handler: every failure a user can meet is shown here, never as a traceback."""
        from partyledger.tui.widgets.error_modal import ErrorModal

        self.errors_shown.append(error)
        self.push_screen(ErrorModal(error))

    def _fatal_error(self) -> None:
        """A bug on the UI thread ends the app: say so in one line, without Textual's traceback.

        Textual's default traceback shows local variables, which here are members' names and IINs;
        ``PARTYLEDGER_DEBUG=1`` brings back a traceback, still without locals.
        """
        from rich.segment import Segments
        from rich.text import Text

        error = self._exception
        lines: list = [Text(f"partyledger stopped because of a bug: {type(error).__name__}: {error}\n"
                            "Work already saved is safe. Please report this.", style="bold red")]
        if os.environ.get("PARTYLEDGER_DEBUG"):
            from rich.traceback import Traceback

            lines.append(Traceback.from_exception(type(error), error, error.__traceback__, show_locals=False))
        for item in lines:
            self._exit_renderables.append(Segments(self.console.render(item, self.console.options)))
        self._close_messages_no_wait()

    @contextmanager
    def reporting_errors(self) -> Iterator[None]:
        """For quick service calls on the UI thread: a ``PartyLedgerError`` goes to ``show_error``."""
        try:
            yield
        except PartyLedgerError as error:
            self.show_error(error)


def make_app(db_path: Path, *, rules_dir: Path | None = None, demo: bool = False,
             passphrase: str | None = None, idle_minutes: float | None = None,
             today: date | None = None, prefetch=None) -> PartyLedgerApp:
    """Build the app; see the module docstring for the contract with ``demo`` and the CLI."""
    return PartyLedgerApp(db_path, rules_dir=rules_dir, demo=demo, passphrase=passphrase,
                          idle_minutes=idle_minutes, today=today, prefetch=prefetch)
