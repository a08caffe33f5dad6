"""Review screen: scan finds a planted duplicate, shown side by side; merge then unmerge; mark different."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest

from partyledger.ledger.storage.db import create_ledger, open_ledger, session_scope
from partyledger.synthetic import make_people, synthetic_iin, with_changes
from partyledger.tui.app import make_app
from partyledger.tui.widgets.pair_view import PairView

from .conftest import PASSPHRASE, TODAY, add_people
from .helpers import open_screen, wait_until


@pytest.fixture
def twin_ledger(tmp_path: Path):
    """20 people plus a second record of people[0] under another valid IIN (a typo that passes)."""
    people = make_people(20, seed=3, as_of=date(2026, 11, 1))
    original = people[0]
    other_iin = synthetic_iin(original.birth_date, original.sex, random.Random(5))
    twin = with_changes(original, iin=other_iin, locality="Косшы")
    path = tmp_path / "twins.db"
    engine = create_ledger(path, PASSPHRASE, fast_kdf=True)
    try:
        add_people(engine, people + [twin])
    finally:
        engine.dispose()
    return path, original, twin


def _member_count(path: Path) -> int:
    from sqlalchemy import func
    from sqlmodel import select

    from partyledger.ledger.models import Member

    engine = open_ledger(path, PASSPHRASE)
    try:
        with session_scope(engine) as session:
            return session.exec(select(func.count()).select_from(Member)).one()
    finally:
        engine.dispose()


async def _scan(pilot, app):
    await open_screen(pilot, app, "review")
    screen = app.screen
    await pilot.press("s")
    await wait_until(pilot, lambda: screen.pairs, timeout=20)
    await app.workers.wait_for_complete()
    await pilot.pause()
    return screen


async def test_scan_merge_and_unmerge_a_pair(twin_ledger):
    path, original, twin = twin_ledger
    app = make_app(path, passphrase=PASSPHRASE, today=TODAY, idle_minutes=0)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _scan(pilot, app)
        pair = screen.current()
        assert {pair["a"]["iin"], pair["b"]["iin"]} == {original.iin, twin.iin}
        view = screen.query_one(PairView)
        assert set(view.differing) == {"iin", "locality"}
        assert "Reasons:" in str(screen.query_one("#pair-reasons").render())

        await pilot.press("1")
        await wait_until(pilot, lambda: not screen.pairs)
        assert _member_count(path) == 20

        await pilot.press("u")
        await pilot.pause()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert _member_count(path) == 21
        assert not app.errors_shown


async def test_mark_different_is_remembered(twin_ledger):
    path, original, twin = twin_ledger
    app = make_app(path, passphrase=PASSPHRASE, today=TODAY, idle_minutes=0)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _scan(pilot, app)
        await pilot.press("x")
        await wait_until(pilot, lambda: not screen.pairs)
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not screen.pairs, "a pair marked different must not come back"
        assert _member_count(path) == 21


async def test_fix_a_quarantined_row_and_promote_it(ledger_path):
    from partyledger.tui.screens.quarantine_fix import QuarantineFixModal

    from .test_import import SAMPLES

    fresh = make_people(1, seed=123, as_of=date(2026, 11, 1))[0]
    app = make_app(ledger_path, passphrase=PASSPHRASE, today=TODAY, idle_minutes=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_screen(pilot, app, "import")
        imp = app.screen
        imp.query_one("#import-path").focus()
        imp.query_one("#import-path").value = str(SAMPLES / "messy.xlsx")
        await pilot.press("enter")
        await wait_until(pilot, lambda: imp.query_one("#import-mapping").row_count > 0)
        await pilot.press("p")
        await wait_until(pilot, lambda: imp.previewed is not None, timeout=30)
        await pilot.press("s")
        await wait_until(pilot, lambda: imp.result is not None, timeout=30)
        quarantined = imp.result["summary"]["quarantined"]
        assert quarantined > 0

        await pilot.press("v")
        await wait_until(pilot, lambda: getattr(app.screen, "SCREEN_NAME", "") == "review")
        review = app.screen
        await app.workers.wait_for_complete()
        await pilot.pause()
        review.query_one("#review-tabs").active = "tab-quarantine"
        await pilot.pause()
        table = review.query_one("#quarantine-table")
        assert table.row_count == quarantined
        table.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, QuarantineFixModal) and app.screen.is_mounted)
        await pilot.pause()
        modal = app.screen
        for name, value in {"iin": fresh.iin, "surname": fresh.surname, "given_name": fresh.given_name,
                            "full_name": "", "region": "Алматы", "joined_on": "2026-10-01"}.items():
            modal.query_one(f"#q-{name}").value = value
        await pilot.pause()
        assert "Valid" in str(modal.query_one("#qfix-status").render())
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is review)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.row_count == quarantined - 1

        table.focus()
        await pilot.press("delete")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.row_count == quarantined - 2

    engine = open_ledger(ledger_path, PASSPHRASE)
    try:
        from partyledger.ledger.members import service

        with session_scope(engine) as session:
            assert service.get_member(session, fresh.iin).unit_code == "75"
    finally:
        engine.dispose()


def _cli(path: Path, *args: str) -> str:
    import os
    import subprocess
    import sys

    env = dict(os.environ, PARTYLEDGER_PASSPHRASE=PASSPHRASE)
    env.pop("PARTYLEDGER_DB", None)
    done = subprocess.run([str(Path(sys.executable).parent / "partyledger"), "--db", str(path), *args],
                          capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


async def test_the_app_and_the_command_line_show_the_same_queue(tmp_path: Path):
    """Both front ends read the queue through ledger/dedupe/queue.py: same pairs, same order, same scores,
    ties (two twins that differ the same way) included."""
    import json

    people = make_people(20, seed=3, as_of=date(2026, 11, 1))
    rng = random.Random(5)
    twins = [with_changes(people[0], iin=synthetic_iin(people[0].birth_date, people[0].sex, rng), locality="Косшы"),
             with_changes(people[1], iin=synthetic_iin(people[1].birth_date, people[1].sex, rng), locality="Косшы"),
             with_changes(people[2], iin=synthetic_iin(people[2].birth_date, people[2].sex, rng), phone="+77015550000"),
             with_changes(people[3], iin=synthetic_iin(people[3].birth_date, people[3].sex, rng), patronymic=None)]
    path = tmp_path / "queue.db"
    engine = create_ledger(path, PASSPHRASE, fast_kdf=True)
    try:
        add_people(engine, people + twins)
    finally:
        engine.dispose()
    _cli(path, "dedupe", "scan")
    listed = [(p["iin_a"], p["iin_b"], p["score"]) for p in json.loads(_cli(path, "dedupe", "list", "--json"))]
    assert len(listed) >= 3 and len({score for *_, score in listed}) < len(listed)      # a tie to order

    app = make_app(path, passphrase=PASSPHRASE, today=TODAY, idle_minutes=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_screen(pilot, app, "review")
        screen = app.screen
        await wait_until(pilot, lambda: screen.pairs, timeout=20)
        shown = [(p["a"]["iin"], p["b"]["iin"], p["score"]) for p in screen.pairs]
    assert shown == listed
