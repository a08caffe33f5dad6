"""Unlock a ledger file with plain sqlcipher3: derive the key, check it, read the schema revision.

Why apart from ``db.py``: importing SQLAlchemy, SQLModel and the models costs about 0.35 s of
interpreter time, and the terminal app's start-up cannot afford it before the dashboard shows
(issue 8: dashboard within 0.5 s of a bare Textual app). This module needs only sqlcipher3 and
argon2, so the app unlocks and reads the dashboard's numbers (``ledger/members/reads.py``,
``report``) while Textual starts, and builds the SQLAlchemy engine afterwards from the same derived
key (``db.engine_from_key``): the passphrase is stretched once.

``db.open_ledger`` goes through ``unlock`` too, so the file checks, the wrong-passphrase message and
the connection settings (``apply_pragmas``; why each one is in ``db.py``'s docstring) exist once.

Which key file: the main ``<ledger>.key.json`` first; if its key does not open the file and a
``.pending`` one exists, that one (a passphrase change was cut off after re-keying; see
``ledger/storage/rekey.py``), which then becomes the main one. A failed open is told apart: a wrong
passphrase fails HMAC on page 1, while a damaged or cut-short file with the right passphrase opens
page 1 and fails later, so it is reported as damaged, with the way out (restore a backup).

Connections open the file with ``mode=rw``: SQLite would otherwise create an empty database if the
ledger was moved or deleted while the app runs, and the next query would fail as "no such table".
Every connection waits up to ``BUSY_SECONDS`` for another writer (an import holds the write lock for
its whole batch) before ``database is locked``; ``db.session_scope`` turns that into ``LedgerBusy``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import sqlcipher3.dbapi2 as sqlcipher

from partyledger.errors import LedgerDamaged, LedgerError, LedgerMissing, WrongPassphrase
from partyledger.ledger.storage import keyfile

# The newest revision in migrations/versions. Kept here so that opening an up-to-date ledger does not
# import Alembic and parse every revision file (~0.2 s on each command and TUI start); a test checks it
# equals Alembic's head, so adding a revision without bumping this fails the suite.
SCHEMA_HEAD = "0009"
CACHE_KIB = 65536          # 64 MiB page cache per connection (see db.py's docstring)
BUSY_SECONDS = 60.0        # how long a writer waits for another one (an import batch) to commit


def apply_pragmas(dbapi_conn, key: bytes | None, busy_seconds: float = BUSY_SECONDS) -> None:
    """Unlock and configure one SQLCipher connection (every pooled connection goes through here)."""
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA cipher_log_level = NONE")
    cur.execute(f"PRAGMA busy_timeout = {int(busy_seconds * 1000)}")
    if key is not None:
        cur.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        cur.execute("PRAGMA cipher_memory_security = OFF")      # see db.py's docstring
    cur.execute("PRAGMA foreign_keys = ON")
    if key is not None:
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
    cur.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    cur.close()


def file_uri(path: Path) -> str:
    """``file:`` URI opening an existing file read-write only (never creating an empty one)."""
    return f"file:{quote(str(Path(path).absolute()))}?mode=rw"


def connect(path: Path, key: bytes, busy_seconds: float = BUSY_SECONDS):
    """A configured SQLCipher connection usable from any thread (callers never share it at once)."""
    conn = sqlcipher.connect(file_uri(path), uri=True, check_same_thread=False)
    try:
        apply_pragmas(conn, key, busy_seconds)
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


def _key_files(path: Path) -> list[tuple[Path, keyfile.KdfParams]]:
    """The main key file's parameters, then a pending passphrase change's (if its file exists)."""
    main, pending = keyfile.keyfile_path(path), keyfile.pending_path(path)
    found = []
    if main.exists() or not pending.exists():
        found.append((main, keyfile.read_keyfile(main, path)))
    if pending.exists():
        try:
            found.append((pending, keyfile.read_keyfile(pending, path)))
        except LedgerError:
            if not found:
                raise
    return found


def _refusal(path: Path, key: bytes, err: Exception) -> LedgerError:
    """Wrong passphrase, or the right one on a damaged file? Page 1's HMAC tells them apart."""
    damaged = LedgerDamaged(f"{path} is damaged or cut short; the passphrase looks right",
                            "restore the ledger from a backup with partyledger restore")
    if "malformed" in str(err):
        return damaged
    probe = sqlcipher.connect(file_uri(path), uri=True)
    try:
        probe.execute("PRAGMA cipher_log_level = NONE")
        probe.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        problems = [row[0] for row in probe.execute("PRAGMA cipher_integrity_check").fetchall()]
    except sqlcipher.DatabaseError:
        return not_a_ledger(path)
    finally:
        probe.close()
    if any("invalid size" in p for p in problems) and not os.path.exists(f"{path}-wal"):
        return damaged
    if problems and not any("for page 1" in p and "HMAC" in p for p in problems):
        return damaged
    return not_a_ledger(path)


def unlock(path: Path | str, passphrase: str, *, busy_seconds: float = BUSY_SECONDS) -> Unlocked:
    """Derive the key (argon2id, the slow part on purpose) and prove it on the file."""
    path = Path(path)
    check_ledger_path(path)
    refusal: LedgerError | None = None
    for source, params in _key_files(path):
        key = keyfile.derive_key(passphrase, params)
        conn = None
        try:
            conn = connect(path, key, busy_seconds)
            revision = stored_revision(conn, path)
        except sqlcipher.DatabaseError as err:
            if conn is not None:
                conn.close()
            if refusal is None:
                refusal = _refusal(path, key, err)
            continue
        except BaseException:
            if conn is not None:
                conn.close()
            raise
        if source != keyfile.keyfile_path(path):
            _promote(source, path)
        return Unlocked(path, key, revision, conn)
    raise refusal or not_a_ledger(path)


def _promote(pending: Path, path: Path) -> None:
    """The pending key file opened the ledger: the re-key committed, so it is now the key file."""
    try:
        os.replace(pending, keyfile.keyfile_path(path))
    except FileNotFoundError:        # the passphrase change finished it meanwhile
        pass
