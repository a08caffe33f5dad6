"""Finding a member by the given name, or by "given surname", in either script, page by page.

Organizers often remember only "Әлібек from Semey"; ``name_key`` starts with the surname, so the
ledger keeps a second key with the given name first (migration 0004).
"""

from __future__ import annotations

from partyledger.ledger.intake import batches
from partyledger.ledger.storage import db
from partyledger.ledger.members import service
from partyledger.ledger.models import MemberDraft
from partyledger.rules import load_rules
from partyledger.synthetic import make_people


def _add(session, person, surname, given, patronymic=None):
    service.add_member(session, MemberDraft(iin=person.iin, surname=surname, given_name=given, patronymic=patronymic,
                                            birth_date=person.birth_date, sex=person.sex, unit_code="75"))


def test_given_name_alone_finds_the_member_in_either_script():
    engine = db.memory_engine()
    people = make_people(4, seed=11)
    with db.session_scope(engine) as s:
        _add(s, people[0], "Нұрланов", "Әлібек", "Серікұлы")
        _add(s, people[1], "Alibekov", "Daniyar")
        _add(s, people[2], "Омарова", "Айгүл")
        _add(s, people[3], "Ковалёв", "Сергей")
    for query in ("alibek", "Әлібек", "Алибек", "ALIBEK"):
        with db.session_scope(engine) as s:
            found = {m.surname for m in service.list_members(s, search=query).rows}
        # the given name "Әлібек" and the surname "Alibekov" both start with the query
        assert found == {"Нұрланов", "Alibekov"}, query
    with db.session_scope(engine) as s:
        assert [m.surname for m in service.list_members(s, search="Alibek Nurlanov").rows] == ["Нұрланов"]
        assert [m.surname for m in service.list_members(s, search="Sergei").rows] == ["Ковалёв"]
        # two letters search surnames only (cheap at any size), so "ai" does not list every Айгүл
        assert service.list_members(s, search="ai").rows == []


def test_paging_a_given_name_search_visits_each_match_once():
    engine = db.memory_engine()
    people = make_people(30, seed=12)
    with db.session_scope(engine) as s:
        for i, p in enumerate(people):
            _add(s, p, f"Фамилия{i:02d}", "Жанна" if i % 2 else "Ерлан")
    seen, cursor = [], None
    while True:
        with db.session_scope(engine) as s:
            page = service.list_members(s, search="zhanna", after=cursor, limit=4)
        seen += [m.iin for m in page.rows]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert sorted(seen) == sorted(p.iin for i, p in enumerate(people) if i % 2)
    assert len(seen) == len(set(seen))


def test_imported_members_are_searchable_by_given_name():
    engine = db.memory_engine()
    p = make_people(1, seed=13)[0]
    rows = [batches.RowIn(row=2, fields={"iin": p.iin, "full_name": "ТОҚТАРОВ ҒАЛЫМ", "region": "Алматы"}, raw={})]
    units = load_rules("KZ").units
    with db.session_scope(engine) as s:
        batches.import_rows(s, rows, batches.BatchSource("t.csv", "x"), units=units, as_of=p.joined_on)
    with db.session_scope(engine) as s:
        assert [m.iin for m in service.list_members(s, search="galym").rows] == [p.iin]


def test_listing_sorted_by_name_or_iin_pages_through_everyone_in_order():
    import pytest

    from partyledger.errors import InvalidInput
    from partyledger.ledger.cleaning.translit import surname_first_key

    engine = db.memory_engine()
    people = make_people(23, seed=14)
    with db.session_scope(engine) as s:
        for p in people:
            _add(s, p, p.surname, p.given_name, p.patronymic)
    for order, key in (("name", lambda m: (m.name_key, m.id)), ("iin", lambda m: m.iin), ("id", lambda m: m.id)):
        seen, cursor = [], None
        while True:
            with db.session_scope(engine) as s:
                page = service.list_members(s, order=order, after=cursor, limit=5)
                seen += [(key(m), m.iin) for m in page.rows]
            cursor = page.next_cursor
            if cursor is None:
                break
        assert [k for k, _ in seen] == sorted(k for k, _ in seen) and len(seen) == 23, order
    assert seen and {i for _, i in seen} == {p.iin for p in people}
    with db.session_scope(engine) as s, pytest.raises(InvalidInput):
        service.list_members(s, order="shoe size")
    assert surname_first_key("Б", "А") > surname_first_key("А", "Я")


def test_surname_matches_come_first_then_given_names_across_page_edges():
    engine = db.memory_engine()
    people = make_people(9, seed=15)
    with db.session_scope(engine) as s:
        for i, p in enumerate(people[:4]):
            _add(s, p, f"Alibekov{i}", "Daniyar")            # surname matches
        for i, p in enumerate(people[4:7]):
            _add(s, p, f"Omarov{i}", "Әлібек")                # given-name matches
        _add(s, people[7], "Alibekova", "Әлібек")              # both: listed once, with the surnames
        _add(s, people[8], "Serikov", "Daniyar")               # neither
    for limit in (1, 2, 3, 4, 5, 8, 50):
        seen, cursor = [], None
        while True:
            with db.session_scope(engine) as s:
                page = service.list_members(s, search="alibek", after=cursor, limit=limit)
            assert len(page.rows) <= limit
            seen += [m.surname for m in page.rows]
            cursor = page.next_cursor
            if cursor is None:
                break
        assert seen == ["Alibekov0", "Alibekov1", "Alibekov2", "Alibekov3", "Alibekova",
                        "Omarov0", "Omarov1", "Omarov2"], limit
