"""Dates: known formats, ISO always year-first, no silent day/month swap, two-digit years refused."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from dateutil import parser as dateutil_parser
from hypothesis import given, settings
from hypothesis import strategies as st

from partyledger.ledger.cleaning.dates import age_on, excel_serial_to_date, parse_date

D = date(1985, 3, 12)


@pytest.mark.parametrize("cell", [
    "12.03.1985", "12/03/1985", "12-03-1985", "12.3.1985", "1985-03-12", "1985.03.12", "1985/03/12",
    "1985-03-12 00:00:00", "1985-03-12T00:00:00", "12.03.1985 0:00:00", " 12.03.1985 ",
    31118, 31118.0, 31118.75, "31118", 19850312, "19850312", "12031985",
    "12.03.1985 г.", "12.03.1985г", "12 марта 1985", "12 март 1985 г.", "12 наурыз 1985 ж.", "12 March 1985", "12-Mar-1985",
    "March 12, 1985", D, datetime(1985, 3, 12, 15, 30),
])
def test_one_date_in_every_known_form(cell):
    assert parse_date(cell) == (D, None)


def test_iso_is_year_first_even_with_day_first_where_dateutil_is_wrong():
    # the trap this module exists for: dateutil with dayfirst reads ISO as 3 December
    assert dateutil_parser.parse("1985-03-12", dayfirst=True).date() == date(1985, 12, 3)
    assert parse_date("1985-03-12", dayfirst=True)[0] == D
    assert parse_date("1985-03-12", dayfirst=False)[0] == D


def test_day_first_setting_is_followed_and_never_silently_swapped():
    assert parse_date("03/04/2001")[0] == date(2001, 4, 3)
    assert parse_date("03/04/2001", dayfirst=False)[0] == date(2001, 3, 4)
    value, found = parse_date("04/25/2001", dayfirst=True, field="joined_on", row=3)
    assert value is None and found.code == "date.unparseable"
    assert "04/25/2001" in found.message and "never swapped" in found.message
    assert (found.field, found.row) == ("joined_on", 3)


def test_thirty_first_of_february_is_unparseable_and_named():
    value, found = parse_date("31.02.2001")
    assert value is None and found.code == "date.unparseable"
    assert "31.02.2001" in found.message and "February" in found.message


def test_two_digit_years_are_ambiguous_unless_the_century_is_known():
    value, found = parse_date("12.03.85")
    assert value is None and found.code == "date.ambiguous" and "12.03.85" in found.message
    assert parse_date("12.03.85", century=1900) == (D, None)
    assert parse_date("12.03.05", century=2000) == (date(2005, 3, 12), None)


def test_excel_serials_including_the_phantom_leap_day():
    assert excel_serial_to_date(1) == date(1900, 1, 1)
    assert excel_serial_to_date(59) == date(1900, 2, 28)
    assert excel_serial_to_date(60) is None                # Excel's 29 Feb 1900 never existed
    assert excel_serial_to_date(61) == date(1900, 3, 1)
    assert excel_serial_to_date(45658) == date(2025, 1, 1)
    assert parse_date(60)[1].code == "date.unparseable"
    assert parse_date(-5)[1].code == "date.unparseable"


@pytest.mark.parametrize("cell", ["garbage", "March 1985", "1985", "12.03", "32.01.1985", True, "1" * 80])
def test_not_a_full_date_is_unparseable(cell):
    value, found = parse_date(cell)
    assert value is None and found.code == "date.unparseable"


@pytest.mark.parametrize("cell", [None, "", "   ", float("nan")])
def test_empty_cells_are_no_finding(cell):
    assert parse_date(cell) == (None, None)


@given(st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 1, 1)), st.booleans())
def test_known_formats_round_trip(day, dayfirst):
    dm = f"{day.day:02d}.{day.month:02d}" if dayfirst else f"{day.month:02d}.{day.day:02d}"
    for text in (f"{dm}.{day.year}", day.isoformat(), f"{dm.replace('.', '/')}/{day.year}"):
        assert parse_date(text, dayfirst=dayfirst) == (day, None)
    serial = (day - date(1899, 12, 30)).days
    assert parse_date(serial) == (day, None)
    assert parse_date(day.isoformat()) == parse_date(parse_date(day.isoformat())[0])   # idempotent


def test_age_on_birthdays_and_leap_days():
    assert age_on(date(2000, 6, 15), date(2018, 6, 14)) == 17
    assert age_on(date(2000, 6, 15), date(2018, 6, 15)) == 18
    # born 29 Feb: 18 on 1 March of a common year (the cautious reading), on 29 Feb of a leap year
    assert age_on(date(2004, 2, 29), date(2022, 2, 28)) == 17
    assert age_on(date(2004, 2, 29), date(2022, 3, 1)) == 18
    assert age_on(date(2000, 2, 29), date(2018, 2, 28)) == 17
    assert age_on(date(2004, 2, 29), date(2024, 2, 29)) == 20


def test_repeated_values_keep_their_own_field_and_row():
    # parsing is cached per spelling; the finding must still say where each one was
    first = parse_date("31.02.2001", field="joined_on", row=2)[1]
    second = parse_date("31.02.2001", field="signed_on", row=9, source="b.csv")[1]
    assert (first.field, first.row, first.source) == ("joined_on", 2, None)
    assert (second.field, second.row, second.source) == ("signed_on", 9, "b.csv")


@given(st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 1, 1)), st.booleans(),
       st.sampled_from(["{iso}T10:00:00Z", "{iso} 10:00:00+05:00", "{iso}T00:00", "{y} {m:02d} {d:02d}",
                        "{y}/{m}/{d} 12:30"]))
def test_year_first_text_is_never_read_day_first_even_by_the_general_parser(day, dayfirst, form):
    text = form.format(iso=day.isoformat(), y=day.year, m=day.month, d=day.day)
    assert parse_date(text, dayfirst=dayfirst) == (day, None)


@given(st.one_of(st.text(max_size=40), st.text(alphabet="0123456789./- :TZ+гж", max_size=25),
                 st.integers(), st.floats(), st.none()))
def test_any_cell_is_a_date_a_finding_or_empty_never_an_exception(value):
    found, problem = parse_date(value)
    assert found is None or problem is None
    assert problem is None or problem.code in ("date.unparseable", "date.ambiguous")
