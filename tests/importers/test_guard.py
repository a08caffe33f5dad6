"""Hostile and broken files are refused before any parser opens them: fast, with one clear reason."""

from __future__ import annotations

import resource
import time

import pytest

from partyledger.errors import SpreadsheetError
from partyledger.importers import open_sheet, preflight
import import_builders as b


def _nul_csv(p):
    p.write_bytes(b"\xd0\x98\xd0\x98\xd0\x9d;\xd0\xa4\xd0\x98\xd0\x9e\r\n" + b"1;\x00\x00\x00\r\n")
    return p


def _nul_late_csv(p):
    p.write_bytes("ИИН;ФИО\r\n".encode() + b"900101300123;x\r\n" * 10000 + b"1;\x00\r\n")
    return p


def _long_line_csv(p):
    p.write_bytes("ИИН;ФИО\r\n".encode() + b"9" * (10 * 2**20) + b"\r\n")
    return p


def _bytes(data: bytes):
    def build(p):
        p.write_bytes(data)
        return p
    return build


HOSTILE = {
    "zip_bomb.xlsx": (b.zip_bomb, "zip bomb"),
    "entities.xlsx": (b.entity_bomb, "entities"),
    "photo.xlsx": (_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 512), "not a .xlsx workbook"),
    "notes.txt.xlsx": (_bytes(b"hello, this is a letter"), "not a .xlsx workbook"),
    "empty.xlsx": (_bytes(b""), "empty"),
    "empty.csv": (_bytes(b""), "empty"),
    "protected.xlsx": (b.encrypted_workbook, "password-protected"),
    "old.xls": (b.old_xls, "save it as .xlsx"),
    "calc.ods": (b.ods, "OpenDocument"),
    "nul.csv": (_nul_csv, "NUL"),
    "nul_late.csv": (_nul_late_csv, "NUL"),
    "long_line.csv": (_long_line_csv, "longer than"),
    "program.exe": (_bytes(b"MZ\x90\x00" + b"\x00" * 100), "not a spreadsheet"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_is_refused_fast_with_a_reason(tmp_path, name):
    build, words = HOSTILE[name]
    path = build(tmp_path / name)
    started = time.perf_counter()
    with pytest.raises(SpreadsheetError) as caught:
        data = open_sheet(path)
        for _row in data.rows:               # csv problems surface while streaming
            pass
    elapsed = time.perf_counter() - started
    message = str(caught.value)
    assert words.lower() in message.lower(), message
    assert "\n" not in message and name in message
    assert elapsed < 1.0, f"{name} took {elapsed:.2f}s"


def test_truncated_zip_is_refused(tmp_path):
    path = b.truncated(tmp_path / "cut.xlsx", tmp_path)
    with pytest.raises(SpreadsheetError, match="damaged"):
        preflight(path)


def test_zip_bomb_is_refused_without_inflating_it(tmp_path):
    path = b.zip_bomb(tmp_path / "bomb.xlsx")
    assert path.stat().st_size < 2**20                  # a small file ...
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(SpreadsheetError, match="compressed"):
        preflight(path)
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kb < 20 * 1024                         # ... that never got inflated (40 MB inside)


def test_real_workbooks_and_csvs_pass(tmp_path):
    from pathlib import Path

    samples = Path(__file__).resolve().parents[2] / "samples"
    for name in ("clean.xlsx", "messy.xlsx", "kazakh_headers.xlsx"):
        assert preflight(samples / name) == "xlsx"
    for name in ("cp1251.csv", "semicolon.csv"):
        assert preflight(samples / name) == "csv"


def test_a_big_part_must_compress_like_real_data(tmp_path):
    """70 MB of one repeated row compresses far better than any real sheet (7-10:1): refused."""
    path = b.workbook(tmp_path / "big.xlsx", [["ИИН", "ФИО"]])
    with __import__("zipfile").ZipFile(path, "a", 8) as z:
        z.writestr("xl/worksheets/sheet2.xml", b"<row><c><v>1</v></c></row>" * (70 * 2**20 // 26))
    with pytest.raises(SpreadsheetError, match="compressed"):
        preflight(path)
