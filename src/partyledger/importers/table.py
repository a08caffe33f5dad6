"""From sheet rows to member rows: find the header, map columns, turn each row into ``fields``.

The header is not always row 1: sign-up sheets open with a title ("Список членов ... по области"),
a date, blank rows. The header is the row among the first ``HEADER_SCAN`` that names the most
known fields and at least an IIN or a name column.

Below it, rows that are plainly not people are skipped and listed, never silently: blank rows,
totals and notes ("Итого: 523", "Составил: ...") that have no IIN, and the header repeated on a
page break. Every other row goes to the core as a ``RowIn`` with its raw cells by header, so a row
that cannot become a member is quarantined whole, never dropped.

Cell values are converted only as far as the spreadsheet library lost information: numbers that
were IINs or phones get their digits back (Excel drops the leading zero of ``050101300123`` and
calamine returns every number as float), and date-times become dates. Parsing text dates, names,
phones and regions is the validator's job.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from partyledger.errors import SpreadsheetError
from partyledger.importers import mapping as mp
from partyledger.importers.xlsx import SheetData
from partyledger.ledger.intake.batches import RowIn
from partyledger.ledger.issues import issue

HEADER_SCAN = 30
NOTE_ROW = re.compile(r"^\s*(итого|всего|барлығы|жиыны|барлық|total|subtotal|примечание|ескерту|note|составил|"
                      r"ответственный|подпись|қолы|дата составления|\*)", re.IGNORECASE)
YEAR_WORD = re.compile(r"\s*(г|ж|жыл|год)\.?$", re.IGNORECASE)
DATE_FIELDS = {"birth_date", "joined_on", "signed_on", "status_on"}
DIGIT_FIELDS = {"iin", "phone", "application_ref"}


@dataclass
class Header:
    row: int                          # sheet row number of the header
    headers: list[str]
    columns: dict[int, str]           # column index -> field
    mapping: dict[str, str]           # header text -> field (what is remembered per source)


@dataclass
class SkippedRow:
    row: int
    text: str


@dataclass
class MemberRows:
    header: Header
    rows: Iterator[RowIn]
    skipped: list[SkippedRow] = field(default_factory=list)


def _empty(v: object) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _score(cells: list[object]) -> tuple[int, set[str]]:
    fields = {f for f in (mp.field_for_header(c) for c in cells if isinstance(c, str)) if f}
    return len(fields), fields


def _headers(cells: list[object]) -> list[str]:
    return ["" if _empty(c) else str(c).strip() for c in cells]


def find_header(sheet: SheetData, mapping: dict[str, str] | None,
                remembered: Callable[[list[str]], dict[str, str] | None] | None = None,
                ) -> tuple[Header, list[tuple[int, list[object]]]]:
    """Find the header row; return it and the rows read past it (still to be processed).

    ``mapping`` (from ``--mapping``) wins; else a row whose header names match a mapping remembered
    for this source (``remembered(headers)``); else the row the alias table scores best.
    """
    buffered: list[tuple[int, list[object]]] = []
    for item in sheet.rows:
        buffered.append(item)
        if len(buffered) >= HEADER_SCAN:
            break
    best: tuple[int, int] | None = None     # (score, index in buffered)
    chosen = mapping
    for i, (_n, cells) in enumerate(buffered):
        if mapping:
            keys = {mp.header_key(h) for h in mapping}
            score = sum(1 for c in cells if not _empty(c) and mp.header_key(c) in keys)
            ok = score >= 1
        else:
            if remembered and sum(1 for c in cells if not _empty(c)) >= 2:
                stored = remembered(_headers(cells))
                if stored:
                    best, chosen = (1000, i), stored
                    break
            score, fields = _score(cells)
            ok = score >= 2 and bool(fields & {"iin", "full_name", "surname"})
        if ok and (best is None or score > best[0]):
            best = (score, i)
    if best is None:
        raise SpreadsheetError("no header row found in the first rows (expected columns such as ИИН, ФИО, Область)",
                               "add a header row, or give --mapping FILE")
    row_number, cells = buffered[best[1]]
    headers = _headers(cells)
    chosen = chosen or mp.propose_mapping(headers)
    columns = mp.resolve_columns(headers, chosen)
    missing = mp.describe_missing(columns)
    if missing:
        raise SpreadsheetError(f"row {row_number} looks like the header but has {missing}",
                               "give --mapping FILE to say which column is which")
    used = {headers[i]: f for i, f in columns.items()}
    return Header(row_number, headers, columns, used), buffered[best[1] + 1:]


def member_rows(sheet: SheetData, *, mapping: dict[str, str] | None = None, remembered=None,
                source: str | None = None) -> MemberRows:
    header, rest = find_header(sheet, mapping, remembered)
    out = MemberRows(header, iter(()))
    out.rows = _rows(sheet, header, rest, out.skipped, source)
    return out


def _rows(sheet: SheetData, header: Header, rest, skipped: list[SkippedRow], source) -> Iterator[RowIn]:
    header_keys = [mp.header_key(h) for h in header.headers]
    iin_col = next(i for i, f in header.columns.items() if f == "iin")
    uncached = sheet.uncached

    def all_rows():
        yield from rest
        yield from sheet.rows

    for n, cells in all_rows():
        if cells.count("") + cells.count(None) == len(cells):       # C-speed test for the common blank row
            continue
        iin_cell = cells[iin_col] if iin_col < len(cells) else None
        if _empty(iin_cell) and not (uncached and (n, iin_col) in uncached):
            if all(_empty(c) for c in cells):                       # spaces only: blank too
                continue
            first = next(str(c) for c in cells if not _empty(c))
            if NOTE_ROW.match(first) or [mp.header_key(c) for c in cells[: len(header_keys)]] == header_keys:
                skipped.append(SkippedRow(n, first.strip()[:80]))
                continue
        yield _row_in(n, cells, header, uncached, source)


def _row_in(n: int, cells: list[object], header: Header, uncached: set, source) -> RowIn:
    fields: dict[str, object] = {}
    issues = []
    for col, name in header.columns.items():
        value = cells[col] if col < len(cells) else None
        if uncached and (n, col) in uncached:
            issues.append(issue("formula.uncached", f"{header.headers[col]}: a formula with no stored value",
                                field=name, row=n, source=source))
            continue
        value = convert_cell(value, name)
        if value is not None:
            fields[name] = value
    return RowIn(row=n, fields=fields, raw=lambda: raw_cells(cells, header.headers), issues=issues)


def raw_cells(cells: list[object], headers: list[str]) -> dict[str, object]:
    """The non-empty cells by header, JSON-ready (what quarantine keeps for the volunteer)."""
    raw = {}
    for col, value in enumerate(cells):
        if _empty(value):
            continue
        key = headers[col] if col < len(headers) and headers[col] else f"column {col + 1}"
        raw[key] = json_cell(value)
    return raw


def convert_cell(value: object, field_name: str) -> object:
    """Undo what the spreadsheet did to a value; leave real parsing to the validator."""
    if value is None:
        return None
    if isinstance(value, str):
        s = value.replace("\xa0", " ").replace("\u202f", " ").strip()
        if field_name in DATE_FIELDS:
            s = YEAR_WORD.sub("", s)          # "12.10.2025 г." / "12.10.2025 ж." (year in words)
        return s or None
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        if value.is_integer():
            value = int(value)
        elif field_name in DIGIT_FIELDS:
            return repr(value)
    if isinstance(value, int):
        if field_name == "iin":
            return value              # parse_iin zero-pads numbers that lost their leading zeros
        if field_name in DIGIT_FIELDS:
            return str(value)
        return value
    if isinstance(value, datetime):
        return value.date() if field_name in DATE_FIELDS else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value if field_name in DATE_FIELDS else value.isoformat()
    if isinstance(value, (time, timedelta)):
        return str(value)
    return value


def json_cell(value: object) -> object:
    """A raw cell as JSON keeps it (quarantine stores raw cells for the volunteer to correct)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (time, timedelta)):
        return str(value)
    if isinstance(value, str):
        return value.strip()
    return value
