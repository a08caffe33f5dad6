"""LibreOffice itself opens an encrypted export with its password and refuses it without.

Runs only where LibreOffice and its Python bridge are installed (``soffice`` and the system
``python3`` with ``uno``: Debian ``libreoffice-calc-nogui python3-uno``); msoffcrypto-tool's own
decryption is checked everywhere (tests/cli/test_hostile_text.py).
"""

from __future__ import annotations

import shutil
import subprocess
import textwrap
from datetime import date

import pytest

from partyledger.exporters.filing import FilingData, write_filing_xlsx
from partyledger.rules import load_rules

SYSTEM_PYTHON = "/usr/bin/python3"


def _has_libreoffice() -> bool:
    if not shutil.which("soffice") or not shutil.which(SYSTEM_PYTHON):
        return False
    return subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True).returncode == 0


pytestmark = pytest.mark.skipif(not _has_libreoffice(), reason="LibreOffice with python3-uno is not installed")

OPEN = textwrap.dedent('''
    import subprocess, sys, time, uno
    from com.sun.star.beans import PropertyValue
    path, password, port, profile = sys.argv[1:5]
    office = subprocess.Popen(["soffice", "--headless", "--invisible", "--norestore",
                               "-env:UserInstallation=file://" + profile,
                               f"--accept=socket,host=127.0.0.1,port={port};urp;"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        for _ in range(120):
            try:
                ctx = resolver.resolve(f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext")
                break
            except Exception:
                time.sleep(0.5)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        def prop(name, value):
            p = PropertyValue(); p.Name = name; p.Value = value; return p
        try:
            doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(path), "_blank", 0,
                                               (prop("Hidden", True), prop("Password", password)))
        except Exception:
            doc = None
        if doc is None:
            print("REFUSED")
        else:
            sheet = doc.Sheets.getByIndex(0)
            print("OPENED", doc.Sheets.Count, sheet.getCellRangeByName("A1").String)
            doc.close(True)
    finally:
        office.terminate()
        office.wait()
''')


def test_libreoffice_opens_the_encrypted_filing_lists_only_with_the_password(tmp_path):
    units = load_rules("KZ").at(date(2026, 6, 1)).units
    path = tmp_path / "filing.xlsx"
    data = FilingData(date(2026, 6, 1), units, {}, [], [], [], 200, 5000, party_name="Test")
    write_filing_xlsx(path, data, password="s3cret")
    script = tmp_path / "open.py"
    script.write_text(OPEN, encoding="utf-8")

    def open_with(password: str) -> str:
        done = subprocess.run([SYSTEM_PYTHON, str(script), str(path), password, "2123", str(tmp_path / "profile")],
                              capture_output=True, text=True, timeout=180)
        return done.stdout.strip()

    opened = open_with("s3cret")
    assert opened.startswith(f"OPENED {len(units) + 4} «Test»: Итоги по областям"), opened   # totals first
    assert open_with("wrong") == "REFUSED"
