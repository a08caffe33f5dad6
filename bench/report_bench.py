"""Readiness report benchmark: ``assess_readiness`` on 1,000,000 members vs a bare GROUP BY, same run.

Run: ``.venv/bin/python bench/report_bench.py [--rows 1000000] [--rebuild]``. Not part of the test suite.

The ledger is a real encrypted partyledger file (SQLCipher, argon2id key file, Alembic schema with the
report indexes) built once with Core ``insert()`` executemany and cached in ``bench/out/`` (gitignored).
The mix: 20 units (some members stored under pre-2022 codes with a locality, so the June 2022 split
re-places them), 93% active / 4% withdrawn / 2% deceased / 1% excluded, about 1% under 18, 0.5% with a
declaration "no", 3% without consent evidence, sign-ups spread over 2023-2026, 500 open duplicate pairs.

Printed, in one run on the same open engine (best of 7 after one warm-up):
- baseline: ``SELECT unit_code, count(*) FROM member GROUP BY unit_code`` on the raw connection;
- ``assess_readiness`` (everything: counts, reasons, duplicates, units placed on the date, group,
  deadlines, projection) and the ratio. Target: <= 3x.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from partyledger.ledger.storage import db, unlock  # noqa: E402
from partyledger.ledger.cleaning.iin import make_iin  # noqa: E402
from partyledger.ledger.models import MatchDecision, Member  # noqa: E402
from partyledger.ledger.enums import MemberStatus
from partyledger.report import assess_readiness  # noqa: E402
from partyledger.rules import load_rules  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
PASSPHRASE = "bench-report-passphrase"
AS_OF = date(2026, 6, 1)
UNITS = ["10", "11", "15", "19", "23", "27", "31", "33", "35", "39", "43", "47", "55", "59", "61", "62", "63",
         "71", "75", "79"]
# stored as they were typed before the June 2022 split: re-placed by locality on the report date
OLD_CODES = [("63", "Семей"), ("63", "Усть-Каменогорск"), ("19", "Талдыкорган"), ("35", "Жезказган"),
             ("35", "Караганда"), ("19", None)]
SURNAMES = ["Ахметов", "Иванова", "Сейткали", "Нурланов", "Касымова", "Жумабаев", "Петров", "Омарова"]
GIVEN = ["Ерлан", "Айгуль", "Дамир", "Асель", "Нурлан", "Мария", "Бауыржан", "Динара"]


def _rows(n: int, seed: int = 7):
    rnd = random.Random(seed)
    serial = 0
    seen: set[str] = set()
    for i in range(n):
        adult = rnd.random() > 0.01
        born = (date(1945, 1, 1) + timedelta(days=rnd.randrange(0, 22000))) if adult else \
            (date(2008, 6, 2) + timedelta(days=rnd.randrange(0, 700)))
        sex = "M" if i % 2 else "F"
        while True:
            serial = serial % 9999 + 1
            try:
                iin = make_iin(born, sex, serial)
            except ValueError:
                continue
            if iin not in seen:
                seen.add(iin)
                break
        if rnd.random() < 0.1:
            unit, locality = rnd.choice(OLD_CODES)
        else:
            unit, locality = rnd.choice(UNITS), None
        joined = date(2023, 1, 1) + timedelta(days=rnd.randrange(0, 1245))
        roll = rnd.random()
        status = (MemberStatus.ACTIVE if roll < 0.93 else MemberStatus.WITHDRAWN if roll < 0.97
                  else MemberStatus.DECEASED if roll < 0.99 else MemberStatus.EXCLUDED)
        status_on = None if status is MemberStatus.ACTIVE else joined + timedelta(days=rnd.randrange(1, 300))
        consent = rnd.random() > 0.03
        surname = rnd.choice(SURNAMES)
        yield dict(iin=iin, surname=surname, given_name=rnd.choice(GIVEN), birth_date=born, sex=sex,
                   unit_code=unit, locality=locality, joined_on=joined, status=status, status_on=status_on,
                   citizen=False if rnd.random() < 0.005 else True, not_in_other_party=True, not_barred=True,
                   signed_on=joined if consent else None, application_ref=None, name_key=surname.lower(),
                   created_at=datetime(2026, 1, 1), updated_at=datetime(2026, 1, 1))


def build(path: Path, n: int) -> None:
    for old in path.parent.glob(path.name + "*"):
        old.unlink()
    engine = db.create_ledger(path, PASSPHRASE, party_name="Bench")
    started = time.perf_counter()
    batch: list[dict] = []
    with db.raw_connection(engine) as conn:
        for row in _rows(n):
            batch.append(row)
            if len(batch) == 20000:
                conn.execute(insert(Member), batch)
                batch.clear()
        if batch:
            conn.execute(insert(Member), batch)
        rnd = random.Random(3)
        pairs = {tuple(sorted(rnd.sample(range(1, n + 1), 2))) for _ in range(500)}
        conn.execute(insert(MatchDecision), [dict(member_a_id=a, member_b_id=b, score=90.0, reasons=[])
                                             for a, b in pairs])
        conn.execute(text("ANALYZE"))
    engine.dispose()
    print(f"built {n:,} members in {time.perf_counter() - started:.0f} s -> {path}")


BARE = "SELECT unit_code, count(*) FROM member GROUP BY unit_code"


def _ensure_indexes(engine) -> None:
    """A cached ledger built before an index change gets the missing report indexes (as a migration would)."""
    with engine.begin() as conn:
        have = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'index' "
                                                "AND tbl_name = 'member' AND sql IS NOT NULL"))}
        wanted = {index.name for index in Member.__table__.indexes}
        for name in sorted(have - wanted):
            conn.execute(text(f"DROP INDEX IF EXISTS {name}"))
            print(f"dropped {name}")
        for index in Member.__table__.indexes:
            if index.name not in have:
                started = time.perf_counter()
                index.create(conn)
                print(f"created {index.name} in {time.perf_counter() - started:.0f} s")
        conn.execute(text("ANALYZE"))


def best(fn, repeat: int = 7) -> float:
    fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def _with_memory_security() -> None:
    """cipher_memory_security = ON costs an mlock+munlock pair per SQLite heap allocation (strace: 168k
    pairs in one run), which is why ledger/storage/db.py turns it off; this shows what the report would cost."""
    def pragmas(dbapi_conn, key, busy_seconds=unlock.BUSY_SECONDS):   # unlock.apply_pragmas, memory security on
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA cipher_log_level = NONE")
        cur.execute(f"PRAGMA busy_timeout = {int(busy_seconds * 1000)}")
        if key is not None:
            cur.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
            cur.execute("PRAGMA cipher_memory_security = ON")
        cur.execute("PRAGMA foreign_keys = ON")
        if key is not None:
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute(f"PRAGMA cache_size = -{unlock.CACHE_KIB}")
        cur.close()

    unlock.apply_pragmas = pragmas
    print("NOTE: cipher_memory_security is ON for this run (not the product setting)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--memsec-on", action="store_true",
                    help="open with PRAGMA cipher_memory_security = ON (NOT the product setting; for comparison)")
    args = ap.parse_args()
    if args.memsec_on:
        _with_memory_security()
    OUT.mkdir(exist_ok=True)
    path = OUT / f"report_{args.rows}.db"
    if args.rebuild or not path.exists():
        try:
            build(path, args.rows)
        except BaseException:
            for half in path.parent.glob(path.name + "*"):     # never leave a half-built cache behind
                half.unlink()
            raise
    engine = db.open_ledger(path, PASSPHRASE)
    _ensure_indexes(engine)
    rules = load_rules("KZ")
    with db.session_scope(engine) as session:
        conn = session.connection().connection.dbapi_connection
        result = assess_readiness(session, rules, as_of=AS_OF)
        bares, fulls = [], []
        for _ in range(7):          # interleaved, so both see the same cache and the same machine load
            bares.append(best(lambda: conn.execute(BARE).fetchall(), repeat=1))
            fulls.append(best(lambda: assess_readiness(session, rules, as_of=AS_OF), repeat=1))
        bare, full = min(bares), min(fulls)
    engine.dispose()
    print(f"members {result.members_in_ledger:,}, counted {result.members_counted:,}, "
          f"excluded {result.members_excluded:,} {result.excluded}, duplicate pairs {result.duplicate_pairs}")
    print(f"bare GROUP BY unit_code: {bare * 1000:.1f} ms")
    print(f"assess_readiness:        {full * 1000:.1f} ms")
    print(f"ratio: {full / bare:.2f}x (target <= 3x); medians {sorted(bares)[3] * 1000:.1f} / "
          f"{sorted(fulls)[3] * 1000:.1f} ms")


if __name__ == "__main__":
    main()
