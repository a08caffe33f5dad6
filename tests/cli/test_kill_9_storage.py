"""kill -9 at random points of a schema upgrade and of a passphrase change, on real encrypted ledgers.

Same method as test_kill_9.py: copy a prepared ledger, start the operation in its own process
(``storage_kill_worker.py``), wait for ``ready``, sleep a random time drawn over the operation's
measured length (a little past it, so some runs finish), SIGKILL, then look at what is on disk.

- upgrade (from the first release's schema, 0001, holding 1,500 members): before anything opens it
  again, the file holds exactly the old schema or exactly the new one (revision and the full list of
  tables, indexes and triggers), never a mix; then it opens with the passphrase (upgrading if it
  was the old one), verifies, and holds the same members.
- passphrase change: exactly one of the two passphrases opens the ledger, it verifies, holds the
  same members, and a second open with that passphrase works (the key files are consistent).

Five runs per operation in every test run; fifty with ``-m slow``.
"""

from __future__ import annotations

import csv
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from partyledger.errors import WrongPassphrase
from partyledger.files import file_sha256
from partyledger.ledger.intake import batches
from partyledger.ledger.storage import db, keyfile, unlock
from partyledger.ledger.storage.verify import verify_ledger
from partyledger.synthetic import UNIT_NAMES, make_people

WORKER = str(Path(__file__).with_name("storage_kill_worker.py"))
OLD, NEW = "correct horse", "battery staple"
OPS = ("upgrade", "rekey")


def _copy(src: Path, dest_dir: Path) -> Path:
    dest_dir.mkdir(parents=True, exist_ok=True)
    dest = dest_dir / src.name
    shutil.copy2(src, dest)
    shutil.copy2(keyfile.keyfile_path(src), keyfile.keyfile_path(dest))
    return dest


def schema(path: Path) -> tuple:
    """Revision and schema objects as stored, read without migrating."""
    opened = unlock.unlock(path, OLD)
    try:
        objects = tuple(opened.conn.execute("SELECT type, name FROM sqlite_master ORDER BY type, name").fetchall())
        return opened.revision, objects
    finally:
        opened.close()


def members(path: Path, passphrase: str) -> tuple:
    """Open (migrating if needed), verify, and read the members' identities."""
    engine = db.open_ledger(path, passphrase)
    try:
        with engine.connect() as conn:
            verdict = verify_ledger(conn)
            assert verdict.ok, verdict.findings[:5]
            return tuple(conn.execute(text("SELECT iin, surname, given_name, unit_code FROM member ORDER BY iin")))
    finally:
        engine.dispose()


def opens_with(path: Path) -> list[str]:
    works = []
    for candidate in (OLD, NEW):
        try:
            unlock.unlock(path, candidate).close()
            works.append(candidate)
        except WrongPassphrase:
            pass
    return works


@pytest.fixture(scope="module")
def prepared(tmp_path_factory) -> dict[str, Path]:
    from partyledger.importers import read_members
    from partyledger.rules import load_rules

    root = tmp_path_factory.mktemp("kill9storage")
    sheet = root / "signups.csv"
    with sheet.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["ИИН", "Фамилия", "Имя", "Область", "Телефон"])
        for p in make_people(1500, seed=1313):
            w.writerow([p.iin, p.surname, p.given_name, UNIT_NAMES[p.unit_code][0], p.phone])
    current = root / "current" / "party.db"
    engine = db.create_ledger(current, OLD, fast_kdf=True)
    with db.session_scope(engine) as s:
        data, mapped = read_members(sheet)
        src = batches.BatchSource(sheet.name, file_sha256(sheet), data.name, mapped.header.mapping)
        batches.import_rows(s, mapped.rows, src, units=load_rules("KZ").units, as_of=date(2026, 11, 1))
    engine.dispose()
    old = _copy(current, root / "old")
    engine = db.open_ledger(old, OLD)
    with engine.begin() as conn:
        command.downgrade(db._alembic_config(conn), "0001")
    engine.dispose()
    return {"upgrade": old, "rekey": current}


def _start(path: Path, op: str) -> tuple[subprocess.Popen, float]:
    proc = subprocess.Popen([sys.executable, WORKER, op, str(path)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline()
    assert line.strip() == "ready", (line, proc.stderr.read() if proc.poll() is not None else "")
    return proc, time.perf_counter()


def _outcome(op: str, path: Path, before, after, expected) -> str:
    if op == "upgrade":
        found = schema(path)
        assert found in (before, after), f"half-upgraded: revision {found[0]} with objects of neither schema"
        assert members(path, OLD) == expected
        return "after" if found == after else "before"
    works = opens_with(path)
    assert len(works) == 1, f"opens with {works or 'neither passphrase'}"
    assert members(path, works[0]) == expected
    assert opens_with(path) == works                   # the key files stay consistent after that open
    return "after" if works == [NEW] else "before"


def kill_campaign(op: str, runs: int, prepared, tmp_path, seed: int) -> Counter:
    ledger = prepared[op]
    before = schema(ledger) if op == "upgrade" else None
    reference = _copy(ledger, tmp_path / "reference")
    proc, started = _start(reference, op)
    assert proc.stdout.readline().strip() == "done", proc.stderr.read()
    length = time.perf_counter() - started
    assert proc.wait(timeout=300) == 0
    after = schema(reference) if op == "upgrade" else None
    expected = members(reference, OLD if op == "upgrade" else NEW)
    assert len(expected) == 1500
    rng = random.Random(seed)
    outcomes: Counter = Counter()
    for run in range(runs):
        path = _copy(ledger, tmp_path / f"run{run}")
        proc, started = _start(path, op)
        time.sleep(max(0.0, rng.uniform(0, 1.15 * length) - (time.perf_counter() - started)))
        proc.send_signal(signal.SIGKILL)
        code = proc.wait(timeout=60)
        proc.stdout.close()
        proc.stderr.close()
        state = _outcome(op, path, before, after, expected)
        outcomes[("killed" if code == -signal.SIGKILL else "finished", state)] += 1
        shutil.rmtree(path.parent)
    summary = ", ".join(f"{n} {how} ({st})" for (how, st), n in sorted(outcomes.items()))
    print(f"\nkill -9 {op}: {runs} runs over {length:.2f} s: {summary}", file=sys.stderr)
    assert outcomes[("killed", "before")] + outcomes[("killed", "after")] >= 1
    return outcomes


@pytest.mark.parametrize("op", OPS)
def test_kill_9_leaves_the_state_before_or_after(op, prepared, tmp_path):
    kill_campaign(op, 5, prepared, tmp_path, seed=OPS.index(op))


@pytest.mark.slow
@pytest.mark.parametrize("op", OPS)
def test_kill_9_fifty_times_leaves_the_state_before_or_after(op, prepared, tmp_path):
    outcomes = kill_campaign(op, 50, prepared, tmp_path, seed=200 + OPS.index(op))
    assert outcomes[("killed", "before")] and (outcomes[("killed", "after")] or outcomes[("finished", "after")])
