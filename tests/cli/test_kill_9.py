"""kill -9 at random points of an import, a merge and an undo, on real encrypted ledgers.

Each run copies a prepared ledger, starts the operation in its own process (``kill_worker.py``, the
same library calls as the commands), waits for it to have opened the ledger, sleeps a random time
drawn over the operation's measured length (a little past its end, so some runs finish), and sends
SIGKILL. Then the ledger must open with its passphrase, ``verify`` must find nothing, and its
state (member rows, batches, merges, change records, roles, audit actions; timestamps and seals
left out, they differ between runs) must equal either the state before or the state after the
operation. Five runs per operation in every test run; fifty with ``-m slow``.
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
from sqlalchemy import text

from partyledger.files import file_sha256
from partyledger.ledger.intake import batches
from partyledger.ledger.storage import db
from partyledger.ledger.members import roles
from partyledger.ledger.storage.keyfile import keyfile_path
from partyledger.ledger.storage.verify import verify_ledger
from partyledger.synthetic import UNIT_NAMES, make_people

WORKER = str(Path(__file__).with_name("kill_worker.py"))
PASS = "correct horse"
OPS = ("import", "merge", "undo")
VOLATILE = {"created_at", "updated_at", "row_hash"}


def _copy(src: Path, dest_dir: Path) -> Path:
    dest_dir.mkdir(parents=True, exist_ok=True)
    dest = dest_dir / src.name
    shutil.copy2(src, dest)
    shutil.copy2(keyfile_path(src), keyfile_path(dest))
    return dest


def state(path: Path) -> tuple:
    """What the ledger holds, after checking it opens and verifies."""
    engine = db.open_ledger(path, PASS)
    try:
        with engine.connect() as conn:
            verdict = verify_ledger(conn)
            assert verdict.ok, verdict.findings[:5]
            cols = [r[1] for r in conn.execute(text("PRAGMA table_info(member)")) if r[1] not in VOLATILE]
            members = tuple(conn.execute(text(f"SELECT {', '.join(cols)} FROM member ORDER BY id")))
            rest = tuple(tuple(conn.execute(text(sql))) for sql in (
                "SELECT id, state FROM importbatch ORDER BY id",
                "SELECT id, kept_member_id, undone_at IS NULL FROM merge ORDER BY id",
                "SELECT batch_id, member_id, action FROM batchchange ORDER BY id",
                "SELECT member_id, kind FROM role ORDER BY id",
                "SELECT count(*), state FROM quarantinerow GROUP BY state",
                "SELECT action FROM auditevent ORDER BY id",
                "SELECT type, name, sql FROM sqlite_master ORDER BY type, name"))
    finally:
        engine.dispose()
    return members, rest


def _people_csv(path: Path, people, phones: bool) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["ИИН", "Фамилия", "Имя", "Область", "Телефон"])
        for p in people:
            w.writerow([p.iin, p.surname, p.given_name, UNIT_NAMES[p.unit_code][0], p.phone if phones else ""])
    return path


@pytest.fixture(scope="module")
def prepared(tmp_path_factory) -> dict[str, tuple[Path, str]]:
    """For each operation: a ledger to run it on, and its argument."""
    from partyledger.importers import read_members
    from partyledger.rules import load_rules

    root = tmp_path_factory.mktemp("kill9")
    people = make_people(3200, seed=909)
    early = _people_csv(root / "early.csv", people[:200], phones=False)
    signups = _people_csv(root / "signups.csv", people, phones=True)     # 3000 new, 200 get their phone
    units = load_rules("KZ").units

    def run_import(engine, path: Path) -> int:
        with db.session_scope(engine) as s:
            data, mapped = read_members(path)
            src = batches.BatchSource(path.name, file_sha256(path), data.name, mapped.header.mapping)
            return batches.import_rows(s, mapped.rows, src, units=units, as_of=date(2026, 11, 1)).batch_id

    base = root / "base" / "party.db"
    engine = db.create_ledger(base, PASS, fast_kdf=True)
    run_import(engine, early)
    with db.session_scope(engine) as s:
        roles.add_role(s, people[1].iin, "group", since=date(2026, 1, 1))
    engine.dispose()
    loaded = _copy(base, root / "loaded")
    engine = db.open_ledger(loaded, PASS)
    batch_id = run_import(engine, signups)
    engine.dispose()
    return {"import": (base, str(signups)), "merge": (base, f"{people[0].iin},{people[1].iin}"),
            "undo": (loaded, str(batch_id))}


def _start(path: Path, op: str, arg: str) -> tuple[subprocess.Popen, float]:
    proc = subprocess.Popen([sys.executable, WORKER, op, str(path), arg], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline()
    assert line.strip() == "ready", (line, proc.stderr.read() if proc.poll() is not None else "")
    return proc, time.perf_counter()


def kill_campaign(op: str, runs: int, prepared, tmp_path, seed: int) -> Counter:
    ledger, arg = prepared[op]
    before = state(ledger)
    reference = _copy(ledger, tmp_path / "reference")
    proc, started = _start(reference, op, arg)
    assert proc.stdout.readline().strip() == "done", proc.stderr.read()
    length = time.perf_counter() - started          # ready to committed: where the kills should land
    assert proc.wait(timeout=300) == 0
    after = state(reference)
    assert after != before
    rng = random.Random(seed)
    outcomes: Counter = Counter()
    for run in range(runs):
        path = _copy(ledger, tmp_path / f"run{run}")
        proc, started = _start(path, op, arg)
        time.sleep(max(0.0, rng.uniform(0, 1.15 * length) - (time.perf_counter() - started)))
        proc.send_signal(signal.SIGKILL)
        code = proc.wait(timeout=60)
        proc.stdout.close()
        proc.stderr.close()
        now = state(path)
        assert now in (before, after), f"run {run}: the ledger holds neither the state before nor after {op}"
        outcomes[("killed" if code == -signal.SIGKILL else "finished", "after" if now == after else "before")] += 1
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
    outcomes = kill_campaign(op, 50, prepared, tmp_path, seed=100 + OPS.index(op))
    assert outcomes[("killed", "before")] and (outcomes[("killed", "after")] or outcomes[("finished", "after")])
