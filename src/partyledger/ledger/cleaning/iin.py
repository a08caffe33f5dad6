"""The Kazakh individual identification number (IIN, ИИН / ЖСН): parse, check, derive, make.

Structure (research/registration-law.md 5.1): digits 1-6 are the birth date YYMMDD, digit 7 the
century and sex (1/2 = 1800s, 3/4 = 1900s, 5/6 = 2000s; odd = male), 8-11 a serial, 12 the check
digit. The check digit (5.2, Government Decree 22 May 2007 No. 406) is the weighted sum of the first
11 digits mod 11 with weights 1..11; if that gives 10, a second pass with weights 3..11,1,2; if that
gives 10 again the number has no check digit and is never issued.

Why the parsing is lenient about the *form* and strict about the *content*: spreadsheets turn IINs
into numbers, and a number loses its leading zeros (people born 2000-2009 start with ``00``) or shows
as ``5.0101300123E+10``. So numeric cells are zero-padded back to 12 digits, and text of 9-11 digits
that does not start with 0 (a number exported to CSV) is padded too; text that starts with a 0 was
typed as text and is taken as written. Whatever the form, the result must then hold a real date, a
century digit of 1-6 and a correct check digit, so padding cannot turn garbage into a valid IIN
except by the checksum's own odds.

The checksum has blind spots that are facts, not bugs (tests/unit/test_iin_blindspots.py measures
them): the 11th digit carries weight 11 = 0 (mod 11) in the first pass, so a typo there leaves the
number valid whenever the first pass does not give 10 (about 90% of the time); a typo in any other
digit slips through about 1.7% of the time. A typo'd IIN is therefore often a *valid* IIN of nobody:
the duplicate finder, not this validator, has to catch it.

A 7th digit of 0 (python-stdnum reads it as "foreign national, no century") is refused with
``iin.date``: the membership law requires citizens, and the date cannot be placed in a century.
"""

from __future__ import annotations

import math
from functools import lru_cache
from operator import mul
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from partyledger.ledger.issues import Issue, issue

_W1 = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
_W2 = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
# century digit -> (century base, sex)
_CENTURY = {"1": (1800, "M"), "2": (1800, "F"), "3": (1900, "M"), "4": (1900, "F"),
            "5": (2000, "M"), "6": (2000, "F")}
# Separators people and spreadsheets put inside an IIN: spaces of every kind, dashes, the leading
# apostrophe Excel uses to force text, underscores from masks.
_STRIP = str.maketrans("", "", " \t\r\n\u00a0\u202f\u2007\u2009\u200b\ufeff-\u2010\u2011\u2012\u2013\u2014'`_")
_ASCII_STRIP = b" \t\r\n-'`_"
_NUMERIC_TEXT = re.compile(r"[+]?(\d+)(?:[.,]0*)?")
_SCIENTIFIC = re.compile(r"[+]?(\d)(?:[.,](\d+))?[eE][+]?(\d{1,2})")


class NoCheckDigit(ValueError):
    """Both checksum passes give 10 for these 11 digits: no IIN exists, pick another serial."""


class IinResult(NamedTuple):
    """A parsed IIN: the 12 digits and what they say, or the issues that keep it from being one.

    A NamedTuple rather than a frozen dataclass: it is built once per imported row, and this is
    several times cheaper to create.
    """

    iin: str | None
    birth_date: date | None = None
    sex: str | None = None                  # "M" / "F"
    issues: list[Issue] = []                # never mutated: every result gets its own list

    @property
    def ok(self) -> bool:
        return self.iin is not None

    @property
    def century(self) -> int | None:
        """1800, 1900 or 2000: resolves a two-digit birth year written elsewhere in the row."""
        return None if self.birth_date is None else self.birth_date.year // 100 * 100


def check_digit(first11: str) -> int | None:
    """The check digit for 11 ASCII digits, or None when both passes give 10 (no such IIN)."""
    # bytes and map(mul) keep the weighted sum in C; each weight row sums to 66, hence 48 * 66
    # for the ASCII offset of the digits.
    codes = first11.encode("ascii")
    k = (sum(map(mul, codes, _W1)) - 3168) % 11
    if k == 10:
        k = (sum(map(mul, codes, _W2)) - 3168) % 11
        if k == 10:
            return None
    return k


def is_valid_iin(text: str) -> bool:
    """True for 12 ASCII digits with a real date, century digit 1-6 and a correct check digit."""
    return parse_iin(text).iin is not None


def _digits_from_number(value: int | float | Decimal) -> str | None:
    """A numeric cell back to its digit string (leading zeros restored later), or None if not whole."""
    if isinstance(value, float):
        if not math.isfinite(value) or value != int(value) or value < 0:
            return None
        value = int(value)
    elif isinstance(value, Decimal):
        if value != value.to_integral_value() or value < 0:
            return None
        value = int(value)
    if value < 0:
        return None
    text = str(value)
    # 9-11 digits: leading zeros lost (a 2000s birth date starts "000101"); fewer is not an IIN.
    return text.zfill(12) if 9 <= len(text) <= 12 else text


def _to_digits(value: object) -> tuple[str | None, str | None]:
    """(digit string, None) or (None, message for iin.format). Empty input gives ("", None)."""
    if value is None or isinstance(value, bool):
        return ("", None) if value is None else (None, f"{value!r} is not an IIN")
    if isinstance(value, float) and math.isnan(value):
        return "", None
    if isinstance(value, (int, float, Decimal)):
        digits = _digits_from_number(value)
        return (digits, None) if digits else (None, f"{value!r} is not a whole 12-digit number")
    text = str(value)
    if text.isascii():      # bytes.translate deletes in C; str.translate with a dict is ~5x slower
        text = text.encode("ascii").translate(None, _ASCII_STRIP).decode("ascii")
    else:
        text = text.translate(_STRIP)
    if len(text) == 12 and text.isdigit() and text.isascii():
        return text, None
    if not text:
        return "", None
    if text.isdigit() and text.isascii():
        if 9 <= len(text) <= 11 and text[0] != "0":
            return text.zfill(12), None     # a number exported as text lost its leading zeros
        return None, f"{value!r} has {len(text)} digits; an IIN has 12"
    m = _SCIENTIFIC.fullmatch(text)
    if m:
        mantissa = m[1] + (m[2] or "")
        exponent = int(m[3])
        if len(mantissa.rstrip("0")) > exponent + 1:
            return None, f"{value} is not a whole number"
        try:
            return _digits_from_number(Decimal(text.replace(",", "."))), None
        except InvalidOperation:
            return None, f"{value} is not an IIN"
    m = _NUMERIC_TEXT.fullmatch(text)
    if m and m[1].isascii():
        if 9 <= len(m[1]) <= 12 and m[1][0] != "0":
            return m[1].zfill(12), None
    if not text.isascii():
        return None, f"{value!r} has characters that are not digits"
    return None, f"{value!r} is not 12 digits"


def parse_iin(value: object, *, field: str = "iin", row: int | None = None,
              source: str | None = None) -> IinResult:
    """Parse a cell or typed value into an IIN with birth date and sex, or issues saying why not.

    Issue codes: ``iin.missing`` (empty), ``iin.format`` (not 12 digits after cleaning),
    ``iin.date`` (no real date or century digit), ``iin.checksum`` (wrong or impossible check digit).
    Date and checksum problems are both reported when both are present.
    """
    # The common cases first, in as few steps as possible (this runs once per imported row):
    # 12 digits as text, or a number cell that lost its leading zeros.
    kind = type(value)
    if kind is str and len(value) == 12 and value.isdigit() and value.isascii():
        digits, problem = value, None
    elif kind is int and 100_000_000 <= value < 1_000_000_000_000:
        digits, problem = str(value).zfill(12), None
    else:
        digits, problem = _to_digits(value)
    if digits and len(digits) == 12 and digits.isdigit() and digits.isascii():
        head = digits[:7]
        born, sex, head1, head2 = _HEADS.get(head) or _head(head)
        tail1, tail2 = _SERIAL_SUMS[digits[7:11]]
        if born is not None:
            k = (head1 + tail1) % 11
            if k == 10:
                k = (head2 + tail2) % 11
            if k == ord(digits[11]) - 48:
                return _new_result(IinResult, (digits, born, sex, []))
    if digits == "":
        return IinResult(None, issues=[issue("iin.missing", field=field, row=row, source=source)])
    if digits is None or len(digits) != 12 or not (digits.isdigit() and digits.isascii()):
        msg = problem or f"{value!r} is not 12 digits"
        return IinResult(None, issues=[issue("iin.format", f"IIN {msg}", field=field, row=row,
                                             source=source)])
    issues: list[Issue] = []
    born, sex = _birth(digits)
    if born is None:
        issues.append(issue("iin.date", _date_problem(digits), field=field, row=row, source=source))
    expected = check_digit(digits[:11])
    if expected is None:
        issues.append(issue("iin.checksum", f"IIN {digits}: no check digit exists for the first 11 "
                            "digits (both passes give 10), so no such IIN is issued",
                            field=field, row=row, source=source))
    elif expected != ord(digits[11]) - 48:
        issues.append(issue("iin.checksum", f"IIN {digits}: the last digit should be {expected}; "
                            "a digit is probably mistyped", field=field, row=row, source=source))
    if issues:
        if isinstance(value, str) and _SCIENTIFIC.fullmatch(value.translate(_STRIP)):
            # Excel shows "5.01013E+10": the trailing digits may be gone, not zeros.
            issues = [Issue(i.code, i.severity, i.message + "; the value was in scientific "
                            "notation, which may have cut digits: format the column as text",
                            i.field, i.row, i.source) for i in issues]
        return IinResult(None, born, sex, issues)
    return IinResult(digits, born, sex, [])


def _birth(digits: str) -> tuple[date | None, str | None]:
    return _birth_of_prefix(digits[:7])


# The fast path splits the weighted sums in two: digits 1-7 (birth date and century, shared by
# everyone born that day, cached with the date) and digits 8-11 (the serial: 10,000 values,
# tabulated once). Both passes' partial sums are kept; the check is then two additions.
def _serial_sums() -> dict[str, tuple[int, int]]:
    """Serial "0000".."9999" -> both passes' partial sums of digits 8-11, from per-digit products.

    Built at import, which is on the app's start-up path (``eligibility`` imports this module): summed
    digit by digit for each serial it took ~100 ms of CPU there (2 shared cores, load 6); added up from
    the per-digit products, ~13 ms."""
    first = [[w * d for d in range(10)] for w in _W1[7:]]
    second = [[w * d for d in range(10)] for w in _W2[7:]]
    return {f"{a}{b}{c}{d}": (first[0][a] + first[1][b] + first[2][c] + first[3][d],
                              second[0][a] + second[1][b] + second[2][c] + second[3][d])
            for a in range(10) for b in range(10) for c in range(10) for d in range(10)}


_SERIAL_SUMS = _serial_sums()
_new_result = tuple.__new__            # IinResult without its Python-level __new__: once per row


_HEADS: dict[str, tuple[date | None, str | None, int, int]] = {}   # a plain dict: cheaper than LRU


def _head(digits7: str) -> tuple[date | None, str | None, int, int]:
    """Birth date, sex and both passes' partial sums of digits 1-7, memoised in ``_HEADS``."""
    if len(_HEADS) >= 250_000:          # ~73k real values per century; bound it all the same
        _HEADS.clear()
    born, sex = _birth_of_prefix.__wrapped__(digits7)     # (no second cache)
    codes = digits7.encode("ascii")
    # weights 1..7 sum to 28 and 3..9 to 42: subtract the ASCII offset of "0" (48) that many times
    first = sum(map(mul, codes, _W1)) - 48 * 28
    second = sum(map(mul, codes, _W2)) - 48 * 42
    _HEADS[digits7] = head = (born, sex, first, second)
    return head


@lru_cache(maxsize=65536)
def _birth_of_prefix(digits: str) -> tuple[date | None, str | None]:
    # YYMMDD + century digit: a few tens of thousands of values, shared by everyone born that day
    century = _CENTURY.get(digits[6])
    if century is None:
        return None, None
    try:
        born = date(century[0] + int(digits[0:2]), int(digits[2:4]), int(digits[4:6]))
    except ValueError:
        return None, century[1]
    return born, century[1]


def _date_problem(digits: str) -> str:
    c = digits[6]
    if c == "0":
        return (f"IIN {digits}: century digit 0 (7th digit) gives no birth century; "
                "IINs of citizens use 1-6")
    if c not in _CENTURY:
        return f"IIN {digits}: century digit {c} (7th digit) must be 1-6"
    return (f"IIN {digits}: {digits[4:6]}.{digits[2:4]}.{digits[0:2]} (YYMMDD {digits[:6]}) "
            "is not a real date")


def birth_date_of(iin: str) -> date | None:
    """The birth date held in 12 IIN digits (no checksum check), or None."""
    return _birth(iin)[0] if len(iin) == 12 else None


def make_iin(birth_date: date, sex: str, serial: int) -> str:
    """Build a valid IIN for synthetic data from a birth date, sex ("M"/"F") and serial 0-9999.

    Raises ``NoCheckDigit`` when both checksum passes give 10 for this serial (about 1 serial in
    121): the caller must choose another serial, e.g. ``serial + 1``. ``ValueError`` for a year
    outside 1800-2099, a sex other than M/F or a serial outside 0-9999.
    """
    if not 1800 <= birth_date.year <= 2099:
        raise ValueError(f"IINs encode birth years 1800-2099, not {birth_date.year}")
    if sex not in ("M", "F"):
        raise ValueError(f"sex must be 'M' or 'F', not {sex!r}")
    if not 0 <= serial <= 9999:
        raise ValueError(f"serial must be 0-9999, not {serial}")
    century_digit = (birth_date.year // 100 - 18) * 2 + (1 if sex == "M" else 2)
    first11 = f"{birth_date:%y%m%d}{century_digit}{serial:04d}"
    k = check_digit(first11)
    if k is None:
        raise NoCheckDigit(f"serial {serial:04d} gives no check digit for {first11}; "
                           "choose another serial")
    return first11 + str(k)
