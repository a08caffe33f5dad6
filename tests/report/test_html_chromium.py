"""The HTML report rendered by a real browser (headless Chromium, Debian package ``chromium``).

Skipped, with the reason, where /usr/bin/chromium is absent. The page must render to a screenshot that is
not blank (a page that failed to parse, or a chart that came out empty, renders white), and the page
itself must be self-contained: no scripts and nothing fetched from anywhere.
"""

from __future__ import annotations

import re
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from report.helpers import run_cli

CHROMIUM = Path("/usr/bin/chromium")


def _png_pixels(png: bytes) -> tuple[int, int, bytes]:
    """Width, height and the raw (filtered) scanlines of an 8-bit RGB/RGBA PNG."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        data = png[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", data[:8])
        elif kind == b"IDAT":
            idat += data
        pos += 12 + length
    return width, height, zlib.decompress(idat)


def _rows(png: bytes, limit: int) -> list[bytes]:
    """The first ``limit`` scanlines, unfiltered (PNG filters None/Sub/Up/Average/Paeth, 3 bytes a pixel)."""
    width, height, raw = _png_pixels(png)
    bpp, stride = 3, width * 3 + 1
    prev, out = bytearray(stride - 1), []
    for y in range(min(height, limit)):
        kind, line = raw[y * stride], bytearray(raw[y * stride + 1:(y + 1) * stride])
        for i in range(len(line)):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        out.append(bytes(line))
        prev = line
    return out


def _dark_fraction(png: bytes, limit: int = 300) -> float:
    """Share of colour values in the top of the page that are clearly not white (text, verdict, lines)."""
    rows = _rows(png, limit)
    total = sum(len(r) for r in rows)
    return sum(1 for r in rows for v in r if v < 160) / max(total, 1)


@pytest.fixture(scope="module")
def html_file(tmp_path_factory, sample_ledger_per_module):
    d = tmp_path_factory.mktemp("html")
    ledger = sample_ledger_per_module
    out = d / "report.html"
    done = run_cli(ledger, "report", "--as-of", "2024-06-01", "--format", "html", "-o", str(out))
    assert done.returncode == 0, done.stderr
    return out


def test_page_is_self_contained(html_file):
    page = html_file.read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "<svg" in page and page.count("<rect") >= 3
    assert "=HYPERLINK" not in page          # counts only: no member names in the report


@pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed (Debian package chromium)")
def test_chromium_renders_a_page_that_is_not_blank(html_file, tmp_path):
    shot = tmp_path / "report.png"
    cmd = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}", "--window-size=1000,1400",
           "--hide-scrollbars", html_file.as_uri()]
    subprocess.run(cmd, capture_output=True, timeout=90)
    assert shot.exists() and shot.stat().st_size > 10_000, "chromium wrote no screenshot"
    width, height, _ = _png_pixels(shot.read_bytes())
    assert (width, height) == (1000, 1400)
    assert _dark_fraction(shot.read_bytes()) > 0.01, "the rendered page is blank"
