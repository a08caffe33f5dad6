"""Behaviour every ledger screen shares: background work with one error path.

Textual posts ``Worker.StateChanged`` to the node that started the worker and does not bubble it,
so each screen forwards failures to the one app-level handler (``PartyLedgerApp.show_error``) from
here, and hands successes to ``worker_succeeded`` by worker name. Workers never exit the app on
error (``exit_on_error=False``): a failed import must not take the session down.
"""

from __future__ import annotations

from typing import Any, Callable

from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from partyledger.errors import Cancelled
from partyledger.presentation.i18n import _
from partyledger.tui.widgets.progress_panel import ProgressPanel


class LedgerScreen(Screen):
    """A screen over the unlocked ledger (``self.app.ledger``)."""

    SCREEN_NAME = ""

    BINDINGS = [Binding("escape", "back", _("Back"))]

    @property
    def ledger(self):
        return self.app.ledger

    def action_back(self) -> None:
        """Esc first cancels long work shown in a progress panel; otherwise it goes back."""
        for panel in self.query(ProgressPanel):
            if panel.active:
                panel.request_cancel()
                return
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()

    def start_work(self, fn: Callable[[], Any], *, name: str, long: bool = False,
                   exclusive: bool = False) -> Worker:
        """Run ``fn`` in a thread; ``long`` marks work that idle-lock must wait for."""
        group = "long" if long else name
        return self.run_worker(fn, name=name, group=group, thread=True, exit_on_error=False,
                               exclusive=exclusive)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if event.state == WorkerState.ERROR:
            self.worker_failed(worker, worker.error)
        elif event.state == WorkerState.SUCCESS and (self.app.ledger.unlocked or self.SCREEN_NAME == "unlock"):
            self.worker_succeeded(worker.name, worker.result)

    def worker_failed(self, worker: Worker, error: BaseException | None) -> None:
        if not self.app.ledger.unlocked and self.SCREEN_NAME != "unlock":
            return   # the ledger was locked under a running read; nothing to tell
        if isinstance(error, Cancelled):
            self.notify(_("Cancelled; nothing was written."), severity="warning")
        elif error is not None:
            self.app.show_error(error)

    def worker_succeeded(self, name: str, result: Any) -> None:
        """Override: called on the UI thread with the worker's return value."""
