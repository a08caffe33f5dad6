"""Unlock a ledger file with plain sqlcipher3: derive the key, check it, read the schema revision.

Why apart from ``db.py``: importing SQLAlchemy, SQLModel and the models costs about 0.35 s of
interpreter time, and the terminal app's start-up cannot afford it before the dashboard shows
(issue 8: dashboard within 0.5 s of a bare Textual app). This module needs only sqlcipher3 and
argon2, so the app unlocks and reads the dashboard's numbers (``ledger/reads.py``,
``report``) while Textual starts, and builds the SQLAlchemy engine afterwards from the same derived
key (``db.engine_from_key``): the passphrase is stretched once.

``db.open_ledger`` goes through ``unlock`` too, so the file checks, the wrong-passphrase message and
the connection settings (``apply_pragmas``; why each one is in ``db.py``'s docstring) exist once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher

from partyledger.errors import LedgerError, LedgerMissing, WrongPassphrase
from partyledger.ledger import keyfile

# The newest revision in migrations/versions. Kept here so that opening an up-to-date ledger does not
# import Alembic and parse every revision file (~0.2 s on each command and TUI start); a test checks it
# equals Alembic's head, so adding a revision without bumping this fails the suite.
SCHEMA_HEAD = "0007"
CACHE_KIB = 65536          # 64 MiB page cache per connection (see db.py's docstring)


def apply_pragmas(dbapi_conn, key: bytes | None) -> None:
    """Unlock and configure one SQLCipher connection (every pooled connection goes through here)."""
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA cipher_log_level = NONE")
    if key is not None:
        cur.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        cur.execute("PRAGMA cipher_memory_security = OFF")      # see db.py's docstring
    cur.execute("PRAGMA foreign_keys = ON")
    if key is not None:
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
    cur.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    cur.close()


def connect(path: Path, key: bytes):
    """A configured SQLCipher connection usable from any thread (callers never share it at once)."""
    conn = sqlcipher.connect(str(path), check_same_thread=False)
    try:
        apply_pragmas(conn, key)
    except BaseException:
        conn.close()
        raise
    return conn


def not_a_ledger(path: Path) -> WrongPassphrase:
    return WrongPassphrase(f"wrong passphrase, or {path} is not a partyledger ledger")


def check_ledger_path(path: Path) -> None:
    if not path.exists():
        raise LedgerMissing(f"no ledger at {path}", "create one with partyledger init")
    if path.is_dir():
        raise LedgerError(f"{path} is a folder, not a ledger file", "give the path of the ledger file with --db")


def stored_revision(conn, path: Path) -> str | None:
    """The schema revision in the file; a file without Alembic's table is not one of ours."""
    found = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'")
    if found.fetchone() is None:
        raise not_a_ledger(path)
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


@dataclass
class Unlocked:
    """A ledger whose key is proven: the raw key, the stored revision and one open connection."""

    path: Path
    key: bytes
    revision: str | None
    conn: object

    @property
    def current(self) -> bool:
        """The schema needs no migration (older files go through ``db.open_ledger``'s backup first)."""
        return self.revision == SCHEMA_HEAD

    def close(self) -> None:
        conn, self.conn = self.conn, None
        if conn is not None:
            conn.close()


def unlock(path: Path | str, passphrase: str) -> Unlocked:
    """Derive the key (argon2id, the slow part on purpose) and prove it on the file."""
    path = Path(path)
    check_ledger_path(path)
    params = keyfile.read_keyfile(keyfile.keyfile_path(path), path)
    key = keyfile.derive_key(passphrase, params)
    conn = None
    try:
        conn = connect(path, key)
        revision = stored_revision(conn, path)
    except sqlcipher.DatabaseError:
        if conn is not None:
            conn.close()
        raise not_a_ledger(path) from None
    except BaseException:
        if conn is not None:
            conn.close()
        raise
    return Unlocked(path, key, revision, conn)
