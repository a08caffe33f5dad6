"""The import service: preview or commit one batch of rows already read from a file (undo: ``batch_records``).

Importers (adapters) read a file into ``RowIn`` values: the row number, the cells mapped to member
fields, the raw cells by header, and any reader findings (a formula with no stored value). This
module decides what each row does to the ledger and, unless it is a preview, does it:

- a row the validator refuses goes to quarantine whole (raw cells and reasons); nothing is dropped;
- an IIN seen earlier in the same file is quarantined as ``iin.duplicate`` (a possible duplicate);
- a new IIN becomes a member; a known IIN fills in fields the ledger lacks (``updated``) or matches
  (``unchanged``); a value that differs from the stored one is an ``ImportConflict`` and the member
  keeps its value, unless the caller explicitly asked to apply changes (``update_changed``).

Why it is shaped this way:
- One transaction per batch (the caller's session): a crash, ``kill -9`` or Ctrl-C leaves the ledger
  exactly as before. Rows stream through in chunks, so memory stays flat for a million-row csv.
- Inserts go through SQLAlchemy Core executemany on the session's connection (measured 1.7x raw
  sqlite; the ORM is 15x). Created members are tagged with ``batch_id``; one INSERT ... SELECT adds
  their ``BatchChange`` rows. Updates store before/after, so ``undo_batch`` restores exactly.
- A preview runs the same code with the writes switched off, so the preview cannot disagree with
  what a commit would do.
- Importing the same file again creates nothing, and a row already waiting in quarantine with the
  same raw cells is not queued twice.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from itertools import islice
from typing import Any

from sqlalchemy import insert, literal, select, update
from sqlmodel import Session

from partyledger.ledger.storage import audit, seal
from partyledger.ledger.cleaning import translit
from partyledger.ledger.issues import Issue, Severity, issue
from partyledger.ledger.models import (BatchChange, BatchState, ImportBatch, ImportConflict, Member, MemberBase,
                                       QuarantineRow, )
from partyledger.ledger.intake import bulk
from partyledger.ledger.intake.aliases import load_aliases
from partyledger.ledger.intake.member_rows import IinSet, insert_members, member_values
from partyledger.progress import ProgressCallback, check_cancel, report

CHUNK = 5000
DETAIL_CAP = 1000                        # per-row details kept for display; counts are always complete
MEMBER_T = Member.__table__
# Fields compared with the stored member. region_text is how the unit was written: a different
# spelling of the same unit is not a conflict, and unit_code carries the meaning.
COMPARED = [f for f in MemberBase.model_fields if f not in ("iin", "region_text", "status")]


@dataclass
class RowIn:
    """One sheet row, mapped: ``fields`` for the validator, ``raw`` cells by header for quarantine.

    ``raw`` may be a function returning the dict: building it costs as much as validating the row,
    and only quarantined rows need it.
    """

    row: int
    fields: dict[str, object]
    raw: dict[str, object] | Callable[[], dict[str, object]]
    issues: list[Issue] = field(default_factory=list)

    def raw_cells(self) -> dict[str, object]:
        if callable(self.raw):
            self.raw = self.raw()
        return self.raw


@dataclass
class BatchSource:
    file_name: str
    sha256: str
    sheet: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class BatchResult:
    batch_id: int | None = None
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    quarantined: int = 0
    duplicates_flagged: int = 0
    issues: Counter = field(default_factory=Counter)
    quarantine: list[dict[str, Any]] = field(default_factory=list)     # first DETAIL_CAP: row, codes
    conflicts: list[dict[str, Any]] = field(default_factory=list)      # first DETAIL_CAP
    conflict_count: int = 0

    def summary(self) -> dict[str, Any]:
        """Exactly the ``import --json`` contract (DESIGN.md section 7)."""
        return {"batch_id": self.batch_id, "rows": self.rows, "created": self.created, "updated": self.updated,
                "unchanged": self.unchanged, "quarantined": self.quarantined,
                "duplicates_flagged": self.duplicates_flagged, "issues": dict(sorted(self.issues.items()))}


jsonable = audit.plain        # batch_records and the conflict records use the same form


def raw_hash(raw: dict[str, Any]) -> str:
    return hashlib.sha1(json.dumps(raw, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def _chunks(rows: Iterable[RowIn], size: int) -> Iterator[list[RowIn]]:
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()
    if isinstance(a, Enum) or isinstance(b, Enum):
        return jsonable(a) == jsonable(b)
    return a == b


class _Importer:
    """State of one import run; ``run`` walks the chunks, ``_apply`` writes one chunk."""

    def __init__(self, session: Session, source: BatchSource, *, units, as_of: date, dayfirst: bool,
                 dry_run: bool, update_changed: bool, actor: str, expected: int | None = None) -> None:
        self.s, self.source, self.units, self.as_of, self.dayfirst = session, source, units, as_of, dayfirst
        self.dry_run, self.update_changed, self.actor = dry_run, update_changed, actor
        self.expected = expected                 # rows the reader announced (an estimate for csv)
        self.bulk: bulk.IndexesOff | None = None
        self.bulk_decided = False
        self.result = BatchResult()
        self.seen = IinSet()
        self.now = datetime.utcnow()
        self.batch: ImportBatch | None = None
        self.queued = self._open_quarantine_hashes()
        self.aliases = load_aliases(session)       # the organizer's region names, read once per batch
        # Nothing to compare against in an empty ledger (a first import): skip the per-chunk lookups.
        # Repeats inside the file are caught by ``seen``.
        self.ledger_was_empty = session.connection().execute(select(MEMBER_T.c.id).limit(1)).first() is None

    def _open_quarantine_hashes(self) -> set[str]:
        stmt = select(QuarantineRow.__table__.c.raw).where(QuarantineRow.__table__.c.state == "open")
        return {raw_hash(r) for (r,) in self.s.connection().execute(stmt)}

    def start(self) -> None:
        if self.dry_run:
            return
        src = self.source
        self.batch = ImportBatch(file_name=src.file_name, sha256=src.sha256, sheet=src.sheet, mapping=src.mapping,
                                 options=src.options, state=BatchState.PREVIEWED)
        self.s.add(self.batch)
        self.s.flush()
        self.result.batch_id = self.batch.id

    def plan_row(self, r: RowIn) -> tuple[MemberBase | None, list[Issue]]:
        from partyledger.ledger.cleaning.validate import draft_from_fields

        res = draft_from_fields(r.fields, units=self.units, as_of=self.as_of, dayfirst=self.dayfirst,
                                row=r.row, source=self.source.file_name, aliases=self.aliases)
        issues = list(r.issues) + list(res.issues)
        draft = res.draft
        if draft is not None:
            key = int(draft.iin)
            if key in self.seen:
                issues.append(issue("iin.duplicate", "the IIN appears earlier in this file", field="iin", row=r.row,
                                    source=self.source.file_name))
                self.result.duplicates_flagged += 1
                draft = None
            else:
                self.seen.add(key)
        return draft, issues

    def run_chunk(self, chunk: list[RowIn]) -> None:
        res = self.result
        planned: list[tuple[RowIn, MemberBase]] = []
        quarantine: list[dict[str, Any]] = []
        for r in chunk:
            res.rows += 1
            draft, issues = self.plan_row(r)
            res.issues.update(i.code for i in issues)
            if draft is None:
                codes = sorted({i.code for i in issues if i.severity is Severity.ERROR}) or \
                        sorted({i.code for i in issues})
                res.quarantined += 1
                if len(res.quarantine) < DETAIL_CAP:
                    res.quarantine.append({"row": r.row, "codes": codes})
                raw = r.raw_cells()
                h = raw_hash(raw)
                if h not in self.queued:
                    self.queued.add(h)
                    quarantine.append({"batch_id": res.batch_id, "row_number": r.row, "raw": raw,
                                       "issue_codes": codes, "state": "open"})
            else:
                planned.append((r, draft))
        existing = {} if self.ledger_was_empty else self._existing([d.iin for _r, d in planned])
        creates: list[dict[str, Any]] = []
        updated: list[int] = []
        for r, draft in planned:
            stored = existing.get(draft.iin)
            if stored is None:
                res.created += 1
                creates.append(member_values(draft, batch_id=res.batch_id, row=r.row, now=self.now))
            elif self._compare(r, draft, stored):
                updated.append(stored.id)
        if not self.dry_run:
            conn = self.s.connection()
            if creates:
                self._maybe_indexes_off(len(creates), len(chunk))
                insert_members(self.s, creates)
            if quarantine:
                conn.execute(insert(QuarantineRow.__table__), quarantine)
            seal.reseal(self.s, updated)

    def _maybe_indexes_off(self, creates: int, rows: int) -> None:
        """At the first chunk that creates members: a batch of mostly new members, large against the
        ledger, is written with the secondary indexes off (``intake/bulk.py``); a re-import is not."""
        if self.bulk_decided:
            return
        self.bulk_decided = True
        conn = self.s.connection()
        if creates * 2 >= rows and bulk.worth_it(self.expected, bulk.members_now(conn)):
            self.bulk = bulk.IndexesOff(conn)

    def _existing(self, iins: list[str]) -> dict[str, Any]:
        if not iins:
            return {}
        conn = self.s.connection()
        out: dict[str, Any] = {}
        for i in range(0, len(iins), 900):
            stmt = select(MEMBER_T).where(MEMBER_T.c.iin.in_(iins[i:i + 900]))
            out.update((row.iin, row) for row in conn.execute(stmt))
        return out

    def _compare(self, r: RowIn, draft: MemberBase, stored: Any) -> bool:
        """Count the row as unchanged, updated or in conflict; True when it updated the stored member."""
        res = self.result
        fills: dict[str, Any] = {}
        changes: dict[str, Any] = {}
        fields = COMPARED + (["status"] if "status" in r.fields else [])
        for name in fields:
            new = getattr(draft, name)
            if new is None:
                continue
            old = getattr(stored, name)
            if old is None or old == "":
                fills[name] = new
            elif not _same(old, new):
                changes[name] = new
        if changes and not self.update_changed:
            res.conflict_count += len(changes)
            for name, new in changes.items():
                item = {"row": r.row, "iin": draft.iin, "member_id": stored.id, "field": name,
                        "current_value": _text(getattr(stored, name)), "incoming_value": _text(new)}
                if len(res.conflicts) < DETAIL_CAP:
                    res.conflicts.append(item)
                if not self.dry_run:
                    self.s.connection().execute(insert(ImportConflict.__table__), [
                        {k: v for k, v in item.items() if k not in ("row", "iin")} | {"batch_id": res.batch_id,
                                                                                    "state": "open"}])
            res.issues["row.conflict"] += 1
            changes = {}
        apply = fills | changes
        if "region_text" in r.fields and apply.get("unit_code"):
            apply["region_text"] = draft.region_text
        if not apply:
            res.unchanged += 1
            return False
        res.updated += 1
        if self.dry_run:
            return False
        before = {k: jsonable(getattr(stored, k)) for k in apply}
        after = {k: jsonable(v) for k, v in apply.items()}
        if apply.keys() & {"surname", "given_name", "patronymic"}:
            merged = {k: apply.get(k, getattr(stored, k)) for k in ("surname", "given_name", "patronymic")}
            keys = translit.match_keys(merged["surname"], merged["given_name"], merged["patronymic"])
            apply |= keys
            before |= {k: getattr(stored, k) for k in keys}
            after |= keys
        before["updated_at"] = jsonable(stored.updated_at)
        conn = self.s.connection()
        conn.execute(update(MEMBER_T).where(MEMBER_T.c.id == stored.id).values(**apply, updated_at=self.now))
        conn.execute(insert(BatchChange.__table__), [{"batch_id": res.batch_id, "member_id": stored.id,
                                                      "action": "updated", "before": before, "after": after}])
        return True

    def finish(self) -> None:
        if self.dry_run or self.batch is None:
            return
        res = self.result
        conn = self.s.connection()
        if self.bulk is not None:                 # indexes back (and the tally) before anything reads them
            self.bulk.restore(res.batch_id)
            self.bulk = None
        bc = BatchChange.__table__
        conn.execute(insert(bc).from_select(
            ["batch_id", "member_id", "action"],
            select(MEMBER_T.c.batch_id, MEMBER_T.c.id, literal("created"))
            .where(MEMBER_T.c.batch_id == res.batch_id)))
        counts = res.summary()
        counts.pop("batch_id")
        counts["conflicts"] = res.conflict_count
        self.batch.counts = counts
        self.batch.state = BatchState.COMMITTED
        self.batch.finished_at = datetime.utcnow()
        self.s.add(self.batch)
        audit.record(self.s, "batch.commit", "import_batch", res.batch_id,
                     after={"file": self.source.file_name, "sha256": self.source.sha256, **counts}, actor=self.actor)
        self.s.flush()


def _text(value: Any) -> str | None:
    value = jsonable(value)
    return None if value is None else str(value)


def import_rows(session: Session, rows: Iterable[RowIn], source: BatchSource, *, units, as_of: date,
                dayfirst: bool = True, dry_run: bool = False, update_changed: bool = False, total: int | None = None,
                on_progress: ProgressCallback | None = None, cancel: threading.Event | None = None,
                actor: str = "", chunk_size: int = CHUNK) -> BatchResult:
    """Preview (``dry_run``) or commit one batch in the caller's transaction; see the module docstring.

    Raises ``Cancelled`` when ``cancel`` is set; the caller's rollback then leaves nothing behind.
    """
    imp = _Importer(session, source, units=units, as_of=as_of, dayfirst=dayfirst, dry_run=dry_run,
                    update_changed=update_changed, actor=actor, expected=total)
    imp.start()
    report(on_progress, 0, total, "importing")
    for chunk in _chunks(rows, chunk_size):
        check_cancel(cancel)
        imp.run_chunk(chunk)
        report(on_progress, imp.result.rows, max(total or 0, imp.result.rows) if total else None, "importing")
    check_cancel(cancel)
    if imp.bulk is not None:
        report(on_progress, imp.result.rows, imp.result.rows, "indexing")
    imp.finish()
    return imp.result


__all__ = ["BatchResult", "BatchSource", "RowIn", "import_rows"]
