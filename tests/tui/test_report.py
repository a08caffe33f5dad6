"""Report screen: the assessment for a chosen date, and exports written where the screen says."""

from __future__ import annotations

from openpyxl import load_workbook

from partyledger.tui.app import make_app

from .conftest import PASSPHRASE, TODAY
from .helpers import open_screen, wait_until


async def _export(pilot, app, key: str, path, password: str | None = "") -> None:
    """Press the export key, type the path; for a workbook, answer the password prompt ("" = none)."""
    screen = app.screen
    await pilot.press(key)
    await pilot.pause()
    modal = app.screen
    modal.query_one("#text-input").value = str(path)
    await pilot.press("enter")
    if key != "h":
        await wait_until(pilot, lambda: app.screen is not modal and app.screen.query("#text-input"))
        app.screen.query_one("#text-input").value = password
        await pilot.press("enter")
    await wait_until(pilot, lambda: screen.written == path, timeout=20)


async def test_report_for_a_date_and_exports(filled_ledger, people, tmp_path):
    app = make_app(filled_ledger, passphrase=PASSPHRASE, today=TODAY, idle_minutes=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_screen(pilot, app, "report")
        screen = app.screen
        await wait_until(pilot, lambda: screen.readiness is not None)
        assert screen.readiness.as_of == TODAY
        counted_today = screen.readiness.members_counted
        assert 0 < counted_today <= len(people)

        await pilot.press("t")
        await pilot.pause()
        app.screen.query_one("#date-input").value = "2025-01-01"
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.readiness.as_of.isoformat() == "2025-01-01")
        assert screen.readiness.members_counted < counted_today     # people joined during 2026 do not count yet
        assert "2025-01-01" in str(screen.query_one("#report-title").render())

        html = tmp_path / "r.html"
        await _export(pilot, app, "h", html)
        assert "<html" in html.read_text(encoding="utf-8").lower()
        assert str(html) in str(screen.query_one("#report-written").render())

        filing = tmp_path / "filing.xlsx"
        await _export(pilot, app, "f", filing)
        wb = load_workbook(filing, read_only=True)
        assert len(wb.sheetnames) >= 20
        assert "names and IINs" in str(screen.query_one("#report-written").render())


async def test_filing_export_with_a_password_is_encrypted_and_never_overwritten_unasked(filled_ledger, tmp_path):
    import io
    import stat

    import msoffcrypto

    app = make_app(filled_ledger, passphrase=PASSPHRASE, today=TODAY, idle_minutes=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_screen(pilot, app, "report")
        screen = app.screen
        await wait_until(pilot, lambda: screen.readiness is not None)
        filing = tmp_path / "filing.xlsx"
        await _export(pilot, app, "f", filing, password="s3cret")
        assert "encrypted" in str(screen.query_one("#report-written").render())
        assert stat.S_IMODE(filing.stat().st_mode) == 0o600
        office = msoffcrypto.OfficeFile(filing.open("rb"))
        assert office.is_encrypted()
        plain = io.BytesIO()
        office.load_key(password="s3cret")
        office.decrypt(plain)
        assert len(load_workbook(plain, read_only=True).sheetnames) >= 20

        before = filing.read_bytes()
        await pilot.press("f")
        await pilot.pause()
        app.screen.query_one("#text-input").value = str(filing)
        await pilot.press("enter")
        await wait_until(pilot, lambda: bool(app.screen.query("#choice-list")))
        app.screen.query_one("#choice-list").highlighted = 1          # "keep it"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen and filing.read_bytes() == before
