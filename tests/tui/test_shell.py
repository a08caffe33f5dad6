"""The app shell: unlock, wrong passphrase, help, error modal, idle lock."""

from __future__ import annotations

from partyledger.errors import Conflict
from partyledger.tui.app import make_app
from partyledger.tui.screens.unlock import UnlockScreen
from partyledger.tui.widgets.error_modal import ErrorModal

from .conftest import PASSPHRASE, TODAY


async def _type(pilot, text: str) -> None:
    for ch in text:
        await pilot.press(ch if ch != " " else "space")


async def test_wrong_passphrase_says_so_and_allows_another_try(ledger_path):
    app = make_app(ledger_path, today=TODAY, idle_minutes=0)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, UnlockScreen)
        await _type(pilot, "not it")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = str(app.screen.query_one("#unlock-status").render())
        assert "Wrong passphrase" in status
        assert app.screen.query_one("Input").value == ""
        assert not app.ledger.unlocked


async def test_demo_unlock_screen_tells_the_passphrase(ledger_path):
    app = make_app(ledger_path, today=TODAY, demo=True, idle_minutes=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "demo" in str(app.screen.query_one("#unlock-demo").render())


async def test_missing_ledger_is_explained_on_the_unlock_screen(tmp_path):
    app = make_app(tmp_path / "nothing.db", today=TODAY, idle_minutes=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await _type(pilot, "x")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = str(app.screen.query_one("#unlock-status").render())
        assert "nothing.db" in status and isinstance(app.screen, UnlockScreen)


async def test_service_errors_show_in_one_modal_without_traceback(ledger_path):
    app = make_app(ledger_path, today=TODAY, idle_minutes=0)
    async with app.run_test(size=(80, 24)) as pilot:
        app.show_error(Conflict("IIN 000000000000 is already in the ledger", "edit that member instead"))
        await pilot.pause()
        assert isinstance(app.screen, ErrorModal)
        body = str(app.screen.query_one("#error-body").render())
        assert "already in the ledger" in body and "edit that member instead" in body
        assert "Traceback" not in body
        await pilot.press("escape")
        assert isinstance(app.screen, UnlockScreen)
