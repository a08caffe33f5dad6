"""Change a ledger's passphrase in place, so that a kill at any moment leaves exactly one that works.

The ledger is encrypted with a raw key derived from the passphrase and the salt in the key file, so
a new passphrase means a new salt, a new key file and every page re-encrypted. The two files cannot
change in one atomic step, so the protocol orders the steps and lets ``unlock`` find its way:

1. derive the new key (new passphrase, new random salt) and write ``<ledger>.key.json.pending``
   (0600, fsynced, moved into place);
2. ``PRAGMA rekey`` with the new raw key: SQLCipher re-encrypts every page in ONE write transaction
   (in WAL mode all pages go to the log and the commit frame decides; after a kill before it the log
   is ignored, after it the log holds every page under the new key);
3. replace ``<ledger>.key.json`` with the new parameters (atomic rename), then delete the pending one.

At every moment the database file is under exactly one key. ``unlock`` tries the main key file
first and the pending one when the main one fails; if the pending one opens the ledger, step 2 had
committed, and it becomes the main key file (finishing step 3). So after a kill:

- before step 2 commits: the old passphrase opens it (main key file); the new one does not (its
  key, from the pending salt, does not match the pages). A stale pending file is harmless and the
  next passphrase change replaces it;
- after: the new passphrase opens it (pending or, once renamed, main); the old one does not.

The old passphrase stops working: its key no longer decrypts any page. Backups made before keep
the old passphrase (they carry their own key file), which is what restoring an old backup needs.
The rekey waits for other writers like any write and holds the write lock while it runs; readers
with the old key (an open app) fail on their next read and must unlock again.
"""

from __future__ import annotations

from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher

from partyledger import files
from partyledger.errors import LedgerBusy, LedgerError
from partyledger.ledger.storage import keyfile, unlock


def change_passphrase(path: Path | str, old: str, new: str, *, fast_kdf: bool = False,
                      busy_seconds: float = unlock.BUSY_SECONDS) -> None:
    """Re-key ``path`` from ``old`` to ``new`` (see the module docstring for the crash protocol)."""
    path = Path(path)
    if not new:
        raise LedgerError("the new passphrase is empty", "choose a passphrase of several words")
    opened = unlock.unlock(path, old, busy_seconds=busy_seconds)
    try:
        params = keyfile.new_params(fast=fast_kdf)
        new_key = keyfile.derive_key(new, params)
        pending = keyfile.pending_path(path)
        keyfile.write_keyfile(pending, params, force=True)                        # step 1
        try:
            opened.conn.execute(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")          # step 2
            opened.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher.OperationalError as err:
            pending.unlink(missing_ok=True)
            if "locked" in str(err) or "busy" in str(err):
                raise LedgerBusy(f"the ledger {path} is busy: an import or another change is running",
                                 "try again when it ends; the passphrase was not changed") from None
            raise
        if _opens_with(path, new_key, busy_seconds) is not True:
            raise LedgerError(f"the passphrase of {path} could not be changed; the old one still works",
                              "try again")
        keyfile.write_keyfile(keyfile.keyfile_path(path), params, force=True)     # step 3
        pending.unlink(missing_ok=True)
        files.fsync_dir(path.parent)
    finally:
        opened.close()


def _opens_with(path: Path, key: bytes, busy_seconds: float) -> bool:
    """The rekey really committed: a fresh connection reads the schema with the new key."""
    conn = unlock.connect(path, key, busy_seconds)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except sqlcipher.DatabaseError:
        return False
    finally:
        conn.close()
