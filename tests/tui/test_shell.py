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


async def test_unlock_then_idle_lock_disposes_the_engine_and_asks_again(ledger_path):
    from .helpers import unlocked, wait_until

    # Idle after 20 s (the app checks every 5 s) until the dashboard is on screen, then after one second:
    # on a busy machine, unlocking and drawing the dashboard alone took longer than a short idle time.
    app = make_app(ledger_path, today=TODAY, idle_minutes=20 / 60)
    async with app.run_test(size=(80, 24)) as pilot:
        await _type(pilot, PASSPHRASE)
        await pilot.press("enter")
        await unlocked(pilot, app)
        engine = app.ledger.engine
        await wait_until(pilot, lambda: getattr(app.screen, "SCREEN_NAME", "") == "dashboard")
        app.idle_seconds = 1.0
        await wait_until(pilot, lambda: isinstance(app.screen, UnlockScreen) and app.screen.is_mounted, timeout=20)
        await pilot.pause()
        assert app.ledger.engine is None and app.ledger.rules is None
        assert engine.pool.checkedout() == 0
        assert "Locked" in str(app.screen.query_one("#unlock-locked").render())
        assert len(app.screen_stack) == 2, "nothing of the ledger may stay on the screen stack"
        await _type(pilot, PASSPHRASE)
        await pilot.press("enter")
        await unlocked(pilot, app)
        assert getattr(app.screen, "SCREEN_NAME", "") == "dashboard"


async def test_ctrl_l_locks_and_question_mark_lists_every_key(filled_ledger):
    from partyledger.tui.screens.help import HelpModal

    from .helpers import open_screen

    app = make_app(filled_ledger, passphrase=PASSPHRASE, today=TODAY, idle_minutes=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, app, "members")
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpModal)
        table = app.screen.query_one("#help-table")
        actions = {table.get_row_at(i)[1] for i in range(table.row_count)}
        assert {"Add", "Next page", "Search", "Dashboard", "Import", "Review", "Congress", "Report", "Lock",
                "Quit"} <= actions
        await pilot.press("escape")
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert not app.errors_shown, app.errors_shown
        assert isinstance(app.screen, UnlockScreen) and not app.ledger.unlocked
