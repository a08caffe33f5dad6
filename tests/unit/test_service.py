"""Member services: what an organizer sees when adding, finding, paging and withdrawing members."""

from __future__ import annotations

from datetime import date

import pytest

from partyledger.errors import Conflict, InvalidInput, NotFound
from partyledger.ledger.storage import audit, db
from partyledger.ledger.members import service
from partyledger.ledger.models import MemberDraft
from partyledger.ledger.enums import MemberStatus
from partyledger.synthetic import make_people


def _draft(person, **over) -> MemberDraft:
    fields = dict(iin=person.iin, surname=person.surname, given_name=person.given_name,
                  patronymic=person.patronymic, birth_date=person.birth_date, sex=person.sex,
                  unit_code=person.unit_code, locality=person.locality, phone=person.phone,
                  joined_on=person.joined_on)
    fields.update(over)
    return MemberDraft(**fields)


@pytest.fixture()
def engine():
    return db.memory_engine()


@pytest.fixture()
def people():
    return make_people(60, seed=7)


def test_added_member_is_found_by_iin_with_an_audit_event(engine, people):
    p = people[0]
    with db.session_scope(engine) as s:
        service.add_member(s, _draft(p), actor="Айгүл")
    with db.session_scope(engine) as s:
        m = service.get_member(s, p.iin)
        events = audit.history(s, "member", m.id)
        assert audit.verify_chain(s) is None
    assert (m.surname, m.status) == (p.surname, MemberStatus.ACTIVE)
    assert [(e.action, e.actor) for e in events] == [("member.added", "Айгүл")]
    assert events[0].after["iin"] == p.iin


def test_existing_iin_is_a_conflict_naming_the_holder(engine):
    a, b = make_people(2, seed=1)
    with db.session_scope(engine) as s:
        service.add_member(s, _draft(a, surname="Омаров", given_name="Ерлан", unit_code="75"))
    with pytest.raises(Conflict) as err, db.session_scope(engine) as s:
        service.add_member(s, _draft(b, iin=a.iin))
    assert str(err.value) == f"IIN {a.iin} is already in the ledger (ОМАРОВ Ерлан, unit 75)"


def test_get_member_rejects_non_iins_and_unknown_iins(engine, people):
    with db.session_scope(engine) as s:
        with pytest.raises(InvalidInput):
            service.get_member(s, "12345")
        with pytest.raises(NotFound):
            service.get_member(s, people[0].iin)


def _all_pages(engine, **filters):
    seen, cursor, pages = [], None, 0
    while True:
        with db.session_scope(engine) as s:
            page = service.list_members(s, after=cursor, limit=7, **filters)
        seen += page.rows
        pages += 1
        cursor = page.next_cursor
        if cursor is None:
            return seen, pages


def test_paging_walks_every_member_once(engine, people):
    with db.session_scope(engine) as s:
        for p in people:
            service.add_member(s, _draft(p))
    rows, pages = _all_pages(engine)
    assert sorted(m.iin for m in rows) == sorted(p.iin for p in people)
    assert pages == 9                                         # 60 rows, 7 a page


def test_search_finds_a_name_in_either_script_and_any_case(engine):
    people = make_people(3, seed=3)
    names = [("Омаров", "Ерлан"), ("Омарова", "Айгүл"), ("Ковалёв", "Сергей")]
    with db.session_scope(engine) as s:
        for p, (sur, giv) in zip(people, names):
            service.add_member(s, _draft(p, surname=sur, given_name=giv, patronymic=None))
    for query in ("омаров", "ОМАРОВ", "Omarov", "omarov"):
        with db.session_scope(engine) as s:
            found = [m.surname for m in service.list_members(s, search=query).rows]
        assert found == ["Омаров", "Омарова"], query
    with db.session_scope(engine) as s:
        assert [m.surname for m in service.list_members(s, search="Kovalev").rows] == ["Ковалёв"]
        assert [m.given_name for m in service.list_members(s, search="Омаров Ерлан").rows] == ["Ерлан"]
        assert service.list_members(s, search="Петров").rows == []


def test_search_by_iin_prefix_and_paged_search_results(engine, people):
    with db.session_scope(engine) as s:
        for p in people:
            service.add_member(s, _draft(p))
    prefix = people[5].iin[:4]
    expected = sorted(p.iin for p in people if p.iin.startswith(prefix))
    with db.session_scope(engine) as s:
        assert [m.iin for m in service.list_members(s, search=prefix, limit=100).rows] == expected
    surname = people[0].surname
    rows, _ = _all_pages(engine, search=surname)
    expected_names = sorted(p.iin for p in people if p.surname.startswith(surname))
    assert sorted(m.iin for m in rows) == expected_names and len(rows) == len(set(m.iin for m in rows))


def test_filters_by_unit_and_status(engine, people):
    with db.session_scope(engine) as s:
        for p in people:
            service.add_member(s, _draft(p, joined_on=date(2024, 1, 1)))
        service.withdraw_member(s, people[0].iin, on=date(2024, 6, 1), reason="moved abroad")
    unit = people[1].unit_code
    rows, _ = _all_pages(engine, unit=unit, status="active")
    assert {m.iin for m in rows} == {p.iin for p in people[1:] if p.unit_code == unit}
    rows, _ = _all_pages(engine, status="withdrawn")
    assert [m.iin for m in rows] == [people[0].iin]
    with pytest.raises(InvalidInput), db.session_scope(engine) as s:
        service.list_members(s, status="gone")


def test_a_cursor_from_another_listing_is_refused(engine, people):
    with db.session_scope(engine) as s:
        for p in people[:10]:
            service.add_member(s, _draft(p))
        cursor = service.list_members(s, limit=3).next_cursor
        with pytest.raises(InvalidInput):
            service.list_members(s, search="om", after=cursor)
        with pytest.raises(InvalidInput):
            service.list_members(s, after="not-a-cursor")


def test_withdrawal_keeps_the_member_with_date_reason_and_history(engine, people):
    p = people[0]
    with db.session_scope(engine) as s:
        service.add_member(s, _draft(p, joined_on=date(2024, 3, 1)))
        service.withdraw_member(s, p.iin, on=date(2025, 2, 10), reason="pressure from employer")
    with db.session_scope(engine) as s:
        m = service.get_member(s, p.iin)
        detail = service.member_detail(s, m)
    assert (m.status, m.status_on, m.status_reason) == (MemberStatus.WITHDRAWN, date(2025, 2, 10),
                                                        "pressure from employer")
    assert [e["action"] for e in detail["history"]] == ["member.added", "member.withdrawn"]
    assert detail["history"][1]["after"] == {"status": "withdrawn", "status_on": "2025-02-10",
                                             "status_reason": "pressure from employer"}


def test_withdrawal_before_joining_or_twice_is_refused(engine, people):
    p = people[0]
    with db.session_scope(engine) as s:
        service.add_member(s, _draft(p, joined_on=date(2024, 3, 1)))
    with pytest.raises(InvalidInput) as err, db.session_scope(engine) as s:
        service.withdraw_member(s, p.iin, on=date(2024, 2, 28), reason=None)
    assert "before the member joined (2024-03-01)" in str(err.value)
    with db.session_scope(engine) as s:
        service.withdraw_member(s, p.iin, on=date(2024, 3, 1), reason=None)
    with pytest.raises(Conflict), db.session_scope(engine) as s:
        service.withdraw_member(s, p.iin, on=date(2024, 4, 1), reason=None)


def test_member_dict_is_json_ready(engine, people):
    import json

    with db.session_scope(engine) as s:
        m = service.add_member(s, _draft(people[0]))
        d = service.member_dict(m)
    assert json.loads(json.dumps(d)) == d
    assert d["status"] == "active" and d["birth_date"] == people[0].birth_date.isoformat()
    assert {"iin", "surname", "given_name", "unit_code", "status"} <= d.keys()
    assert "name_key" not in d


# ---- editing (re-validated through validate.draft_from_fields) -----------------------------------

AS_OF = date(2026, 11, 1)


@pytest.fixture(scope="module")
def units():
    from partyledger.rules import load_rules

    return load_rules("KZ").units


def test_edit_normalises_the_new_value_and_records_before_and_after(engine, people, units):
    p = people[0]
    with db.session_scope(engine) as s:
        service.add_member(s, _draft(p, phone=None))
        warnings: list = []
        # the member moved: region and town change together (a region alone would contradict the stored
        # town, which is refused as unit.conflict)
        service.edit_member(s, p.iin, {"phone": "8 (701) 234-56-78", "unit": "Астана", "locality": "Астана"},
                            units=units, as_of=AS_OF, actor="Ерлан", issues_out=warnings)
    with db.session_scope(engine) as s:
        m = service.get_member(s, p.iin)
        last = audit.history(s, "member", m.id)[-1]
    assert (m.phone, m.unit_code, m.region_text) == ("+77012345678", "71", "Астана")
    assert (last.action, last.actor) == ("member.edited", "Ерлан")
    assert last.before["phone"] is None and last.after["phone"] == "+77012345678"
    assert warnings == []


def test_edit_to_a_valid_free_iin_re_derives_birth_date(engine, people, units):
    a, b = people[0], people[1]
    with db.session_scope(engine) as s:
        service.add_member(s, _draft(a))
        service.edit_member(s, a.iin, {"iin": b.iin}, units=units, as_of=AS_OF)
    with db.session_scope(engine) as s:
        m = service.get_member(s, b.iin)
        with pytest.raises(NotFound):
            service.get_member(s, a.iin)
    assert (m.birth_date, m.sex, m.surname) == (b.birth_date, b.sex, a.surname)


def test_edit_to_an_invalid_or_taken_iin_is_refused_and_changes_nothing(engine, people, units):
    a, b = people[0], people[1]
    with db.session_scope(engine) as s:
        service.add_member(s, _draft(a))
        service.add_member(s, _draft(b))
    with pytest.raises(InvalidInput), db.session_scope(engine) as s:
        service.edit_member(s, a.iin, {"iin": a.iin[:11] + str((int(a.iin[11]) + 1) % 10)}, units=units, as_of=AS_OF)
    with pytest.raises(Conflict), db.session_scope(engine) as s:
        service.edit_member(s, a.iin, {"iin": b.iin}, units=units, as_of=AS_OF)
    with pytest.raises(InvalidInput), db.session_scope(engine) as s:
        service.edit_member(s, a.iin, {"status": "active"}, units=units, as_of=AS_OF)
    with db.session_scope(engine) as s:
        assert service.get_member(s, a.iin).iin == a.iin
        assert [e.action for e in audit.history(s, "member", service.get_member(s, a.iin).id)] == ["member.added"]


def test_edited_surname_is_found_by_the_new_name(engine, people, units):
    p = people[0]
    with db.session_scope(engine) as s:
        service.add_member(s, _draft(p, surname="Иванова"))
        service.edit_member(s, p.iin, {"surname": "Петрова"}, units=units, as_of=AS_OF)
        assert [m.iin for m in service.list_members(s, search="Petrova").rows] == [p.iin]
        assert service.list_members(s, search="Иванова").rows == []


def test_edit_to_a_historical_unit_is_refused_not_guessed(engine, people, units):
    p = people[0]
    with db.session_scope(engine) as s:
        service.add_member(s, _draft(p, unit_code="75"))
    with pytest.raises(InvalidInput) as err, db.session_scope(engine) as s:
        service.edit_member(s, p.iin, {"unit": "Южно-Казахстанская"}, units=units, as_of=AS_OF)
    assert "Южно-Казахстанская" in str(err.value)
    with db.session_scope(engine) as s:
        assert service.get_member(s, p.iin).unit_code == "75"
