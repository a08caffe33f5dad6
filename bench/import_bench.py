"""Import speed and memory against raw baselines measured in the same run (not run by the tests).

    .venv/bin/python bench/import_bench.py                 # 100k-row messy xlsx: ratio and re-import
    .venv/bin/python bench/import_bench.py --memory        # also 1M-row csv and xlsx peak RSS (slow)

Prints, for the same 100,000-row messy sign-up xlsx (generated once into bench/out/):
  read     python-calamine iter_rows over the sheet, no processing
  insert   sqlcipher3 executemany of the same people (pre-built tuples) into a fresh encrypted ledger
           with the real schema and indexes, one transaction
  full     partyledger's import: guard, read, header, map, validate, resolve units, dedupe by IIN,
           insert, batch records, audit (one transaction)
  ratio    full / (read + insert); target <= 2.0
  again    re-import of the same file (everything unchanged); target <= full
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


def raw_read(path: Path) -> tuple[float, int]:
    from python_calamine import CalamineWorkbook

    t = time.perf_counter()
    n = sum(1 for _ in CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).iter_rows())
    return time.perf_counter() - t, n


def raw_insert(n: int) -> float:
    """Same people, pre-built rows, straight into the member table through the driver."""
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
    engine = fresh_ledger("import_raw.db")
    sql = f"INSERT INTO member ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
    with engine.begin() as conn:
        cur = conn.connection.cursor()
        t = time.perf_counter()
        cur.executemany(sql, rows)
    elapsed = time.perf_counter() - t
    engine.dispose()
    return elapsed


def full_import(engine, path: Path):
    from partyledger.files import file_sha256
    from partyledger.importers import read_members
    from partyledger.ledger.intake import batches
    from partyledger.ledger.storage.db import session_scope
    from partyledger.rules import load_rules

    units = load_rules("KZ").units
    t = time.perf_counter()
    with session_scope(engine) as s:
        data, mapped = read_members(path)
        src = batches.BatchSource(path.name, file_sha256(path), data.name, mapped.header.mapping)
        res = batches.import_rows(s, mapped.rows, src, units=units, as_of=AS_OF, total=data.total_rows)
    return time.perf_counter() - t, res


def child(path: Path) -> None:
    engine = fresh_ledger(f"import_mem_{path.stem}.db")
    elapsed, res = full_import(engine, path)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{path.name}: {res.rows:,} rows, {res.created:,} created in {elapsed:.1f}s "
          f"({res.rows / elapsed:,.0f} rows/s), peak RSS {rss:,.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--memory", action="store_true", help="also 1M-row csv and xlsx, each in a subprocess")
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        child(a.child)
        return
    xlsx = ensure(OUT / f"signups_{a.rows}.xlsx", a.rows)
    read_s, n = raw_read(xlsx)
    insert_s = raw_insert(a.rows)
    engine = fresh_ledger("import_full.db")
    full_s, res = full_import(engine, xlsx)
    again_s, res2 = full_import(engine, xlsx)
    engine.dispose()
    print(f"rows in sheet     {n:,} ({res.created:,} created, {res.quarantined:,} quarantined)")
    print(f"read  (calamine)  {read_s:6.2f} s")
    print(f"insert (raw)      {insert_s:6.2f} s")
    print(f"full import       {full_s:6.2f} s   {res.rows / full_s:,.0f} rows/s")
    print(f"ratio             {full_s / (read_s + insert_s):6.2f} x (read + insert)   target <= 2.0")
    print(f"re-import         {again_s:6.2f} s   ({res2.unchanged:,} unchanged; {again_s / full_s:.2f} x first)")
    if a.memory:
        for path in (ensure(OUT / "signups_1000000.csv", 1_000_000), ensure(OUT / "signups_1000000.xlsx", 1_000_000)):
            subprocess.run([sys.executable, __file__, "--child", str(path)], check=True)


if __name__ == "__main__":
    main()
