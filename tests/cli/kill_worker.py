"""One ledger operation in its own process, for the kill -9 tests (tests/cli/test_kill_9.py).

    python kill_worker.py import|merge|undo LEDGER ARG

Opens the ledger, prints ``ready`` (the parent starts its random kill delay there, so kills land in
the operation rather than in interpreter start-up), runs the same library calls as the matching
command (``partyledger import FILE``, ``dedupe merge KEEP ABSORB``, ``undo BATCH_ID``) in one
session, commits, and prints ``done``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("PARTYLEDGER_KDF_FAST", "1")


def main(op: str, ledger: str, arg: str) -> None:
    from datetime import date

    from partyledger.ledger.dedupe.merge import merge
    from partyledger.ledger.intake import batch_records
    from partyledger.ledger.members import service
    from partyledger.ledger.storage import db
    from partyledger.rules import load_rules

    units = load_rules("KZ").units
    engine = db.open_ledger(ledger, "correct horse")
    print("ready", flush=True)
    with db.session_scope(engine) as session:
        if op == "import":
            from partyledger.importers.run import open_file, prepare, run
            from partyledger.ledger.intake import bulk

            # the test's 3,000 new members onto 200 take the path a 20,000-row batch takes in use:
            # secondary indexes dropped and rebuilt inside the batch's transaction
            bulk.MIN_ROWS = 1_000
            opened = open_file(Path(arg))
            run(session, prepare(session, opened), units=units, as_of=date(2026, 11, 1), actor="kill-test")
        elif op == "merge":
            keep, absorb = arg.split(",")
            merge(session, service.get_member(session, keep).id, service.get_member(session, absorb).id)
        elif op == "undo":
            batch_records.undo_batch(session, int(arg))
        else:
            raise SystemExit(f"unknown op {op}")
    engine.dispose()
    print("done", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:4])
