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
    from partyledger.files import file_sha256
    from partyledger.ledger.intake import batch_records, batches
    from partyledger.ledger.members import service
    from partyledger.ledger.storage import db
    from partyledger.rules import load_rules

    units = load_rules("KZ").units
    engine = db.open_ledger(ledger, "correct horse")
    print("ready", flush=True)
    with db.session_scope(engine) as session:
        if op == "import":
            from partyledger.importers import read_members

            path = Path(arg)
            data, mapped = read_members(path)
            source = batches.BatchSource(path.name, file_sha256(path), data.name, mapped.header.mapping)
            batches.import_rows(session, mapped.rows, source, units=units, as_of=date(2026, 11, 1))
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
