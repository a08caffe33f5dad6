"""What the app holds while the ledger is unlocked: the engine, the rules, and the date in use.

Only front ends read the clock; the app reads it once at start (or takes a date from the caller,
for tests and for "as of" views) and hands it down as a plain value. Locking disposes the engine,
which closes every SQLCipher connection and drops the key with it.

The engine may still be on its way when the dashboard shows: the app unlocks with plain sqlcipher3
and builds SQLAlchemy's engine after the first paint (``tui/prefetch.py``). ``engine_source`` then
gives it, waiting for it on first use; ``unlocked`` is already true.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterator


@dataclass
class LedgerState:
    db_path: Path
    rules_dir: Path | None = None
    today: date = field(default_factory=date.today)
    _engine: Any = None
    rules: Any = None
    jurisdiction: str = "KZ"
    engine_source: Callable[[], Any] | None = None    # gives the engine (waits for it) when not built yet

    _engine_lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @property
    def engine(self) -> Any:
        """The engine; the first caller waits for one still being built, and so does any other thread
        that asks meanwhile (a worker and the screen may both need it right after unlocking)."""
        if self._engine is None and self.engine_source is not None:
            with self._engine_lock:
                source = self.engine_source
                if self._engine is None and source is not None:
                    engine = source()
                    if self.engine_source is source:     # not locked meanwhile (then the source disposes it)
                        self._engine, self.engine_source = engine, None
        return self._engine

    @engine.setter
    def engine(self, engine: Any) -> None:
        self._engine, self.engine_source = engine, None

    @property
    def unlocked(self) -> bool:
        return self._engine is not None or self.engine_source is not None

    @contextmanager
    def session(self) -> Iterator[Any]:
        """A session that commits on success and rolls back on error (``db.session_scope``)."""
        from partyledger.ledger.storage.db import session_scope

        with session_scope(self.engine) as session:
            yield session

    def close(self) -> None:
        """Dispose the engine and forget it (and with it the derived key); one still being built is
        disposed when it is ready (``prefetch.Prefetch.discard``)."""
        engine, self._engine = self._engine, None
        source, self.engine_source = self.engine_source, None
        self.rules = None
        if engine is not None:
            engine.dispose()
        discard = getattr(source, "discard", None)
        if discard is not None:
            discard()

    def snapshot(self, as_of: date | None = None):
        return self.rules.at(as_of or self.today)
