"""draft_from_fields and eligibility_issues against the real KZ rules and a real ledger."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partyledger.ledger.members import service
from partyledger.ledger.storage.db import memory_engine, session_scope
from partyledger.ledger.cleaning.iin import make_iin
from partyledger.ledger.issues import Severity
from partyledger.ledger.enums import MemberStatus
from partyledger.ledger.cleaning.validate import DraftResult, draft_from_fields, eligibility_issues
from partyledger.ledger.cleaning.fullname import split_full_name
from partyledger.rules import load_rules

RULES = load_rules("KZ")
UNITS = RULES.units
AS_OF = date(2025, 6, 1)
IIN = make_iin(date(1985, 3, 12), "F", 123)


def row(**fields) -> DraftResult:
    base = {"iin": IIN, "surname": "Сейткали", "given_name": "Айгерим", "region": "Алматы"}
    base.update(fields)
    return draft_from_fields({k: v for k, v in base.items() if v is not None}, units=UNITS,
                             as_of=AS_OF, row=5, source="drive.xlsx")


def codes(result: DraftResult) -> list[str]:
    return [i.code for i in result.issues]


def test_a_clean_row_becomes_a_draft_that_a_real_ledger_stores():
    result = row(patronymic="Нұрланқызы", phone="8 (701) 123-45-67", email="a@mail.kz",
                 joined_on="01.05.2025", citizen="да", not_in_other_party="иә", not_barred=1)
    assert result.issues == []
    draft = result.draft
    assert (draft.birth_date, draft.sex, draft.unit_code) == (date(1985, 3, 12), "F", "75")
    assert (draft.phone, draft.joined_on, draft.citizen, draft.not_barred) == (
        "+77011234567", date(2025, 5, 1), True, True)
    with session_scope(memory_engine()) as session:
        member = service.add_member(session, draft)
        found = service.list_members(session, search="Seitkali").rows
        assert [m.iin for m in found] == [member.iin] == [IIN]


def test_iin_problems_keep_the_row_out_with_their_code():
    for value, code in (("", "iin.missing"), ("12345", "iin.format"), (IIN[:-1] + str((int(IIN[-1]) + 1) % 10), "iin.checksum")):
        result = row(iin=value or None)
        assert result.draft is None and code in codes(result)
    result = row(iin=int(make_iin(date(2004, 1, 5), "M", 7)))   # number cell, zeros lost
    assert result.draft is not None and result.draft.iin.startswith("0401055")


@pytest.mark.parametrize(("cell", "parts"), [
    ("Сейткали Айгерим Нұрланқызы", ("Сейткали", "Айгерим", "Нұрланқызы")),
    ("СЕЙТКАЛИ айгерим", ("Сейткали", "Айгерим", None)),
    ("Aigerim SEITKALI", ("Seitkali", "Aigerim", None)),
    ("Сейткали, Айгерим Нурлановна", ("Сейткали", "Айгерим", "Нурлановна")),
    ("Нұрсұлтанов Әлібек Болат ұлы", ("Нұрсұлтанов", "Әлібек", "Болат ұлы")),
    ("Иванов  Иван\u00a0Иванович", ("Иванов", "Иван", "Иванович")),
    ("Иванов", ("Иванов", None, None)),
])
def test_one_full_name_cell(cell, parts):
    assert split_full_name(cell) == parts


def test_full_name_cell_fills_a_draft_and_a_lone_word_is_name_missing():
    result = row(surname=None, given_name=None, full_name="АХМЕТОВ Нурлан Серикович")
    assert (result.draft.surname, result.draft.given_name, result.draft.patronymic) == (
        "Ахметов", "Нурлан", "Серикович")
    result = row(surname=None, given_name=None, full_name="Ахметов")
    assert result.draft is None and codes(result) == ["name.missing"]


def test_birth_date_cell_is_checked_against_the_iin():
    assert row(birth_date="12.03.1985").issues == []
    assert row(birth_date="12.03.85").issues == []          # the IIN says 19xx
    assert row(birth_date=1985).issues == []                # a year-only column
    result = row(birth_date="13.03.1985")
    assert codes(result) == ["birth_date.mismatch"] and result.draft is not None
    assert result.issues[0].severity is Severity.WARNING and "1985-03-12" in result.issues[0].message
    swapped = row(birth_date="03/12/1985")                   # month-first sheet read day-first
    assert "swapped" in swapped.issues[0].message
    assert codes(row(birth_date="31.02.1985")) == ["date.unparseable"]


def test_sex_cell_is_checked_against_the_iin():
    assert row(sex="Ж").issues == [] and row(sex="female").issues == []
    assert codes(row(sex="М")) == ["sex.mismatch"]


@pytest.mark.parametrize(("region", "locality", "unit", "code"), [
    ("Алматы", None, "75", None), ("75", None, "75", None), ("г. Алматы", None, "75", None),
    ("Нур-Султан", None, "71", None), ("Жетысу", None, "33", None),
    ("Южно-Казахстанская", None, None, "unit.ambiguous"),
    ("Марс", None, None, "unit.unknown"), (None, None, None, "unit.missing"),
])
def test_unit_resolution_maps_to_issue_codes(region, locality, unit, code):
    result = row(region=region, locality=locality)
    assert (result.draft.unit_code if result.draft else None) == unit
    assert codes(result) == ([code] if code else [])


def test_ambiguous_unit_keeps_the_member_with_no_unit_and_an_exclude_issue():
    result = row(region="Южно-Казахстанская")
    assert result.draft is not None and result.draft.unit_code is None
    assert result.draft.region_text == "Южно-Казахстанская"
    assert result.issues[0].severity is Severity.EXCLUDE and "locality" in result.issues[0].message


def test_invalid_phone_and_email_are_warnings_and_kept_as_written():
    result = row(phone="555-55-55", email="no-at-sign")
    assert sorted(codes(result)) == ["email.invalid", "phone.invalid"]
    assert (result.draft.phone, result.draft.email) == ("555-55-55", "no-at-sign")


def test_two_digit_years_in_recent_dates_resolve_to_this_century_only_if_not_in_the_future():
    assert row(joined_on="12.03.24").draft.joined_on == date(2024, 3, 12)
    result = row(joined_on="12.03.31")                       # 2031 is after as_of, 1931 absurd
    assert codes(result) == ["date.ambiguous"] and result.draft.joined_on is None


def test_issues_carry_row_and_source():
    found = row(phone="x").issues[0]
    assert (found.row, found.source, found.field) == (5, "drive.xlsx", "phone")


def test_status_cells():
    assert row(status="выбыл", status_on="01.02.2025").draft.status is MemberStatus.WITHDRAWN
    assert row().draft.status is MemberStatus.ACTIVE


# ---------------------------------------------------------------- eligibility on a date

def member(**changes):
    draft = row().draft
    return draft.model_copy(update=changes)


def eligibility(m, as_of=AS_OF, **kw):
    return [i.code for i in eligibility_issues(m, RULES.at(as_of), as_of=as_of, **kw)]


def test_eligible_member_has_no_findings():
    assert eligibility(member(joined_on=date(2025, 1, 1))) == []


def test_age_minimum_on_the_date_from_the_iin():
    teen = row(iin=make_iin(date(2007, 6, 2), "M", 5)).draft        # birth date read from the IIN
    assert eligibility(teen, as_of=date(2025, 6, 1)) == ["age.under_minimum"]
    assert eligibility(teen, as_of=date(2025, 6, 2)) == []


def test_age_minimum_at_joining_excludes_for_good_and_says_why():
    signed_at_17 = row(iin=make_iin(date(2007, 6, 2), "M", 5), joined_on="01.03.2025").draft
    found = eligibility_issues(signed_at_17, RULES.at(date(2026, 1, 1)), as_of=date(2026, 1, 1))
    assert [i.code for i in found] == ["age.under_minimum_at_joining"]
    assert found[0].message == "17 years old on joining (2025-03-01), the minimum is 18: must sign up again"
    assert eligibility(signed_at_17, as_of=date(2025, 5, 1)) == ["age.under_minimum", "age.under_minimum_at_joining"]


def test_a_stored_row_without_birth_date_is_an_iin_date_finding():
    # as the report counts it: the ledger only holds such a row when written around the services
    assert eligibility(member(birth_date=None)) == ["iin.date"]


def test_status_joining_declarations_and_consent():
    assert eligibility(member(status=MemberStatus.WITHDRAWN, status_on=date(2025, 5, 1))) == ["status.withdrawn"]
    assert eligibility(member(status=MemberStatus.WITHDRAWN, status_on=date(2025, 7, 1))) == []
    assert eligibility(member(status=MemberStatus.DECEASED)) == ["status.deceased"]
    assert eligibility(member(joined_on=date(2025, 6, 2))) == ["joined.after_as_of"]
    assert eligibility(member(citizen=False, not_in_other_party=False, not_barred=False)) == [
        "declaration.citizen", "declaration.other_party", "declaration.barred"]
    assert eligibility(member(), require_consent=True) == ["consent.missing"]
    assert eligibility(member(application_ref="A-17"), require_consent=True) == []


def test_drafts_equal_pydantic_validated_drafts_of_the_same_values():
    # draft_from_fields skips pydantic's second validation pass for speed; prove that changes nothing
    import random

    from partyledger import synthetic
    from partyledger.ledger.models import Member, MemberDraft

    rng = random.Random(3)
    for person in synthetic.make_people(300, seed=3, as_of=AS_OF):
        result = draft_from_fields({
            "iin": int(person.iin) if rng.random() < 0.5 else person.iin,
            "full_name": synthetic.messy_name(person.full_name, rng),
            "phone": synthetic.messy_phone(person.phone, rng),
            "birth_date": synthetic.messy_date(person.birth_date, rng),
            "joined_on": person.joined_on, "region": synthetic.messy_region(person.unit_code, rng),
            "locality": person.locality, "address": person.address, "citizen": "да",
        }, units=UNITS, as_of=AS_OF)
        draft = result.draft
        assert draft is not None, result.issues
        validated = MemberDraft.model_validate(draft.model_dump())
        assert draft == validated and repr(draft) == repr(validated)
        assert draft.unit_code == person.unit_code and draft.phone == person.phone
        stored = Member.model_validate(draft)
        assert stored.iin == person.iin and stored.birth_date == person.birth_date


_CELLS = st.one_of(
    st.none(), st.text(max_size=30), st.integers(-10**13, 10**13), st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True), st.dates(), st.datetimes(),
    st.decimals(allow_nan=False, allow_infinity=False), st.binary(max_size=8),
    st.lists(st.integers(), max_size=2),
)
_KEYS = ["iin", "surname", "given_name", "patronymic", "full_name", "birth_date", "sex", "region",
         "locality", "address", "phone", "email", "joined_on", "application_ref", "signed_on",
         "citizen", "not_in_other_party", "not_barred", "status", "status_on", "status_reason",
         "unit_code", "region_text", "something_else"]


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(_KEYS), _CELLS, max_size=10))
def test_no_cell_ever_makes_validation_raise(fields):
    # one bad row must never stop an import: every outcome is a draft or issues
    result = draft_from_fields(fields, units=UNITS, as_of=AS_OF)
    assert result.draft is not None or any(i.severity is Severity.ERROR for i in result.issues)


_FORMS = [lambda d: f"{d:%d.%m.%Y}", lambda d: f"{d.day}.{d.month}.{d.year}", lambda d: d.isoformat(),
          lambda d: f"{d:%d/%m/%Y}", lambda d: f"{d.day}/{d.month}/{d.year}", lambda d: f"{d:%d-%m-%Y}",
          lambda d: f"{d:%d.%m.%Y} г.", lambda d: (d - date(1899, 12, 30)).days,
          lambda d: d, lambda d: f"{d:%d.%m.%Y} 0:00:00", lambda d: f"{d.day}.{d.month}.{d.year}г",
          lambda d: f"{d:%Y-%m-%d} ж.", lambda d: f"{d:%d.%m.%Y}."]


@settings(max_examples=400)
@given(st.dates(min_value=date(1930, 1, 1), max_value=date(2008, 12, 31)),
       st.dates(min_value=date(1930, 1, 1), max_value=date(2008, 12, 31)),
       st.sampled_from(_FORMS), st.booleans())
def test_birth_date_cell_flags_exactly_the_dates_that_differ(born, written, form, same):
    # the cheap "agrees with the IIN" shortcut must never hide a mismatch or invent one
    written = born if same else written
    iin = make_iin(born, "M", 1) if check_ok(born) else make_iin(born, "M", 2)
    result = row(iin=iin, birth_date=form(written))
    assert ("birth_date.mismatch" in codes(result)) == (written != born)
    assert result.draft.birth_date == born


def check_ok(born):
    from partyledger.ledger.cleaning.iin import NoCheckDigit
    try:
        make_iin(born, "M", 1)
        return True
    except NoCheckDigit:
        return False


def test_declarations_exclude_under_every_jurisdiction_that_knows_or_does_not_know_the_rule():
    # RU's files leave one_party_only unknown: an unknown rule is applied as the strict one
    draft = member(not_in_other_party=False, citizen=False)
    for code in ("KZ", "RU", "IN"):
        snapshot = load_rules(code).at(AS_OF)
        found = [i.code for i in eligibility_issues(draft, snapshot, as_of=AS_OF)]
        assert found == ["declaration.citizen", "declaration.other_party"], code
