"""Files the product writes: owner-only (0600, folders 0700) whatever the umask, never overwritten unasked.

The ledger holds the names and national IDs of people who can be pressured for being in it, so every
file partyledger creates (the ledger itself before SQLite opens it, the key file, backups, exports) is
readable by its owner only. Relying on the umask is not enough: the usual 022 leaves files 0644.
Files are created with ``os.open(..., 0o600)`` and then ``fchmod``-ed, because the creation mode is
still filtered by the umask (a 0277 umask would leave 0400).

``private_file`` writes beside the target and moves the finished file into place, so a crash or a
failing writer (an exporter that raises half-way) never leaves a truncated file under the real name,
and an existing file is replaced only with ``force``. The no-overwrite move is ``os.link`` (atomic,
fails if the name exists); on file systems without hard links (FAT on a USB stick) it falls back to
a check then ``os.replace``, which is as good as it gets there.

Core module (no front-end imports): the ledger and the exporters both use it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from pathlib import Path
from typing import IO, Iterator

from partyledger.errors import OutputExists

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: Path | str) -> Path:
    """Make ``path`` (and missing parents) as folders 0700; an existing folder is left as it is.

    Existing folders are not re-moded: the user may keep a ledger in a shared folder on purpose,
    and the files inside are 0600 anyway.
    """
    path = Path(path)
    missing = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        probe = probe.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):   # another process made it meanwhile
            folder.mkdir(mode=DIR_MODE)
        os.chmod(folder, DIR_MODE)
    return path


def make_private(path: Path | str) -> None:
    """Set an existing file to 0600 (files SQLite or a library created themselves)."""
    os.chmod(path, FILE_MODE)


def create_private(path: Path | str) -> None:
    """Create an empty file 0600, failing with ``FileExistsError`` if the name is taken.

    Used for the ledger before SQLite opens it: SQLite creates a missing file with 0644 & ~umask,
    and gives its -wal and -shm files the mode of the database file.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)


def refuse_existing(path: Path | str, force: bool) -> None:
    """``OutputExists`` if ``path`` exists and ``force`` is off (check early, before slow work)."""
    if not force and os.path.lexists(path):
        raise OutputExists(f"{path} already exists", "choose another file name, or pass --force to overwrite it")


@contextlib.contextmanager
def private_file(path: Path | str, mode: str = "wb", *, force: bool = False) -> Iterator[IO]:
    """Write a new file 0600: yields an open handle on a temporary file beside ``path``.

    When the block ends without error the data is flushed, fsynced and moved to ``path``; if the
    block raises, the temporary file is removed and nothing at ``path`` changes. Without ``force``
    an existing ``path`` raises ``OutputExists`` (before and, in case of a race, after writing).
    """
    path = Path(path)
    refuse_existing(path, force)
    private_dir(path.parent)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    os.fchmod(fd, FILE_MODE)
    try:
        encoding = None if "b" in mode else "utf-8"
        with os.fdopen(fd, mode, encoding=encoding) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        _move_into_place(tmp, path, force)
    finally:
        tmp.unlink(missing_ok=True)
    fsync_dir(path.parent)


def write_private(path: Path | str, data: bytes | str, *, force: bool = False) -> Path:
    """The whole of ``data`` into a new 0600 file (see ``private_file``)."""
    with private_file(path, "wb" if isinstance(data, bytes) else "w", force=force) as handle:
        handle.write(data)
    return Path(path)


def _move_into_place(tmp: Path, path: Path, force: bool) -> None:
    if force:
        os.replace(tmp, path)
        return
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise OutputExists(f"{path} already exists",
                           "choose another file name, or pass --force to overwrite it") from None
    except OSError:                  # no hard links here (FAT, some network shares)
        refuse_existing(path, force)
        os.replace(tmp, path)


def fsync_dir(path: Path | str) -> None:
    """Make a rename or a new file in ``path`` durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def file_sha256(path: Path | str) -> str:
    """The SHA-256 of a file's bytes, read in 1 MiB chunks (an import batch records the file it came from)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()
