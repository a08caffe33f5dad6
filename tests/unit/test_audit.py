"""The audit log is a hash chain: any edit or removal of a past event is found."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text

from partyledger.ledger.storage import audit, db


def _three_events(engine):
    with db.session_scope(engine) as s:
        audit.record(s, "member.added", "member", 1, after={"surname": "Омаров", "joined_on": date(2024, 1, 5)})
        audit.record(s, "member.edited", "member", 1, before={"phone": None}, after={"phone": "+77011234567"},
                     actor="Айгүл")
        audit.record(s, "member.withdrawn", "member", 1, before={"status": "active"}, after={"status": "withdrawn"})


def test_untouched_chain_verifies():
    engine = db.memory_engine()
    _three_events(engine)
    with db.session_scope(engine) as s:
        assert audit.verify_chain(s) is None
        events = audit.history(s, "member", 1)
    assert [e.action for e in events] == ["member.added", "member.edited", "member.withdrawn"]
    assert events[0].after["joined_on"] == "2024-01-05"          # dates stored as ISO text
    assert events[1].prev_hash == events[0].hash


def test_editing_an_event_with_raw_sql_is_detected():
    engine = db.memory_engine()
    _three_events(engine)
    with engine.begin() as conn:
        target = conn.execute(text("SELECT id FROM auditevent WHERE action = 'member.edited'")).scalar()
        conn.execute(text("UPDATE auditevent SET actor = 'someone else' WHERE id = :i"), {"i": target})
    with db.session_scope(engine) as s:
        assert audit.verify_chain(s) == target


def test_deleting_an_event_in_the_middle_is_detected():
    engine = db.memory_engine()
    _three_events(engine)
    with engine.begin() as conn:
        edited = conn.execute(text("SELECT id FROM auditevent WHERE action = 'member.edited'")).scalar()
        conn.execute(text("DELETE FROM auditevent WHERE id = :i"), {"i": edited})
        withdrawn = conn.execute(text("SELECT id FROM auditevent WHERE action = 'member.withdrawn'")).scalar()
    with db.session_scope(engine) as s:
        assert audit.verify_chain(s) == withdrawn


def test_rehashing_one_event_still_breaks_the_link_to_the_next():
    engine = db.memory_engine()
    _three_events(engine)
    with db.session_scope(engine) as s:
        first = audit.history(s, "member", 1)[0]
        first.after = {"surname": "Forged"}
        first.hash = audit.event_hash(first.prev_hash, first)
    with db.session_scope(engine) as s:
        assert audit.verify_chain(s) == first.id + 1
