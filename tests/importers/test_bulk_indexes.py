"""A batch large against the ledger is written with the secondary indexes off and rebuilt after
(``ledger/intake/bulk.py``): the ledger must end exactly as a row-by-row import leaves it (same schema
text, same rows, tally equal to a count, seals verified), and a cancel half-way must leave it as before.

The size threshold is lowered for these tests (``bulk.MIN_ROWS``) so that a few dozen real rows in a
real encrypted ledger take the bulk path; everything else is the product's own code.
"""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import text

import import_builders as b
from partyledger.errors import Cancelled
from partyledger.importers.run import open_file, prepare, run
from partyledger.ledger.intake import bulk
from partyledger.ledger.storage.db import create_ledger, session_scope
from partyledger.ledger.storage.verify import verify_ledger
from partyledger.rules import load_rules
from partyledger.synthetic import UNIT_NAMES, make_people

AS_OF = date(2026, 11, 1)
UNITS = load_rules("KZ").units
PEOPLE = make_people(60, seed=123, as_of=AS_OF)
HEADER = ["ИИН", "Фамилия", "Имя", "Область", "Населённый пункт"]
SCHEMA = "SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN ('member', 'member_tally') ORDER BY type, name"
VOLATILE = {"created_at", "updated_at", "row_hash"}


def sheet(tmp_path, name, people):
    rows = [[p.iin, p.surname, p.given_name, UNIT_NAMES[p.unit_code][0], p.locality] for p in people]
    return b.workbook(tmp_path / name, [HEADER] + rows)


def do_import(engine, path, *, cancel=None, on_progress=None):
    opened = open_file(path)
    with session_scope(engine) as s:
        return run(s, prepare(s, opened), units=UNITS, as_of=AS_OF, actor="test", cancel=cancel,
                   on_progress=on_progress)


def state(engine) -> tuple:
    """Schema text, member rows (without timestamps and seals), the tally, and a count to hold it against."""
    with engine.connect() as c:
        cols = [r[1] for r in c.execute(text("PRAGMA table_info(member)")) if r[1] not in VOLATILE]
        return (tuple(c.execute(text(SCHEMA))),
                tuple(c.execute(text(f"SELECT {', '.join(cols)} FROM member ORDER BY id"))),
                dict(((u, l), n) for u, l, n in c.execute(text("SELECT unit_code, locality, n FROM member_tally "
                                                                 "WHERE n > 0"))),
                dict(((u, l), n) for u, l, n in c.execute(text(
                    "SELECT coalesce(unit_code, ''), coalesce(locality, ''), count(*) FROM member GROUP BY 1, 2"))))


def indexes_off_calls(monkeypatch) -> list:
    """Record each time an import turns the indexes off (the real code still runs)."""
    seen: list = []
    original = bulk.IndexesOff.__init__

    def spy(self, conn):
        seen.append(True)
        original(self, conn)
    monkeypatch.setattr(bulk.IndexesOff, "__init__", spy)
    return seen


def used_bulk(engine, path, monkeypatch, min_rows: int) -> tuple:
    """Import ``path`` with the threshold at ``min_rows``; whether the indexes went off, and the end state."""
    monkeypatch.setattr(bulk, "MIN_ROWS", min_rows)
    seen = indexes_off_calls(monkeypatch)
    do_import(engine, path)
    return bool(seen), state(engine)


def test_a_large_batch_ends_exactly_as_a_row_by_row_import(tmp_path, monkeypatch):
    first, second = sheet(tmp_path, "a.xlsx", PEOPLE[:10]), sheet(tmp_path, "b.xlsx", PEOPLE[10:])
    bulk_ledger = create_ledger(tmp_path / "bulk.db", "pw")
    plain_ledger = create_ledger(tmp_path / "plain.db", "pw")
    try:
        fresh = state(bulk_ledger)[0]
        # 10 rows into an empty ledger, then 50 new ones into a ledger of 10: both "large" at 10 rows
        assert used_bulk(bulk_ledger, first, monkeypatch, 10)[0]
        took, after_bulk = used_bulk(bulk_ledger, second, monkeypatch, 10)
        assert took
        assert not used_bulk(plain_ledger, first, monkeypatch, 10**9)[0]
        took, after_plain = used_bulk(plain_ledger, second, monkeypatch, 10**9)
        assert not took
        schema, rows, tally, counted = after_bulk
        assert schema == fresh == after_plain[0]              # every index and trigger back, word for word
        assert len(rows) == 60 and rows == after_plain[1]
        assert tally == counted == after_plain[2]             # the tally the report reads equals a count
        with bulk_ledger.connect() as c:
            assert verify_ledger(c).ok
            assert c.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
            plan = " ".join(str(r[-1]) for r in c.execute(text(
                "EXPLAIN QUERY PLAN SELECT id FROM member WHERE name_key = 'x'")))
            assert "ix_member_name_key" in plan                # the rebuilt index is the one queries use
    finally:
        bulk_ledger.dispose()
        plain_ledger.dispose()


def test_a_re_import_keeps_the_indexes(tmp_path, monkeypatch):
    """A file whose members are all known creates nothing: no reason to rebuild the indexes."""
    path = sheet(tmp_path, "a.xlsx", PEOPLE[:30])
    engine = create_ledger(tmp_path / "l.db", "pw")
    try:
        assert used_bulk(engine, path, monkeypatch, 10)[0]
        took, after = used_bulk(engine, path, monkeypatch, 10)
        assert not took and len(after[1]) == 30
    finally:
        engine.dispose()


def test_a_cancelled_large_batch_leaves_the_ledger_as_before(tmp_path, monkeypatch):
    monkeypatch.setattr(bulk, "MIN_ROWS", 10)
    engine = create_ledger(tmp_path / "l.db", "pw")
    try:
        do_import(engine, sheet(tmp_path, "a.xlsx", PEOPLE[:10]))
        before = state(engine)
        seen = indexes_off_calls(monkeypatch)
        cancel = threading.Event()
        written = []

        def on_progress(progress):
            if progress.done:                     # the rows are in, written with the indexes off
                written.append(progress.done)
                cancel.set()
        with pytest.raises(Cancelled):
            do_import(engine, sheet(tmp_path, "b.xlsx", PEOPLE[10:]), cancel=cancel, on_progress=on_progress)
        assert seen and written == [50] and state(engine) == before
    finally:
        engine.dispose()
