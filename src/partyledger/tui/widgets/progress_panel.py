"""Progress of a long operation: a bar, rows per second, time left, and a way to cancel.

The core reports progress through ``on_progress(Progress)`` from a worker thread. The callback made
here posts a message (thread-safe) at most ten times a second, so a fast import is not slowed by
redrawing and the screen never waits on the worker.
"""

from __future__ import annotations

import threading
import time

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Button, ProgressBar, Static

from partyledger.presentation.i18n import _
from partyledger.progress import Progress


def _fmt_seconds(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    return f"{seconds // 60}:{seconds % 60:02d}"


class ProgressPanel(Widget):
    """Hidden until ``begin()``; shows the stage, bar, rate and time left of the running operation."""

    class Advanced(Message):
        """A progress report arrived from the worker."""

        def __init__(self, progress: Progress) -> None:
            super().__init__()
            self.progress = progress

    class CancelRequested(Message):
        """The user pressed Cancel; the screen's cancel event has already been set."""

    active: reactive[bool] = reactive(False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.cancel_event = threading.Event()
        self._started = 0.0
        self._last_post = 0.0
        self.last: Progress | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="progress-stage")
        with Horizontal(id="progress-row"):
            yield ProgressBar(total=None, show_eta=False, id="progress-bar")
            yield Static("", id="progress-rate")
            yield Button(_("Cancel"), id="progress-cancel", variant="warning")

    def watch_active(self, active: bool) -> None:
        self.set_class(active, "-active")

    def begin(self, stage: str) -> threading.Event:
        """Show the panel for a new operation; returns the cancel event to hand to the service."""
        self.cancel_event = threading.Event()
        self._started = time.monotonic()
        self.last = None
        self.query_one("#progress-stage", Static).update(stage)
        self.query_one("#progress-rate", Static).update("")
        self.query_one("#progress-bar", ProgressBar).update(total=None, progress=0)
        self.query_one("#progress-cancel", Button).disabled = False
        self.active = True
        return self.cancel_event

    def end(self) -> None:
        self.active = False

    def callback(self):
        """An ``on_progress`` for the core, safe to call from a worker thread."""
        def on_progress(progress: Progress) -> None:
            now = time.monotonic()
            finished = progress.total is not None and progress.done >= progress.total
            if finished or now - self._last_post >= 0.1:
                self._last_post = now
                self.post_message(self.Advanced(progress))
        return on_progress

    def on_progress_panel_advanced(self, message: Advanced) -> None:
        message.stop()
        self.show(message.progress)

    def show(self, progress: Progress) -> None:
        self.last = progress
        elapsed = max(time.monotonic() - self._started, 1e-6)
        rate = progress.done / elapsed
        self.query_one("#progress-stage", Static).update(progress.stage)
        self.query_one("#progress-bar", ProgressBar).update(total=progress.total, progress=progress.done)
        text = _("{rate:,.0f} rows/s").format(rate=rate)
        if progress.total and rate > 0:
            left = (progress.total - progress.done) / rate
            text += "  " + _("{left} left").format(left=_fmt_seconds(left))
        self.query_one("#progress-rate", Static).update(text)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "progress-cancel":
            event.stop()
            self.request_cancel()

    def request_cancel(self) -> None:
        if self.active and not self.cancel_event.is_set():
            self.cancel_event.set()
            self.query_one("#progress-stage", Static).update(_("Cancelling: nothing will be written"))
            self.query_one("#progress-cancel", Button).disabled = True
            self.post_message(self.CancelRequested())
