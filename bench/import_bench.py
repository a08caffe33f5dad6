"""Import speed and memory against raw baselines measured in the same run (not run by the tests).

    .venv/bin/python bench/import_bench.py                 # 100k-row messy xlsx: ratios, re-import, refusal
    .venv/bin/python bench/import_bench.py --memory        # also 1M-row csv and xlsx peak RSS (slow)
    .venv/bin/python bench/import_bench.py --rows 1000000  # the 1M time (generates a 60 MB xlsx once;
                                                           # --all adds the indexed baseline and re-import)

Prints, for the same messy sign-up xlsx (generated once into bench/out/), wall and CPU seconds:
  read      python-calamine iter_rows over the sheet, no processing
  insert, indexed  sqlcipher3 executemany of the same people (pre-built tuples) into a fresh encrypted
            ledger with the real schema, every index and the tally trigger, one transaction
  insert, plain    the same into a member table with only its unique IIN index (the bare limit)
  full      partyledger's import as the command runs it (``importers.run``): read once, guard, header,
            map, validate, resolve units, dedupe by IIN, insert (indexes rebuilt after a large batch),
            batch records, audit, one transaction
  ratios    full / (read + indexed insert), target <= 2.0; full / (read + plain insert), target <= 3.0
  again     re-import of the same file (everything unchanged); target <= full
  refusal   process start to the one-line refusal of a zip bomb without unlocking; target < 0.5 s
With --memory, each 1M-row import runs in its own process and reports its own peak RSS
(targets: csv < 300 MB, xlsx < 1.2 GB).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

os.environ.setdefault("PARTYLEDGER_KDF_FAST", "1")

OUT = Path(__file__).resolve().parent / "out"
AS_OF = date(2026, 11, 1)
HEADER = ["№", "ФИО", "ИИН", "Дата рождения", "Область", "Населённый пункт", "Телефон", "Дата вступления"]


def people_rows(n: int, seed: int = 7):
    """(person, messy row) pairs: the mess of a real sign-up sheet, all synthetic."""
    from partyledger.synthetic import make_people, messy_date, messy_name, messy_phone, messy_region

    rng = random.Random(seed)
    for k, p in enumerate(make_people(n, seed=seed, as_of=AS_OF), start=1):
        iin: object = int(p.iin) if k % 5 == 0 else p.iin
        birth: object = p.birth_date if k % 10 == 0 else messy_date(p.birth_date, rng)
        yield p, [k, messy_name(f"{p.surname} {p.given_name} {p.patronymic or ''}".strip(), rng), iin, birth,
                  messy_region(p.unit_code, rng), p.locality, messy_phone(p.phone, rng), messy_date(p.joined_on, rng)]


def make_xlsx(path: Path, n: int) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Лист1")
    ws.append(["Список членов партии"])
    ws.append([])
    ws.append(HEADER)
    for _p, row in people_rows(n):
        ws.append(row)
    ws.append([f"Итого: {n}"])
    wb.save(path)


def make_csv(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(HEADER)
        for _p, row in people_rows(n):
            w.writerow(row)


def ensure(path: Path, n: int) -> Path:
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        tmp = path.with_suffix(".part" + path.suffix)
        (make_xlsx if path.suffix == ".xlsx" else make_csv)(tmp, n)
        tmp.rename(path)
        print(f"generated {path.name} in {time.perf_counter() - t:.1f}s", file=sys.stderr)
    return path


def fresh_ledger(name: str):
    from partyledger.ledger.storage.db import create_ledger

    path = OUT / name
    for p in OUT.glob(name + "*"):
        p.unlink()
    return create_ledger(path, "bench passphrase", fast_kdf=True)


class Clock:
    """Wall and CPU seconds of one stage: on a shared machine the CPU time is the steadier figure."""

    def __enter__(self) -> "Clock":
        self.t, self.c = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc) -> None:
        self.wall, self.cpu = time.perf_counter() - self.t, time.process_time() - self.c


def raw_read(path: Path) -> tuple[Clock, int]:
    from python_calamine import CalamineWorkbook

    with Clock() as clock:
        n = sum(1 for _ in CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).iter_rows())
    return clock, n


def raw_insert(n: int, *, plain: bool) -> Clock:
    """Same people, pre-built rows, straight into the member table through the driver, one transaction.

    ``plain``: the table keeps only its unique IIN index (no secondary indexes, no tally trigger), the
    bare limit; otherwise it pays for every index and trigger of the real schema."""
    from partyledger.ledger.models import Member

    cols = [c.name for c in Member.__table__.columns if c.name != "id"]
    now = datetime.utcnow().isoformat(sep=" ")
    rows = []
    for p, _row in people_rows(n):
        d = dict.fromkeys(cols)
        d.update(iin=p.iin, surname=p.surname, given_name=p.given_name, patronymic=p.patronymic,
                 birth_date=p.birth_date.isoformat(), sex=p.sex, unit_code=p.unit_code, region_text=p.unit_code,
                 locality=p.locality, phone=p.phone, joined_on=p.joined_on.isoformat(), status="ACTIVE",
                 name_key=f"{p.surname} {p.given_name}".lower(),
                 given_key=f"{p.given_name} {p.surname}".lower(), created_at=now,
                 updated_at=now)
        rows.append(tuple(d[c] for c in cols))
    engine = fresh_ledger("import_plain.db" if plain else "import_raw.db")
    if plain:
        with engine.begin() as conn:
            for kind, name in conn.exec_driver_sql(
                    "SELECT type, name FROM sqlite_master WHERE tbl_name = 'member' AND sql IS NOT NULL AND "
                    "(type = 'trigger' OR type = 'index' AND sql NOT LIKE 'CREATE UNIQUE%')").all():
                conn.exec_driver_sql(f"DROP {kind.upper()} {name}")
    sql = f"INSERT INTO member ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
    with Clock() as clock:
        with engine.begin() as conn:
            cur = conn.connection.cursor()
            cur.executemany(sql, rows)
    engine.dispose()
    return clock


def full_import(engine, path: Path):
    """The import as the command runs it (``importers.run``): read once, guard, map, validate, write, commit."""
    from partyledger.importers.run import open_file, prepare, run
    from partyledger.ledger.members.reads import rules_for_ledger
    from partyledger.ledger.storage.db import session_scope

    with Clock() as clock:
        opened = open_file(path)
        with session_scope(engine) as s:
            res = run(s, prepare(s, opened), units=rules_for_ledger(s).units, as_of=AS_OF, actor="bench")
    return clock, res


def refusal(ledger: Path) -> tuple[float, float]:
    """Process start to the one-line refusal of a zip bomb, on a locked ledger with no passphrase given;
    and the same for ``partyledger --help`` (the command line's own start, the floor). Medians of 5."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "importers"))
    import import_builders

    bomb = import_builders.zip_bomb(OUT / "bomb.xlsx")
    cli = str(Path(sys.executable).parent / "partyledger")
    env = {k: v for k, v in os.environ.items() if k != "PARTYLEDGER_PASSPHRASE"}

    def median(args: list[str], code: int) -> float:
        times = []
        for _ in range(5):
            t = time.perf_counter()
            done = subprocess.run([cli, *args], capture_output=True, env=env, stdin=subprocess.DEVNULL)
            times.append(time.perf_counter() - t)
            assert done.returncode == code, done.stderr
        return sorted(times)[2]

    return median(["--db", str(ledger), "import", str(bomb)], 2), median(["--help"], 0)


def child(path: Path) -> None:
    engine = fresh_ledger(f"import_mem_{path.stem}.db")
    clock, res = full_import(engine, path)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{path.name}: {res.rows:,} rows, {res.created:,} created in {clock.wall:.1f}s "
          f"({res.rows / clock.wall:,.0f} rows/s), peak RSS {rss:,.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000, help="rows in the sheet (1000000 for the 1M time)")
    ap.add_argument("--memory", action="store_true", help="also 1M-row csv and xlsx, each in a subprocess")
    ap.add_argument("--all", action="store_true", help="at 1M rows too: the indexed baseline and the re-import")
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        child(a.child)
        return
    xlsx = ensure(OUT / f"signups_{a.rows}.xlsx", a.rows)
    # at a million rows the indexed baseline and the re-import take minutes each: only with --all
    every = a.all or a.rows < 500_000
    read, n = raw_read(xlsx)
    indexed = raw_insert(a.rows, plain=False) if every else None
    plain = raw_insert(a.rows, plain=True)
    engine = fresh_ledger("import_full.db")
    full, res = full_import(engine, xlsx)
    again, res2 = full_import(engine, xlsx) if every else (None, None)
    engine.dispose()
    refused, help_s = refusal(OUT / "import_full.db")
    print(f"load average      {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min; {os.cpu_count()} CPUs)")
    print(f"rows in sheet     {n:,} ({res.created:,} created, {res.quarantined:,} quarantined)")
    print("                  wall s   cpu s")
    for label, c in (("read (calamine)", read), ("insert, indexed", indexed), ("insert, plain", plain),
                     ("full import", full), ("re-import", again)):
        print(f"{label:<17} {c.wall:7.2f} {c.cpu:7.2f}" if c else f"{label:<17} (skipped at this size; --all)")
    for label, base, target in (("vs read + indexed insert", indexed, "<= 2.0"),
                                ("vs read + plain insert", plain, "<= 3.0")):
        if base is not None:
            print(f"ratio {label:<25} wall {full.wall / (read.wall + base.wall):5.2f} x   "
                  f"cpu {full.cpu / (read.cpu + base.cpu):5.2f} x   target {target}")
    print(f"full import rate  {res.rows / full.wall:,.0f} rows/s" + (
        f"; re-import ({res2.unchanged:,} unchanged) {again.wall / full.wall:.2f} x first" if again else ""))
    if a.rows >= 1_000_000:
        print(f"1M import         {full.wall:6.1f} s wall   target < 60 s")
    print(f"refusal           {refused:6.3f} s from process start to the zip bomb refused (no unlock); "
          f"`partyledger --help` {help_s:.3f} s; target < 0.5 s")
    if a.memory:
        for path in (ensure(OUT / "signups_1000000.csv", 1_000_000), ensure(OUT / "signups_1000000.xlsx", 1_000_000)):
            subprocess.run([sys.executable, __file__, "--child", str(path)], check=True)


if __name__ == "__main__":
    main()
