"""Hostile-file preflight: decide what a file is, and refuse it cheaply before any parser opens it.

Every file to import is treated as hostile (DESIGN.md section 8). A 1 MB xlsx can inflate to
gigabytes, and both openpyxl and calamine will happily try; an entity bomb or an external entity is
a DTD, which OOXML never uses. Two passes:

1. the zip directory: declared sizes, ratios, part count, encryption, compression (milliseconds;
   research/security-infra.md 3.2-3.3: this rejected every bomb in <= 1 ms);
2. every part inflated once, streaming, by our own reader of the raw entry, not by ``zipfile``: a
   part that inflates past its declared size is refused the moment it does (``zipfile`` stops at the
   declared size, so a header that under-declares a sheet with a matching CRC was read silently
   cut), as is one whose real size or CRC differs from its header, and the whole of each part, not
   its first 4 KB, is searched for ``<!DOCTYPE``/``<!ENTITY`` (also in UTF-16, which XML allows).
   Memory stays at one chunk; a 120 MB sheet costs about half a second.

The guard also names the common "wrong kind of file" cases (old .xls, .ods, a password-protected
workbook, which Excel saves as an OLE2 container even when it is called .xlsx) so the person gets a
"save it as xlsx" line instead of a parser's stack trace.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

from partyledger.errors import SpreadsheetError

MAX_PARTS = 1000
MAX_TOTAL = 1280 * 2**20         # all parts, uncompressed
MAX_SHEET = 1024 * 2**20         # ~2x headroom over a 1M-row sign-up sheet (513 MB of XML measured)
MAX_PART = 256 * 2**20           # any other part (shared strings: calamine holds them all in memory)
MAX_RATIO = 100                  # real sheets compress ~7-10:1; bombs 300-1000:1
MAX_RATIO_BIG = 30               # above BIG, a part must also look like real data (a 1 GB sheet needs a 34 MB file)
BIG = 64 * 2**20
RATIO_FLOOR = 2**20              # tiny parts compress wildly; do not alarm on them
MAX_CSV_BYTES = 2 * 2**30

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
SAVE_AS = "open it in Excel or LibreOffice and save it as .xlsx (or .csv)"


def _fail(path: Path, what: str, hint: str | None = None) -> SpreadsheetError:
    return SpreadsheetError(f"{path.name}: {what}", hint)


def preflight(path: Path | str, content: bytes | None = None) -> str:
    """Return ``"xlsx"`` or ``"csv"`` for a file that may be opened; raise ``SpreadsheetError`` otherwise.

    ``content``, when given, is the file's bytes already read (``importers.run`` reads a workbook once
    and hashes, guards and parses that one copy); ``path`` then only names the file in messages.
    """
    path = Path(path)
    if content is None:
        if not path.is_file():
            raise _fail(path, "no such file")
        size = path.stat().st_size
        with path.open("rb") as f:
            head = f.read(8)
    else:
        size, head = len(content), content[:8]
    if size == 0:
        raise _fail(path, "the file is empty")
    suffix = path.suffix.lower()
    if head.startswith(ZIP_MAGIC):
        _check_zip(path, content)
        return "xlsx"
    if head.startswith(OLE2_MAGIC):
        if _ole_has(path, "EncryptedPackage", content=content):
            raise _fail(path, "the workbook is password-protected",
                        "remove the password in Excel (File > Info > Protect Workbook) and save again")
        raise _fail(path, "this is an old binary Excel file (.xls)", SAVE_AS)
    if head.startswith(b"PK"):
        raise _fail(path, "the file is a damaged zip, not a readable workbook", "save it again as .xlsx")
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods", ".xlsb"):
        raise _fail(path, f"the file is not a {suffix} workbook (wrong content for its name)", SAVE_AS)
    if suffix in TEXT_SUFFIXES:
        if size > MAX_CSV_BYTES:
            raise _fail(path, f"the file is too large ({size // 2**20} MB)", "split it into smaller files")
        return "csv"
    raise _fail(path, "not a spreadsheet partyledger can read", "use .xlsx or .csv")


def _open(path: Path, content: bytes | None):
    """The file to read: its bytes in memory when the caller read them already, else the file itself."""
    return io.BytesIO(content) if content is not None else path.open("rb")


def _check_zip(path: Path, content: bytes | None = None) -> None:
    try:
        z = zipfile.ZipFile(path if content is None else io.BytesIO(content))
    except (zipfile.BadZipFile, OSError) as err:
        raise _fail(path, f"the file is a damaged or truncated zip ({err})", "save it again as .xlsx") from None
    with z:
        infos = z.infolist()
        names = {i.filename for i in infos}
        if "mimetype" in names and "content.xml" in names:
            raise _fail(path, "this is an OpenDocument spreadsheet (.ods)", SAVE_AS)
        if "xl/workbook.xml" not in names and "xl/workbook.bin" in names:
            raise _fail(path, "this is a binary Excel workbook (.xlsb)", SAVE_AS)
        if "xl/workbook.xml" not in names:
            raise _fail(path, "this zip file is not an Excel workbook", "use .xlsx or .csv")
        if len(infos) > MAX_PARTS:
            raise _fail(path, f"the workbook has too many parts ({len(infos)})")
        if len(names) != len(infos):
            raise _fail(path, "the workbook has two parts with the same name (readers would disagree)",
                        "this file may be malicious; ask for a fresh copy")
        total = 0
        for i in infos:
            _check_part(path, i)
            total += i.file_size
        if total > MAX_TOTAL:
            raise _fail(path, f"the workbook would expand to {total // 2**20} MB", "split it into smaller files")
    with _open(path, content) as raw:
        for i in infos:
            _scan_part(path, raw, i)


def _check_part(path: Path, i: zipfile.ZipInfo) -> None:
    if i.flag_bits & 0x1:
        raise _fail(path, f"part {i.filename} is encrypted", "remove the password and save again")
    if i.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise _fail(path, f"part {i.filename} uses an unusual compression ({i.compress_type})", SAVE_AS)
    limit = MAX_SHEET if i.filename.startswith("xl/worksheets/") else MAX_PART
    if i.file_size > limit:
        raise _fail(path, f"part {i.filename} would expand to {i.file_size // 2**20} MB (zip bomb?)",
                    "split the sheet into smaller files")
    ratio_limit = MAX_RATIO_BIG if i.file_size > BIG else MAX_RATIO
    if i.file_size > RATIO_FLOOR and i.file_size > ratio_limit * max(i.compress_size, 1):
        ratio = i.file_size // max(i.compress_size, 1)
        raise _fail(path, f"part {i.filename} is compressed {ratio}:1 (zip bomb?)",
                    "this file may be malicious; ask for a fresh copy")


_LOCAL_HEADER = struct.Struct("<4s22xHH")          # signature ... file name length, extra field length
_CHUNK = 1 << 16
_DTD = tuple(n.encode(enc) for n in ("<!DOCTYPE", "<!ENTITY") for enc in ("ascii", "utf-16-le", "utf-16-be"))
_OVERLAP = max(len(n) for n in _DTD)
_DAMAGED = "save it again as .xlsx"
_MALICIOUS = "this file may be malicious; ask for a fresh copy"


def _scan_part(path: Path, raw, info: zipfile.ZipInfo) -> None:
    """Inflate one part from its raw bytes: real size and CRC as declared, and no DTD anywhere in it."""
    name = info.filename
    raw.seek(info.header_offset)
    head = raw.read(_LOCAL_HEADER.size)
    if len(head) < _LOCAL_HEADER.size or head[:4] != b"PK\x03\x04":
        raise _fail(path, f"damaged part {name} (no local header)", _DAMAGED)
    _, name_len, extra_len = _LOCAL_HEADER.unpack(head)
    raw.seek(info.header_offset + _LOCAL_HEADER.size + name_len + extra_len)
    stored = info.compress_type == zipfile.ZIP_STORED
    if stored and info.compress_size != info.file_size:
        raise _fail(path, f"part {name} is stored with two different sizes", _MALICIOUS)
    inflater = None if stored else zlib.decompressobj(-zlib.MAX_WBITS)
    left = info.compress_size if stored else None            # a stored part ends where it says
    size, crc, tail = 0, 0, b""
    while True:
        chunk = raw.read(_CHUNK if left is None else min(_CHUNK, left))
        if not chunk:
            if inflater is not None and not inflater.eof or left:
                raise _fail(path, f"damaged part {name} (the file ends inside it)", _DAMAGED)
            break
        if left is not None:
            left -= len(chunk)
        pending = chunk
        while pending:
            if inflater is None:
                data, pending = pending, b""
            else:
                try:
                    data = inflater.decompress(pending, _CHUNK)
                except zlib.error as err:
                    raise _fail(path, f"damaged part {name} ({err})", _DAMAGED) from None
                pending = inflater.unconsumed_tail
            size += len(data)
            if size > info.file_size:
                raise _fail(path, f"part {name} inflates past the {info.file_size:,} bytes its header declares",
                            _MALICIOUS)
            crc = zlib.crc32(data, crc)
            window = tail + data
            if any(needle in window for needle in _DTD):
                raise _fail(path, f"{name} declares XML entities (not something Excel writes)", _MALICIOUS)
            tail = window[-_OVERLAP:]
            if inflater is not None and inflater.eof:
                pending = b""
        if inflater is not None and inflater.eof or left == 0:
            break
    if size != info.file_size or crc != info.CRC:
        raise _fail(path, f"damaged part {name} (its size or checksum differs from its header)", _DAMAGED)


def _ole_has(path: Path, stream: str, limit: int = 64 * 2**20, *, content: bytes | None = None) -> bool:
    """True when an OLE2 container has a directory entry named ``stream`` (UTF-16LE in the file)."""
    needle = stream.encode("utf-16-le")
    with _open(path, content) as f:
        tail = b""
        read = 0
        while read < limit:
            chunk = f.read(2**20)
            if not chunk:
                return False
            read += len(chunk)
            if needle in tail + chunk:
                return True
            tail = chunk[-len(needle):]
    return False
