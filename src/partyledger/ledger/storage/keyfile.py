"""The key file next to a ledger, and the passphrase -> key derivation.

SQLCipher is given a raw 32-byte key (``PRAGMA key = "x'..'"``) derived once per open with argon2id,
instead of the passphrase: SQLCipher's own PBKDF2 would run again for every pooled connection
(118 ms each, research/security-infra.md 1.4), and argon2id is far harder to brute-force on GPUs.

The argon2 salt and parameters live in a small plaintext sidecar ``<ledger>.key.json``. Salts and
cost parameters are not secret; the file only lets the same passphrase find the same key again.
It carries a format version so later releases can change the KDF without guessing. Every value read
back is bounds-checked: the file is plaintext and may be damaged or hostile, and a memory cost of
4,000,000,000 KiB would otherwise ask argon2 for 4 TB.

A passphrase change (``ledger/storage/rekey.py``) writes the new parameters to ``<ledger>.key.json.pending``
first; ``unlock`` tries that file when the main one does not open the ledger (see rekey's docstring).
Key files are written 0600 beside their final name and moved into place (``partyledger.files``).

``new_params(fast=True)`` selects a light profile so the test suite's many ledgers stay fast; the front
ends pass it in (the CLI reads ``$PARTYLEDGER_KDF_FAST``, ``cli/context.fast_kdf``), the core never reads
the environment. The profile is recorded in the key file, so opening never depends on how it was made.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

from argon2.low_level import Type, hash_secret_raw

from partyledger import files
from partyledger.errors import LedgerError

FORMAT = "partyledger-key"
FORMAT_VERSION = 1
KEY_BYTES = 32
# Accepted ranges for values read from a key file: wide enough for any profile we write (fast: t=1,
# 8 MiB, p=1; default: t=3, 64 MiB, p=4) and for a stronger one chosen later, narrow enough that a
# damaged or hostile file cannot make opening take hours or all the memory of a laptop.
BOUNDS = {"time_cost": (1, 64), "memory_kib": (8 * 1024, 4 * 1024 * 1024), "parallelism": (1, 64)}
SALT_BYTES = (8, 64)


@dataclass(frozen=True)
class KdfParams:
    """argon2id parameters and salt (hex), exactly as written in the key file."""

    salt: str
    time_cost: int = 3
    memory_kib: int = 64 * 1024
    parallelism: int = 4
    algorithm: str = "argon2id"


def keyfile_path(ledger: Path) -> Path:
    """``/x/ledger.db`` -> ``/x/ledger.db.key.json`` (kept next to the ledger, copied with it)."""
    ledger = Path(ledger)
    return ledger.with_name(ledger.name + ".key.json")


def pending_path(ledger: Path) -> Path:
    """The key file of a passphrase change in progress (``ledger/storage/rekey.py``)."""
    return keyfile_path(ledger).with_name(keyfile_path(ledger).name + ".pending")


def new_params(*, fast: bool = False) -> KdfParams:
    """Fresh salt; the default (0.35 s here) or, for tests, the light profile."""
    salt = secrets.token_bytes(16).hex()
    if fast:
        return KdfParams(salt=salt, time_cost=1, memory_kib=8 * 1024, parallelism=1)
    return KdfParams(salt=salt)


def derive_key(passphrase: str, params: KdfParams) -> bytes:
    """The 32-byte SQLCipher key for this passphrase and salt."""
    return hash_secret_raw(
        passphrase.encode("utf-8"), bytes.fromhex(params.salt), time_cost=params.time_cost,
        memory_cost=params.memory_kib, parallelism=params.parallelism, hash_len=KEY_BYTES, type=Type.ID)


def keyfile_text(params: KdfParams) -> str:
    doc = {"format": FORMAT, "version": FORMAT_VERSION, "kdf": asdict(params)}
    return json.dumps(doc, indent=2) + "\n"


def write_keyfile(path: Path, params: KdfParams, *, force: bool = False) -> None:
    """Write (0600, fsynced, moved into place) the key file; ``force`` replaces an existing one."""
    files.write_private(path, keyfile_text(params), force=force)


def _checked(params: KdfParams) -> KdfParams:
    if params.algorithm != "argon2id":
        raise ValueError(f"algorithm {params.algorithm!r} is not argon2id")
    salt = bytes.fromhex(params.salt)
    if not SALT_BYTES[0] <= len(salt) <= SALT_BYTES[1]:
        raise ValueError(f"the salt is {len(salt)} bytes")
    for name, (low, high) in BOUNDS.items():
        value = getattr(params, name)
        if not low <= value <= high:
            raise ValueError(f"{name} {value} is outside {low}..{high}")
    return params


def parse_keyfile(text: str) -> KdfParams:
    """The parameters in a key file's text; ``ValueError`` (or ``LedgerError`` for a newer version)."""
    try:
        doc = json.loads(text)
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise ValueError("not a partyledger key file")
        if doc.get("version") != FORMAT_VERSION:
            raise LedgerError(f"key file version {doc.get('version')} is not known to this partyledger",
                              "upgrade partyledger")
        kdf = doc["kdf"]
        params = KdfParams(salt=str(kdf["salt"]), time_cost=int(kdf["time_cost"]),
                           memory_kib=int(kdf["memory_kib"]), parallelism=int(kdf["parallelism"]),
                           algorithm=str(kdf.get("algorithm", "argon2id")))
    except (KeyError, TypeError, AttributeError, OverflowError) as err:
        raise ValueError(f"{type(err).__name__}: {err}") from None
    return _checked(params)


def read_keyfile(path: Path, ledger: Path) -> KdfParams:
    """Read and check the sidecar; every way it can be wrong is one clear ``LedgerError``."""
    if not path.exists():
        raise LedgerError(f"the key file {path} is missing; the ledger {ledger} cannot be opened without it",
                          "copy the .key.json file that was made together with the ledger next to it, "
                          "or restore a backup with partyledger restore")
    try:
        return parse_keyfile(path.read_text(encoding="utf-8"))
    except LedgerError as err:
        raise LedgerError(f"{path}: {err.message}", err.hint) from None
    except (ValueError, UnicodeDecodeError, OSError) as err:
        raise LedgerError(f"{path} is not a valid partyledger key file ({err})",
                          "restore the .key.json file that was made together with the ledger") from None
