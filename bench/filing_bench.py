"""Filing export benchmark: ``export_filing`` on 100,000 members vs a raw openpyxl write of the same rows.

Run: ``.venv/bin/python bench/filing_bench.py [--rows 100000] [--rebuild]``. Not part of the test suite.

The ledger is ``bench/report_bench.py``'s (a real encrypted file with the same mix of units, statuses
and exclusions, cached in ``bench/out/``), plus an initiative group of 1,000 with a committee and
congress check-ins, so the group lists cost what they would. Printed, in one run (best of 3):
- baseline: openpyxl write-only of the same rows (one sheet per unit, the package's columns, plain
  strings), no ledger reads, to a file; and XlsxWriter (the export's writer) on the same rows;
- ``export_filing`` (everything: verdicts for every member, group lists, the workbook with its print
  setup, the protocol draft, the audit event with the file's SHA-256), and the ratio.
Target: ``export filing`` of 100,000 members in under 5 s. CPU seconds are printed beside wall seconds:
on a shared machine the wall time mostly measures the other processes.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import insert, text
from sqlmodel import Session

import report_bench
from partyledger.exporters import filing_layout as L
from partyledger.exporters.filing import export_filing, read_filing
from partyledger.ledger.models import CongressCheckin, Role
from partyledger.ledger.enums import RoleKind
from partyledger.ledger.storage import db
from partyledger.rules import load_rules

AS_OF = report_bench.AS_OF


def _ensure_group(engine) -> None:
    """1,000 initiative-group roles (every 100th member), 12 of them on the committee, 800 checked in."""
    with engine.begin() as conn:
        if conn.execute(text("SELECT count(*) FROM role")).scalar():
            return
        ids = [r[0] for r in conn.execute(text("SELECT id FROM member WHERE id % 100 = 1 ORDER BY id LIMIT 1000"))]
        conn.execute(insert(Role), [dict(member_id=i, kind=RoleKind.INITIATIVE_GROUP, since=date(2024, 1, 1))
                                    for i in ids])
        conn.execute(insert(Role), [dict(member_id=i, kind=RoleKind.COMMITTEE, since=date(2024, 1, 1))
                                    for i in ids[:12]])
        conn.execute(insert(CongressCheckin), [dict(member_id=i, checked_in_at=datetime(2026, 5, 1, 10, 0),
                                                    checked_in_by="bench", in_person=True) for i in ids[:800]])


def _raw_rows(session, rules) -> list[tuple[str, list[list]]]:
    """The unit sheets' rows as plain values, read once before timing (the baseline does no ledger reads)."""
    data = read_filing(session, rules, as_of=AS_OF)
    sheets = []
    for unit in data.units:
        rows = [[str(i), v.surname, v.given_name, v.patronymic, str(v.birth_date), v.iin, unit.name_ru, v.locality,
                 v.address, None, None, v.application_ref, str(v.signed_on), str(v.joined_on), None, None]
                for i, v in enumerate(data.by_unit.get(unit.code, []), start=1)]
        sheets.append((unit.code, rows))
    return sheets


def _raw_write(path: Path, sheets) -> None:
    wb = Workbook(write_only=True)
    for code, rows in sheets:
        ws = wb.create_sheet(code)
        ws.append([c.heading for c in L.MEMBER_COLUMNS])
        for row in rows:
            ws.append(row)
    with path.open("wb") as handle:
        wb.save(handle)


def _raw_xlsxwriter(path: Path, sheets) -> None:
    """The writer the export uses, on the same rows: what is left is the ledger reads and the layout."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"in_memory": True})
    for code, rows in sheets:
        ws = wb.add_worksheet(code)
        ws.write_row(0, 0, [c.heading for c in L.MEMBER_COLUMNS])
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if value is not None:
                    ws.write_string(r, c, value)
    wb.close()


def _timed(fn) -> tuple[float, float]:
    """Wall and CPU seconds: on a shared, loaded machine the CPU time is what the code itself costs."""
    t, c = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - t, time.process_time() - c


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    report_bench.OUT.mkdir(exist_ok=True)
    path = report_bench.OUT / f"report_{args.rows}.db"
    if args.rebuild or not path.exists():
        report_bench.build(path, args.rows)
    engine = db.open_ledger(path, report_bench.PASSPHRASE)
    _ensure_group(engine)
    rules = load_rules("KZ")
    out = Path(tempfile.mkdtemp(prefix="filing-bench-"))
    session = Session(engine)
    try:
        sheets = _raw_rows(session, rules)
        listed = sum(len(rows) for _, rows in sheets)
        raws, xws, fulls = [], [], []
        for _ in range(args.repeat):    # interleaved: all see the same cache and the same machine load
            raws.append(_timed(lambda: _raw_write(out / "raw.xlsx", sheets)))
            xws.append(_timed(lambda: _raw_xlsxwriter(out / "raw_xw.xlsx", sheets)))
            fulls.append(_timed(lambda: export_filing(session, rules, out / "filing.xlsx", as_of=AS_OF,
                                                      actor="bench", force=True)))
    finally:
        session.rollback()              # the audit events of the runs are not kept
        session.close()
        engine.dispose()
    raw, full = min(raws), min(fulls)
    print(f"members {args.rows:,}, listed {listed:,} on {len(sheets)} unit sheets; load {os.getloadavg()[0]:.1f}")
    print(f"raw openpyxl write-only: {raw[0]:.2f} s wall, {min(r[1] for r in raws):.2f} s CPU")
    print(f"raw XlsxWriter in memory: {min(xws)[0]:.2f} s wall, {min(x[1] for x in xws):.2f} s CPU")
    print(f"export_filing:           {full[0]:.2f} s wall, {min(f[1] for f in fulls):.2f} s CPU (target < 5 s)")
    print(f"ratio: {full[0] / raw[0]:.2f}x wall, {min(f[1] for f in fulls) / min(r[1] for r in raws):.2f}x CPU; "
          f"runs raw {', '.join(f'{t:.2f}' for t, _ in raws)} / export {', '.join(f'{t:.2f}' for t, _ in fulls)} s")
    for f in out.iterdir():
        f.unlink()
    out.rmdir()


if __name__ == "__main__":
    main()
