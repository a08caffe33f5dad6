"""Dates from spreadsheet cells and typed text, never guessed, and age on a date.

Order of attempts, cheapest and safest first (perf-limits.md: a regex dispatch runs ~260k/s,
``dateutil`` ~58k/s and is *wrong* on ~12% of a mixed sample):

1. real ``date``/``datetime`` cells; numbers are Excel serial dates (1900 system, with Excel's
   phantom 29 Feb 1900, serial 60, refused) or an 8-digit yyyymmdd;
2. ISO ``yyyy-mm-dd`` (also ``yyyy.mm.dd``, ``yyyy/mm/dd``, a time after it): **always year-first**,
   whatever the day-first setting. ``dateutil`` with ``dayfirst=True`` reads 1985-03-12 as
   3 December, which is why it is never given such a string;
3. ``d.m.yyyy`` / ``d/m/yyyy`` / ``d-m-yyyy``: day-first unless the source says month-first. A value
   that does not fit the setting (13/25/2001 day-first) is *unparseable*, never silently swapped;
4. a day, a month name (Russian, Kazakh, English) and a four-digit year: "12 марта 1985";
5. ``dateutil`` last, for anything else with a four-digit year, and only when it finds a full date.

Two-digit years (12.03.85) are ``date.ambiguous``: 1985 and 2085 are both dates, and for a birth date
only the IIN's century digit can tell. The caller that knows the century passes it
(``century=1900``); validate.py does that for birth dates.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta
from functools import lru_cache

from partyledger.ledger.issues import Issue, issue

_EXCEL_EPOCH = date(1899, 12, 30)          # serial 61 = 1 March 1900 (serial 60 is Excel's 29 Feb 1900)
_MAX_SERIAL = 2_958_465                    # 31 Dec 9999
# an optional time after the date, and the "г." / "ж." (year) people write after it
_TIME = (r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
         r"(?:\s*(?:г|гг|года|ж|жыл|жылы|y)\.?)?")
_ISO = re.compile(r"(\d{4})[-./](\d{1,2})[-./](\d{1,2})" + _TIME)
_DMY4 = re.compile(r"(\d{1,2})[-./](\d{1,2})[-./](\d{4})" + _TIME)
_DMY2 = re.compile(r"(\d{1,2})[-./](\d{1,2})[-./](\d{2})" + _TIME)
_COMPACT = re.compile(r"\d{8}")
_YEAR_FIRST = re.compile(r"\d{4}\D")
_NAMED = re.compile(r"(\d{1,2})[\s.\-/]*([^\W\d_]+)\.?[\s.\-/,]*(\d{4})(?:\s*(?:г|ж|года|жыл)\.?)?",
                    re.IGNORECASE)
_MONTHS = {
    # Russian (nominative, genitive, abbreviations), Kazakh, English
    "январ": 1, "янв": 1, "феврал": 2, "фев": 2, "март": 3, "мар": 3, "апрел": 4, "апр": 4,
    "ма": 5, "май": 5, "мая": 5, "июн": 6, "июл": 7, "август": 8, "авг": 8, "сентябр": 9,
    "сен": 9, "сент": 9, "октябр": 10, "окт": 10, "ноябр": 11, "ноя": 11, "декабр": 12, "дек": 12,
    "қаңтар": 1, "ақпан": 2, "наурыз": 3, "сәуір": 4, "мамыр": 5, "маусым": 6, "шілде": 7,
    "тамыз": 8, "қыркүйек": 9, "қазан": 10, "қараша": 11, "желтоқсан": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH_NAMES = ("", "January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")


def _month_of(word: str) -> int | None:
    word = word.lower()
    if word in _MONTHS:
        return _MONTHS[word]
    for stem, month in _MONTHS.items():        # "марта", "January", "наурызда": stems never clash
        if len(stem) >= 3 and word.startswith(stem):
            return month
    return None


def _make(year: int, month: int, day: int, text: str, field: str | None,
          row: int | None, source: str | None) -> tuple[date | None, Issue | None]:
    try:
        return date(year, month, day), None
    except ValueError:
        if 1 <= month <= 12:
            why = f"there is no day {day} in {_MONTH_NAMES[month]} {year}"
        else:
            why = f"there is no month {month}"
        return None, issue("date.unparseable", f"date {text!r}: {why}", field=field, row=row,
                           source=source)


def _unparseable(text: str, field, row, source, why: str = "not a date in a known format"):
    return None, issue("date.unparseable", f"date {text!r}: {why}", field=field, row=row,
                       source=source)


def excel_serial_to_date(serial: float) -> date | None:
    """An Excel (1900 system) serial day number to a date; None for 60 (29 Feb 1900) or out of range."""
    whole = int(serial)
    if whole < 1 or whole > _MAX_SERIAL or whole == 60:
        return None
    return _EXCEL_EPOCH + timedelta(days=whole if whole > 60 else whole + 1)


def _from_number(value: float, text: str, field, row, source):
    if isinstance(value, float) and not math.isfinite(value):
        return _unparseable(text, field, row, source)
    whole = int(value)
    if 10_000_000 <= whole <= 99_991_231 and value == whole:
        return _from_compact(str(whole), text, field, row, source)
    found = excel_serial_to_date(value)
    if found is None:
        return _unparseable(text, field, row, source, "not an Excel date number")
    return found, None


def _from_compact(digits: str, text: str, field, row, source):
    """8 digits: yyyymmdd when that is a date from 1800 on, else ddmmyyyy."""
    year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:])
    if 1800 <= year <= 2200 and 1 <= month <= 12:
        return _make(year, month, day, text, field, row, source)
    return _make(int(digits[4:]), int(digits[2:4]), int(digits[:2]), text, field, row, source)


def parse_date(value: object, *, dayfirst: bool = True, field: str | None = None,
               century: int | None = None, row: int | None = None,
               source: str | None = None, cached: bool = True) -> tuple[date | None, Issue | None]:
    """Read a date cell: (date, None), (None, issue) or (None, None) for an empty cell.

    ``dayfirst`` is the source's explicit setting (default True: 03/04/2001 is 3 April).
    ``century`` (1900, 2000, ...) resolves a two-digit year when the caller knows it; without it a
    two-digit year is ``date.ambiguous``. ``cached=False`` for values that rarely repeat (birth
    dates), where the per-spelling cache would only churn.
    """
    kind = type(value)
    if kind is date:
        return value, None
    if cached and (kind is str or kind is int):
        # A sheet repeats dates (joining days, signing days): parse each spelling once. The cache
        # holds the finding without its field/row/source, which differ per call.
        found, problem = _parse_cached(value, dayfirst, century)
        if problem is None:
            return found, None
        return None, Issue(problem.code, problem.severity, problem.message, field, row, source)
    return _parse(value, dayfirst, century, field, row, source)


@lru_cache(maxsize=65536)
def _parse_cached(value: str | int, dayfirst: bool, century: int | None):
    return _parse(value, dayfirst, century, None, None, None)


def _parse(value: object, dayfirst: bool, century: int | None, field: str | None,
           row: int | None, source: str | None) -> tuple[date | None, Issue | None]:
    if type(value) is str:
        text = value
        if len(text) == 10 and text[2] == "." and text[5] == "." and dayfirst:
            try:                                       # dd.mm.yyyy, by far the commonest form
                return date(int(text[6:]), int(text[3:5]), int(text[:2])), None
            except ValueError:
                pass                                   # not digits or not a date: the full path says why
    elif value is None:
        return None, None
    elif isinstance(value, datetime):
        return value.date(), None
    elif isinstance(value, date):
        return value, None
    elif isinstance(value, bool):
        return _unparseable(str(value), field, row, source)
    elif isinstance(value, (int, float)):
        if isinstance(value, float) and math.isnan(value):
            return None, None
        return _from_number(value, str(value), field, row, source)
    else:
        text = str(value)
    text = " ".join(text.split())
    if not text:
        return None, None
    if len(text) > 64:
        return _unparseable(text[:40] + "...", field, row, source)
    m = _DMY4.fullmatch(text)
    if m:
        first, second = int(m[1]), int(m[2])
        day, month = (first, second) if dayfirst else (second, first)
        found, problem = _make(int(m[3]), month, day, text, field, row, source)
        if problem is not None and _make(int(m[3]), day, month, text, field, row, source)[0]:
            order = "day-first" if dayfirst else "month-first"
            return _unparseable(text, field, row, source,
                                f"{problem.message.split(': ', 1)[1]} (read {order}, as set for "
                                "this source; day and month are never swapped silently)")
        return found, problem
    m = _ISO.fullmatch(text)
    if m:
        return _make(int(m[1]), int(m[2]), int(m[3]), text, field, row, source)
    m = _DMY2.fullmatch(text)
    if m:
        first, second = int(m[1]), int(m[2])
        day, month = (first, second) if dayfirst else (second, first)
        if century is None:
            return None, issue("date.ambiguous", f"date {text!r}: two-digit year, could be "
                               f"19{m[3]} or 20{m[3]}; write the year in full",
                               field=field, row=row, source=source)
        return _make(century + int(m[3]), month, day, text, field, row, source)
    if _COMPACT.fullmatch(text):
        return _from_compact(text, text, field, row, source)
    if text.isdigit() and len(text) == 5:
        return _from_number(int(text), text, field, row, source)   # a serial exported as text
    m = _NAMED.fullmatch(text)
    if m:
        month = _month_of(m[2])
        if month is not None:
            return _make(int(m[3]), month, int(m[1]), text, field, row, source)
    return _general(text, dayfirst, field, row, source)


def _general(text: str, dayfirst: bool, field, row, source):
    """dateutil as the last resort: only with a four-digit year and a full, unambiguous date."""
    if not re.search(r"(?<!\d)\d{4}(?!\d)", text):
        return _unparseable(text, field, row, source)
    from dateutil import parser

    # a year written first is ISO order whatever the setting: never let dateutil's dayfirst read
    # "1985-03-12T10:00Z" or "1985 03 12" as 3 December
    yearfirst = _YEAR_FIRST.match(text) is not None
    options = {"dayfirst": dayfirst and not yearfirst, "yearfirst": yearfirst}
    try:
        one = parser.parse(text, default=datetime(2001, 1, 1), **options)
        two = parser.parse(text, default=datetime(2002, 2, 2), **options)
    except (ValueError, OverflowError, TypeError):
        return _unparseable(text, field, row, source)
    if one.date() != two.date():
        return _unparseable(text, field, row, source, "the day, month or year is missing")
    return one.date(), None


def age_on(birth_date: date, as_of: date) -> int:
    """Whole years of age on ``as_of``.

    Someone born on 29 February has a birthday on 1 March in common years (the day after
    28 February), the cautious reading for a legal minimum age; the Civil Code's "last day of the
    month" rule for periods would say 28 February, so the two differ by that one day only.
    """
    years = as_of.year - birth_date.year
    if (as_of.month, as_of.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years
