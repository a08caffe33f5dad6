"""Member form: validation as you type, save refused while invalid, add then find, edit, withdraw, history."""

from __future__ import annotations

from datetime import date

from partyledger.ledger.storage.db import open_ledger, session_scope
from partyledger.synthetic import make_people
from partyledger.tui.app import make_app
from partyledger.tui.screens.member_form import MemberFormScreen
from partyledger.tui.screens.members import MembersScreen
from partyledger.tui.widgets.member_table import MemberTable

from .conftest import PASSPHRASE, TODAY
from .helpers import open_screen, wait_until


async def _fill(pilot, form, values: dict[str, str]) -> None:
    for name, value in values.items():
        form.query_one(f"#f-{name}").value = value
    await pilot.pause()


def _note(form, name: str) -> str:
    return str(form.query_one(f"#note-{name}").render())


async def test_add_member_through_the_form_then_find_it_in_the_table(ledger_path):
    new = make_people(1, seed=99, as_of=date(2026, 11, 1))[0]
    app = make_app(ledger_path, passphrase=PASSPHRASE, today=TODAY, idle_minutes=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, app, "members")
        members = app.screen
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, MemberFormScreen) and app.screen.is_mounted)
        await pilot.pause()
        form = app.screen
        bad_iin = new.iin[:11] + str((int(new.iin[11]) + 1) % 10)
        await _fill(pilot, form, {"iin": bad_iin, "surname": new.surname, "given_name": new.given_name,
                                  "region": "Алматы", "phone": "8 (701) 123-45-67"})
        assert "last digit should be" in _note(form, "iin")
        assert form.query_one("#note-iin").has_class("-error")
        assert "Cannot save" in str(form.query_one("#form-status").render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form, "save must be refused while the IIN is invalid"

        await _fill(pilot, form, {"iin": new.iin})
        assert new.birth_date.isoformat() in _note(form, "iin")
        assert _note(form, "phone") == "+77011234567"
        assert _note(form, "region").startswith("75")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, MembersScreen))
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = members.query_one(MemberTable)
        assert new.iin in [table.get_row_at(i)[0] for i in range(table.row_count)]

    engine = open_ledger(ledger_path, PASSPHRASE)
    try:
        from partyledger.ledger.members import service

        with session_scope(engine) as session:
            stored = service.get_member(session, new.iin)
            assert (stored.unit_code, stored.phone, stored.birth_date) == ("75", "+77011234567", new.birth_date)
    finally:
        engine.dispose()


async def test_edit_withdraw_and_history(filled_ledger, people):
    target = people[5]
    app = make_app(filled_ledger, passphrase=PASSPHRASE, today=TODAY, idle_minutes=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_screen(pilot, app, "members")
        app.push_screen(MemberFormScreen(iin=target.iin))
        await wait_until(pilot, lambda: isinstance(app.screen, MemberFormScreen) and app.screen.is_mounted)
        await pilot.pause()
        form = app.screen
        assert form.query_one("#f-iin").disabled
        await _fill(pilot, form, {"locality": "Косшы"})
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, MembersScreen))

        app.push_screen(MemberFormScreen(iin=target.iin))
        await wait_until(pilot, lambda: isinstance(app.screen, MemberFormScreen) and app.screen.is_mounted)
        await pilot.pause()
        form = app.screen
        assert form.query_one("#f-locality").value == "Косшы"
        history = form.query_one("#history-table")
        actions = [history.get_row_at(i)[1] for i in range(history.row_count)]
        assert actions == ["member.added", "member.edited"]
        await pilot.press("ctrl+o")
        await pilot.pause()
        modal = app.screen
        modal.query_one("#withdraw-on").value = "2026-11-20"
        modal.query_one("#withdraw-reason").value = "moved abroad"
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, MembersScreen))

    engine = open_ledger(filled_ledger, PASSPHRASE)
    try:
        from partyledger.ledger.members import service

        with session_scope(engine) as session:
            stored = service.get_member(session, target.iin)
            assert (stored.status.value, stored.status_on, stored.status_reason) == (
                "withdrawn", date(2026, 11, 20), "moved abroad")
    finally:
        engine.dispose()
