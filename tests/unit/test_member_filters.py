"""Unit and status filters give the same members in the same order whichever way they are served
(through their index or checked while walking the page order), page after page."""

from __future__ import annotations

import random
from datetime import date

import pytest
from sqlalchemy import text
from sqlmodel import select

from partyledger.ledger.storage import db
from partyledger.ledger.members import service
from partyledger.ledger.cleaning import translit
from partyledger.ledger.members.filters import filter_conditions
from partyledger.ledger.models import Member
from partyledger.ledger.enums import MemberStatus

from report.builder import insert_members, member_row

SURNAMES = ["Омаров", "Omarova", "Иванов", "Сейткали", "Нұрланов", "Ахметова", "Kim"]
UNITS = ["75", "71", "10", None]
STATUSES = ["active"] * 6 + ["withdrawn", "deceased"]


@pytest.fixture(scope="module")
def ledger():
    rng = random.Random(5)
    engine = db.memory_engine()
    rows = [member_row(born=date(1960 + rng.randrange(40), 1 + rng.randrange(12), 1 + rng.randrange(28)),
                       unit=rng.choice(UNITS), status=rng.choice(STATUSES), surname=rng.choice(SURNAMES),
                       status_on=date(2024, 1, 1)) for _ in range(240)]
    with db.session_scope(engine) as s:
        insert_members(s, rows)
        for mid, surname, given in s.execute(text("SELECT id, surname, given_name FROM member")).all():
            s.execute(text("UPDATE member SET name_key = :name_key, given_key = :given_key WHERE id = :i"),
                      {**translit.match_keys(surname, given), "i": mid})
    yield engine
    engine.dispose()


def _all_pages(session, limit: int, **criteria) -> list[str]:
    out, after = [], None
    while True:
        page = service.list_members(session, limit=limit, after=after, **criteria)
        out += [m.iin for m in page.rows]
        if page.next_cursor is None:
            return out
        after = page.next_cursor


def _expected(session, unit, status, order, search) -> list[str]:
    """The unfiltered list (itself paged), then the filter applied here in Python."""
    keep = {m.iin for m in session.exec(select(Member))
            if (unit is None or m.unit_code == unit) and (status is None or m.status.value == status)}
    return [iin for iin in _all_pages(session, 1000, order=order, search=search) if iin in keep]


@pytest.mark.parametrize("order", ["id", "name", "iin"])
@pytest.mark.parametrize(("unit", "status", "search"), [
    ("75", None, None), ("10", None, None), (None, "withdrawn", None), (None, "active", None),
    ("75", "deceased", None), ("71", "active", None), ("75", None, "Ома"), (None, "withdrawn", "om"),
    ("99", None, None), (None, "excluded", None),
])
def test_each_way_of_serving_a_filter_gives_the_same_pages(ledger, order, unit, status, search):
    with db.session_scope(ledger) as s:
        expected = _expected(s, unit, status, order, search)
        for limit in (1, 7, 1000):      # 1: filters walked; 1000: through their index
            assert _all_pages(s, limit, unit=unit, status=status, order=order, search=search) == expected


def test_a_big_unit_is_walked_and_an_empty_one_read_through_its_index(ledger):
    with db.session_scope(ledger) as s:
        walked = filter_conditions(s, unit="75", status=None, limit=1)
        indexed = filter_conditions(s, unit="99", status=None, limit=1)
        none_withdrawn = filter_conditions(s, unit=None, status=MemberStatus.EXCLUDED, limit=50)
    assert "+member.unit_code" in str(walked[0])
    assert "INDEXED BY ix_member_report_units" in str(indexed[0])
    assert "INDEXED BY ix_member_report_flagged" in str(none_withdrawn[0])
