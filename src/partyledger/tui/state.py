"""What the app holds while the ledger is unlocked: the engine, the rules, and the date in use.

Only front ends read the clock; the app reads it once at start (or takes a date from the caller,
for tests and for "as of" views) and hands it down as a plain value. Locking disposes the engine,
which closes every SQLCipher connection and drops the key with it.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterator


@dataclass
class LedgerState:
    db_path: Path
    rules_dir: Path | None = None
    today: date = field(default_factory=date.today)
    engine: Any = None
    rules: Any = None
    jurisdiction: str = "KZ"

    @property
    def unlocked(self) -> bool:
        return self.engine is not None

    @contextmanager
    def session(self) -> Iterator[Any]:
        """A session that commits on success and rolls back on error (``db.session_scope``)."""
        from partyledger.ledger.db import session_scope

        with session_scope(self.engine) as session:
            yield session

    def close(self) -> None:
        """Dispose the engine and forget it (and with it the derived key)."""
        engine, self.engine = self.engine, None
        self.rules = None
        if engine is not None:
            engine.dispose()

    def snapshot(self, as_of: date | None = None):
        return self.rules.at(as_of or self.today)
