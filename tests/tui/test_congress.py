"""Congress screen: check someone in by IIN and by surname; refusals for non-group and second check-in."""

from __future__ import annotations

from datetime import date

from partyledger.ledger.storage.db import open_ledger, session_scope
from partyledger.ledger.members.roles import add_role
from partyledger.tui.app import make_app

from .conftest import PASSPHRASE, TODAY
from .helpers import open_screen, wait_until


def _group(path, iins) -> None:
    engine = open_ledger(path, PASSPHRASE)
    try:
        with session_scope(engine) as session:
            for iin in iins:
                add_role(session, iin, "initiative_group", since=date(2026, 1, 1))
    finally:
        engine.dispose()


async def _submit(pilot, screen, text: str) -> str:
    field = screen.query_one("#congress-input")
    field.focus()
    field.value = text
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return str(screen.query_one("#congress-result").render())


async def test_check_in_counts_per_unit_and_refuses_clearly(filled_ledger, people):
    member, outsider = people[0], people[1]
    _group(filled_ledger, [member.iin, people[2].iin])
    app = make_app(filled_ledger, passphrase=PASSPHRASE, today=TODAY, idle_minutes=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, app, "congress")
        screen = app.screen
        await wait_until(pilot, lambda: screen.data is not None)
        table = screen.query_one("#congress-table")
        assert table.get_row(member.unit_code)[2] == "0"

        said = await _submit(pilot, screen, member.iin)
        assert said.startswith("Checked in") and member.surname in said
        await wait_until(pilot, lambda: screen.data["attended"] == 1)
        assert table.get_row(member.unit_code)[2] == "1"
        assert "Present: 1 of 2" in str(screen.query_one("#congress-summary").render())

        said = await _submit(pilot, screen, member.iin)
        assert said.startswith("REFUSED") and "already checked in" in said

        said = await _submit(pilot, screen, outsider.iin)
        assert said.startswith("REFUSED") and "not in the initiative group" in said
        assert screen.query_one("#congress-result").has_class("-refused")
        assert screen.data["attended"] == 1
        assert not app.errors_shown


async def test_check_in_by_surname(filled_ledger, people):
    target = people[2]
    _group(filled_ledger, [target.iin])
    app = make_app(filled_ledger, passphrase=PASSPHRASE, today=TODAY, idle_minutes=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, app, "congress")
        screen = app.screen
        said = await _submit(pilot, screen, f"{target.surname} {target.given_name} {target.patronymic or ''}".strip())
        assert said.startswith("Checked in") and target.iin in said
