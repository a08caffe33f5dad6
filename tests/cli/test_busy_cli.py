"""A ledger another process is writing to: writers wait, then say so in one line without member data.

Real processes on a real encrypted ledger: an import holds SQLite's write lock for its whole batch,
so a second writer waits (``PARTYLEDGER_BUSY_SECONDS``, default 60 s) and either gets its turn or
exits 2 naming the situation. Every write a command acknowledged (exit 0) must be in the ledger.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from partyledger.ledger.storage import db, keyfile, unlock
from partyledger.ledger.members import service
from partyledger.synthetic import UNIT_NAMES, make_people

CLI = str(Path(sys.executable).parent / "partyledger")
PW = "correct horse"
PEOPLE = make_people(6010, seed=55)


def env(**extra: str) -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if k != "PARTYLEDGER_DB"}
    e.update(PARTYLEDGER_KDF_FAST="1", PARTYLEDGER_PASSPHRASE=PW, **extra)
    return e


def add_args(path: Path, person) -> list[str]:
    return [CLI, "--db", str(path), "members", "add", "--iin", person.iin, "--surname", person.surname,
            "--given-name", person.given_name, "--unit", "75", "--joined-on", "2024-05-01"]   # Almaty: never split


def sheet(path: Path, people) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["ИИН", "Фамилия", "Имя", "Область", "Телефон"])
        for p in people:
            w.writerow([p.iin, p.surname, p.given_name, UNIT_NAMES[p.unit_code][0], p.phone])
    return path


def stored(path: Path) -> set[str]:
    engine = db.open_ledger(path, PW)
    with db.session_scope(engine) as s:
        found = {m.iin for m in service.list_members(s, limit=100_000).rows}
    engine.dispose()
    return found


@pytest.fixture()
def ledger(tmp_path) -> Path:
    path = tmp_path / "party.db"
    db.create_ledger(path, PW, fast_kdf=True).dispose()
    return path


def hold_write_lock(path: Path):
    """Another writer in the middle of a transaction (as an import is for its whole batch)."""
    key = keyfile.derive_key(PW, keyfile.read_keyfile(keyfile.keyfile_path(path), path))
    conn = unlock.connect(path, key)
    conn.execute("BEGIN IMMEDIATE")
    return conn


def test_a_writer_that_waits_too_long_says_busy_in_one_line_without_member_data(ledger):
    holder = hold_write_lock(ledger)
    try:
        person = PEOPLE[0]
        done = subprocess.run(add_args(ledger, person), capture_output=True, text=True, timeout=60,
                              env=env(PARTYLEDGER_BUSY_SECONDS="1"), stdin=subprocess.DEVNULL)
    finally:
        holder.rollback()
        holder.close()
    assert done.returncode == 2, done.stderr
    [line] = done.stderr.strip().splitlines()
    assert "the ledger" in line and "is busy" in line and "try again when it ends" in line
    for private in (person.iin, person.surname, person.given_name):
        assert private not in done.stderr
    assert person.iin not in stored(ledger)


def test_a_writer_waits_for_the_lock_and_then_stores_its_change(ledger):
    holder = hold_write_lock(ledger)
    release = threading.Timer(1.5, lambda: (holder.commit(), holder.close()))
    release.start()
    done = subprocess.run(add_args(ledger, PEOPLE[1]), capture_output=True, text=True, timeout=60,
                          env=env(PARTYLEDGER_BUSY_SECONDS="30"), stdin=subprocess.DEVNULL)
    release.join()
    assert done.returncode == 0, done.stderr
    assert PEOPLE[1].iin in stored(ledger)


def test_two_imports_and_adds_at_once_store_every_acknowledged_write(ledger, tmp_path):
    first = sheet(tmp_path / "first.csv", PEOPLE[10:3010])
    second = sheet(tmp_path / "second.csv", PEOPLE[3010:6010])
    procs = [subprocess.Popen([CLI, "--db", str(ledger), "import", str(f)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env(), stdin=subprocess.DEVNULL)
             for f in (first, second)]
    procs[0].stderr.readline()                          # "Importing ...": the first one is under way
    adds = [subprocess.Popen(add_args(ledger, p), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=env(), stdin=subprocess.DEVNULL) for p in PEOPLE[2:6]]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs + adds]
    failed = [(i, code, err) for i, (code, err) in enumerate(results) if code != 0]
    assert failed == []
    assert stored(ledger) == {p.iin for p in PEOPLE[10:6010]} | {p.iin for p in PEOPLE[2:6]}
