"""Progress reporting for long operations, without any front-end dependency.

Every long operation (import, dedupe scan, report over a big ledger, export) takes
``on_progress: ProgressCallback | None`` and ``cancel: threading.Event | None``. The CLI renders
progress with rich on stderr, the TUI with a worker and a progress panel.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from partyledger.errors import Cancelled


@dataclass(frozen=True)
class Progress:
    """How far an operation is: ``done`` of ``total`` units (None when unknown) in ``stage``."""

    done: int
    total: int | None
    stage: str


ProgressCallback = Callable[[Progress], None]


def report(on_progress: ProgressCallback | None, done: int, total: int | None, stage: str) -> None:
    """Call the callback if there is one; keeps call sites one line long."""
    if on_progress is not None:
        on_progress(Progress(done, total, stage))


def check_cancel(cancel: threading.Event | None) -> None:
    """Raise ``Cancelled`` if the user asked to stop; callers roll back their transaction."""
    if cancel is not None and cancel.is_set():
        raise Cancelled("cancelled by the user", "nothing was written")
