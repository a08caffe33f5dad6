"""IIN parsing against the public test vectors and the forms spreadsheets put IINs in.

The public valid vectors (research/registration-law.md 5.3) probably belong to real people: they
appear here, in validator tests, and nowhere else (never as demo or seed data).
"""

from __future__ import annotations

from datetime import date

import pytest

from partyledger.ledger.cleaning.iin import NoCheckDigit, check_digit, make_iin, parse_iin

PUBLIC_VALID = [
    "921029350851", "790327250010", "660811300838", "750911301086", "780911400109",
    "821119301118", "840621350384", "850830402160", "901026350693", "940609350101",
    "960417300680", "980415451416", "000117551201", "011231601533", "030326651468",
    "040120651549", "050401650966", "871008401427", "760212350620", "800416300257",
    "680503450037", "800416100254", "680503250034", "031231500126", "061211600012",
]
SYNTHETIC_VALID = [
    "900101300017", "851231400021", "000229500038", "050615600041", "770707312343",
    "990909443214", "010203500503", "121212600772", "880415300127", "940630401005",
    "600101309999", "030303520248", "750101300511",
]
INVALID = {
    "921029350852": "iin.checksum", "921529350859": "iin.date", "921029950850": "iin.date",
    "92102935085A": "iin.format", "123": "iin.format", "821214240092": "iin.checksum",
    "868795643215": "iin.date", "123456789012": "iin.date", "880415300129": "iin.checksum",
    "991345300120": "iin.date", "901301400123": "iin.date", "900132400123": "iin.date",
    "900101300018": "iin.checksum", "851231700021": "iin.date", "000229000038": "iin.date",
    "010229500030": "iin.date", "05061560004": "iin.format", "7707073123431": "iin.format",
    "900101300123": "iin.checksum",   # "valid" in a suite that skips the checksum: it is not
}


@pytest.mark.parametrize("value", PUBLIC_VALID + SYNTHETIC_VALID)
def test_known_valid_iins_pass(value):
    result = parse_iin(value)
    assert result.iin == value and result.issues == []


@pytest.mark.parametrize(("value", "code"), sorted(INVALID.items()))
def test_known_invalid_iins_fail_with_the_right_code(value, code):
    result = parse_iin(value)
    assert result.iin is None
    assert code in [i.code for i in result.issues]


def test_birth_date_and_sex_come_from_the_iin():
    assert (parse_iin("871008401427").birth_date, parse_iin("871008401427").sex) == (date(1987, 10, 8), "F")
    assert (parse_iin("760212350620").birth_date, parse_iin("760212350620").sex) == (date(1976, 2, 12), "M")
    assert parse_iin("800416100254").birth_date == date(1880, 4, 16)      # century digit 1
    assert parse_iin("680503250034").birth_date == date(1868, 5, 3)       # century digit 2, female
    assert parse_iin("680503250034").sex == "F"
    assert parse_iin("031231500126").birth_date == date(2003, 12, 31)
    assert parse_iin("000229500038").birth_date == date(2000, 2, 29)      # leap day


@pytest.mark.parametrize("cell", [
    31231500126, 31231500126.0, "31231500126", "3.1231500126E+10", "031 231 500 126",
    "031231-500126", "\u00a0031231\u00a0500126 ", "'031231500126", "31231500126.0",
])
def test_spreadsheet_forms_of_one_iin_are_read_back(cell):
    assert parse_iin(cell).iin == "031231500126"


def test_iin_of_someone_born_in_2000_keeps_all_its_leading_zeros():
    # 000117551201 as a number cell is 117551201: three zeros gone.
    assert parse_iin(117551201).iin == "000117551201"


def test_text_that_starts_with_zero_is_taken_as_typed_not_padded():
    result = parse_iin("05061560004")
    assert result.iin is None and result.issues[0].code == "iin.format"
    assert "11 digits" in result.issues[0].message


@pytest.mark.parametrize("value", [None, "", "   ", float("nan")])
def test_empty_cells_are_missing(value):
    assert [i.code for i in parse_iin(value).issues] == ["iin.missing"]


@pytest.mark.parametrize("value", [12.5, -921029350851, -92102935085, -5.0e10, True, "IIN", "9210293508511"])
def test_non_iins_are_a_format_issue(value):
    assert [i.code for i in parse_iin(value).issues] == ["iin.format"]


def test_century_digit_zero_is_refused_with_a_clear_message():
    result = parse_iin("000229000038")
    date_issue = next(i for i in result.issues if i.code == "iin.date")
    assert "century digit 0" in date_issue.message


def test_shortened_scientific_notation_says_the_spreadsheet_cut_digits():
    result = parse_iin("9.21029E+11")
    assert result.iin is None
    assert "scientific notation" in result.issues[-1].message


def test_issue_carries_field_row_and_source():
    found = parse_iin("123", field="iin", row=7, source="members.xlsx").issues[0]
    assert (found.field, found.row, found.source) == ("iin", 7, "members.xlsx")


def test_second_pass_check_digit():
    # 75010130051: first pass gives 10, the second gives 1
    first11 = "75010130051"
    assert sum((i + 1) * int(c) for i, c in enumerate(first11)) % 11 == 10
    assert check_digit(first11) == 1


def test_no_check_digit_when_both_passes_give_ten():
    assert check_digit("82121424009") is None


def test_make_iin_builds_valid_iins_with_date_and_sex():
    iin = make_iin(date(1990, 1, 1), "M", 1)
    assert iin.startswith("9001013")
    assert (parse_iin(iin).birth_date, parse_iin(iin).sex) == (date(1990, 1, 1), "M")
    assert make_iin(date(2004, 6, 1), "F", 77)[6] == "6"
    assert make_iin(date(1880, 4, 16), "M", 25)[6] == "1"


def test_make_iin_refuses_a_serial_without_check_digit():
    # 821214 + century 2 (1882, female) + serial 4009 has no check digit (public invalid vector)
    with pytest.raises(NoCheckDigit, match="another serial"):
        make_iin(date(1882, 12, 14), "F", 4009)


@pytest.mark.parametrize(("args", "text"), [
    ((date(1799, 1, 1), "M", 1), "1800-2099"), ((date(1990, 1, 1), "X", 1), "sex"),
    ((date(1990, 1, 1), "M", 10000), "serial"),
])
def test_make_iin_rejects_impossible_inputs(args, text):
    with pytest.raises(ValueError, match=text):
        make_iin(*args)
