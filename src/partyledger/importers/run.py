"""The import workflow, one for the command line and the app: open a file, map it, preview or commit it.

Both front ends used to run these steps themselves and had drifted apart (the command read the file
three times, guarded it twice, resolved regions with Kazakhstan's units whatever the ledger's
jurisdiction and recorded no one in the audit log). Now they call, in this order:

1. ``open_file(path, sheet)``, with no ledger open: a workbook is read into memory once, and that one
   copy is hashed, guarded and parsed; a csv is guarded, hashed, then streamed (a million-row csv
   must not sit in memory). A hostile or unreadable file is refused here, before anyone types a
   passphrase or waits for the key derivation of a ledger that would not be touched;
2. ``prepare(session, opened, ...)``: the header found and the columns mapped (the mapping given,
   else the one remembered for these headers, else the alias table), and the batches that already
   imported this exact file;
3. ``run(session, prepared, ...)``: a preview (``dry_run``: writes nothing, rolled back) or a commit
   (a backup copy first, then the batch in the caller's transaction, then the mapping remembered).

Rows stream and are consumed once, so a preview and the commit after it each ``prepare`` afresh; for
a workbook that parses the bytes already in memory again, without reading the disk or guarding twice.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from typing import TYPE_CHECKING

from partyledger.errors import InvalidInput
from partyledger.files import file_sha256
from partyledger.importers import map_sheet, parse_sheet
from partyledger.importers.guard import MAX_TOTAL, ZIP_MAGIC, preflight

if TYPE_CHECKING:                  # open_file runs before the ledger is unlocked: no SQLAlchemy on its path
    from partyledger.importers.table import MemberRows
    from partyledger.importers.xlsx import SheetData
    from partyledger.ledger.intake.batches import BatchResult
    from partyledger.progress import ProgressCallback

# A workbook up to this size is read into memory once (hashed, guarded and parsed from one copy);
# a 1M-row sign-up xlsx is ~60 MB. A larger zip is left on disk for the guard to stream and refuse.
IN_MEMORY_BYTES = min(MAX_TOTAL, 512 * 2**20)


@dataclass
class OpenedFile:
    """A file the guard passed: its kind, its hash, a workbook's bytes, and the sheet parsed first."""

    path: Path
    kind: str                              # "xlsx" | "csv"
    sha256: str
    content: bytes | None = None           # a workbook's bytes; None for csv (streamed from disk)
    first: SheetData | None = None         # the sheet asked for at open, parsed (used by one prepare)
    first_name: str | None = None

    def sheet(self, name: str | None) -> SheetData:
        """One sheet, parsed from the start (a csv has one, whatever the name)."""
        if self.first is not None and name == self.first_name:
            data, self.first = self.first, None
            return data
        return parse_sheet(self.path, self.kind, name, self.content)


@dataclass
class Prepared:
    """A mapped sheet ready to preview or commit once (its rows stream)."""

    opened: OpenedFile
    data: SheetData
    mapped: MemberRows
    previous: list[int]                    # batches that imported this exact file before

    @property
    def mapping(self) -> dict[str, str]:
        return dict(self.mapped.header.mapping)


def _read_workbook(path: Path) -> bytes | None:
    """The whole file when it is a zip small enough to hold; None otherwise (and for any error: the
    guard then names it)."""
    try:
        with path.open("rb") as f:
            if f.read(len(ZIP_MAGIC)) != ZIP_MAGIC or path.stat().st_size > IN_MEMORY_BYTES:
                return None
            return ZIP_MAGIC + f.read()
    except OSError:
        return None


def open_file(path: Path | str, sheet: str | None = None) -> OpenedFile:
    """Read, guard and parse ``sheet`` of a file (default: the first with data), with no ledger needed.

    Raises ``SpreadsheetError`` (one line, exit 2) for anything hostile, damaged or not a spreadsheet.
    """
    path = Path(path)
    content = _read_workbook(path)
    kind = preflight(path, content)
    digest = hashlib.sha256(content).hexdigest() if content is not None else file_sha256(path)
    opened = OpenedFile(path, kind, digest, content)
    opened.first, opened.first_name = opened.sheet(sheet), sheet
    return opened


def prepare(session, opened: OpenedFile, *, sheet: str | None = None,
            mapping: dict[str, str] | None = None) -> Prepared:
    """Map ``sheet`` (or the first sheet with a member header): ``mapping`` if given, else the mapping
    remembered in this ledger for these headers, else the alias table."""
    from partyledger.importers.mapping import header_signature
    from partyledger.ledger.intake import batch_records

    def remembered(headers: list[str]) -> dict[str, str] | None:
        return batch_records.recall_mapping(session, header_signature(headers))

    data, mapped = map_sheet(opened.sheet, sheet=sheet, mapping=mapping, remembered=remembered,
                             source=opened.path.name)
    return Prepared(opened, data, mapped, batch_records.previous_imports(session, opened.sha256))


def run(session, prepared: Prepared, *, units, as_of: date, actor: str, dry_run: bool = False,
        dayfirst: bool = True, update_changed: bool = False, keep_backups: int | None = None,
        on_progress: ProgressCallback | None = None, cancel: threading.Event | None = None) -> BatchResult:
    """Preview (``dry_run``) or commit the prepared sheet as one batch in the caller's session.

    ``units`` is the territorial-unit catalogue of the ledger's jurisdiction (``rules_for_ledger``);
    ``actor`` is who the audit log names (``audit.actor``). A commit first writes a rotated backup
    copy of the ledger as it was (``keep_backups`` per reason). Raises ``Cancelled`` when ``cancel``
    is set between chunks; the caller's rollback then leaves nothing behind.
    """
    from partyledger.importers.mapping import header_signature
    from partyledger.ledger.intake import batch_records, batches

    if units is None:
        raise InvalidInput("the rules of this ledger's jurisdiction have no territorial-unit catalogue, so "
                           "regions cannot be placed", "add a units file to the rule folder (see rules/README.md)")
    header, opened = prepared.mapped.header, prepared.opened
    source = batches.BatchSource(file_name=opened.path.name, sha256=opened.sha256, sheet=prepared.data.name,
                                 mapping=dict(header.mapping),
                                 options={"dayfirst": dayfirst, "header_row": header.row,
                                          "update_changed": update_changed, "as_of": as_of.isoformat()})
    if not dry_run:                        # a rotated copy of the ledger as it was before this batch
        from partyledger.ledger.storage.backup import DEFAULT_KEEP
        from partyledger.ledger.storage.db import backup_before_change

        backup_before_change(session.get_bind(), reason="import", keep=keep_backups or DEFAULT_KEEP)
    result = batches.import_rows(session, prepared.mapped.rows, source, units=units, as_of=as_of, dayfirst=dayfirst,
                                 dry_run=dry_run, update_changed=update_changed, total=prepared.data.total_rows,
                                 on_progress=on_progress, cancel=cancel, actor=actor)
    if dry_run:
        session.rollback()
    else:
        batch_records.remember_mapping(session, header_signature(header.headers), dict(header.mapping))
    return result


__all__ = ["IN_MEMORY_BYTES", "OpenedFile", "Prepared", "open_file", "prepare", "run"]
