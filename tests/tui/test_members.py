"""Members screen: paging over the ledger, search as you type in either script, unit filter, open a member."""

from __future__ import annotations

from textual import events

from partyledger.tui.app import make_app
from partyledger.tui.screens.members import MembersScreen
from partyledger.tui.widgets.member_table import MemberTable

from .conftest import PASSPHRASE, TODAY
from .helpers import open_screen, wait_until


async def _members(pilot, app) -> MembersScreen:
    await open_screen(pilot, app, "members")
    screen = app.screen
    await wait_until(pilot, lambda: screen.pages_shown >= 1)
    return screen


async def test_search_as_you_type_finds_a_member_in_either_script(filled_ledger, people):
    target = people[3]
    app = make_app(filled_ledger, passphrase=PASSPHRASE, today=TODAY, idle_minutes=0)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _members(pilot, app)
        table = screen.query_one(MemberTable)
        assert table.row_count == 50 and screen.next_cursor is not None   # one page of 60, never all
        await pilot.press("slash")
        shown = screen.pages_shown
        for ch in target.surname:
            await pilot.press(ch)
        await wait_until(pilot, lambda: screen.pages_shown > shown and screen.query_one("#members-search").value == target.surname)
        await app.workers.wait_for_complete()
        await pilot.pause()
        iins = [table.get_row_at(i)[0] for i in range(table.row_count)]
        assert target.iin in iins
        assert all(table.get_row_at(i)[1].lower().startswith(target.surname.lower()[:3]) for i in range(table.row_count))
        assert table.row_count < 50


async def test_digits_search_the_iin_and_enter_opens_the_member(filled_ledger, people):
    from partyledger.tui.screens.member_form import MemberFormScreen

    target = people[10]
    app = make_app(filled_ledger, passphrase=PASSPHRASE, today=TODAY, idle_minutes=0)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _members(pilot, app)
        screen.query_one("#members-search").value = target.iin[:8]
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = screen.query_one(MemberTable)
        assert table.get_row_at(0)[0] == target.iin or target.iin in [table.get_row_at(i)[0] for i in range(table.row_count)]
        table.focus()
        row = [table.get_row_at(i)[0] for i in range(table.row_count)].index(target.iin)
        table.move_cursor(row=row)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MemberFormScreen)
        assert app.screen.query_one("#f-surname").value == target.surname


async def test_unit_filter_and_paging(filled_ledger, people, monkeypatch):
    import partyledger.tui.screens.members as members_mod

    monkeypatch.setattr(members_mod, "PAGE_SIZE", 25)
    app = make_app(filled_ledger, passphrase=PASSPHRASE, today=TODAY, idle_minutes=0)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _members(pilot, app)
        table = screen.query_one(MemberTable)
        assert table.row_count == 25 and screen.next_cursor is not None
        first_page = [table.get_row_at(i)[0] for i in range(25)]
        await pilot.press("n")
        await app.workers.wait_for_complete()
        await pilot.pause()
        second = [table.get_row_at(i)[0] for i in range(table.row_count)]
        assert not set(first_page) & set(second)
        await pilot.press("p")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [table.get_row_at(i)[0] for i in range(table.row_count)] == first_page

        unit = people[0].unit_code
        screen.query_one("#members-unit").value = unit
        await app.workers.wait_for_complete()
        await pilot.pause()
        expected = sorted(p.iin for p in people if p.unit_code == unit)
        assert sorted(table.get_row_at(i)[0] for i in range(table.row_count)) == expected


async def test_o_sorts_by_name_then_by_iin_over_the_whole_ledger(filled_ledger, people):
    from partyledger.ledger.cleaning.translit import surname_first_key

    app = make_app(filled_ledger, passphrase=PASSPHRASE, today=TODAY, idle_minutes=0)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _members(pilot, app)
        table = screen.query_one(MemberTable)
        shown = screen.pages_shown
        await pilot.press("o")
        await wait_until(pilot, lambda: screen.pages_shown > shown)
        by_iin = {p.iin: p for p in people}
        iins = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        keys = [surname_first_key(by_iin[i].surname, by_iin[i].given_name, by_iin[i].patronymic) for i in iins if i in by_iin]
        everyone = sorted(surname_first_key(p.surname, p.given_name, p.patronymic) for p in people)
        assert keys and keys == everyone[:len(keys)]          # the first page of the whole ledger by name
        shown = screen.pages_shown
        await pilot.press("o")
        await wait_until(pilot, lambda: screen.pages_shown > shown)
        iins = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert iins == sorted(p.iin for p in people)[:len(iins)]


async def test_typing_on_the_table_starts_a_search_and_bound_keys_keep_their_meaning(filled_ledger, people):
    """Nobody has to know about '/': digits or a Cyrillic letter typed on arrival go to the search box."""
    target = people[10]
    app = make_app(filled_ledger, passphrase=PASSPHRASE, today=TODAY, idle_minutes=0)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _members(pilot, app)
        assert screen.focused is screen.query_one(MemberTable)
        for ch in target.iin[:7]:
            await pilot.press(ch)
        await pilot.pause()
        search = screen.query_one("#members-search")
        assert search.value == target.iin[:7] and screen.focused is search
        table = screen.query_one(MemberTable)
        assert target.iin in [table.get_row_at(i)[0] for i in range(table.row_count)]
        assert all(table.get_row_at(i)[0].startswith(target.iin[:7]) for i in range(table.row_count))

        search.value = ""
        table.focus()
        await pilot.press("Ж")                      # a Cyrillic capital: no binding uses it
        await pilot.pause()
        assert search.value == "Ж" and screen.focused is search

        search.value = ""
        table.focus()
        await pilot.pause()
        for ch in "Kasym":                          # a fast typist: all keys queued before the first is handled
            app.post_message(events.Key(ch, ch))
        await wait_until(pilot, lambda: search.value == "Kasym")
        assert isinstance(app.screen, MembersScreen)   # the queued "a" and "m" were text, not Add / Members

        search.value = ""
        table.focus()
        await pilot.pause()
        await pilot.press("a")                      # bound: Add opens the form, nothing is typed
        await pilot.pause()
        from partyledger.tui.screens.member_form import MemberFormScreen
        assert isinstance(app.screen, MemberFormScreen) and search.value == ""
