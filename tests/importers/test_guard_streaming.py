"""The guard inflates every part once: real sizes and CRCs as declared, and no DTD anywhere in a part.

Zips are built byte by byte here (local headers, deflate data, central directory), because the
attacks are exactly the headers ``zipfile`` would never write: a sheet that declares fewer bytes
than it holds, with the CRC of the declared prefix, which ``zipfile`` (and so openpyxl) read
silently cut at the declared size.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest
from openpyxl import Workbook

from partyledger.errors import SpreadsheetError
from partyledger.importers import preflight


def _workbook_parts() -> dict[str, bytes]:
    wb = Workbook()
    ws = wb.active
    ws.append(["ИИН", "Фамилия", "Имя", "Область"])
    for n in range(200):
        ws.append([f"90010130{n:04d}", "Иванов", "Иван", "Алматы"])
    buf = io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(buf) as z:
        return {name: z.read(name) for name in z.namelist()}


def _zip(parts: dict[str, bytes], lie: dict[str, tuple[int, int]] | None = None) -> bytes:
    """A deflated zip of ``parts``; ``lie`` gives a part a declared (size, CRC) of the attacker's choosing."""
    out, central = io.BytesIO(), io.BytesIO()
    for name, data in parts.items():
        packer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
        packed = packer.compress(data) + packer.flush()
        size, crc = (lie or {}).get(name, (len(data), zlib.crc32(data)))
        encoded = name.encode()
        offset = out.tell()
        out.write(struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(packed), size,
                              len(encoded), 0) + encoded + packed)
        central.write(struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(packed),
                                  size, len(encoded), 0, 0, 0, 0, 0, offset) + encoded)
    start, body = out.tell(), central.getvalue()
    out.write(body + struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(parts), len(parts), len(body), start, 0))
    return out.getvalue()


SHEET = "xl/worksheets/sheet1.xml"


def _refused(tmp_path, data: bytes) -> str:
    path = tmp_path / "drive.xlsx"
    path.write_bytes(data)
    with pytest.raises(SpreadsheetError) as caught:
        preflight(path)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_a_workbook_built_this_way_passes(tmp_path):
    path = tmp_path / "ok.xlsx"
    path.write_bytes(_zip(_workbook_parts()))
    assert preflight(path) == "xlsx"


def test_a_sheet_that_under_declares_its_size_with_a_matching_crc_is_refused(tmp_path):
    parts = _workbook_parts()
    sheet = parts[SHEET]
    prefix = sheet[: len(sheet) // 2]
    with zipfile.ZipFile(io.BytesIO(_zip(parts, {SHEET: (len(prefix), zlib.crc32(prefix))}))) as z:
        assert z.read(SHEET) == prefix                   # what zipfile (and openpyxl) would have read: cut
    message = _refused(tmp_path, _zip(parts, {SHEET: (len(prefix), zlib.crc32(prefix))}))
    assert f"part {SHEET} inflates past the {len(prefix):,} bytes its header declares" in message


def test_a_part_that_over_declares_or_has_a_wrong_crc_is_refused(tmp_path):
    parts = _workbook_parts()
    sheet = parts[SHEET]
    assert "size or checksum differs" in _refused(tmp_path, _zip(parts, {SHEET: (len(sheet) + 10, zlib.crc32(sheet))}))
    assert "size or checksum differs" in _refused(tmp_path, _zip(parts, {SHEET: (len(sheet), 12345)}))


def test_an_entity_declaration_after_the_first_4_kb_is_found(tmp_path):
    parts = _workbook_parts()
    body = parts[SHEET].split(b"?>", 1)[-1]
    parts[SHEET] = (b'<?xml version="1.0" encoding="UTF-8"?><!-- ' + b"x" * 9000 + b' -->'
                    b'<!DOCTYPE worksheet [<!ENTITY lol "lol">]>' + body)
    assert "declares XML entities" in _refused(tmp_path, _zip(parts))


def test_an_entity_declaration_in_utf16_is_found(tmp_path):
    parts = _workbook_parts()
    text = parts["xl/sharedStrings.xml"].decode("utf-8") if "xl/sharedStrings.xml" in parts else None
    name = "xl/sharedStrings.xml" if text else SHEET
    text = text or parts[SHEET].decode("utf-8")
    body = text.split("?>", 1)[-1]
    parts[name] = ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]>' + body).encode("utf-16")
    assert "declares XML entities" in _refused(tmp_path, _zip(parts))


def test_a_zip_cut_inside_a_part_is_refused(tmp_path):
    data = _zip(_workbook_parts())
    # keep the central directory (so the zip opens) but cut the sheet's deflate stream short
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        info = z.getinfo(SHEET)
    start = info.header_offset + 30 + len(SHEET)
    broken = bytearray(data)
    broken[start + info.compress_size // 2: start + info.compress_size] = b"\x00" * (info.compress_size -
                                                                                     info.compress_size // 2)
    message = _refused(tmp_path, bytes(broken))
    assert "damaged part" in message or "inflates past" in message
