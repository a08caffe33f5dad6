"""Names stored by older versions with markup or control characters: the app shows them literally."""

from __future__ import annotations

from sqlalchemy import text

from partyledger.ledger.storage.db import open_ledger
from partyledger.tui.app import make_app
from partyledger.tui.widgets.member_table import MemberTable

from .conftest import PASSPHRASE, TODAY
from .helpers import open_screen, wait_until

HOSTILE = "Ив[/]анов[link=http://evil.example]\x1b[2J"


async def test_a_name_with_markup_and_escapes_is_shown_literally(filled_ledger, people):
    engine = open_ledger(filled_ledger, PASSPHRASE)
    with engine.begin() as conn:
        conn.execute(text("UPDATE member SET surname = :s WHERE iin = :iin"), {"s": HOSTILE, "iin": people[0].iin})
    engine.dispose()
    app = make_app(filled_ledger, passphrase=PASSPHRASE, today=TODAY, idle_minutes=0)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_screen(pilot, app, "members")
        screen = app.screen
        await wait_until(pilot, lambda: screen.pages_shown >= 1)
        await pilot.pause()
        table = screen.query_one(MemberTable)
        shown = [table.get_row_at(i)[1] for i in range(table.row_count)]
        hostile = next(s for s in shown if s.startswith("Ив"))
        assert "\x1b" not in hostile and "\\x1b[2J" in hostile
        await pilot.pause()
        assert app.is_running                        # rendering the row did not raise MarkupError


async def test_the_form_refuses_a_control_or_bidi_character_with_the_reason(ledger_path):
    from datetime import date

    from partyledger.synthetic import make_people
    from partyledger.tui.screens.member_form import MemberFormScreen

    new = make_people(1, seed=98, as_of=date(2026, 11, 1))[0]
    app = make_app(ledger_path, passphrase=PASSPHRASE, today=TODAY, idle_minutes=0)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_screen(pilot, app, "members")
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, MemberFormScreen) and app.screen.is_mounted)
        form = app.screen
        for name, value in {"iin": new.iin, "surname": "Ив\x1bанов", "given_name": new.given_name,
                            "region": "Алматы"}.items():
            form.query_one(f"#f-{name}").value = value
        await pilot.pause()
        status = str(form.query_one("#form-status").render())
        assert "Cannot save yet: surname: control character ESC (U+001B)" in status
        form.query_one("#f-surname").value = "Ив\u202eанов"
        await pilot.pause()
        assert "RIGHT-TO-LEFT OVERRIDE" in str(form.query_one("#form-status").render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form                    # not saved
        form.query_one("#f-surname").value = "Иванов"
        await pilot.pause()
        assert "Cannot save" not in str(form.query_one("#form-status").render())
