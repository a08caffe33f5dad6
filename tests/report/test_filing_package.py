"""The filing package as the ministry and the organizers get it: the workbook re-opened with openpyxl and the
protocol draft read as text, from the sample ledger (``report/sample_ledger.py``) through the real CLI.

Headings in Russian and Kazakh, name parts in their own columns, the totals against the law's minimums,
the group, committee and congress lists with only people who count, Latin-only names marked and listed
last, every sheet set up to print, both files owner-only and never overwritten without --force.
"""

from __future__ import annotations

import stat
from datetime import date

import pytest
from openpyxl import load_workbook

from partyledger.exporters.filing import sort_key
from partyledger.ledger.storage import db
from report.helpers import run_cli
from report.sample_ledger import PASSPHRASE

TOTALS, GROUP = "Итоги - Қорытынды", "Иниц. группа - Бастамашыл топ"
COMMITTEE, CONGRESS = "Оргкомитет - Ұйымдастыру ком.", "Съезд - Құрылтай съезі"


@pytest.fixture(scope="module")
def package(sample_ledger_per_module, tmp_path_factory):
    out = tmp_path_factory.mktemp("filing") / "filing.xlsx"
    done = run_cli(sample_ledger_per_module, "export", "filing", "--as-of", "2024-06-01", "-o", str(out))
    assert done.returncode == 0, done.stderr
    return out, done, load_workbook(out)


def rows_of(ws) -> list[dict]:
    head = next(ws.iter_rows(min_row=2, max_row=2, values_only=True))
    return [dict(zip(head, r)) for r in ws.iter_rows(min_row=3, values_only=True)]


def test_headings_are_russian_and_kazakh_with_name_parts_apart(package):
    _, _, wb = package
    head = next(wb["75 Алматы"].iter_rows(min_row=2, max_row=2, values_only=True))
    for heading in ("Фамилия / Тегі", "Имя / Аты", "Отчество / Әкесінің аты", "Дата рождения / Туған күні",
                    "ИИН / ЖСН", "Населённый пункт / Елді мекен", "Дата вступления / Партияға кірген күні",
                    "№ удостоверения личности / Жеке куәлік №", "Подпись / Қолы"):
        assert heading in head
    title = wb["75 Алматы"]["A1"].value
    assert "Список членов партии" in title and "мүшелерінің тізімі" in title and "01.06.2024" in title
    for row in rows_of(wb["75 Алматы"]):
        assert row["Имя / Аты"] and row["Фамилия / Тегі"] and " " not in row["Имя / Аты"]
        assert row["Дата рождения / Туған күні"].count("-") == 2 and row["Область, город / Облыс, қала"].startswith("Алматы")
        assert row["№ заявления / Өтініш №"].startswith("A-")        # the signed application the ledger keeps
        assert row["№ удостоверения личности / Жеке куәлік №"] is None   # not kept: left for the ID card


def test_totals_sheet_counts_each_unit_against_the_minimum(package):
    _, _, wb = package
    rows = list(wb[TOTALS].iter_rows(min_row=3, values_only=True))
    by_code = {r[0]: r for r in rows if r[0]}
    assert len(by_code) == 20
    assert by_code["75"][2:5] == (10, 200, "нет / жоқ") and by_code["71"][2] == 6 and by_code["10"][2] == 4
    assert by_code["11"][2:4] == (0, 200)
    total = next(r for r in rows if r[1] == "Всего / Барлығы")
    assert total[2:5] == (21, 5000, "нет / жоқ")
    extra = {r[1]: r[2] for r in rows if r[0] is None and r[1] != "Всего / Барлығы"}
    assert list(extra.values()) == [5, 3, 2]                     # group, committee, at the congress


def test_group_committee_and_congress_lists(package):
    _, _, wb = package
    group = rows_of(wb[GROUP])
    assert len(group) == 5 and all(r["Дата рождения / Туған күні"] for r in group)
    assert {r["Область, город / Облыс, қала"] for r in group} == {"Алматы", "Астана"}
    committee = rows_of(wb[COMMITTEE])
    assert len(committee) == 3 and "Восточно-Казахстанская область" not in {r["Область, город / Облыс, қала"]
                                                                              for r in committee}
    congress = rows_of(wb[CONGRESS])
    assert sorted(r["Время регистрации / Тіркелген уақыты"] for r in congress) == ["2024-04-10 09:30",
                                                                                 "2024-04-10 09:45"]


def test_latin_only_names_are_marked_and_listed_last(package):
    _, _, wb = package
    rows = rows_of(wb["75 Алматы"])
    flags = [r["Проверить по удостоверению / Куәлік бойынша тексеру"] for r in rows]
    latin = [r["Фамилия / Тегі"] for r, f in zip(rows, flags) if f]
    assert "Omarov" in latin and flags[-1] == "латиница / латын әрпі"
    assert flags == sorted(flags, key=bool)                      # marked names after all the others
    assert sort_key("Әлиев", "1") < sort_key("Борисов", "1") < sort_key("Яковлев", "1") < sort_key("Adams", "1")
    assert sort_key("Ёлкин", "1") < sort_key("Жуков", "1")


def test_every_sheet_is_set_up_for_printing(package):
    _, _, wb = package
    for ws in wb.worksheets:
        assert ws.print_title_rows in ("1:2", "$1:$2"), ws.title     # openpyxl reads it back absolute
        assert ws.freeze_panes == "A3"
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4) and ws.page_setup.orientation == "landscape"
        # one page wide (absent means 1 in OOXML), as many pages down as needed
        assert (ws.page_setup.fitToWidth or 1) == 1 and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert "&P" in ws.oddFooter.center.text


def test_files_are_private_and_the_protocol_draft_has_the_numbers(package):
    out, done, _ = package
    protocol = out.with_name("filing.protocol.html")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600 and stat.S_IMODE(protocol.stat().st_mode) == 0o600
    assert str(protocol) in done.stderr and "DRAFT" in done.stderr and "Latin letters" in done.stderr
    html = protocol.read_text(encoding="utf-8")
    assert "ПРОЕКТ" in html and "ЖОБА" in html and "@page { size: A4" in html
    assert "<script" not in html and "http" not in html.replace("http-equiv", "")
    assert "«Партия Тест»" in html and "10.04.2024" in html
    assert "Зарегистрировались и участвуют в съезде лично: <b>2</b>" in html
    assert "Членов партии по спискам: <b>21</b> (требуется не менее 5000)" in html


def test_no_file_is_overwritten_without_force(sample_ledger_per_module, tmp_path):
    out = tmp_path / "f.xlsx"
    protocol = tmp_path / "f.protocol.html"
    protocol.write_text("mine")
    done = run_cli(sample_ledger_per_module, "export", "filing", "--as-of", "2024-06-01", "-o", str(out))
    assert done.returncode == 2 and "already exists" in done.stderr and "Traceback" not in done.stderr
    assert protocol.read_text() == "mine" and not out.exists()
    forced = run_cli(sample_ledger_per_module, "export", "filing", "--as-of", "2024-06-01", "-o", str(out),
                     "--force")
    assert forced.returncode == 0 and "ПРОЕКТ" in protocol.read_text(encoding="utf-8")


def test_a_member_named_like_a_formula_or_an_error_code_stays_text(tmp_path):
    from report.builder import insert_members, member_row

    path = tmp_path / "odd.db"
    engine = db.create_ledger(path, PASSPHRASE, fast_kdf=True)
    with db.session_scope(engine) as s:
        insert_members(s, [member_row(born=date(1980, 1, 1), surname="#N/A", given_name="=1+1"),
                           member_row(born=date(1981, 1, 1), surname="Обычный")])
    engine.dispose()
    out = tmp_path / "odd.xlsx"
    assert run_cli(path, "export", "filing", "--as-of", "2024-06-01", "-o", str(out)).returncode == 0
    ws = load_workbook(out)["75 Алматы"]
    cells = [c for row in ws.iter_rows(min_row=3) for c in row if c.value is not None]
    assert {c.value for c in cells} >= {"#N/A", "=1+1", "Обычный"}
    assert {c.data_type for c in cells} == {"s"}
