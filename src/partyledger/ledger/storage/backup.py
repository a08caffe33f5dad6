"""Backups of a ledger: one self-contained encrypted file, written while the ledger is in use.

A bare copy of ``ledger.db`` is a useless backup: without ``ledger.db.key.json`` (the argon2 salt)
no passphrase opens it, and a byte copy taken while an import writes can be torn. A backup file is
therefore a small zip (stored, not compressed: the pages are encrypted and do not compress) of

- ``ledger.db``: a copy made with SQLite's online backup API from an unlocked connection, so it is a
  consistent snapshot even while an import commits (readers never block in WAL mode); it is as
  encrypted as the ledger, with the same key;
- ``ledger.key.json``: the key file that goes with it (salt and KDF parameters, not secret);
- ``manifest.json``: format, when, why (``manual``, ``upgrade``, ``import``), the schema revision
  and the newest audit event, so ``lock --erase-key`` can tell whether a backup holds the last change.

The passphrase is not in it: the file is exactly as safe as the ledger. Every file is written 0600
beside its name and moved into place when complete (``partyledger.files``); a backup never
overwrites another one (names carry the time to the microsecond).

Automatic backups (before a schema upgrade and before every import commit) go to ``backups/`` next
to the ledger and are rotated per reason: the newest ``keep`` are kept. Their cost is one page copy
of the ledger (about 0.1 s per 10 MB here), paid once per import, not per row.
Restoring lives in ``ledger/storage/restore.py``.
"""

from __future__ import annotations

import json
import os
import secrets
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher

from partyledger import files
from partyledger.errors import LedgerError
from partyledger.ledger.storage import keyfile, unlock

FORMAT = "partyledger-backup"
FORMAT_VERSION = 1
SUFFIX = ".plbackup"
DB_MEMBER, KEY_MEMBER, MANIFEST_MEMBER = "ledger.db", "ledger.key.json", "manifest.json"
DEFAULT_KEEP = 5


@dataclass(frozen=True)
class BackupInfo:
    """What a backup holds: where it is, when and why it was made, and the newest audit event in it."""

    path: Path
    created: str
    reason: str
    revision: str | None
    last_event_id: int | None
    last_event_hash: str | None


def stamp(now: datetime | None = None) -> str:
    """``20261202-134501-123456``: sortable, unique per microsecond, safe on FAT file systems."""
    return (now or datetime.now(timezone.utc)).strftime("%Y%m%d-%H%M%S-%f")


def backups_dir(ledger: Path) -> Path:
    """Where automatic backups of ``ledger`` go: ``backups/`` beside it."""
    return Path(ledger).parent / "backups"


def _last_event(conn) -> tuple[int | None, str | None]:
    try:
        row = conn.execute("SELECT id, hash FROM auditevent ORDER BY id DESC LIMIT 1").fetchone()
    except sqlcipher.OperationalError:       # a ledger older than the audit table
        return None, None
    return (row[0], row[1]) if row else (None, None)


def _revision(conn) -> str | None:
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def _copy_pages(source, key: bytes, target: Path) -> None:
    """The online backup API into a new 0600 file keyed like the source (a consistent snapshot)."""
    files.create_private(target)
    dest = sqlcipher.connect(str(target))
    try:
        dest.execute("PRAGMA cipher_log_level = NONE")
        dest.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        source.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")    # one self-contained file, no -wal beside it
    finally:
        dest.close()


def write_backup(source, key: bytes, key_text: str, out: Path, *, reason: str = "manual",
                 force: bool = False) -> BackupInfo:
    """Write a backup of the open, keyed connection ``source`` to ``out`` (see the module docstring)."""
    out = Path(out)
    files.refuse_existing(out, force)
    files.private_dir(out.parent)
    revision = _revision(source)
    event_id, event_hash = _last_event(source)
    created = datetime.now(timezone.utc).isoformat(timespec="microseconds")
    manifest = {"format": FORMAT, "version": FORMAT_VERSION, "created": created, "reason": reason,
                "schema": revision, "last_event": {"id": event_id, "hash": event_hash}}
    scratch = out.with_name(f".{out.name}.{secrets.token_hex(4)}.db")
    try:
        _copy_pages(source, key, scratch)
        with files.private_file(out, force=force) as handle:
            with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_STORED) as zf:
                zf.writestr(MANIFEST_MEMBER, json.dumps(manifest, indent=2) + "\n")
                zf.writestr(KEY_MEMBER, key_text)
                zf.write(scratch, DB_MEMBER)
    finally:
        scratch.unlink(missing_ok=True)
        for extra in ("-wal", "-shm", "-journal"):
            Path(f"{scratch}{extra}").unlink(missing_ok=True)
    return BackupInfo(out, created, reason, revision, event_id, event_hash)


def backup_unlocked(unlocked: unlock.Unlocked, out: Path, *, reason: str = "manual",
                    force: bool = False) -> BackupInfo:
    """Back up a ledger ``unlock.unlock`` has opened (the key file that opened it goes along)."""
    key_text = keyfile.keyfile_path(unlocked.path).read_text(encoding="utf-8")
    return write_backup(unlocked.conn, unlocked.key, key_text, out, reason=reason, force=force)


def auto_backup(ledger: Path, key: bytes, *, reason: str, keep: int = DEFAULT_KEEP, source=None) -> BackupInfo:
    """A rotated backup in ``backups/`` before a risky change; ``keep`` newest per reason stay."""
    ledger = Path(ledger)
    folder = files.private_dir(backups_dir(ledger))
    out = folder / f"{ledger.name}-{reason}-{stamp()}{SUFFIX}"
    key_text = keyfile.keyfile_path(ledger).read_text(encoding="utf-8")
    conn = source if source is not None else unlock.connect(ledger, key)
    try:
        info = write_backup(conn, key, key_text, out, reason=reason)
    finally:
        if source is None:
            conn.close()
    rotate(ledger, reason, keep)
    return info


def rotate(ledger: Path, reason: str, keep: int) -> list[Path]:
    """Delete all but the ``keep`` newest automatic backups of ``ledger`` made for ``reason``."""
    prefix = f"{Path(ledger).name}-{reason}-"
    mine = sorted(p for p in backups_dir(ledger).glob(f"{prefix}*{SUFFIX}") if p.name.startswith(prefix))
    gone = mine[:-keep] if keep > 0 else mine
    for old in gone:
        old.unlink(missing_ok=True)
    return gone


def to_dir_name(ledger: Path) -> str:
    """The file name ``backup --to-dir`` uses: the ledger's name and the time."""
    return f"{Path(ledger).stem}-{stamp()}{SUFFIX}"


def read_manifest(backup: Path) -> dict:
    """The manifest of a backup file; ``LedgerError`` if the file is not a partyledger backup."""
    if Path(backup).exists() and not Path(backup).is_file():     # zipfile reads /dev/zero or a FIFO forever
        raise LedgerError(f"{backup} is not a partyledger backup (not a regular file)",
                          "give a file written by partyledger backup")
    try:
        with zipfile.ZipFile(backup) as zf:
            names = set(zf.namelist())
            if not {DB_MEMBER, KEY_MEMBER, MANIFEST_MEMBER} <= names:
                raise ValueError("members missing")
            manifest = json.loads(zf.read(MANIFEST_MEMBER))
    except FileNotFoundError:
        raise LedgerError(f"no backup file at {backup}", "give the path of a .plbackup file") from None
    except (zipfile.BadZipFile, ValueError, OSError, KeyError) as err:
        raise LedgerError(f"{backup} is not a partyledger backup ({err})",
                          "give a file written by partyledger backup") from None
    if manifest.get("format") != FORMAT or manifest.get("version") != FORMAT_VERSION:
        raise LedgerError(f"{backup} is not a partyledger backup this version can read",
                          "upgrade partyledger, or give a file written by partyledger backup")
    return manifest


def record_path(ledger: Path) -> Path:
    """Where the last explicit (off-disk) backup is recorded, for ``lock --erase-key``."""
    return Path(ledger).with_name(Path(ledger).name + ".last-backup.json")


def record_backup(ledger: Path, info: BackupInfo) -> None:
    """Remember the last explicit backup: when, where, and the newest audit event it holds."""
    doc = {"created": info.created, "file": str(Path(info.path).absolute()),
           "last_event": {"id": info.last_event_id, "hash": info.last_event_hash}}
    files.write_private(record_path(ledger), json.dumps(doc, indent=2) + "\n", force=True)


def last_backup(ledger: Path) -> dict | None:
    try:
        return json.loads(record_path(ledger).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def newest_event(conn) -> tuple[int | None, str | None]:
    """The newest audit event of an open ledger (what ``lock --erase-key`` compares)."""
    return _last_event(conn)


def keep_from(value: str | None) -> int:
    """The number of automatic backups to keep, from a setting's text (``PARTYLEDGER_KEEP_BACKUPS``)."""
    if value is None or not value.strip():
        return DEFAULT_KEEP
    try:
        keep = int(value)
        if keep < 1:
            raise ValueError
    except ValueError:
        raise LedgerError(f"PARTYLEDGER_KEEP_BACKUPS={value!r} is not a whole number of 1 or more",
                          "set it to how many automatic backups to keep, e.g. 5") from None
    return keep


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
