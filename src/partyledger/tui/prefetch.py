"""Unlock the ledger and read the dashboard's numbers beside Textual, then build the engine.

The slow parts of opening do not need the screen: deriving the key with argon2id (which releases the
GIL), loading the rules and assessing readiness (SQLite, which releases it too). They run in one
worker thread, in this order:

1. open (waited on by ``unlocked()``): ``ledger.unlock`` proves the key with plain sqlcipher3 and the
   rules are loaded;
2. assess (handed out by ``first_numbers()``): ``assess_readiness`` and the queue sizes on that same
   connection, whose reads are all plain SQL (``ledger/members/reads.py``);
3. the SQLAlchemy engine, from the derived key, only when ``start_engine`` is called (the dashboard
   calls it after its first paint) or when a screen first needs it (``__call__``).

Why that order: importing SQLAlchemy, SQLModel and the models is ~0.35 s of interpreter time that
holds the GIL, as does Textual's own start. Done before the dashboard it made the first screen with
numbers come 1.1 s after a bare Textual app's; done after, no one waits for it (issue 8's target is
0.5 s). A ledger with an older schema is migrated first (``db.engine_for_unlocked``, backup copy
included), so that path pays for the ORM up front.

A side thread imports the rules and report modules while argon2id runs (it releases the GIL), so the
worker finds them loaded once the key is proven.

The passphrase typed on the unlock screen goes the same way as one given at start
(``$PARTYLEDGER_PASSPHRASE``, the demo, the benchmark): the CLI starts this before importing
textual. This module must not import textual or, at module level, SQLAlchemy.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from partyledger.report.model import Readiness
    from partyledger.rules.model import RuleSet


class Prefetch:
    """One opening of the ledger, and the only code that knows how it runs (its futures and flags).

    What the rest of the app calls:

    - ``start_prefetch`` (the CLI, before textual is imported; ``make_app`` with a passphrase);
    - ``opening_for`` (the unlock screen, through ``claim``): this opening if nobody has claimed it
      yet, else a new one;
    - ``unlocked()`` (in the unlock screen's worker): waits for the key and the rules;
    - ``first_numbers(as_of)`` (the dashboard): the readiness assessed beside Textual, once;
    - ``start_engine()`` after the first paint, ``__call__`` for the engine (``LedgerState.engine_source``);
    - ``discard()`` when nobody will use it (locked, quit): safe to call more than once.
    """

    def __init__(self, db_path: Path, passphrase: str, rules_dir: Path | None, as_of: date) -> None:
        self.db_path, self.rules_dir, self.as_of = Path(db_path), rules_dir, as_of
        self._claimed = False            # the unlock screen took it (a second unlock needs a new opening)
        self._numbers_taken = False      # the dashboard shows the prefetched numbers once
        self._passphrase: str | None = passphrase
        self._unlocked = None            # ledger.unlock.Unlocked: the key, and the connection until assessed
        self._engine: Future | None = None
        self._discarded = False
        self._lock = threading.Lock()
        threading.Thread(target=_import_readers, name="partyledger-imports", daemon=True).start()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="partyledger-prefetch")
        self._opened: Future = self._pool.submit(self._open)           # -> (self, rules)
        self._dashboard: Future = self._pool.submit(self._assess)      # -> (Readiness, queue sizes)

    # --- what the screens call ----------------------------------------------------------------
    def unlocked(self, timeout: float | None = None) -> tuple[Prefetch, RuleSet]:
        """Wait for the key to be proven and the rules loaded: (this, as the engine source; the rules).

        Raises what opening raised (``WrongPassphrase``, ``LedgerError``...). Run it in a worker."""
        return self._opened.result(timeout)

    def first_numbers(self, as_of: date) -> Callable[..., tuple[Readiness, dict[str, int]]] | None:
        """The dashboard's first numbers, if this opening was claimed and assessed ``as_of`` and nobody
        took them yet: a callable that waits for (readiness, queue sizes), to run in a worker."""
        with self._lock:
            if not self._claimed or self._numbers_taken or as_of != self.as_of:
                return None
            self._numbers_taken = True
            return self._dashboard.result

    def claim(self) -> bool:
        """Take this opening for the unlock screen; False if it was claimed before or discarded."""
        with self._lock:
            if self._claimed or self._discarded:
                return False
            self._claimed = True
            return True

    # --- worker steps -------------------------------------------------------------------------
    def _open(self):
        from partyledger.ledger.members.reads import campaign_facts
        from partyledger.ledger.storage.unlock import SCHEMA_HEAD, Unlocked, connect, unlock
        from partyledger.rules import load_rules

        passphrase, self._passphrase = self._passphrase, None
        unlocked = unlock(self.db_path, passphrase)
        if not unlocked.current:
            from partyledger.ledger.storage.db import engine_for_unlocked

            unlocked.close()
            engine = engine_for_unlocked(unlocked)          # backup copy, then migrate
            self._engine = Future()
            self._engine.set_result(engine)
            unlocked = Unlocked(unlocked.path, unlocked.key, SCHEMA_HEAD, connect(unlocked.path, unlocked.key))
        self._unlocked = unlocked
        try:
            rules = load_rules(campaign_facts(unlocked.conn).jurisdiction, self.rules_dir)
        except BaseException:
            unlocked.close()
            raise
        return self, rules

    def _assess(self):
        from partyledger.ledger.members.reads import queue_sizes
        from partyledger.report import assess_readiness

        _, rules = self._opened.result()
        unlocked = self._unlocked
        try:
            return assess_readiness(unlocked.conn, rules, as_of=self.as_of), queue_sizes(unlocked.conn)
        finally:
            unlocked.close()

    def _build_engine(self):
        from partyledger.ledger.storage.db import engine_from_key

        self._opened.result()
        unlocked, self._unlocked = self._unlocked, None     # the key now lives in the engine only
        return engine_from_key(unlocked.path, unlocked.key)

    # --- the engine ---------------------------------------------------------------------------
    def start_engine(self) -> Future:
        """Start building the SQLAlchemy engine (once); it queues behind the dashboard's numbers."""
        with self._lock:
            if self._engine is None and self._discarded:   # locked before the paint's callback ran
                gone: Future = Future()
                gone.set_exception(RuntimeError("this opening of the ledger was discarded (locked or closed)"))
                return gone
            if self._engine is None:
                self._engine = self._pool.submit(self._build_engine)
            self._pool.shutdown(wait=False)         # nothing else will be queued
            return self._engine

    def __call__(self):
        """The engine, waiting for it if it is still being built (``LedgerState.engine_source``)."""
        return self.start_engine().result()

    def discard(self) -> None:
        """Nobody will use this opening (locked, quit, or never claimed): drop the key, dispose the engine."""
        with self._lock:
            if self._discarded:
                return
            self._discarded = True
            engine = self._engine
            if engine is None:
                self._pool.submit(self._forget)
                self._pool.shutdown(wait=False)
                return
        engine.add_done_callback(lambda f: f.exception() is None and f.result().dispose())

    def _forget(self) -> None:
        unlocked, self._unlocked = self._unlocked, None
        if unlocked is not None:
            unlocked.close()


def _import_readers() -> None:
    """Import what the worker needs after the key, while argon2id (no GIL) keeps it waiting."""
    import partyledger.ledger.members.reads  # noqa: F401
    import partyledger.report  # noqa: F401
    import partyledger.rules  # noqa: F401


def start_prefetch(db_path: Path, passphrase: str, rules_dir: Path | None, as_of: date) -> Prefetch:
    """Start opening the ledger now, beside whatever the caller does next (importing textual)."""
    return Prefetch(db_path, passphrase, rules_dir, as_of)


def opening_for(pending: Prefetch | None, db_path: Path, passphrase: str, rules_dir: Path | None,
                as_of: date) -> Prefetch:
    """The opening the unlock screen waits on, claimed: ``pending`` (started with the passphrase given at
    start) while nobody has claimed it, else a new one for the passphrase typed (the one it replaces,
    which failed or was locked, is discarded)."""
    if pending is not None:
        if pending.claim():
            return pending
        pending.discard()
    opening = Prefetch(db_path, passphrase, rules_dir, as_of)
    opening.claim()
    return opening
