"""Open the ledger and read the dashboard numbers while Textual is still starting.

When the passphrase is known at start (``$PARTYLEDGER_PASSPHRASE``, the demo, the benchmark), the
slow parts of start-up do not need the screen: importing the storage layer, deriving the key with
argon2id (which releases the GIL), loading the rules and assessing readiness. Started before
``textual`` is imported, they run beside it, and the unlock and dashboard screens take the results
instead of starting the same work again. This module must not import textual.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path


@dataclass
class Prefetch:
    as_of: date
    opened: Future          # -> (engine, rules), or the error (wrong passphrase, missing file)
    dashboard: Future       # -> (Readiness, open quarantine count)
    claimed: bool = False   # the unlock screen took the engine; an unclaimed one is disposed


def start_prefetch(db_path: Path, passphrase: str, rules_dir: Path | None, as_of: date) -> Prefetch:
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="partyledger-prefetch")

    def open_it():
        from partyledger.tui.loading import open_and_load

        return open_and_load(Path(db_path), passphrase, rules_dir)

    def assess():
        from partyledger.tui.loading import gather
        from partyledger.tui.state import LedgerState

        engine, rules = opened.result()
        return gather(LedgerState(Path(db_path), rules_dir, as_of, engine, rules), as_of)

    opened = pool.submit(open_it)
    dashboard = pool.submit(assess)
    pool.shutdown(wait=False)
    return Prefetch(as_of, opened, dashboard)
