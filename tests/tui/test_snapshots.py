"""A few deliberate SVG snapshots at 80x24 and 120x40: dashboard, members, form with an error,
import preview, review. Data are synthetic with fixed seeds and the date is pinned, so a changed
snapshot means a changed screen. Update on purpose with ``pytest tests/tui --snapshot-update``.
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest

from partyledger.ledger.storage.db import create_ledger
from partyledger.synthetic import make_people, synthetic_iin, with_changes
from partyledger.tui.app import make_app
from partyledger.tui.widgets.pair_view import PairView

from .conftest import PASSPHRASE, TODAY, add_people
from .helpers import open_screen, wait_until

SIZES = [(80, 24), (120, 40)]
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def snap_ledger(tmp_path: Path) -> Path:
    people = make_people(80, seed=11, as_of=date(2026, 11, 1))
    twin = with_changes(people[0], iin=synthetic_iin(people[0].birth_date, people[0].sex, random.Random(5)),
                        locality="Косшы")
    path = tmp_path / "snap.db"
    engine = create_ledger(path, PASSPHRASE, party_name="Snapshot party", fast_kdf=True)
    try:
        add_people(engine, people + [twin])
    finally:
        engine.dispose()
    return path


def _app(path: Path):
    return make_app(path, passphrase=PASSPHRASE, today=TODAY, idle_minutes=0)


async def _settle(pilot) -> None:
    """Workers done, and nothing left that depends on the clock: a text cursor blinks every 0.5 s, so on
    a busy machine a snapshot caught it on or off at random; with blinking off it is steadily hidden."""
    from textual.widgets import Input

    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_dashboard(snap_compare, snap_ledger, size):
    async def run_before(pilot):
        await open_screen(pilot, pilot.app, "dashboard")
        await wait_until(pilot, lambda: pilot.app.screen.data is not None)
        await _settle(pilot)
    assert snap_compare(_app(snap_ledger), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_members_search(snap_compare, snap_ledger, size):
    async def run_before(pilot):
        await open_screen(pilot, pilot.app, "members")
        await wait_until(pilot, lambda: pilot.app.screen.pages_shown >= 1)
        await pilot.press("slash", *"Ом")
        await _settle(pilot)
    assert snap_compare(_app(snap_ledger), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_form_with_an_error(snap_compare, snap_ledger, size):
    async def run_before(pilot):
        await open_screen(pilot, pilot.app, "members")
        await pilot.press("a")
        await wait_until(pilot, lambda: getattr(pilot.app.screen, "SCREEN_NAME", "") == "member_form")
        await pilot.pause()
        form = pilot.app.screen
        for name, value in {"iin": "900101300011", "surname": "Серікбаев", "given_name": "Арман",
                            "region": "Нур-Султан", "phone": "8 701 000"}.items():
            form.query_one(f"#f-{name}").value = value
        await _settle(pilot)
    assert snap_compare(_app(snap_ledger), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_import_preview(snap_compare, snap_ledger, size, monkeypatch):
    monkeypatch.chdir(REPO)

    async def run_before(pilot):
        await open_screen(pilot, pilot.app, "import")
        screen = pilot.app.screen
        screen.query_one("#import-path").focus()
        screen.query_one("#import-path").value = "samples/messy.xlsx"
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.query_one("#import-mapping").row_count > 0)
        await pilot.press("p")
        await wait_until(pilot, lambda: screen.previewed is not None, timeout=30)
        await _settle(pilot)
    assert snap_compare(_app(snap_ledger), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_review_pair(snap_compare, snap_ledger, size):
    async def run_before(pilot):
        await open_screen(pilot, pilot.app, "review")
        await pilot.press("s")
        await wait_until(pilot, lambda: pilot.app.screen.pairs, timeout=20)
        await _settle(pilot)
        # DataTable sizes its auto-width columns when idle; under load the snapshot came before that
        # (every value cut to one character). Wait for the widths, not for time.
        view = pilot.app.screen.query_one(PairView)
        await wait_until(pilot, lambda: view.virtual_size.width > 30, timeout=20)
        pilot.app.clear_notifications()
        await pilot.pause()
    assert snap_compare(_app(snap_ledger), terminal_size=size, run_before=run_before)


def test_dashboard_light_theme(snap_compare, snap_ledger):
    async def run_before(pilot):
        await open_screen(pilot, pilot.app, "dashboard")
        await wait_until(pilot, lambda: pilot.app.screen.data is not None)
        await pilot.press("ctrl+t")
        await _settle(pilot)
        assert not pilot.app.current_theme.dark
    assert snap_compare(_app(snap_ledger), terminal_size=(80, 24), run_before=run_before)
