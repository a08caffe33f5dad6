"""Where blocking keys wait between the ledger pass and the grouping: partitions that fit a fixed budget.

The finder groups every member by eight keys (six IIN spans, birth date + name, phone). Holding all
of them for a million members costs hundreds of megabytes, so ``scan`` splits the key space into
partitions (Grace-hash style: a key's partition is a function of the key alone, so equal keys always
meet in one partition) and groups one partition of one key kind at a time. How many partitions is
chosen from the member count, so each holds about the same number of entries whatever the ledger
size: memory stays flat.

Partitions live in memory when one is enough (small ledgers, ``find_candidates``), and otherwise in
a scratch **SQLCipher** file keyed with 32 random bytes that exist only in this process. The keys
are personal data (an IIN with three digits cut out is nearly the IIN; Python's ``hash`` of an int
is the int), so they may not reach the disk in clear. SQLite's own temporary files would not do:
SQLCipher encrypts the pages of a database but not its sorter or temp-store files, which is why its
build keeps them in memory (``SQLITE_TEMP_STORE=2``), and then a ``GROUP BY`` over a million rows
holds them all in memory again. Measured on this machine: with temp_store=FILE the sorter's temp
file (unlinked on open, readable through /proc/self/fd) held every sorted key in clear; with the
default, one ``GROUP BY`` over an IIN span of a 1M ledger took 0.4 s but added 61 MB of RSS, growing
with the ledger. The scratch file is written without a journal (nothing to roll back: a failed scan
deletes it), with a small page cache, and is deleted on close; its key dies with the process, so a
file left behind by a crash is noise.

Entries are stored as packed ``array('q')`` blobs, one row per chunk of the ledger pass, partition
and kind: a million members make about 8,000 rows, not eight million.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from array import array
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher

PARTITION_SIZE = 50_000
"""Members per partition: one partition of one key kind is grouped in memory at a time."""

_SCRATCH_CACHE_KIB = 2048

Entries = tuple[array, array, array | None]
"""Keys, member ids and (for IIN spans) the IINs, position by position."""


def partition_count(members: int, partition_size: int = PARTITION_SIZE) -> int:
    """How many partitions keep each one near ``partition_size`` members."""
    return max(1, -(-members // max(1, partition_size)))


class MemoryPartitions:
    """Partitions held in process memory: for ledgers that fit one partition and for records in memory."""

    def __init__(self, parts: int) -> None:
        self.parts = parts
        self._data: dict[tuple[int, int], Entries] = {}

    def add(self, part: int, kind: int, keys: array, ids: array, iins: array | None) -> None:
        have = self._data.get((part, kind))
        if have is None:
            have = self._data[(part, kind)] = (array("q"), array("q"), None if iins is None else array("q"))
        have[0].extend(keys)
        have[1].extend(ids)
        if iins is not None:
            have[2].extend(iins)

    def take(self, part: int, kind: int) -> Entries:
        """The entries of one partition and kind, handed over (and forgotten here, to free memory)."""
        return self._data.pop((part, kind), (array("q"), array("q"), None))

    def close(self) -> None:
        self._data.clear()


class EncryptedPartitions:
    """Partitions in a scratch SQLCipher file with a throwaway random key (see the module docstring)."""

    def __init__(self, parts: int, directory: str | Path | None = None) -> None:
        self.parts = parts
        self._dir = Path(tempfile.mkdtemp(prefix="partyledger-dedupe-", dir=directory))   # mode 0700
        self.path = self._dir / "spill.db"
        self._conn = sqlcipher.connect(str(self.path), isolation_level=None, check_same_thread=False)
        key = os.urandom(32)
        pragmas = (f"PRAGMA key = \"x'{key.hex()}'\"", "PRAGMA cipher_memory_security = OFF",
                   "PRAGMA journal_mode = OFF", "PRAGMA synchronous = OFF", "PRAGMA temp_store = MEMORY",
                   f"PRAGMA cache_size = -{_SCRATCH_CACHE_KIB}")
        try:
            for pragma in pragmas:
                self._conn.execute(pragma)
            self._conn.execute("CREATE TABLE spill (part INTEGER NOT NULL, kind INTEGER NOT NULL, "
                               "keys BLOB NOT NULL, ids BLOB NOT NULL, iins BLOB)")
            self._conn.execute("CREATE INDEX spill_part ON spill (part, kind)")
            self._conn.execute("BEGIN")
        except BaseException:
            self.close()
            raise

    def add(self, part: int, kind: int, keys: array, ids: array, iins: array | None) -> None:
        self._conn.execute("INSERT INTO spill VALUES (?, ?, ?, ?, ?)",
                           (part, kind, keys.tobytes(), ids.tobytes(), None if iins is None else iins.tobytes()))

    def take(self, part: int, kind: int) -> Entries:
        if self._conn.in_transaction:       # the spreading is over: every page goes to the file now
            self._conn.execute("COMMIT")
        keys, ids, iins = array("q"), array("q"), None
        rows = self._conn.execute("SELECT keys, ids, iins FROM spill WHERE part = ? AND kind = ? ORDER BY rowid",
                                  (part, kind))
        for k, i, n in rows:
            keys.frombytes(k)
            ids.frombytes(i)
            if n is not None:
                if iins is None:
                    iins = array("q")
                iins.frombytes(n)
        return keys, ids, iins

    def close(self) -> None:
        try:
            self._conn.close()
        finally:
            shutil.rmtree(self._dir, ignore_errors=True)


def open_partitions(parts: int, *, in_memory: bool = False,
                    directory: str | Path | None = None) -> MemoryPartitions | EncryptedPartitions:
    """Memory for one partition (or when asked), otherwise an encrypted scratch file in ``directory``
    (default: the system temporary directory). Call ``close()`` when done."""
    if parts == 1 or in_memory:
        return MemoryPartitions(parts)
    return EncryptedPartitions(parts, directory)
