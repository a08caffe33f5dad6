"""The one rule for text at the door (ledger/cleaning/text.py), and the escapes for text already stored."""

from __future__ import annotations

import json
import sys
import unicodedata
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from partyledger.ledger.issues import CATALOGUE, Severity
from partyledger.ledger.cleaning.normalize import clean_name
from partyledger.ledger.cleaning.text import (MAX_LENGTH, _FORMAT_RE, check_text, json_safe, text_problem, visible,
                                              xml_safe)
from partyledger.ledger.cleaning.validate import draft_from_fields
from partyledger.rules import load_rules

UNITS = load_rules("KZ").units
AS_OF = date(2026, 6, 1)
ROW = {"iin": "900101300017", "surname": "Иванов", "given_name": "Иван", "region": "75"}


def codes(**over) -> tuple[bool, list[str]]:
    result = draft_from_fields({**ROW, **over}, units=UNITS, as_of=AS_OF, row=7, source="s.xlsx")
    return result.ok, [i.code for i in result.issues]


def test_an_ordinary_row_passes_the_door():
    assert codes() == (True, [])


def test_control_characters_in_any_field_keep_the_row_out_naming_the_field():
    for field, value in [("surname", "Ив\x1b[2Jанов"), ("given_name", "Иван\x07"), ("address", "ул. Абая\x00 1"),
                         ("locality", "Алматы\x9b31m"), ("email", "a@b.kz\x7f"), ("phone", "+7 701\x08 000"),
                         ("application_ref", "A-1\x0c"), ("patronymic", "\x85Ивановна")]:
        result = draft_from_fields({**ROW, field: value}, units=UNITS, as_of=AS_OF, row=7, source="s.xlsx")
        assert result.draft is None, field
        [found] = result.issues
        assert (found.code, found.field, found.row, found.severity) == ("text.control_chars", field, 7, Severity.ERROR)
        assert found.message.startswith(f"{field}: control character")


def test_tab_and_line_breaks_are_layout_folded_into_one_space():
    ok, found = codes(address="ул. Абая 1\nкв. 5\r\n\tподъезд 2")
    assert ok and found == []
    result = draft_from_fields({**ROW, "address": "ул. Абая 1\nкв. 5"}, units=UNITS, as_of=AS_OF)
    assert result.draft.address == "ул. Абая 1 кв. 5"


def test_bidi_overrides_isolates_and_tag_characters_are_refused():
    for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\U000e0041\u2062\u061c":
        ok, found = codes(surname=f"Ив{ch}анов")
        assert not ok and found == ["text.invisible_chars"], hex(ord(ch))
    problem = text_problem("abc\u202edef", "surname")
    assert problem == ("text.invisible_chars", "invisible character RIGHT-TO-LEFT OVERRIDE (U+202E) at position 4")


def test_copy_paste_junk_is_removed_not_refused():
    result = draft_from_fields({**ROW, "surname": "\ufeffИва\u200bнов\u00a0"}, units=UNITS, as_of=AS_OF)
    assert result.ok and result.draft.surname == "Иванов"


def test_values_are_nfc_composed():
    decomposed = "Ae\u0301lita"            # e + combining acute
    result = draft_from_fields({**ROW, "given_name": decomposed}, units=UNITS, as_of=AS_OF)
    assert result.draft.given_name == "Aélita" and unicodedata.is_normalized("NFC", result.draft.given_name)


def test_huge_values_are_refused_per_field():
    assert codes(surname="Я" * 100)[0]
    assert codes(surname="Я" * 101) == (False, ["text.too_long"])
    assert codes(address="д" * 500)[0]
    assert codes(address="д" * 501) == (False, ["text.too_long"])
    assert codes(full_name="x" * 1_000_000, surname=None, given_name=None) == (False, ["text.too_long"])
    assert MAX_LENGTH["email"] == 254


def test_lone_surrogates_from_a_command_line_are_refused():
    assert codes(surname="Ив\udcd0нов") == (False, ["text.not_text"])


def test_every_code_is_in_the_catalogue_as_an_error():
    for code in ("text.control_chars", "text.invisible_chars", "text.not_text", "text.too_long"):
        assert CATALOGUE[code][0] is Severity.ERROR


def test_the_format_class_covers_this_pythons_unicode_tables():
    missing = [hex(cp) for cp in range(sys.maxunicode + 1)
               if unicodedata.category(chr(cp)) == "Cf" and not _FORMAT_RE.match(chr(cp))]
    assert missing == []


def test_check_text_raises_one_line_naming_the_field():
    from partyledger.errors import InvalidInput

    assert check_text("left on 2026-01-02", "status_reason") == "left on 2026-01-02"
    try:
        check_text("x\x1b]0;pwned\x07", "status_reason")
    except InvalidInput as err:
        assert str(err).startswith("status_reason: control character ESC (U+001B)") and "\n" not in str(err)
    else:
        raise AssertionError("not refused")


def test_visible_escapes_what_a_terminal_would_obey():
    assert visible("Ив\x1b[31mанов\x07") == "Ив\\x1b[31mанов\\x07"
    assert visible("a\u202eb\x9bc") == "a\\u202eb\\x9bc"
    assert visible("a\nb", keep="\n") == "a\nb" and visible("a\nb") == "a\\x0ab"
    assert visible("Иванов Иван") == "Иванов Иван"


def test_xml_safe_keeps_what_xml_holds():
    assert xml_safe("a\x1bb\tc\nd\u202e") == "a\\x1bb\tc\nd\u202e"


def test_json_safe_keeps_the_same_data_and_valid_json():
    data = {"name": "Ив\x1b\x9b\u202e\U000e0041\udcd0"}
    dumped = json_safe(json.dumps(data, ensure_ascii=False))
    assert dumped.isascii() or all(ch.isprintable() for ch in dumped)
    assert json.loads(dumped) == data


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_any_text_either_passes_clean_or_is_refused_and_never_stores_a_control(value):
    result = draft_from_fields({**ROW, "surname": value}, units=UNITS, as_of=AS_OF)
    problem = text_problem(value, "surname")
    if problem is not None:
        assert result.draft is None and [i.code for i in result.issues] == [problem[0]]
    if result.draft is not None:
        stored = result.draft.surname
        assert stored.isprintable() or all(unicodedata.category(c) not in ("Cc", "Cf", "Cs") for c in stored)
        assert unicodedata.is_normalized("NFC", stored)
        assert clean_name(stored) == stored                  # what is stored passes the door again unchanged
        assert text_problem(stored, "surname") is None


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_visible_output_never_holds_a_control_or_format_character(value):
    shown = visible(value)
    assert all(unicodedata.category(c) not in ("Cc", "Cf", "Cs") for c in shown)
