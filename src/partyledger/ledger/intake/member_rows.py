"""Writing member rows fast: one prepared INSERT through the driver, and the IINs of a file in little memory.

Split from ``ledger/intake/batches.py`` (the import service), which decides *what* each row does; this module
only writes rows it is handed, converted exactly as SQLAlchemy's column types would store them, and
keeps the set of IINs seen so far in a file. ``quarantine`` uses the same row builder when it promotes
a fixed row, so a promoted member is stored like an imported one.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from datetime import date, datetime
from enum import Enum
from heapq import merge
from typing import Any

from sqlmodel import Session

from partyledger.ledger.storage import seal
from partyledger.ledger.cleaning import translit
from partyledger.ledger.models import Member, MemberBase

MEMBER_T = Member.__table__
# The id is given (max + 1 onwards, as SQLite would pick) because the row's seal covers it.
INSERT_COLUMNS = list(seal.SEALED) + ["row_hash"]
INSERT_SQL = f"INSERT INTO member ({', '.join(INSERT_COLUMNS)}) VALUES ({', '.join('?' * len(INSERT_COLUMNS))})"
_VALUE_COLUMNS = seal.SEALED[1:]

_DATE_IDX = [i for i, c in enumerate(seal.SEALED) if c in ("birth_date", "joined_on", "signed_on", "status_on")]
_STAMP_IDX = [i for i, c in enumerate(seal.SEALED) if c in ("created_at", "updated_at")]
_BOOL_IDX = [i for i, c in enumerate(seal.SEALED) if c in ("citizen", "not_in_other_party", "not_barred")]
_STATUS_IDX = seal.SEALED.index("status")


def _db_value(v: Any) -> Any:
    """What SQLAlchemy's SQLite types would store: enum names, ISO dates, 6-digit microseconds."""
    if v is None or type(v) in (str, int, float, bool):
        return v
    if isinstance(v, Enum):
        return v.name
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(v, date):
        return v.isoformat()
    return v


def insert_members(session: Session, values: list[dict[str, Any]]) -> None:
    """Bulk insert through the driver on the session's own connection (same transaction).

    Core executemany spends as long building parameters as SQLite spends inserting; rows here are
    already validated, so they go to the driver as plain tuples converted exactly as the SQLAlchemy
    column types would (tests compare the stored rows with ORM-added ones), which is also the form
    the row's seal is computed over (booleans as 0/1, as SQLite gives them back).
    """
    conn = session.connection()
    key = seal.secret_of(conn)
    next_id = (conn.exec_driver_sql("SELECT max(id) FROM member").scalar() or 0) + 1
    stamps: dict[datetime, str] = {}
    rows = []
    for v in values:
        row = [next_id]
        row += [v[c] for c in _VALUE_COLUMNS]
        next_id += 1
        for i in _BOOL_IDX:
            if row[i] is not None:
                row[i] = int(row[i])
        for i in _DATE_IDX:
            if row[i] is not None:
                row[i] = row[i].isoformat()
        for i in _STAMP_IDX:                  # one batch shares one timestamp: format it once
            t = row[i]
            if t is not None:
                row[i] = stamps.get(t) or stamps.setdefault(t, _db_value(t))
        if row[_STATUS_IDX] is not None:
            row[_STATUS_IDX] = _db_value(row[_STATUS_IDX])
        row.append(None if key is None else seal.mac(key, row))
        rows.append(row)
    cur = conn.connection.cursor()
    try:
        cur.executemany(INSERT_SQL, rows)
    finally:
        cur.close()


def member_values(draft: MemberBase, *, batch_id: int | None, row: int | None, now: datetime) -> dict[str, Any]:
    """A ``member`` table row for Core insert, with the match keys search and dedupe rely on."""
    d = dict(draft.__dict__)          # the validated field values; model_dump() is 5x slower here
    d.update(translit.match_keys(draft.surname, draft.given_name, draft.patronymic))
    d.update(batch_id=batch_id, source_row=row, created_at=now, updated_at=now)
    return d


class IinSet:
    """The IINs seen so far in a file, in ~8 bytes each instead of ~70 for a set of ints.

    A million-row csv must import in under 300 MB; a plain ``set`` of a million IINs alone took
    67 MB. New IINs go to a small set; every ``RUN`` of them is sorted into an ``array('q')`` run,
    and runs are merged so there are only a few (binary search in each on lookup).
    """

    RUN = 65536

    def __init__(self) -> None:
        self.recent: set[int] = set()
        self.runs: list[array] = []

    def __contains__(self, key: int) -> bool:
        if key in self.recent:
            return True
        for run in self.runs:
            i = bisect_left(run, key)
            if i < len(run) and run[i] == key:
                return True
        return False

    def add(self, key: int) -> None:
        self.recent.add(key)
        if len(self.recent) >= self.RUN:
            self.runs.append(array("q", sorted(self.recent)))
            self.recent = set()
            while len(self.runs) > 1 and len(self.runs[-1]) * 2 >= len(self.runs[-2]):
                last, prev = self.runs.pop(), self.runs.pop()
                self.runs.append(array("q", merge(prev, last)))
