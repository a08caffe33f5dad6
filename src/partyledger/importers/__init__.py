"""Spreadsheet adapters: a file in, mapped member rows out (``RowIn`` for ``ledger.batches``).

``open_sheet`` runs the hostile-file guard before any parser touches the file, then reads xlsx
(python-calamine, openpyxl fallback) or csv (streamed). ``read_members`` adds header detection and
column mapping. Validation, dedupe and writing are the core's job (``partyledger.ledger.intake.batches``).
"""

from __future__ import annotations

from pathlib import Path

from partyledger.importers.guard import preflight
from partyledger.importers.table import MemberRows, member_rows
from partyledger.importers.xlsx import SheetData


def open_sheet(path: Path | str, sheet: str | None = None) -> SheetData:
    """Guard, then open one sheet of an xlsx or a csv as numbered rows."""
    path = Path(path)
    kind = preflight(path)
    if kind == "xlsx":
        from partyledger.importers.xlsx import read_xlsx

        return read_xlsx(path, sheet)
    from partyledger.importers.csvfile import read_csv

    return read_csv(path)


def read_members(path: Path | str, *, sheet: str | None = None, mapping: dict[str, str] | None = None,
                 remembered=None) -> tuple[SheetData, MemberRows]:
    """Open the file and map it: the header found, the column mapping used, and a stream of rows.

    Without ``sheet``, a workbook whose first sheet is instructions or a cover page is read from the
    first sheet that has a member header.
    """
    from partyledger.errors import SpreadsheetError

    data = open_sheet(path, sheet)
    try:
        return data, member_rows(data, mapping=mapping, remembered=remembered, source=Path(path).name)
    except SpreadsheetError as first:
        if sheet is not None or len(data.sheet_names) < 2:
            raise
        for other in data.sheet_names:
            if other == data.name:
                continue
            try:
                candidate = open_sheet(path, other)
                return candidate, member_rows(candidate, mapping=mapping, remembered=remembered,
                                              source=Path(path).name)
            except SpreadsheetError:
                continue
        raise first


__all__ = ["open_sheet", "read_members", "preflight", "SheetData", "MemberRows"]
