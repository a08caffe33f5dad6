"""Dashboard: numbers from the readiness assessment, short units first, a chosen date, and each line
leading to the screen that fixes it."""

from __future__ import annotations

from partyledger.tui.app import make_app
from partyledger.tui.widgets.member_table import MemberTable
from partyledger.tui.widgets.unit_progress import UnitProgressTable

from .conftest import PASSPHRASE, TODAY
from .helpers import open_screen, wait_until


async def _dashboard(pilot, app):
    await open_screen(pilot, app, "dashboard")
    screen = app.screen
    await wait_until(pilot, lambda: screen.data is not None)
    await pilot.pause()
    return screen


async def test_units_short_first_and_enter_opens_that_units_members(filled_ledger, people):
    app = make_app(filled_ledger, passphrase=PASSPHRASE, today=TODAY, idle_minutes=0)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _dashboard(pilot, app)
        table = screen.query_one(UnitProgressTable)
        counted = [int(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert table.row_count == 20 and counted == sorted(counted)      # all short: fewest first
        assert sum(counted) == screen.data.members_counted
        assert "NOT READY" in str(screen.query_one("#dash-total").render())

        code = str(table.coordinate_to_cell_key((0, 0)).row_key.value)
        table.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: getattr(app.screen, "SCREEN_NAME", "") == "members")
        members = app.screen
        await wait_until(pilot, lambda: members.pages_shown >= 1)
        rows = members.query_one(MemberTable)
        shown = sorted(rows.get_row_at(i)[0] for i in range(rows.row_count))
        assert shown == sorted(p.iin for p in people if p.unit_code == code)


async def test_a_chosen_date_uses_the_rules_in_force_then(filled_ledger):
    app = make_app(filled_ledger, passphrase=PASSPHRASE, today=TODAY, idle_minutes=0)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _dashboard(pilot, app)
        assert screen.data.members_required == 5000
        await pilot.press("t")
        await pilot.pause()
        app.screen.query_one("#date-input").value = "2021-06-01"
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.data.as_of.isoformat() == "2021-06-01")
        await pilot.pause()
        assert screen.data.members_required == 20000          # the 2020 law
        title = str(screen.query_one("#dash-title").render())
        assert "2021-06-01" in title and "chosen date" in title


async def test_quarantine_line_opens_the_quarantine_tab(filled_ledger):
    app = make_app(filled_ledger, passphrase=PASSPHRASE, today=TODAY, idle_minutes=0)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _dashboard(pilot, app)
        todo = screen.query_one("#dash-todo")
        todo.focus()
        todo.highlighted = [todo.get_option_at_index(i).id for i in range(todo.option_count)].index("review:quarantine")
        await pilot.press("enter")
        await wait_until(pilot, lambda: getattr(app.screen, "SCREEN_NAME", "") == "review")
        await pilot.pause()
        assert app.screen.query_one("#review-tabs").active == "tab-quarantine"
