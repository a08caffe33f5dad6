"""The organizer's region aliases on a real SQLCipher ledger: changed and removed with an audit event each,
read by a plain ``fix``/``promote`` as by an import, and an alias whose unit has gone out of force places
no one (the row waits in quarantine saying why)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from partyledger.errors import InvalidInput
from partyledger.ledger.cleaning.validate import draft_from_fields
from partyledger.ledger.intake import aliases, batches, quarantine
from partyledger.ledger.storage import db
from partyledger.rules import load_rules
from partyledger.rules.textkey import place_key
from partyledger.synthetic import make_people

UNITS = load_rules("KZ").units
AS_OF = date(2026, 11, 1)
MAPPING = {"ИИН": "iin", "Фамилия": "surname", "Имя": "given_name", "Область": "region"}


def _import(session, people, region, name, as_of=AS_OF):
    rows = [batches.RowIn(row=2 + k, fields={"iin": p.iin, "surname": p.surname, "given_name": p.given_name,
                                             "region": region},
                          raw={"ИИН": p.iin, "Фамилия": p.surname, "Имя": p.given_name, "Область": region})
            for k, p in enumerate(people)]
    return batches.import_rows(session, rows, batches.BatchSource(name, name, mapping=MAPPING), units=UNITS,
                               as_of=as_of)


@pytest.fixture()
def engine(tmp_path):
    engine = db.create_ledger(tmp_path / "party.db", "pw", fast_kdf=True)
    yield engine
    engine.dispose()


def test_an_alias_is_changed_and_removed_with_an_audit_event_each(engine):
    with db.session_scope(engine) as s:
        aliases.set_alias(s, "Сев.-Каз. обл", "55", units=UNITS, as_of=AS_OF, actor="aigul")
        changed = aliases.set_alias(s, "сев каз обл", "59", units=UNITS, as_of=AS_OF, actor="aigul")
        assert (changed["text"], changed["unit"]) == ("Сев.-Каз. обл", "59")     # one alias: the same folded text
        assert [(a["text"], a["unit"]) for a in aliases.list_aliases(s)] == [("Сев.-Каз. обл", "59")]
        aliases.remove_alias(s, "Сев.-Каз. обл", actor="aigul")
        assert aliases.list_aliases(s) == []
    with engine.connect() as c:
        events = c.execute(text("SELECT action, actor, json_extract(before, '$.unit'), json_extract(after, '$.unit') "
                                "FROM auditevent WHERE entity = 'region_alias' ORDER BY id")).all()
    assert [tuple(e) for e in events] == [("region_alias.set", "aigul", None, "55"),
                                          ("region_alias.set", "aigul", "55", "59"),
                                          ("region_alias.remove", "aigul", "59", None)]


def test_a_plain_promote_reads_the_aliases_too(engine):
    people = make_people(2, seed=3)
    with db.session_scope(engine) as s:
        assert _import(s, people, "Петропавл обл-ть", "a.xlsx").quarantined == 2
        aliases.set_alias(s, "Петропавл обл-ть", "59", units=UNITS, as_of=AS_OF)
        qid = quarantine.list_quarantine(s)[0]["id"]
        done = quarantine.fix_row(s, qid, units=UNITS, as_of=AS_OF)
        groups = quarantine.value_groups(s)
    assert done["iin"] == people[0].iin
    assert [(g["code"], g["value"], g["rows"]) for g in groups] == [("unit.unknown", "Петропавл обл-ть", 1)]


def test_an_alias_to_a_unit_gone_out_of_force_places_no_one(engine):
    people = make_people(2, seed=4)
    with db.session_scope(engine) as s:
        aliases.set_alias(s, "Юж.-Каз. обл", "51", units=UNITS, as_of=date(2017, 5, 1))     # in force then
        with pytest.raises(InvalidInput, match="not in force on 2026-11-01"):
            aliases.set_alias(s, "Чимкент обл.", "51", units=UNITS, as_of=AS_OF)
        result = _import(s, people, "Юж.-Каз. обл", "b.xlsx")
        held = quarantine.list_quarantine(s)
    assert (result.created, result.quarantined) == (0, 2)
    assert [r["codes"] for r in held] == [["unit.unknown"], ["unit.unknown"]]
    found = draft_from_fields({"iin": people[0].iin, "surname": "Ким", "given_name": "Ю", "region": "юж каз обл"},
                              units=UNITS, as_of=AS_OF, aliases={place_key("Юж.-Каз. обл"): "51"})
    assert found.draft is None
    assert [i.message for i in found.issues] == [
        "region 'юж каз обл' is your alias for unit 51, not in force on 2026-11-01: "
        "map the text again: partyledger quarantine map TEXT --unit CODE"]


def test_a_hostile_or_empty_text_never_becomes_an_alias(engine):
    with db.session_scope(engine) as s:
        for bad in ("Алм\u202e.обл", "Алм\x07обл", " .. ", "19"):
            with pytest.raises(InvalidInput):
                aliases.set_alias(s, bad, "19", units=UNITS, as_of=AS_OF)
        assert aliases.list_aliases(s) == []
