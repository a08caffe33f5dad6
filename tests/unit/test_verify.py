"""``verify`` checks everything it can, on real SQLCipher files: every write path keeps the ledger
verifiable, and each kind of tampering or damage is named (by id and kind, never by personal data)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import text
from sqlmodel import select

from partyledger.ledger.dedupe.merge import decide, merge, unmerge
from partyledger.ledger.enums import Decision
from partyledger.ledger.intake import aliases, batch_records, batches, quarantine
from partyledger.ledger.members import roles, service
from partyledger.ledger.members.congress import check_in
from partyledger.ledger.models import Member, MemberDraft
from partyledger.ledger.storage import db, seal
from partyledger.ledger.storage.verify import verify_ledger
from partyledger.rules import load_rules
from partyledger.synthetic import make_people

UNITS = load_rules("KZ").units
AS_OF = date(2026, 11, 1)


def _rows(people, start: int = 2, **extra):
    return [batches.RowIn(row=start + k, fields={"iin": p.iin, "surname": p.surname, "given_name": p.given_name,
                                                 "region": "Алматы", **extra}, raw={"ИИН": p.iin})
            for k, p in enumerate(people)]


def _import(session, rows, name="a.xlsx", **kw):
    mapping = {"ИИН": "iin", "Фамилия": "surname", "Имя": "given_name", "Область": "region"}
    return batches.import_rows(session, rows, batches.BatchSource(name, name + "-sha", mapping=mapping),
                               units=UNITS, as_of=AS_OF, **kw)


def _verdict(engine):
    with engine.connect() as conn:
        return verify_ledger(conn)


def _kinds(verdict) -> set[tuple[str, int | None]]:
    return {(f.kind, f.id) for f in verdict.findings}


@pytest.fixture()
def ledger(tmp_path):
    """A real encrypted ledger that went through every write path partyledger has."""
    engine = db.create_ledger(tmp_path / "party.db", "pw", fast_kdf=True)
    people = make_people(40, seed=77)
    with db.session_scope(engine) as s:
        first = _import(s, _rows(people[:20]))
        _import(s, _rows(people[10:30], phone="+7 701 555 1234"), name="b.csv", update_changed=True)  # fills phones
        bad = _import(s, [batches.RowIn(row=2, fields={"surname": "Без ИИН", "given_name": "Х", "region": "Алматы"},
                                        raw={"ИИН": None, "Фамилия": "Без ИИН", "Имя": "Х",
                                                                  "Область": "Алматы"})], name="c.xlsx")
        assert first.created == 20 and bad.quarantined == 1
        qid = quarantine.list_quarantine(s)[0]["id"]
        quarantine.fix_row(s, qid, {"iin": people[35].iin}, units=UNITS, as_of=AS_OF)
        p = people[36]
        service.add_member(s, MemberDraft(iin=p.iin, surname=p.surname, given_name=p.given_name, unit_code="75"))
        service.edit_member(s, p.iin, {"phone": "+7 702 000 1122"}, units=UNITS, as_of=AS_OF)
        service.withdraw_member(s, people[0].iin, on=AS_OF, reason="moved")
        roles.add_role(s, people[1].iin, "group", since=date(2026, 1, 1))
        check_in(s, service.get_member(s, people[1].iin), at=datetime(2026, 2, 1, 10), by="desk")
        keep, absorb = service.get_member(s, people[2].iin), service.get_member(s, people[3].iin)
        decide(s, keep.id, absorb.id, Decision.DIFFERENT)
        merged = merge(s, service.get_member(s, people[4].iin).id, service.get_member(s, people[5].iin).id)
        merge(s, service.get_member(s, people[6].iin).id, service.get_member(s, people[7].iin).id)
        unmerge(s, merged.id)
        unplaced = _import(s, [batches.RowIn(row=2, fields={"iin": people[37].iin, "surname": "Ким", "given_name": "Ю",
                                                            "region": "Алм.обл"},
                                             raw={"ИИН": people[37].iin, "Фамилия": "Ким", "Имя": "Ю",
                                                  "Область": "Алм.обл"})], name="e.xlsx")
        assert unplaced.quarantined == 1          # fixed by value: an alias made and the row promoted with it
        assert quarantine.map_region(s, "Алм.обл", "19", units=UNITS, as_of=AS_OF)["promoted"] == 1
        aliases.set_alias(s, "Сев.-Каз. обл", "59", units=UNITS, as_of=AS_OF)
        aliases.remove_alias(s, "Сев.-Каз. обл")
        later = _import(s, _rows(people[30:35]), name="d.xlsx")
        batch_records.undo_batch(s, later.batch_id)
    yield engine
    engine.dispose()


def test_every_write_path_leaves_a_ledger_that_verifies(ledger):
    verdict = _verdict(ledger)
    assert verdict.ok, verdict.findings
    with ledger.connect() as conn:
        members = conn.execute(text("SELECT count(*) FROM member")).scalar_one()
        unsealed = conn.execute(text("SELECT count(*) FROM member WHERE row_hash IS NULL")).scalar_one()
    assert verdict.checked["members"] == members == 30 + 1 + 1 - 1 + 1 and unsealed == 0   # + the mapped row
    assert verdict.checked["events"] > 10


def test_a_direct_edit_of_a_member_row_is_named_by_id(ledger):
    with ledger.begin() as conn:
        target = conn.execute(text("SELECT id FROM member ORDER BY id LIMIT 1 OFFSET 5")).scalar_one()
        conn.execute(text("UPDATE member SET phone = '+77770000000' WHERE id = :i"), {"i": target})
    verdict = _verdict(ledger)
    assert _kinds(verdict) == {("member.altered", target)}
    assert "+7777" not in repr(verdict.as_dict())                   # ids and kinds, not personal data
    assert "which field cannot be told" in verdict.findings[0].detail


@pytest.mark.parametrize("column, value, words", [("surname", "'Forged'", "surname, given_name or patronymic"),
                                                  ("iin", "'123456789012'", "iin (no longer a valid IIN)")])
def test_an_edited_name_or_iin_is_named_by_field(ledger, column, value, words):
    with ledger.begin() as conn:
        target = conn.execute(text("SELECT id FROM member ORDER BY id LIMIT 1 OFFSET 3")).scalar_one()
        conn.execute(text(f"UPDATE member SET {column} = {value} WHERE id = :i"), {"i": target})
    [finding] = _verdict(ledger).findings
    assert (finding.kind, finding.id) == ("member.altered", target) and words in finding.detail
    assert "Forged" not in finding.detail and "123456789012" not in finding.detail


def test_a_direct_delete_of_a_member_row_is_named_by_id(ledger):
    with ledger.begin() as conn:
        target, iin = conn.execute(text("SELECT id, iin FROM member ORDER BY id DESC LIMIT 1")).one()
        conn.execute(text("DELETE FROM member WHERE id = :i"), {"i": target})
    verdict = _verdict(ledger)
    assert _kinds(verdict) == {("member.missing", target)}
    assert iin not in repr(verdict.as_dict())


def test_a_row_inserted_outside_partyledger_is_named(ledger):
    with ledger.begin() as conn:
        conn.execute(text("INSERT INTO member (iin, surname, given_name, status, name_key, given_key, "
                          "created_at, updated_at) SELECT '000000000000', surname, given_name, status, name_key, "
                          "given_key, created_at, updated_at FROM member LIMIT 1"))
        new_id = conn.execute(text("SELECT max(id) FROM member")).scalar_one()
    assert _kinds(_verdict(ledger)) == {("member.altered", new_id), ("member.unrecorded", new_id)}


def test_swapping_two_rows_ids_is_caught():
    """Roles and check-ins point at ids: moving a person's row to another id is a change too."""
    engine = db.memory_engine()
    a, b = make_people(2, seed=5)
    with db.session_scope(engine) as s:
        ids = [service.add_member(s, MemberDraft(iin=p.iin, surname=p.surname, given_name=p.given_name)).id
               for p in (a, b)]
    with engine.begin() as conn:
        conn.execute(text("UPDATE member SET id = -1 WHERE id = :a"), {"a": ids[0]})
        conn.execute(text("UPDATE member SET id = :a WHERE id = :b"), {"a": ids[0], "b": ids[1]})
        conn.execute(text("UPDATE member SET id = :b WHERE id = -1"), {"b": ids[1]})
    assert _kinds(_verdict(engine)) == {("member.altered", ids[0]), ("member.altered", ids[1])}


def test_a_deleted_last_audit_event_is_caught_and_stays_caught(ledger):
    with ledger.begin() as conn:
        last = conn.execute(text("SELECT max(id) FROM auditevent")).scalar_one()
        conn.execute(text("DELETE FROM auditevent WHERE id = :i"), {"i": last})
    verdict = _verdict(ledger)
    assert verdict.findings[0].kind == "audit.head" and verdict.findings[0].id == last
    # the removed event was the undo of batch "d.xlsx": without it the log says its members should exist
    assert {k for k, _ in _kinds(verdict)} == {"audit.head", "member.missing"}
    with db.session_scope(ledger) as s:             # a later write must not paper over the hole
        p = make_people(1, seed=999)[0]
        service.add_member(s, MemberDraft(iin=p.iin, surname=p.surname, given_name=p.given_name))
    kinds = {k for k, _ in _kinds(_verdict(ledger))}
    assert "audit.link" in kinds


def test_deleting_the_last_few_events_is_caught(ledger):
    with ledger.begin() as conn:
        last = conn.execute(text("SELECT max(id) FROM auditevent")).scalar_one()
        conn.execute(text("DELETE FROM auditevent WHERE id > :i"), {"i": last - 3})
    verdict = _verdict(ledger)
    assert ("audit.head", last) in _kinds(verdict)
    assert f"ends at event {last - 3}" in verdict.findings[0].detail


@pytest.mark.parametrize("stamp, kind", [("2026-02-30 10:00:00.000000", "audit.malformed"),
                                         ("not a time", "audit.malformed"),
                                         ("2025-01-01 09:00:00.000000", "audit.hash")])
def test_an_edited_event_time_is_named_not_a_crash(ledger, stamp, kind):
    with ledger.begin() as conn:
        target = conn.execute(text("SELECT id FROM auditevent WHERE action = 'member.edited'")).scalar_one()
        conn.execute(text("UPDATE auditevent SET at = :t WHERE id = :i"), {"t": stamp, "i": target})
    verdict = _verdict(ledger)
    assert (kind, target) in _kinds(verdict)
    assert {k for k, _ in _kinds(verdict)} <= {"audit.malformed", "audit.hash"}


def test_malformed_event_json_is_named(ledger):
    with ledger.begin() as conn:
        target = conn.execute(text("SELECT id FROM auditevent WHERE action = 'member.merged'")).first()[0]
        conn.execute(text("UPDATE auditevent SET before = '{broken' WHERE id = :i"), {"i": target})
    verdict = _verdict(ledger)
    assert ("audit.malformed", target) in _kinds(verdict)


def test_a_deleted_batch_change_record_is_named_with_its_batch(ledger):
    with ledger.begin() as conn:
        batch, member = conn.execute(text("SELECT batch_id, member_id FROM batchchange WHERE action = 'created' "
                                          "ORDER BY id LIMIT 1")).one()
        conn.execute(text("DELETE FROM batchchange WHERE batch_id = :b AND member_id = :m"), {"b": batch, "m": member})
    kinds = _kinds(_verdict(ledger))
    assert ("batch.changes", batch) in kinds and ("member.unrecorded", member) in kinds


def test_a_flipped_byte_in_a_page_is_named_by_page(tmp_path):
    path = tmp_path / "party.db"
    engine = db.create_ledger(path, "pw", fast_kdf=True)
    with db.session_scope(engine) as s:
        _import(s, _rows(make_people(3000, seed=8)))
    engine.dispose()
    data = bytearray(path.read_bytes())
    page = len(data) // 4096 // 2                          # a page in the middle of the member data
    data[page * 4096 + 1500] ^= 0x5A
    path.write_bytes(bytes(data))
    engine = db.open_ledger(path, "pw")
    try:
        verdict = _verdict(engine)
    finally:
        engine.dispose()
    assert ("storage.cipher", page + 1) in _kinds(verdict)            # SQLite numbers pages from 1
    assert not verdict.ok


def test_the_seal_covers_every_member_column():
    """A new member column must be added to seal.SEALED (and every row resealed by its migration)."""
    columns = [c.name for c in Member.__table__.columns if c.name != "row_hash"]
    assert sorted(seal.SEALED) == sorted(columns)


def test_a_ledger_from_before_the_seal_is_sealed_by_its_migration(tmp_path):
    from alembic import command

    path = tmp_path / "party.db"
    engine = db.create_ledger(path, "pw", fast_kdf=True)
    people = make_people(30, seed=4)
    with db.session_scope(engine) as s:
        _import(s, _rows(people[:25]))
        service.add_member(s, MemberDraft(iin=people[29].iin, surname="Омарова", given_name="Айгүл"))
    with engine.begin() as conn:
        command.downgrade(db._alembic_config(conn), "0006")
    engine.dispose()
    engine = db.open_ledger(path, "pw")
    try:
        assert _verdict(engine).ok
        with engine.begin() as conn:
            conn.execute(text("UPDATE member SET surname = 'X' WHERE id = 3"))
        assert _kinds(_verdict(engine)) == {("member.altered", 3)}
    finally:
        engine.dispose()


def test_reseal_keeps_orm_objects_in_step():
    """A member edited twice in one session is stored with the seal of its final state."""
    engine = db.memory_engine()
    p = make_people(1, seed=12)[0]
    with db.session_scope(engine) as s:
        service.add_member(s, MemberDraft(iin=p.iin, surname=p.surname, given_name=p.given_name, unit_code="75"))
        service.edit_member(s, p.iin, {"phone": "+7 702 000 1122"}, units=UNITS, as_of=AS_OF)
        service.edit_member(s, p.iin, {"email": "a@example.org"}, units=UNITS, as_of=AS_OF)
        member = s.exec(select(Member)).one()
        assert member.row_hash is not None
    assert _verdict(engine).ok
