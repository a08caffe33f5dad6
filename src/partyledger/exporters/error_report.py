"""The error report: quarantined rows as an xlsx a volunteer can correct and send back.

Original columns first (in the order the sheets had them), then the sheet row number and the
reasons in words. Every cell is written as text: a value from a hostile sheet that starts with
``=`` would otherwise become a live formula in the organizer's or volunteer's Excel (a
``HYPERLINK`` can leak a member's IIN on click; research/security-infra.md section 4), and IINs and
phones must not turn into numbers that lose digits.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from partyledger.exporters.output import save_workbook
from partyledger.ledger.issues import CATALOGUE
from partyledger.ledger.cleaning.text import xml_safe

REASON = "Причина / Reason"
ROW = "Строка / Row"
FILE = "Файл / File"


def _reason(codes: list[str]) -> str:
    return "; ".join(f"{c}: {CATALOGUE[c][1]}" if c in CATALOGUE else c for c in codes)


def error_report_columns(rows: list[dict[str, Any]]) -> list[str]:
    columns: list[str] = []
    seen: set[str] = set()
    for r in rows:
        for key in r["raw"]:
            if key not in seen:
                seen.add(key)
                columns.append(key)
    return columns


def write_error_report(path: Path | str, rows: list[dict[str, Any]], *, force: bool = False,
                       password: str | None = None) -> int:
    """Write ``rows`` (from ``ledger.quarantine.list_quarantine``) to ``path``; returns rows written.

    Raw cells are written as stored, with what XML cannot hold (ESC, BEL from a hostile sheet)
    shown escaped. The file is new and 0600 (``force`` replaces one), Office-encrypted with ``password``.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    columns = error_report_columns(rows)
    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = "Исправить"
    header = columns + [FILE, ROW, REASON]
    for k, name in enumerate(header, start=1):
        cell = ws.cell(row=1, column=k, value=xml_safe(name))
        cell.data_type = "s"
        cell.font = Font(bold=True)
    for n, r in enumerate(rows, start=2):
        values = [r["raw"].get(c) for c in columns] + [r.get("file_name"), r["row"], _reason(r["codes"])]
        for k, value in enumerate(values, start=1):
            if value is None or value == "":
                continue
            cell = ws.cell(row=n, column=k, value=xml_safe(str(value)))
            cell.data_type = "s"            # never a formula, never a number that drops digits
    ws.freeze_panes = "A2"
    save_workbook(wb, path, force=force, password=password)
    return len(rows)
