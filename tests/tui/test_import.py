"""Import screen: a samples/ file through preview and commit, the dashboard numbers change; undo."""

from __future__ import annotations

from pathlib import Path

from partyledger.tui.app import make_app
from partyledger.tui.widgets.issue_table import IssueTable

from .conftest import PASSPHRASE, TODAY
from .helpers import open_screen, wait_until

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def _counts(table: IssueTable) -> dict[str, int]:
    return {str(k.value): int(str(table.get_row(k)[1]).replace(",", "")) for k in table.rows}


async def _dashboard_counted(pilot, app) -> int:
    await pilot.press("d")
    await wait_until(pilot, lambda: getattr(app.screen, "SCREEN_NAME", "") == "dashboard")
    screen = app.screen
    await app.workers.wait_for_complete()
    await wait_until(pilot, lambda: screen.data is not None)
    await pilot.pause()
    return screen.data.members_counted


async def test_import_messy_sample_preview_commit_and_dashboard_changes(ledger_path):
    app = make_app(ledger_path, passphrase=PASSPHRASE, today=TODAY, idle_minutes=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_screen(pilot, app, "dashboard")
        before = await _dashboard_counted(pilot, app)
        assert before == 0
        await pilot.press("i")
        await wait_until(pilot, lambda: getattr(app.screen, "SCREEN_NAME", "") == "import")
        screen = app.screen
        screen.query_one("#import-path").focus()
        screen.query_one("#import-path").value = str(SAMPLES / "messy.xlsx")
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.query_one("#import-mapping").row_count > 0)
        assert "iin" in screen.mapping.values()

        await pilot.press("p")
        await wait_until(pilot, lambda: screen.previewed is not None, timeout=30)
        preview = screen.previewed["summary"]
        assert preview["rows"] > 0 and preview["created"] > 0 and preview["quarantined"] > 0
        shown = _counts(screen.query_one(IssueTable))
        assert shown["outcome:created"] == preview["created"]
        assert any(k.startswith("issue:") for k in shown)

        await pilot.press("s")
        await wait_until(pilot, lambda: screen.result is not None, timeout=30)
        result = screen.result["summary"]
        assert result["created"] == preview["created"] and result["batch_id"]
        from sqlalchemy import text

        from partyledger.ledger.storage.audit import login_name
        with app.ledger.session() as session:          # the audit log names who committed it, from the app
            who = session.execute(text("SELECT actor FROM auditevent WHERE action = 'batch.commit'")).scalar_one()
        assert who == f"tui:{login_name()}"

        after = await _dashboard_counted(pilot, app)
        assert after > before
        assert app.screen.queues["quarantine"] == result["quarantined"]

        # undo the batch from the list: the members are gone again
        await pilot.press("i")
        await wait_until(pilot, lambda: getattr(app.screen, "SCREEN_NAME", "") == "import")
        await pilot.press("u")
        await pilot.pause()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert await _dashboard_counted(pilot, app) == 0


async def test_a_file_that_is_not_a_spreadsheet_is_refused_on_the_screen(ledger_path, tmp_path):
    bogus = tmp_path / "notes.xlsx"
    bogus.write_text("this is not a spreadsheet")
    app = make_app(ledger_path, passphrase=PASSPHRASE, today=TODAY, idle_minutes=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, app, "import")
        screen = app.screen
        screen.query_one("#import-path").focus()
        screen.query_one("#import-path").value = str(bogus)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = str(screen.query_one("#import-status").render())
        assert "notes.xlsx" in status and screen.query_one("#import-status").has_class("error-text")
        assert screen.query_one("#import-preview").disabled


async def test_file_picker_starts_at_home_and_shows_only_spreadsheets(ledger_path, tmp_path, monkeypatch):
    import shutil

    from partyledger.tui.screens.file_picker import FilePickerModal, SpreadsheetTree

    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(SAMPLES / "clean.xlsx", home / "signups.xlsx")
    (home / "notes.txt.bak").write_text("not a sheet")
    monkeypatch.setenv("HOME", str(home))
    app = make_app(ledger_path, passphrase=PASSPHRASE, today=TODAY, idle_minutes=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, app, "import")
        screen = app.screen
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(app.screen, FilePickerModal))
        tree = app.screen.query_one(SpreadsheetTree)
        await wait_until(pilot, lambda: len(tree.root.children) > 0)
        assert [str(n.label) for n in tree.root.children] == ["signups.xlsx"]
        assert tree.path == home
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: screen.query_one("#import-mapping").row_count > 0)
        assert screen.query_one("#import-path").value == str(home / "signups.xlsx")
        assert "iin" in screen.mapping.values()


async def test_cancel_during_commit_writes_nothing(ledger_path, tmp_path, monkeypatch):
    import csv
    from datetime import date

    from partyledger.synthetic import UNIT_NAMES, make_people
    from partyledger.tui.widgets.progress_panel import ProgressPanel

    sheet = tmp_path / "big.csv"
    with sheet.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["ИИН", "Фамилия", "Имя", "Область"])
        for p in make_people(600, seed=5, as_of=date(2026, 11, 1)):
            out.writerow([p.iin, p.surname, p.given_name, UNIT_NAMES[p.unit_code][0]])
    app = make_app(ledger_path, passphrase=PASSPHRASE, today=TODAY, idle_minutes=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, app, "import")
        screen = app.screen
        screen.query_one("#import-path").focus()
        screen.query_one("#import-path").value = str(sheet)
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.query_one("#import-mapping").row_count > 0)
        await pilot.press("p")
        await wait_until(pilot, lambda: screen.previewed is not None, timeout=60)
        assert screen.previewed["summary"]["created"] == 600
        # Hold the import at its first progress report until Esc is pressed, so that the cancel
        # cannot lose the race against a fast machine (the storage code runs unchanged).
        original = ProgressPanel.callback

        def held(panel):
            report = original(panel)

            def on_progress(progress):
                panel.cancel_event.wait(10)
                report(progress)
            return on_progress
        monkeypatch.setattr(ProgressPanel, "callback", held)
        await pilot.press("s")
        assert screen.query_one(ProgressPanel).active
        await pilot.press("escape")                       # Esc cancels the running import
        await wait_until(pilot, lambda: not screen.query_one(ProgressPanel).active, timeout=60)
        await pilot.pause()
        assert screen.result is None
        assert not screen.query_one(ProgressPanel).active
        assert getattr(app.screen, "SCREEN_NAME", "") == "import"
        assert await _dashboard_counted(pilot, app) == 0
