"""Restore a backup file over a ledger, and erase a ledger's key (``lock --erase-key``).

Restore checks before it touches anything: the backup is unpacked beside the ledger (0600 files),
opened with the passphrase given, and must pass ``PRAGMA cipher_integrity_check`` (every page's
HMAC) and ``PRAGMA integrity_check`` (the b-trees) and hold a partyledger schema. Only then is the
current ledger set aside, renamed with the time (``<ledger>.replaced-<time>``, with its key file,
-wal/-shm and any pending key file, under the names SQLite and ``unlock`` look for, so the old
ledger still opens by giving that path), and the checked copy moved into place: key file first,
then the database. A crash between those renames leaves no ledger at the path but both the old set
and the backup intact; running restore again finishes the job.

Close the app and any running import first: a process that still has the old ledger open keeps
writing to the renamed file.

Erasing the key overwrites the key file (and a pending one) with random bytes, fsyncs, and deletes
it; the automatic backups beside the ledger hold a copy of the key file, so they are deleted too.
What that does and does not protect against is said in the README.
"""

from __future__ import annotations

import os
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher

from partyledger import files
from partyledger.errors import LedgerDamaged, LedgerError, WrongPassphrase
from partyledger.ledger.storage import backup, keyfile, unlock

SIDE_FILES = ("-wal", "-shm")


@dataclass(frozen=True)
class Restored:
    ledger: Path
    replaced: Path | None          # where the previous ledger went (None: there was none)
    manifest: dict


def check_copy(db_file: Path, key: bytes, label: str) -> str | None:
    """Open ``db_file`` with ``key`` and run both integrity checks; the schema revision it holds."""
    try:
        conn = unlock.connect(db_file, key)
    except sqlcipher.DatabaseError:
        conn = None
    try:
        try:
            if conn is None:
                raise sqlcipher.DatabaseError("no key")
            revision = unlock.stored_revision(conn, db_file)
        except sqlcipher.DatabaseError:
            raise WrongPassphrase(f"wrong passphrase for {label}, or it is damaged",
                                  "give the passphrase the ledger had when the backup was made") from None
        except WrongPassphrase:
            raise LedgerDamaged(f"{label} does not hold a partyledger ledger") from None
        cipher = [r[0] for r in conn.execute("PRAGMA cipher_integrity_check").fetchall()]
        pages = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
    except sqlcipher.DatabaseError as err:
        raise LedgerDamaged(f"{label} is damaged ({err})", "use another backup") from None
    finally:
        if conn is not None:
            conn.close()
    if cipher or pages != ["ok"]:
        first = (cipher or pages)[0]
        raise LedgerDamaged(f"{label} fails the integrity check ({first})", "use another backup")
    return revision


def _unpack(backup_file: Path, ledger: Path) -> tuple[Path, Path]:
    """The backup's database and key file as 0600 scratch files beside the ledger."""
    tag = secrets.token_hex(4)
    db_tmp = ledger.with_name(f".{ledger.name}.restore-{tag}")
    key_tmp = ledger.with_name(f".{ledger.name}.restore-{tag}.key.json")
    try:
        with zipfile.ZipFile(backup_file) as zf:
            with zf.open(backup.DB_MEMBER) as src, files.private_file(db_tmp) as dst:
                while chunk := src.read(1 << 20):
                    dst.write(chunk)
            files.write_private(key_tmp, zf.read(backup.KEY_MEMBER))
    except (zipfile.BadZipFile, OSError, KeyError) as err:
        for leftover in (db_tmp, key_tmp):
            leftover.unlink(missing_ok=True)
        raise LedgerError(f"{backup_file} cannot be read ({err})", "use another backup") from None
    return db_tmp, key_tmp


def _remove_set(db_file: Path) -> None:
    for extra in ("", *SIDE_FILES):
        Path(f"{db_file}{extra}").unlink(missing_ok=True)
    keyfile.keyfile_path(db_file).unlink(missing_ok=True)


def set_aside(ledger: Path, stamp: str) -> Path | None:
    """Rename the ledger and everything that belongs to it to ``<ledger>.replaced-<stamp>``."""
    if not ledger.exists() and not keyfile.keyfile_path(ledger).exists():
        return None
    aside = ledger.with_name(f"{ledger.name}.replaced-{stamp}")
    moves = [(keyfile.pending_path(ledger), keyfile.pending_path(aside)),
             (keyfile.keyfile_path(ledger), keyfile.keyfile_path(aside))]
    moves += [(Path(f"{ledger}{extra}"), Path(f"{aside}{extra}")) for extra in SIDE_FILES]
    moves.append((ledger, aside))
    for src, dst in moves:
        if src.exists():
            os.rename(src, dst)
    files.fsync_dir(ledger.parent)
    return aside


def restore(backup_file: Path | str, ledger: Path | str, passphrase: str) -> Restored:
    """Check ``backup_file`` with ``passphrase``, then put it in place of ``ledger`` (module docstring)."""
    backup_file, ledger = Path(backup_file), Path(ledger)
    manifest = backup.read_manifest(backup_file)
    files.private_dir(ledger.parent)
    db_tmp, key_tmp = _unpack(backup_file, ledger)
    try:
        try:
            params = keyfile.parse_keyfile(key_tmp.read_text(encoding="utf-8"))
        except ValueError as err:
            raise LedgerDamaged(f"{backup_file} holds a damaged key file ({err})", "use another backup") from None
        check_copy(db_tmp, keyfile.derive_key(passphrase, params), str(backup_file))
        replaced = set_aside(ledger, backup.stamp())
        os.replace(key_tmp, keyfile.keyfile_path(ledger))
        os.replace(db_tmp, ledger)
        files.fsync_dir(ledger.parent)
    finally:
        _remove_set(db_tmp)
        key_tmp.unlink(missing_ok=True)
    return Restored(ledger, replaced, manifest)


def _shred(path: Path) -> bool:
    """Overwrite a small file with random bytes, fsync, delete. False if there was none."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return False
    with open(path, "r+b") as handle:
        handle.write(secrets.token_bytes(max(size, 1)))
        handle.flush()
        os.fsync(handle.fileno())
    path.unlink()
    return True


def erase_key(ledger: Path | str) -> list[Path]:
    """Make the ledger on this disk unopenable: shred its key files and delete the local backups.

    The ledgers a restore set aside (``<ledger>.replaced-<time>``) are older copies of the same people
    that still open with an older passphrase, so their key files are shredded too.
    """
    ledger = Path(ledger)
    keys = [keyfile.keyfile_path(ledger), keyfile.pending_path(ledger)]
    keys += sorted(ledger.parent.glob(f"{ledger.name}.replaced-*.key.json*"))
    gone = [p for p in keys if _shred(p)]
    folder = backup.backups_dir(ledger)
    for old in sorted(folder.glob(f"{ledger.name}-*{backup.SUFFIX}")):
        old.unlink()
        gone.append(old)
    files.fsync_dir(ledger.parent)
    return gone
