"""Workbooks and hostile files built in code for the importer tests (all people synthetic)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook


def workbook(path: Path, rows: list[list[object]], *, title: str = "Лист1", setup=None) -> Path:
    """Save ``rows`` to an xlsx; ``setup(ws)`` may merge, hide or style cells first."""
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    if setup:
        setup(ws)
    wb.save(path)
    return path


def patch_part(path: Path, part: str, edit) -> Path:
    """Rewrite one part of a saved xlsx with ``edit(text) -> text`` (to fake what Excel writes)."""
    with zipfile.ZipFile(path) as z:
        parts = [(i.filename, z.read(i)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts:
            if name == part:
                data = edit(data.decode("utf-8")).encode("utf-8")
            z.writestr(name, data)
    return path


def cache_formula(path: Path, cell: str, value: str) -> Path:
    """Give a formula cell the stored value Excel writes after calculating it."""
    def edit(xml: str) -> str:
        return re.sub(rf'(<c r="{cell}"[^>]*>)(<f>[^<]*</f>)<v\s*/>', rf'\1\2<v>{value}</v>', xml)
    return patch_part(path, "xl/worksheets/sheet1.xml", edit)


def zip_bomb(path: Path) -> Path:
    """A valid workbook plus a 40 MB shared-strings part that compresses ~1000:1."""
    workbook(path, [["ИИН", "ФИО"]])
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/sharedStrings.xml", b"<sst>" + b"A" * (40 * 2**20) + b"</sst>")
    return path


def entity_bomb(path: Path) -> Path:
    """Billion laughs in the sheet XML (never written by Excel)."""
    workbook(path, [["ИИН", "ФИО"]])
    lol = "".join(f'<!ENTITY lol{i} "{"&lol%d;" % (i - 1) * 10}">' for i in range(1, 10))
    bomb = f'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">{lol}]>'

    def edit(xml: str) -> str:
        return bomb + re.sub(r"^<\?xml[^>]*\?>", "", xml).replace("ФИО", "&lol9;")
    return patch_part(path, "xl/worksheets/sheet1.xml", edit)


def encrypted_workbook(path: Path) -> Path:
    """What Excel saves for a password-protected .xlsx: an OLE2 container with an EncryptedPackage."""
    body = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4088)
    for offset, name in ((1024, "EncryptionInfo"), (1152, "EncryptedPackage")):
        enc = name.encode("utf-16-le")
        body[offset:offset + len(enc)] = enc
    path.write_bytes(bytes(body) + b"\x55" * 8192)
    return path


def old_xls(path: Path) -> Path:
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4088 + "Workbook".encode("utf-16-le"))
    return path


def ods(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    return path


def truncated(path: Path, tmp: Path) -> Path:
    good = workbook(tmp / "good_for_truncation.xlsx", [["ИИН", "ФИО"]] + [[f"{i:012d}", "Тест"] for i in range(200)])
    data = good.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def csv_bytes(rows: list[list[str]], *, encoding: str = "utf-8", sep: str = ";", bom: bool = False) -> bytes:
    buf = io.StringIO()
    for r in rows:
        buf.write(sep.join(r) + "\r\n")
    data = buf.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data
