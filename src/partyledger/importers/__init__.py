"""Spreadsheet adapters: a file in, mapped member rows out (``RowIn`` for ``ledger.batches``).

``open_sheet`` runs the hostile-file guard before any parser touches the file, then reads xlsx
(python-calamine, openpyxl fallback) or csv (streamed). ``read_members`` adds header detection and
column mapping. The import workflow both front ends run (read once, guard once, map, preview, commit)
is ``importers.run``. Validation, dedupe and writing are the core's job (``partyledger.ledger.intake.batches``).

Importing this package loads the guard only (the standard library): the import command refuses a
hostile file before it unlocks the ledger, and must not spend ~0.4 s importing SQLAlchemy (which the
mapping in ``table`` needs, through ``RowIn``) to do so.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from partyledger.importers.guard import preflight

if TYPE_CHECKING:
    from partyledger.importers.table import MemberRows
    from partyledger.importers.xlsx import SheetData


def parse_sheet(path: Path, kind: str, sheet: str | None = None, content: bytes | None = None) -> SheetData:
    """One sheet of a file the guard already passed as ``kind`` (``content``: its bytes, if read)."""
    if kind == "xlsx":
        from partyledger.importers.xlsx import read_xlsx

        return read_xlsx(path, sheet, content)
    from partyledger.importers.csvfile import read_csv

    return read_csv(path)


def open_sheet(path: Path | str, sheet: str | None = None) -> SheetData:
    """Guard, then open one sheet of an xlsx or a csv as numbered rows."""
    path = Path(path)
    return parse_sheet(path, preflight(path), sheet)


def map_sheet(open_one: Callable[[str | None], SheetData], *, sheet: str | None, mapping: dict[str, str] | None,
              remembered, source: str) -> tuple[SheetData, MemberRows]:
    """Find the header and map the columns of ``sheet``, or of the first sheet that has a member header.

    ``open_one(name)`` parses one sheet (the file is already guarded). A workbook whose first sheet
    is instructions or a cover page is read from the first sheet that has a member header.
    """
    from partyledger.errors import SpreadsheetError
    from partyledger.importers.table import member_rows

    data = open_one(sheet)
    try:
        return data, member_rows(data, mapping=mapping, remembered=remembered, source=source)
    except SpreadsheetError as failure:
        if sheet is not None or len(data.sheet_names) < 2:
            raise
        for other in data.sheet_names:
            if other == data.name:
                continue
            try:
                candidate = open_one(other)
                return candidate, member_rows(candidate, mapping=mapping, remembered=remembered, source=source)
            except SpreadsheetError:
                continue
        raise failure


def read_members(path: Path | str, *, sheet: str | None = None, mapping: dict[str, str] | None = None,
                 remembered=None) -> tuple[SheetData, MemberRows]:
    """Guard the file once, open it and map it: the header found, the column mapping used, a stream of rows."""
    path = Path(path)
    kind = preflight(path)
    return map_sheet(lambda name: parse_sheet(path, kind, name), sheet=sheet, mapping=mapping,
                     remembered=remembered, source=path.name)


__all__ = ["map_sheet", "open_sheet", "parse_sheet", "read_members", "preflight"]
