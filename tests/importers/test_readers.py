"""Every mess real sign-up sheets have, built in code, read into the fields the validator gets."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

import import_builders as b
from partyledger.errors import SpreadsheetError
from partyledger.importers import read_members
from partyledger.importers.mapping import header_signature, load_mapping_file, propose_mapping

IIN = "050101300120"          # synthetic (made-up date and serial)


def rows_of(path, **kw):
    data, mapped = read_members(path, **kw)
    return data, mapped, list(mapped.rows)


def test_title_rows_blank_rows_and_totals_are_not_members(tmp_path):
    path = b.workbook(tmp_path / "t.xlsx", [
        ["Список членов партии по Карагандинской области"], ["на 01.11.2026"], [],
        ["№", "ФИО", "ИИН", "Область"],
        [1, "Иванов Иван Иванович", IIN, "Карагандинская обл."],
        [], [2, "Петрова Анна", "900101400019", "Алматы"],
        ["Итого: 523"], ["Составил: Волонтёр В."], [None, None, None, None],
    ])
    _data, mapped, rows = rows_of(path)
    assert mapped.header.row == 4
    assert [r.row for r in rows] == [5, 7]
    assert rows[0].fields == {"full_name": "Иванов Иван Иванович", "iin": IIN, "region": "Карагандинская обл."}
    assert [(s.row, s.text) for s in mapped.skipped] == [(8, "Итого: 523"), (9, "Составил: Волонтёр В.")]


def test_a_row_without_iin_is_kept_for_quarantine_not_skipped(tmp_path):
    path = b.workbook(tmp_path / "t.xlsx", [["ФИО", "ИИН"], ["Без Номера Человек", None]])
    _d, mapped, rows = rows_of(path)
    assert [r.fields for r in rows] == [{"full_name": "Без Номера Человек"}]
    assert rows[0].raw_cells() == {"ФИО": "Без Номера Человек"}
    assert mapped.skipped == []


def test_iin_as_number_with_spaces_and_scientific(tmp_path):
    path = b.workbook(tmp_path / "t.xlsx", [
        ["ИИН", "ФИО"],
        [int(IIN), "А"],                      # a number: the leading zero is gone
        ["050101 300120", "Б"],
        ["9.00101400019E+11", "В"],
        [900101400019.0, "Г"],
    ])
    _d, _m, rows = rows_of(path)
    assert [r.fields["iin"] for r in rows] == [50101300120, "050101 300120", "9.00101400019E+11", 900101400019]
    assert rows[0].raw_cells()["ИИН"] == 50101300120    # the volunteer sees what they typed


def test_merged_region_cells_count_for_every_row(tmp_path):
    def setup(ws):
        ws.merge_cells("C2:C4")
        ws.merge_cells("A6:C6")
    path = b.workbook(tmp_path / "t.xlsx", [
        ["ФИО", "ИИН", "Область"],
        ["А А", "1", "Павлодарская область"], ["Б Б", "2", None], ["В В", "3", None],
        ["Г Г", "4", "Астана"],
    ], setup=setup)
    _d, _m, rows = rows_of(path)
    assert [r.fields.get("region") for r in rows] == ["Павлодарская область"] * 3 + ["Астана"]


def test_hidden_columns_and_far_away_used_cells_do_not_shift_anything(tmp_path):
    def setup(ws):
        ws.column_dimensions["B"].hidden = True
        ws.cell(row=60, column=40).value = " "          # Excel's "used range" far past the data
    path = b.workbook(tmp_path / "t.xlsx", [["ИИН", "служебное", "Фамилия", "Имя"], [IIN, "x", "Омаров", "Ерлан"]],
                      setup=setup)
    _d, mapped, rows = rows_of(path)
    assert [r.fields for r in rows] == [{"iin": IIN, "surname": "Омаров", "given_name": "Ерлан"}]
    assert mapped.header.columns == {0: "iin", 2: "surname", 3: "given_name"}


def test_data_starting_away_from_a1_keeps_sheet_coordinates(tmp_path):
    def setup(ws):
        ws.insert_cols(1, 2)
        ws.insert_rows(1, 3)
    path = b.workbook(tmp_path / "t.xlsx", [["ИИН", "ФИО"], [IIN, "Омаров Ерлан"]], setup=setup)
    _d, mapped, rows = rows_of(path)
    assert mapped.header.row == 4 and rows[0].row == 5
    assert rows[0].fields == {"iin": IIN, "full_name": "Омаров Ерлан"}


def test_kazakh_and_english_headers_with_their_variants():
    assert propose_mapping(["Тегі", "Аты", "Әкесінің аты", "ЖСН", "Туған күні", "Облыс", "Елді мекен",
                            "Телефон нөмірі", "Партияға кірген күні"]) == {
        "Тегі": "surname", "Аты": "given_name", "Әкесінің аты": "patronymic", "ЖСН": "iin",
        "Туған күні": "birth_date", "Облыс": "region", "Елді мекен": "locality", "Телефон нөмірі": "phone",
        "Партияға кірген күні": "joined_on"}
    assert propose_mapping(["Ф.И.О.", "ИИН/ЖСН", "Д.р.", "Регион", "Населённый пункт", "Моб.", "E-mail"]) == {
        "Ф.И.О.": "full_name", "ИИН/ЖСН": "iin", "Д.р.": "birth_date", "Регион": "region",
        "Населённый пункт": "locality", "Моб.": "phone", "E-mail": "email"}
    assert propose_mapping(["IIN", "Last name", "First name", "Date of birth (dd.mm.yyyy)", "Region", "City",
                            "Phone"]) == {
        "IIN": "iin", "Last name": "surname", "First name": "given_name",
        "Date of birth (dd.mm.yyyy)": "birth_date", "Region": "region", "City": "locality", "Phone": "phone"}


def test_excel_dates_and_text_dates_reach_the_validator_as_written(tmp_path):
    path = b.workbook(tmp_path / "t.xlsx", [
        ["ИИН", "ФИО", "Дата рождения", "Дата вступления"],
        [IIN, "А", date(2005, 1, 1), datetime(2026, 3, 1, 0, 0)],
        [IIN, "Б", "01.01.2005", "3/1/26"],
        [IIN, "В", "2005-01-01", 46082],                # a date typed as its serial number
    ])
    _d, _m, rows = rows_of(path)
    assert [(r.fields["birth_date"], r.fields["joined_on"]) for r in rows] == [
        (date(2005, 1, 1), date(2026, 3, 1)), ("01.01.2005", "3/1/26"), ("2005-01-01", 46082)]


def test_formula_with_stored_value_is_used_and_without_is_flagged(tmp_path):
    path = b.workbook(tmp_path / "t.xlsx", [
        ["ИИН", "ФИО", "Телефон"],
        [IIN, "С значением", '=CONCATENATE("8701","1234567")'],
        ["900101400019", "Без значения", '=CONCATENATE("8701","7654321")'],
    ])
    b.cache_formula(path, "C2", "87011234567")
    _d, _m, rows = rows_of(path)
    assert rows[0].fields["phone"] == "87011234567" and rows[0].issues == []
    assert "phone" not in rows[1].fields
    assert [(i.code, i.field, i.row) for i in rows[1].issues] == [("formula.uncached", "phone", 3)]


@pytest.mark.parametrize("encoding, sep, bom", [("cp1251", ";", False), ("utf-8", ";", True), ("utf-8", ",", False),
                                                ("utf-8", "\t", False)])
def test_csv_in_the_encodings_and_separators_excel_writes(tmp_path, encoding, sep, bom):
    path = tmp_path / "t.csv"
    path.write_bytes(b.csv_bytes([["ФИО", "ИИН", "Область", "Телефон"],
                                  ["Омарова Жанна Ерлановна", IIN, "Алматы, город", "8 701 123 45 67"]],
                                 encoding=encoding, sep=sep, bom=bom))
    _d, _m, rows = rows_of(path)
    assert rows[0].fields == {"full_name": "Омарова Жанна Ерлановна", "iin": IIN, "region": "Алматы, город",
                              "phone": "8 701 123 45 67"} if sep != "," else True
    if sep == ",":          # a comma inside a value would split it; Excel quotes such values
        assert rows[0].fields["iin"] == IIN


def test_no_break_spaces_and_upper_case_reach_the_validator_trimmed(tmp_path):
    path = b.workbook(tmp_path / "t.xlsx", [["ИИН", "ФИО"], [f"\u00a0{IIN} ", "  ОМАРОВ\u00a0ЕРЛАН\u00a0"]])
    _d, _m, rows = rows_of(path)
    assert rows[0].fields == {"iin": IIN, "full_name": "ОМАРОВ ЕРЛАН"}


def test_sheet_choice_default_first_with_data_and_by_name(tmp_path):
    def setup(ws):
        other = ws.parent.create_sheet("Астана")
        other.append(["ИИН", "ФИО"])
        other.append(["900101400019", "Второй Лист"])
        ws.parent.move_sheet("Астана", offset=-1)
        empty = ws.parent.create_sheet("Пустой", 0)
        assert empty.title == "Пустой"
    path = b.workbook(tmp_path / "t.xlsx", [["ИИН", "ФИО"], [IIN, "Первый Лист"]], setup=setup)
    data, _m, rows = rows_of(path)
    assert data.name == "Астана" and rows[0].fields["full_name"] == "Второй Лист"
    data, _m, rows = rows_of(path, sheet="Лист1")
    assert rows[0].fields["full_name"] == "Первый Лист"
    with pytest.raises(SpreadsheetError, match="no sheet named 'Нет'"):
        rows_of(path, sheet="Нет")


def test_no_header_row_is_one_clear_error(tmp_path):
    path = b.workbook(tmp_path / "t.xlsx", [["a", "b"], [1, 2]])
    with pytest.raises(SpreadsheetError, match="no header row"):
        rows_of(path)


def test_explicit_mapping_file_json_and_toml(tmp_path):
    path = b.workbook(tmp_path / "t.xlsx", [["Код", "Человек", "Где"], [IIN, "Омаров Ерлан", "Астана"]])
    (tmp_path / "m.json").write_text(json.dumps({"Код": "iin", "Человек": "full_name", "Где": "region"}),
                                     encoding="utf-8")
    (tmp_path / "m.toml").write_text('[columns]\n"Код" = "iin"\n"Человек" = "full_name"\n"Где" = "ignore"\n',
                                     encoding="utf-8")
    _d, _m, rows = rows_of(path, mapping=load_mapping_file(tmp_path / "m.json"))
    assert rows[0].fields == {"iin": IIN, "full_name": "Омаров Ерлан", "region": "Астана"}
    _d, _m, rows = rows_of(path, mapping=load_mapping_file(tmp_path / "m.toml"))
    assert rows[0].fields == {"iin": IIN, "full_name": "Омаров Ерлан"}
    (tmp_path / "bad.json").write_text('{"Код": "passport"}', encoding="utf-8")
    with pytest.raises(SpreadsheetError, match="unknown field 'passport'"):
        load_mapping_file(tmp_path / "bad.json")


def test_remembered_mapping_follows_header_names_not_positions(tmp_path):
    first = ["Код", "Человек"]
    moved = ["Человек", "Код", "Примечание"]
    assert header_signature(first) == header_signature(["человек", "КОД"])
    assert header_signature(first) != header_signature(moved)
    stored = {"Код": "iin", "Человек": "full_name"}
    path = b.workbook(tmp_path / "t.xlsx", [["Человек", "Код"], ["Омаров Ерлан", IIN]])
    _d, mapped, rows = rows_of(path, remembered=lambda headers: stored if set(headers) == set(first) else None)
    assert rows[0].fields == {"iin": IIN, "full_name": "Омаров Ерлан"}
    assert mapped.header.mapping == {"Человек": "full_name", "Код": "iin"}


def test_an_instructions_sheet_first_does_not_hide_the_member_sheet(tmp_path):
    def setup(ws):
        members = ws.parent.create_sheet("Члены")
        members.append(["ИИН", "ФИО"])
        members.append([IIN, "Омаров Ерлан"])
    path = b.workbook(tmp_path / "t.xlsx", [["Инструкция: заполните лист «Члены», по одной строке на человека."]],
                      title="Инструкция", setup=setup)
    data, _m, rows = rows_of(path)
    assert data.name == "Члены" and rows[0].fields == {"iin": IIN, "full_name": "Омаров Ерлан"}
