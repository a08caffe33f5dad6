"""Names, text, declarations, e-mail: tidy without changing what the person wrote; idempotent."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partyledger.ledger.cleaning.normalize import clean_email, clean_name, clean_text, parse_bool


@pytest.mark.parametrize(("typed", "clean"), [
    ("  ИВАНОВА-ПЕТРОВА ", "Иванова-Петрова"),
    ("әлібек\u00a0\u00a0нұрсұлтанұлы", "Әлібек Нұрсұлтанұлы"),      # Kazakh letters intact
    ("ӘЛІБЕК", "Әлібек"), ("ғалым", "Ғалым"), ("ÄLİBEK", "Älibek"), ("älıbek", "Älıbek"),
    ("O'BRIEN", "O'Brien"), ("ivanov\u200b", "Ivanov"), ("  Жанна \t", "Жанна"),
    ("McLeod", "McLeod"), ("ДиКаприо", "ДиКаприо"),                  # mixed case: as written
    ("Нұрсұлтан ұлы", "Нұрсұлтан ұлы"),
])
def test_clean_name(typed, clean):
    assert clean_name(typed) == clean


def test_decomposed_letters_are_composed():
    import unicodedata
    assert clean_name(unicodedata.normalize("NFD", "Äsel")) == "Äsel"
    assert len(clean_name(unicodedata.normalize("NFD", "Äsel"))) == 4


@pytest.mark.parametrize("empty", [None, "", "  \u00a0 ", "\u200b"])
def test_empty_names_are_none(empty):
    assert clean_name(empty) is None and clean_text(empty) is None


def test_clean_text_keeps_case_and_numbers_from_numeric_cells():
    assert clean_text("  ул.  Абая,\u00a010 ") == "ул. Абая, 10"
    assert clean_text(12345.0) == "12345"


@pytest.mark.parametrize(("cell", "value"), [
    ("да", True), ("Да", True), ("yes", True), ("иә", True), ("1", True), (1, True), ("+", True),
    ("true", True), (True, True), ("нет", False), ("жоқ", False), ("no", False), ("0", False),
    (0, False), ("-", False), ("false", False), ("", None), (None, None), ("maybe", None), (2, None),
])
def test_declarations(cell, value):
    assert parse_bool(cell) is value


def test_email():
    assert clean_email(" Member@Mail.kz ") == ("Member@Mail.kz", True)
    assert clean_email("mailto:a@b.kz") == ("a@b.kz", True)
    assert clean_email("a@b") == ("a@b", False)
    assert clean_email("нет почты") == ("нетпочты", False)
    assert clean_email(None) == (None, True)


names = st.text(alphabet="абвгдежзийклмнопрстуфхцчшщъыьэюяәғқңөұүһіАБВЖЗӘҒҚҢӨҰҮҺІabcxyzABCXYZäğñöūüıİ -'\u00a0",
                max_size=30)


@given(names)
def test_clean_name_is_idempotent(text):
    once = clean_name(text)
    assert clean_name(once) == once


@given(st.text(max_size=30))
def test_clean_text_is_idempotent(text):
    once = clean_text(text)
    assert clean_text(once) == once
