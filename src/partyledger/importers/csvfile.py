"""Read a CSV sign-up file as numbered rows, streaming, whatever Excel saved it as.

Excel in a Russian locale writes ``;`` and Windows-1251; newer Excel writes UTF-8 with a BOM;
"Unicode text" is UTF-16 with tabs. The encoding is taken from the BOM, else UTF-8 if the first
64 KB decode as UTF-8, else Windows-1251 (which decodes any byte: a wrong guess shows as odd
letters in the preview, never as a crash). The separator is the one that splits the first lines
most consistently.

The file is read line by line with a length cap, so a 10 MB line or a NUL byte (a binary file
renamed .csv) stops the import with one clear line instead of filling memory; rows stream, so a
million-row file never sits in memory.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from pathlib import Path

from partyledger.errors import SpreadsheetError
from partyledger.importers.xlsx import SheetData

MAX_LINE = 1 << 20            # 1 MiB: no sign-up row is anywhere near this
SNIFF_BYTES = 64 * 1024
DELIMITERS = (";", ",", "\t", "|")


def detect_encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1251"


def detect_delimiter(lines: list[str]) -> str:
    """The separator with the highest count that is the same on most of the first lines."""
    lines = [ln for ln in lines if ln.strip()][:30]
    best, best_score = ",", (0, 0)
    for d in DELIMITERS:
        counts = [ln.count(d) for ln in lines]
        if not counts or max(counts) == 0:
            continue
        typical = max(set(counts), key=counts.count)
        score = (sum(1 for c in counts if c == typical and c > 0), typical)
        if score > best_score:
            best, best_score = d, score
    return best


def read_csv(path: Path) -> SheetData:
    with path.open("rb") as f:
        head = f.read(SNIFF_BYTES)
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SpreadsheetError(f"{path.name}: contains NUL bytes: this is not a text table",
                               "export the sheet again as CSV or .xlsx")
    encoding = detect_encoding(head)
    sample = head.decode(encoding, errors="ignore")
    delimiter = detect_delimiter(sample.splitlines()[:30])
    total = _estimate_rows(path, head)
    return SheetData(None, _rows(path, encoding, delimiter), total)


def _estimate_rows(path: Path, head: bytes) -> int | None:
    lines = head.count(b"\n")
    if not lines:
        return None
    size = path.stat().st_size
    return lines if size <= len(head) else int(size / (len(head) / lines))


def _lines(f: io.TextIOWrapper, name: str) -> Iterator[str]:
    n = 0
    while True:
        try:
            line = f.readline(MAX_LINE + 1)
        except UnicodeDecodeError as err:
            raise SpreadsheetError(f"{name}: the text encoding changes after line {n} ({err.reason})",
                                   "save the file again as CSV UTF-8") from None
        if not line:
            return
        n += 1
        if len(line) > MAX_LINE:
            raise SpreadsheetError(f"{name}: line {n} is longer than {MAX_LINE // 1024} KB: not a sign-up table")
        if "\x00" in line:
            raise SpreadsheetError(f"{name}: line {n} contains a NUL byte: this is not a text table",
                                   "export the sheet again as CSV or .xlsx")
        yield line


def _rows(path: Path, encoding: str, delimiter: str) -> Iterator[tuple[int, list[object]]]:
    with path.open("r", encoding=encoding, newline="") as f:
        reader = csv.reader(_lines(f, path.name), delimiter=delimiter)
        try:
            for cells in reader:
                yield reader.line_num, cells
        except csv.Error as err:
            raise SpreadsheetError(f"{path.name}: line {reader.line_num}: {err}") from None
