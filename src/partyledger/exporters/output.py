"""Where every workbook export ends: a new owner-only file, and Office encryption when a password is given.

Exports hold names and IINs, so they are written through ``partyledger.files.private_file`` (0600
whatever the umask, written beside the target and moved into place, never over an existing file
without ``force``). With a password the workbook is encrypted as Office itself does it (ECMA-376
"agile" encryption: AES-256 with a SHA-512 key derivation of 100,000 rounds) by msoffcrypto-tool,
a maintained library, never a cipher of our own; Excel and LibreOffice ask for the password when
they open the file. The plain workbook only ever exists in memory on the way: an encrypted export
never leaves an unencrypted copy on disk, not even a temporary one.
"""

from __future__ import annotations

import io
from pathlib import Path

from partyledger.errors import InvalidInput
from partyledger.files import private_file, refuse_existing, write_private

__all__ = ["check_password", "refuse_existing", "save_workbook", "save_xlsx_bytes", "save_text"]


def check_password(password: str | None) -> str | None:
    """The password as given, or ``InvalidInput`` for one that cannot protect or cannot be used."""
    if password is None:
        return None
    if not password:
        raise InvalidInput("the export password is empty", "give a password, or leave out --password")
    try:
        password.encode("utf-16-le")          # what the Office key derivation hashes
    except UnicodeEncodeError:
        raise InvalidInput("the export password holds bytes that are not text",
                           "type it again, or use --ask-password") from None
    return password


def save_workbook(wb, path: Path | str, *, force: bool = False, password: str | None = None) -> None:
    """Write an openpyxl workbook to ``path`` (0600; ``force`` to replace); encrypted with ``password``."""
    check_password(password)
    if password is None:
        with private_file(path, "wb", force=force) as handle:
            wb.save(handle)
        return
    plain = io.BytesIO()
    wb.save(plain)
    save_xlsx_bytes(plain, path, force=force, password=password)


def save_xlsx_bytes(plain: io.BytesIO, path: Path | str, *, force: bool = False, password: str | None = None) -> None:
    """A workbook already written to memory (XlsxWriter's), saved as ``save_workbook`` saves one."""
    check_password(password)
    if password is None:
        with private_file(path, "wb", force=force) as handle:
            handle.write(plain.getbuffer())
        return
    from msoffcrypto.format.ooxml import OOXMLFile

    plain.seek(0)
    with private_file(path, "wb", force=force) as handle:
        OOXMLFile(plain).encrypt(password, handle)


def save_text(path: Path | str, text: str, *, force: bool = False) -> None:
    """An html or JSON export: a new 0600 file (``force`` to replace); an OS error as one line."""
    try:
        write_private(path, text, force=force)
    except OSError as err:
        raise InvalidInput(f"cannot write {path}: {err.strerror}") from None
