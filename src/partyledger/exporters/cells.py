"""Safe spreadsheet cells: every piece of text is written as text, never as a formula.

openpyxl turns any string starting with ``=`` into a formula (research/security-infra.md section 4:
``=HYPERLINK(...)`` in a member's name would send an IIN to a web site on click). Assigning the value
and then setting ``data_type = "s"`` writes an inline string that spreadsheet programs show literally,
and reading it back gives the original text. IINs and dates are text too, so leading zeros survive.

Text stored by an older version may hold characters XML cannot carry (ESC, BEL: openpyxl raised
``IllegalCharacterError`` and one such name blocked the whole filing export); ``ledger.text.xml_safe``
writes them visibly escaped (``\\x1b``) and leaves every other character as stored.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from openpyxl.cell import WriteOnlyCell

from partyledger.ledger.cleaning.text import xml_safe


def text_cell(ws, value: Any, *, bold: bool = False) -> WriteOnlyCell:
    """A write-only cell holding ``value`` as text (None -> empty)."""
    if isinstance(value, date):
        value = value.isoformat()
    cell = WriteOnlyCell(ws, value="" if value is None else xml_safe(str(value)))
    cell.data_type = "s"
    if bold:
        from openpyxl.styles import Font

        cell.font = Font(bold=True)
    return cell


def number_cell(ws, value: int | float | None) -> WriteOnlyCell:
    """A count: numbers stay numbers so the sheet can sum them."""
    return WriteOnlyCell(ws, value=value)


def row_of(ws, values: list[Any], *, bold: bool = False) -> list[WriteOnlyCell]:
    return [number_cell(ws, v) if isinstance(v, (int, float)) and not isinstance(v, bool)
            else text_cell(ws, v, bold=bold) for v in values]


def sheet_title(text: str, taken: set[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    clean = "".join(" " if ch in "[]:*?/\\" else ch for ch in xml_safe(text)).strip()[:31] or "Sheet"
    title, n = clean, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = clean[:31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title
