"""The per-unit totals the readiness report reads (``member_tally``) always equal a count of the members."""

from __future__ import annotations

from datetime import date

from alembic import command
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from partyledger.ledger.storage import db
from partyledger.ledger.sqltext import TALLY_TRIGGERS

from report.builder import insert_members, member_row

_COUNT = ("SELECT coalesce(unit_code, ''), coalesce(locality, ''), count(*) FROM member GROUP BY 1, 2")
_TALLY = "SELECT unit_code, locality, n FROM member_tally WHERE n > 0"


def _counts(conn) -> tuple[dict, dict]:
    counted = {(u, l): n for u, l, n in conn.execute(text(_COUNT))}
    tallied = {(u, l): n for u, l, n in conn.execute(text(_TALLY))}
    return counted, tallied


UNITS = st.sampled_from([None, "75", "71", "63"])
LOCALITIES = st.sampled_from([None, "Семей", "Усть-Каменогорск", ""])
STEPS = st.lists(st.tuples(st.sampled_from(["insert", "move", "delete"]), UNITS, LOCALITIES, st.integers(0, 50)),
                 min_size=1, max_size=40)


@settings(max_examples=40, deadline=None)
@given(STEPS)
def test_inserts_moves_and_deletes_keep_the_tally_equal_to_a_count(steps):
    engine = db.memory_engine()
    with db.session_scope(engine) as s:
        ids: list[int] = []
        for action, unit, locality, pick in steps:
            if action == "insert" or not ids:
                born = date(1980, 1, 1 + pick % 28)
                ids += insert_members(s, [member_row(born=born, unit=unit, locality=locality)])
            elif action == "move":
                s.execute(text("UPDATE member SET unit_code = :u, locality = :l WHERE id = :i"),
                          {"u": unit, "l": locality, "i": ids[pick % len(ids)]})
            else:
                s.execute(text("DELETE FROM member WHERE id = :i"), {"i": ids.pop(pick % len(ids))})
        counted, tallied = _counts(s)
    engine.dispose()
    assert tallied == counted


def test_migration_fills_the_tally_from_the_members_already_stored(tmp_path):
    path = tmp_path / "party.db"
    engine = db.create_ledger(path, "pw", fast_kdf=True)
    with engine.begin() as conn:
        command.downgrade(db._alembic_config(conn), "0005")
    with db.session_scope(engine) as s:
        insert_members(s, [member_row(born=date(1970 + i, 2, 3), unit=u, locality=loc)
                           for i, (u, loc) in enumerate([("75", None), ("75", None), ("63", "Семей"), (None, None)])])
    engine.dispose()
    engine = db.open_ledger(path, "pw")                       # migrates to the head, backup first
    with engine.connect() as conn:
        counted, tallied = _counts(conn)
        triggers = [r[0] for r in conn.execute(text("SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                                                    "AND tbl_name = 'member' ORDER BY name"))]
    engine.dispose()
    assert tallied == counted == {("75", ""): 2, ("63", "Семей"): 1, ("", ""): 1}
    assert sorted(triggers) == sorted(TALLY_TRIGGERS)          # the migration's frozen copies are current
