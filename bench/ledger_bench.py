"""Ledger benchmark: open, page, search and bulk insert on an encrypted ledger, against raw baselines.

Run: ``.venv/bin/python bench/ledger_bench.py [--rows 200000]``. Not part of the test suite.

Each figure is printed next to a baseline measured in the same run on the same file:
- open: ``open_ledger`` (argon2id default profile + schema check) vs the bare argon2id derivation;
- page: ``service.list_members`` (ORM, 50 rows, keyset) vs the same keyset SELECT on the raw DB-API
  connection, and vs ``OFFSET`` paging in the middle of the ledger (what keyset avoids);
- search: a Cyrillic surname prefix through ``name_key`` vs the raw index range query;
- insert: Core executemany into the encrypted ledger vs the same into sqlcipher3 without a key.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from partyledger.ledger.storage import db, keyfile, unlock  # noqa: E402
from partyledger.ledger.members import service
from partyledger.ledger.cleaning import translit
from partyledger.ledger.models import Member  # noqa: E402
from partyledger.synthetic import make_people  # noqa: E402


def best(fn, repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def rows_for(people):
    for p in people:
        yield {"iin": p.iin, "surname": p.surname, "given_name": p.given_name, "patronymic": p.patronymic,
               "birth_date": p.birth_date, "sex": p.sex, "unit_code": p.unit_code, "locality": p.locality,
               "phone": p.phone, "joined_on": p.joined_on, "status": "ACTIVE",
               **translit.match_keys(p.surname, p.given_name, p.patronymic)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--cache-mib", type=int, default=None, help="try another page cache (default: the product's)")
    args = ap.parse_args()
    n = args.rows
    if args.cache_mib:
        unlock.CACHE_KIB = args.cache_mib * 1024
    print(f"page cache {unlock.CACHE_KIB // 1024} MiB per connection")
    os.environ.pop("PARTYLEDGER_KDF_FAST", None)          # the real key profile
    work = Path(tempfile.mkdtemp(prefix="ledger-bench-"))
    path = work / "bench.db"
    t = time.perf_counter()
    people = make_people(n, seed=1)
    rows = list(rows_for(people))
    print(f"{n:,} synthetic people made in {time.perf_counter() - t:.1f} s")

    chunk = 20_000
    warm = db.memory_engine()                   # compile the insert once, outside the timings
    with db.raw_connection(warm) as conn:
        conn.execute(insert(Member), rows[:chunk])
    warm.dispose()
    engine = db.create_ledger(path, "bench passphrase")
    t = time.perf_counter()
    with db.raw_connection(engine) as conn:
        for i in range(0, n, chunk):
            conn.execute(insert(Member), rows[i:i + chunk])
    enc_insert = time.perf_counter() - t
    engine.dispose()

    plain = sqlcipher.connect(str(work / "plain.db"))       # same SQLite build, no key
    plain.execute("PRAGMA journal_mode = WAL")
    plain.execute("PRAGMA synchronous = NORMAL")
    plain.close()
    plain_engine = db.create_engine(f"sqlite:///{work / 'plain.db'}", module=sqlcipher)
    db.event.listen(plain_engine, "connect", lambda c, _r: c.execute(f"PRAGMA cache_size = -{unlock.CACHE_KIB}"))
    with plain_engine.begin() as conn:
        db._upgrade(conn)
    t = time.perf_counter()
    with plain_engine.begin() as conn:
        for i in range(0, n, chunk):
            conn.execute(insert(Member), rows[i:i + chunk])
    plain_insert = time.perf_counter() - t
    plain_engine.dispose()
    print(f"insert {n:,} rows, Core executemany: encrypted {enc_insert:.2f} s, no key {plain_insert:.2f} s "
          f"-> {enc_insert / plain_insert:.2f}x")

    params = keyfile.read_keyfile(keyfile.keyfile_path(path), path)
    kdf = statistics.median([best(lambda: keyfile.derive_key("bench passphrase", params), 1) for _ in range(3)])
    opened = []

    def do_open():
        opened.append(db.open_ledger(path, "bench passphrase"))

    open_t = best(do_open, 3)
    print(f"open_ledger {open_t * 1000:.0f} ms vs argon2id alone {kdf * 1000:.0f} ms -> {open_t / kdf:.2f}x")
    engine = opened[-1]

    raw = engine.raw_connection()
    cur = raw.cursor()
    mid_id = n // 2
    keyset_sql = "SELECT * FROM member WHERE id > ? ORDER BY id LIMIT 51"
    raw_page = best(lambda: cur.execute(keyset_sql, (mid_id,)).fetchall())
    offset_page = best(lambda: cur.execute("SELECT * FROM member ORDER BY id LIMIT 51 OFFSET ?",
                                           (mid_id,)).fetchall(), 3)
    mid_cursor = service._encode(["id", mid_id])

    def page():
        with db.session_scope(engine) as s:
            assert len(service.list_members(s, after=mid_cursor, limit=50).rows) == 50

    svc_page = best(page)
    print(f"50-row page in the middle: service {svc_page * 1000:.2f} ms, raw keyset {raw_page * 1000:.2f} ms "
          f"-> {svc_page / raw_page:.1f}x; raw OFFSET {offset_page * 1000:.1f} ms")

    surname = people[0].surname[:3]
    key = translit.latin_key(surname)
    raw_search = best(lambda: cur.execute(
        "SELECT * FROM member WHERE name_key >= ? AND name_key < ? ORDER BY name_key, id LIMIT 51",
        (key, key + "\uffff")).fetchall())

    def search():
        with db.session_scope(engine) as s:
            assert service.list_members(s, search=surname, limit=50).rows

    svc_search = best(search)
    with db.session_scope(engine) as s:
        hits = 0
        c = None
        while True:
            pg = service.list_members(s, search=surname, after=c, limit=1000)
            hits += len(pg.rows)
            c = pg.next_cursor
            if c is None or hits > 20000:
                break
    print(f"search '{surname}' first page: service {svc_search * 1000:.2f} ms, raw range {raw_search * 1000:.2f} ms "
          f"-> {svc_search / raw_search:.1f}x ({hits:,}+ matches)")
    raw.close()
    engine.dispose()
    for f in work.iterdir():
        f.unlink()
    work.rmdir()


if __name__ == "__main__":
    main()
