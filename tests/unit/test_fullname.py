"""A full-name cell written given-first ("Zhanna Abenova") is filed under the surname, with a warning;
the official order and every ambiguous cell keep the surname first."""

from __future__ import annotations

from datetime import date

import pytest

from partyledger.ledger.cleaning.fullname import split_full_name_order
from partyledger.ledger.cleaning.iin import make_iin
from partyledger.ledger.cleaning.validate import draft_from_fields
from partyledger.rules import load_rules

IIN = make_iin(date(1990, 1, 1), "F", 4242)


def _row(**fields):
    return draft_from_fields({"iin": IIN, "region": "Алматы", **fields}, units=load_rules("KZ").units,
                             as_of=date(2026, 11, 25))


@pytest.mark.parametrize(("cell", "surname", "given", "patronymic", "turned"), [
    ("Zhanna Abenova", "Abenova", "Zhanna", None, True),
    ("Айгүл Омарова", "Омарова", "Айгүл", None, True),
    ("Марина Иванова", "Иванова", "Марина", None, True),          # -ина is a given-name ending too: no evidence
    ("Ева Сергеева", "Сергеева", "Ева", None, True),              # "Ева" is too short to be a surname
    ("Әлібек Нұрсұлтанұлы", "Нұрсұлтанұлы", "Әлібек", None, True),
    ("Alibek Nursultanovich Omarov", "Omarov", "Alibek", "Nursultanovich", True),
    ("Иван Иванович Иванов", "Иванов", "Иван", "Иванович", True),
    # the official order, and cells with no evidence or evidence both ways, stay surname first
    ("Омарова Айгүл", "Омарова", "Айгүл", None, False),
    ("Omarov Alibek Nursultanovich", "Omarov", "Alibek", "Nursultanovich", False),
    ("Иванова Марина", "Иванова", "Марина", None, False),
    ("Сейткали Айгерим", "Сейткали", "Айгерим", None, False),
    ("Петров Сидоров", "Петров", "Сидоров", None, False),
    ("Alibek Omarov Nursultanovna", "Alibek", "Omarov", "Nursultanovna", False),
    ("Aigerim SEITKALI", "Seitkali", "Aigerim", None, False),      # capitals decide, as before
])
def test_order_is_read_from_the_surname_ending(cell, surname, given, patronymic, turned):
    assert split_full_name_order(cell) == (surname, given, patronymic, turned)


def test_a_turned_name_is_imported_under_its_surname_with_a_warning():
    result = _row(full_name="Zhanna Abenova")
    assert (result.draft.surname, result.draft.given_name) == ("Abenova", "Zhanna")
    warning = [i for i in result.issues if i.code == "name.order_guessed"]
    assert warning and warning[0].severity.value == "warning" and "Abenova" in warning[0].message


def test_separate_name_columns_are_never_reordered():
    result = _row(surname="Zhanna", given_name="Abenova")
    assert (result.draft.surname, result.draft.given_name) == ("Zhanna", "Abenova")
    assert not any(i.code == "name.order_guessed" for i in result.issues)
