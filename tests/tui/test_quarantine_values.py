"""The app's quarantine, driven by Pilot on a real ledger: reasons in words with the sheet and every cell of
the row, and the "By value" tab that maps a region text to a unit once, fixing every row that has it."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList

from partyledger.ledger.intake import aliases, batches
from partyledger.ledger.members import service
from partyledger.ledger.storage.db import create_ledger, open_ledger, session_scope
from partyledger.rules import load_rules
from partyledger.synthetic import make_people
from partyledger.tui.app import make_app
from partyledger.tui.screens.quarantine_fix import QuarantineFixModal

from .conftest import PASSPHRASE, TODAY
from .helpers import open_screen, wait_until

MAPPING = {"ИИН": "iin", "Фамилия": "surname", "Имя": "given_name", "Область": "region"}


@pytest.fixture
def unplaced(tmp_path: Path):
    """Five sign-ups whose region the catalogue cannot read: three "Алм.обл", two "Сев.-Каз. обл"."""
    people = make_people(5, seed=21)
    regions = ["Алм.обл"] * 3 + ["Сев.-Каз. обл"] * 2
    rows = [batches.RowIn(row=2 + k, fields={"iin": p.iin, "surname": p.surname, "given_name": p.given_name,
                                             "region": r},
                          raw={"ИИН": p.iin, "Фамилия": p.surname, "Имя": p.given_name, "Область": r})
            for k, (p, r) in enumerate(zip(people, regions))]
    path = tmp_path / "party.db"
    engine = create_ledger(path, PASSPHRASE, fast_kdf=True)
    try:
        with session_scope(engine) as s:
            source = batches.BatchSource("волонтёры.xlsx", "sha", sheet="Лист2", mapping=MAPPING)
            done = batches.import_rows(s, rows, source, units=load_rules("KZ").units, as_of=TODAY)
            assert done.quarantined == 5
    finally:
        engine.dispose()
    return path, people


async def _review(pilot, app, tab: str):
    await open_screen(pilot, app, "review")
    review = app.screen
    await app.workers.wait_for_complete()
    await pilot.pause()
    review.query_one("#review-tabs").active = tab
    await pilot.pause()
    return review


async def test_a_row_shows_its_sheet_reasons_in_words_and_every_cell(unplaced):
    path, people = unplaced
    app = make_app(path, passphrase=PASSPHRASE, today=TODAY, idle_minutes=0)
    async with app.run_test(size=(120, 40)) as pilot:
        review = await _review(pilot, app, "tab-quarantine")
        table = review.query_one("#quarantine-table")
        assert table.row_count == 5
        first = [str(c) for c in table.get_row_at(0)]
        assert first[1:5] == ["волонтёры.xlsx", "Лист2", "2", "the region is not a known territorial unit"]
        table.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, QuarantineFixModal) and app.screen.is_mounted)
        await pilot.pause()
        modal = app.screen
        title = str(modal.query_one(".title").render())
        assert "волонтёры.xlsx / Лист2" in title and "the region is not a known territorial unit" in title
        cells = str(modal.query_one("#qfix-cells").render())
        for line in (f"ИИН: {people[0].iin}", f"Фамилия: {people[0].surname}", f"Имя: {people[0].given_name}",
                     "Область: Алм.обл"):
            assert line in cells


async def test_a_region_text_is_mapped_once_from_the_by_value_tab(unplaced):
    path, people = unplaced
    app = make_app(path, passphrase=PASSPHRASE, today=TODAY, idle_minutes=0)
    async with app.run_test(size=(120, 40)) as pilot:
        review = await _review(pilot, app, "tab-values")
        table = review.query_one("#values-table")
        assert [[str(c) for c in table.get_row_at(k)] for k in range(table.row_count)] == [
            ["3", "region", "Алм.обл", "the region is not a known territorial unit"],
            ["2", "region", "Сев.-Каз. обл", "the region is not a known territorial unit"]]
        table.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen.query(OptionList) and app.screen is not review)
        options = app.screen.query_one(OptionList)
        options.highlighted = [options.get_option_at_index(i).id for i in range(options.option_count)].index("19")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is review)
        await app.workers.wait_for_complete()
        await wait_until(pilot, lambda: table.row_count == 1)
        assert str(table.get_row_at(0)[2]) == "Сев.-Каз. обл"
        assert review.query_one("#quarantine-table").row_count == 2

    engine = open_ledger(path, PASSPHRASE)
    try:
        with session_scope(engine) as s:
            assert [service.get_member(s, p.iin).unit_code for p in people[:3]] == ["19"] * 3
            assert [(a["text"], a["unit"]) for a in aliases.list_aliases(s)] == [("Алм.обл", "19")]
    finally:
        engine.dispose()
