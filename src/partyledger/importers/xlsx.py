"""Read one worksheet of an xlsx into numbered rows of cells: python-calamine, openpyxl as fallback.

calamine is about 10x faster than openpyxl (research/perf-limits.md: 0.93 s vs 10.6 s for 100k
rows) but holds the whole sheet in memory; openpyxl read-only streams and is the fallback when
calamine cannot parse a file. Either way the caller gets absolute sheet coordinates: row numbers as
Excel shows them and column indexes from column A, so messages point at the cell the volunteer sees.

Two things calamine does not tell us are recovered here:
- merged cells: only the top-left cell holds the value; a region merged down over ten rows must
  count for all ten, so values are copied into the merged area;
- formulas with no stored value (a file written by a program that never calculated it): calamine
  returns "" and the value would silently vanish. The sheet XML is scanned for ``<f>`` cells without
  a ``<v>``, and only when the raw XML contains a formula at all, so plain sheets pay nothing.
Formulas are never executed.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import ElementTree as SafeET

from partyledger.errors import SpreadsheetError

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
MAX_MERGED_CELLS = 200_000


@dataclass
class SheetData:
    """Rows of one sheet: ``rows`` yields ``(row_number, cells)`` with cells from column A."""

    name: str | None
    rows: Iterator[tuple[int, list[object]]]
    total_rows: int | None = None
    uncached: set[tuple[int, int]] = field(default_factory=set)   # (row number, column index)
    sheet_names: list[str] = field(default_factory=list)


def read_xlsx(path: Path, sheet: str | None = None, content: bytes | None = None) -> SheetData:
    """Open ``sheet`` (default: the first visible sheet with data); calamine first, openpyxl if it fails.

    ``content`` is the file's bytes when the caller has read them already (then the disk is not read
    again; ``path`` names the file in messages).
    """
    try:
        data = _read_calamine(path, sheet, content)
    except SpreadsheetError:
        raise
    except Exception as first:  # noqa: BLE001 - any calamine failure: try the slower, stricter reader
        try:
            data = _read_openpyxl(path, sheet, content)
        except SpreadsheetError:
            raise
        except Exception:  # noqa: BLE001
            raise SpreadsheetError(f"{path.name}: cannot read the workbook ({type(first).__name__}: {first})",
                                   "open it in Excel and save it again as .xlsx") from None
    data.uncached = uncached_formulas(path if content is None else io.BytesIO(content), data.name)
    return data


def _read_calamine(path: Path, sheet: str | None, content: bytes | None = None) -> SheetData:
    from python_calamine import CalamineWorkbook, SheetVisibleEnum

    wb = CalamineWorkbook.from_path(str(path)) if content is None else CalamineWorkbook.from_filelike(io.BytesIO(content))
    names = list(wb.sheet_names)
    if sheet is not None:
        if sheet not in names:
            raise SpreadsheetError(f"{path.name}: no sheet named '{sheet}'", "sheets: " + ", ".join(names))
        ws = wb.get_sheet_by_name(sheet)
    else:
        ws = None
        for meta in wb.sheets_metadata:
            if meta.visible != SheetVisibleEnum.Visible:
                continue
            candidate = wb.get_sheet_by_name(meta.name)
            if candidate.start is not None and candidate.height > 0:
                ws = candidate
                break
        if ws is None:
            raise SpreadsheetError(f"{path.name}: the workbook has no sheet with data")
    # calamine 0.9 iter_rows yields rows from row 1 (absolute) but columns from the first used
    # column (relative): pad them back so column indexes are absolute too.
    start = (0, (ws.start or (0, 0))[1])
    merged = _merge_map(ws.merged_cell_ranges or [])
    total = (ws.end[0] + 1) if ws.end else ws.height
    return SheetData(ws.name, _damage_is_one_line(_calamine_rows(ws.iter_rows(), start, merged), path), total,
                     sheet_names=names)


def _merge_map(ranges: list) -> dict[tuple[int, int], tuple[int, int]]:
    """Covered cell -> its merge anchor (0-based), for merges no bigger than a sane limit."""
    out: dict[tuple[int, int], tuple[int, int]] = {}
    for (r0, c0), (r1, c1) in ranges:
        if (r1 - r0 + 1) * (c1 - c0 + 1) + len(out) > MAX_MERGED_CELLS:
            continue
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    out[(r, c)] = (r0, c0)
    return out


def _calamine_rows(it, start: tuple[int, int], merged: dict) -> Iterator[tuple[int, list[object]]]:
    row0, col0 = start
    pad = [""] * col0
    anchors: dict[tuple[int, int], object] = {}
    anchor_set = set(merged.values())
    for i, cells in enumerate(it):
        r = row0 + i
        if col0:
            cells = pad + cells
        if merged:
            for c, value in enumerate(cells):
                if (r, c) in anchor_set:
                    anchors[(r, c)] = value
            for c in range(len(cells)):
                a = merged.get((r, c))
                if a is not None and cells[c] in ("", None):
                    cells[c] = anchors.get(a, "")
        yield r + 1, cells


def _read_openpyxl(path: Path, sheet: str | None, content: bytes | None = None) -> SheetData:
    from openpyxl import load_workbook

    wb = load_workbook(path if content is None else io.BytesIO(content), read_only=True, data_only=True)
    names = list(wb.sheetnames)
    if sheet is not None and sheet not in names:
        raise SpreadsheetError(f"{path.name}: no sheet named '{sheet}'", "sheets: " + ", ".join(names))
    ws = wb[sheet] if sheet else next((wb[n] for n in names if wb[n].sheet_state == "visible"), wb[names[0]])

    def rows() -> Iterator[tuple[int, list[object]]]:
        try:
            for n, values in enumerate(ws.iter_rows(values_only=True), start=1):
                yield n, ["" if v is None else v for v in values]
        finally:
            wb.close()

    return SheetData(ws.title, _damage_is_one_line(rows(), path), ws.max_row, sheet_names=names)


def _damage_is_one_line(rows: Iterator[tuple[int, list[object]]], path: Path) -> Iterator[tuple[int, list[object]]]:
    """Rows as they stream; a part found broken half-way (bad XML after row 500) is a ``SpreadsheetError``.

    Both readers parse lazily, so damage past the first rows surfaces while the import iterates,
    not when the workbook is opened.
    """
    last = 0
    try:
        for last, cells in rows:
            yield last, cells
    except SpreadsheetError:
        raise
    except Exception as err:  # noqa: BLE001 - any parser failure: the file is damaged there
        raise SpreadsheetError(f"{path.name}: the sheet is damaged after row {last} ({type(err).__name__}: "
                               f"{str(err)[:120]})", "open it in Excel and save it again as .xlsx") from None


def _sheet_part(z: zipfile.ZipFile, sheet_name: str | None) -> str | None:
    """Zip path of a sheet's XML, from workbook.xml and its relationships."""
    wb = SafeET.fromstring(z.read("xl/workbook.xml"))
    rels = SafeET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    for s in wb.iter(f"{NS}sheet"):
        if sheet_name is None or s.get("name") == sheet_name:
            target = targets.get(s.get(f"{REL_NS}id"))
            if not target:
                return None
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    return None


_REF = re.compile(r"([A-Z]+)(\d+)")


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def uncached_formulas(path, sheet_name: str | None) -> set[tuple[int, int]]:
    """(row, column) of formula cells with no stored value; empty fast when the sheet has no formula."""
    try:
        with zipfile.ZipFile(path) as z:
            part = _sheet_part(z, sheet_name)
            if part is None or part not in z.namelist():
                return set()
            if not _contains(z, part, b"<f"):
                return set()
            found: set[tuple[int, int]] = set()
            with z.open(part) as f:
                for _event, el in SafeET.iterparse(f, events=("end",)):
                    if el.tag == f"{NS}c":
                        f_el = el.find(f"{NS}f")
                        v_el = el.find(f"{NS}v")
                        if f_el is not None and (v_el is None or not (v_el.text or "")):
                            m = _REF.match(el.get("r") or "")
                            if m:
                                found.add((int(m.group(2)), _col_index(m.group(1))))
                        el.clear()
                    elif el.tag == f"{NS}row":
                        el.clear()
            return found
    except (zipfile.BadZipFile, OSError, KeyError, SafeET.ParseError):
        return set()


def _contains(z: zipfile.ZipFile, part: str, needle: bytes) -> bool:
    tail = b""
    with z.open(part) as f:
        while chunk := f.read(1 << 20):
            if needle in tail + chunk[: len(needle) + 8] or needle in chunk:
                return True
            tail = chunk[-8:]
    return False
