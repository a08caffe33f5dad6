"""An upgrade or a passphrase change in its own process, for the kill -9 tests (test_kill_9_storage.py).

    python storage_kill_worker.py upgrade|rekey LEDGER

Imports everything the operation needs, prints ``ready`` (the parent starts its random kill delay
there, so kills land in the operation, not in interpreter start-up), runs it exactly as the
commands do (``db.open_ledger`` migrates an older ledger; ``rekey.change_passphrase`` is
``partyledger passphrase``), and prints ``done``.
"""

from __future__ import annotations

import sys

OLD, NEW = "correct horse", "battery staple"


def main(op: str, ledger: str) -> None:
    from alembic import command  # noqa: F401 - loaded before "ready", as a running command has it
    from alembic.script import ScriptDirectory  # noqa: F401

    from partyledger.ledger.storage import db, rekey
    import partyledger.ledger.models  # noqa: F401

    print("ready", flush=True)
    if op == "upgrade":
        db.open_ledger(ledger, OLD).dispose()
    elif op == "rekey":
        rekey.change_passphrase(ledger, OLD, NEW, fast_kdf=True)
    else:
        raise SystemExit(f"unknown op {op}")
    print("done", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:3])
