"""``backup``, ``restore``, ``passphrase`` and ``lock --erase-key``: keeping the ledger safe.

The core does the work (``ledger/storage/backup.py``, ``ledger/storage/restore.py``, ``ledger/storage/rekey.py``); these
commands read the passphrases (``--passphrase-file``, the environment or a prompt), the settings
from the environment, and say what happened on stderr.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from partyledger.cli.context import ask_secret, busy_seconds, db_path, fast_kdf, passphrase, say, secret_from_file
from partyledger.errors import PartyLedgerError


def backup_cmd(
    ctx: typer.Context,
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Backup file to write (.plbackup)."),
    to_dir: Optional[Path] = typer.Option(None, "--to-dir", help="Folder (e.g. a USB stick): a file named by the time."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file given with -o."),
) -> None:
    """Write one encrypted backup file (ledger and key file; not the passphrase), even while in use."""
    from partyledger.ledger.storage import backup, unlock

    if (output is None) == (to_dir is None):
        raise PartyLedgerError("say where the backup goes", "give -o FILE or --to-dir FOLDER (one of them)")
    path = db_path(ctx)
    out = output if output is not None else to_dir / backup.to_dir_name(path)
    from partyledger import files

    files.refuse_existing(out, force)          # before the passphrase: nobody types it for nothing
    opened = unlock.unlock(path, passphrase(ctx=ctx), busy_seconds=busy_seconds())
    try:
        info = backup.backup_unlocked(opened, out, force=force)
    finally:
        opened.close()
    backup.record_backup(path, info)
    say(f"Backup written to {out} ({out.stat().st_size:,} bytes; encrypted; opens with the current passphrase).")
    say(f"Keep it away from this computer. Restore with: partyledger restore {out}")


def restore_cmd(
    ctx: typer.Context,
    backup_file: Path = typer.Argument(..., help="A .plbackup file written by partyledger backup."),
) -> None:
    """Put a backup in place of the ledger after checking it; the replaced ledger is kept, renamed."""
    from partyledger.ledger.storage import backup, restore

    backup.read_manifest(backup_file)           # not a backup: fail before asking for a passphrase
    path = db_path(ctx)
    done = restore.restore(backup_file, path, passphrase(ctx=ctx))
    say(f"Restored {path} from {backup_file} (made {done.manifest.get('created', '?')}); "
        "both integrity checks passed.")
    if done.replaced is not None:
        say(f"The ledger it replaced is kept as {done.replaced} (with its key file).")


def passphrase_cmd(
    ctx: typer.Context,
    new_passphrase_file: Optional[str] = typer.Option(
        None, "--new-passphrase-file", help="Read the new passphrase from this file's first line (- = stdin)."),
) -> None:
    """Change the passphrase: the ledger is re-encrypted in place and the old passphrase stops working."""
    from partyledger.ledger.storage import rekey

    path = db_path(ctx)
    old = passphrase(ctx=ctx)
    if new_passphrase_file:
        new = secret_from_file(new_passphrase_file, ctx)
    else:
        new = ask_secret("New passphrase", "PARTYLEDGER_NEW_PASSPHRASE", confirm=True, option="--new-passphrase-file")
    if new == old:
        raise PartyLedgerError("the new passphrase is the same as the old one", "choose a different passphrase")
    rekey.change_passphrase(path, old, new, fast_kdf=fast_kdf(),
                            busy_seconds=busy_seconds())
    say(f"Passphrase changed for {path}; the old one no longer opens it.")
    say("Backups made before keep the old passphrase; make a new backup now (partyledger backup).")


def lock_cmd(
    ctx: typer.Context,
    erase_key: bool = typer.Option(False, "--erase-key", help="Destroy the key file so this copy cannot be opened."),
    force: bool = typer.Option(False, "--force", help="Erase even if no backup holds the latest change."),
) -> None:
    """With --erase-key: make the ledger on this disk unopenable (restore brings it back from a backup)."""
    from partyledger.ledger.storage import backup, restore, unlock

    if not erase_key:
        raise PartyLedgerError("nothing to do", "partyledger lock --erase-key destroys the local key file")
    path = db_path(ctx)
    opened = unlock.unlock(path, passphrase(ctx=ctx), busy_seconds=busy_seconds())
    try:
        newest = backup.newest_event(opened.conn)
    finally:
        opened.close()
    record = backup.last_backup(path)
    covered = record is not None and (record["last_event"]["id"], record["last_event"]["hash"]) == tuple(newest)
    if not covered and not force:
        raise PartyLedgerError("no backup holds the latest change to this ledger, so erasing the key would lose it",
                               "run partyledger backup --to-dir FOLDER first (or add --force)")
    gone = restore.erase_key(path)
    say(f"Erased {len(gone)} file(s): the key file and the automatic backups beside {path}.")
    say("This ledger can no longer be opened on this computer. To get it back: "
        f"partyledger restore {record['file'] if record else 'BACKUP.plbackup'}")


def register(app: typer.Typer) -> None:
    app.command("backup")(backup_cmd)
    app.command("restore")(restore_cmd)
    app.command("passphrase")(passphrase_cmd)
    app.command("lock")(lock_cmd)
