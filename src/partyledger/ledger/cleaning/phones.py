"""Phone numbers to E.164, with a fast path for the ways Kazakh numbers are usually written.

phonenumbers (libphonenumber) is the authority, but it costs ~24 µs a number (perf-limits.md:
41k/s), more than all the other checks of a row together. Almost every sign-up sheet writes a
Kazakh mobile or landline in one of a few shapes (+7 701 123 45 67, 8 (701) 123-45-67,
87011234567, 7011234567, 77011234567, 8 (7172) 55-55-55, ...): digits, spaces, dashes, brackets,
an optional leading +. For those the fast path strips the punctuation, drops the +7 / 7 / 8 in front
of a 10-digit national number, and accepts the number when it matches the KZ fixed-line or mobile
pattern **taken from phonenumbers' own metadata at import time**, so it follows the library when the
numbering plan changes instead of a hand-written range. Everything else (Russian +7 9xx numbers,
foreign numbers, extensions, letters, 8-10 international dialling, toll-free 800) goes to
phonenumbers. tests/unit/test_phones.py checks that both paths agree on a large mixed sample.

A number that is not valid is a ``phone.invalid`` warning, never a reason to drop the row; the
caller decides whether to keep the raw text (validate keeps it, so nothing typed is lost).
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneMetadata

from partyledger.ledger.issues import Issue, issue

_KZ = PhoneMetadata.metadata_for_region("KZ")
# fixed-line and mobile patterns exactly as libphonenumber has them for Kazakhstan
# (mobile first: most sign-up numbers are mobiles, and its pattern is the shorter one)
_KZ_NATIONAL = re.compile("(?:%s)|(?:%s)" % (_KZ.mobile.national_number_pattern,
                                              _KZ.fixed_line.national_number_pattern))
_PUNCTUATION = str.maketrans("", "", " \t\u00a0\u202f\u2009()-.\u2010\u2011\u2012\u2013")
_ASCII_PUNCTUATION = b" \t()-."
_MAX_LENGTH = 64


def _fast(text: str) -> str | None:
    """E.164 for a common Kazakh shape that the KZ metadata accepts, else None (not a verdict)."""
    if text.isascii():      # bytes.translate deletes in C; str.translate with a dict is ~5x slower
        digits = text.encode("ascii").translate(None, _ASCII_PUNCTUATION).decode("ascii")
    else:
        digits = text.translate(_PUNCTUATION)
    if digits[:1] == "+":
        digits = digits[1:]
        if len(digits) != 11 or digits[0] != "7":
            return None
        national = digits[1:]
    elif len(digits) == 11 and digits[0] in "78":
        national = digits[1:]
    elif len(digits) == 10:
        national = digits
    else:
        return None
    # isdigit() alone would take Arabic-Indic digits; isascii() keeps the fast path to 0-9
    if not (national.isdigit() and national.isascii()) or not _KZ_NATIONAL.fullmatch(national):
        return None
    return "+7" + national


@lru_cache(maxsize=4096)
def _library(text: str) -> str | None:
    # cached: what misses the fast path is mostly a few placeholders typed again and again ("нет", "0",
    # "555-55-55"), and each costs phonenumbers ~30-100 µs
    try:
        number = phonenumbers.parse(text, "KZ")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_text(value: object) -> str:
    """The cell as text: numeric cells (87011234567.0) without the float tail; trimmed."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, float):
        if not math.isfinite(value) or value != int(value):
            return str(value)
        return str(int(value))
    return str(value).strip()


def e164(value: object) -> str | None:
    """The number in E.164 (+77011234567), or None if it is empty or not a valid number."""
    text = value.strip() if type(value) is str else phone_text(value)
    if not text or len(text) > _MAX_LENGTH:
        return None
    return _fast(text) or _library(text)


def normalize_phone(value: object, *, field: str = "phone", row: int | None = None,
                    source: str | None = None) -> tuple[str | None, Issue | None]:
    """(E.164, None) for a valid number, (None, phone.invalid) otherwise, (None, None) if empty."""
    text = value.strip() if type(value) is str else phone_text(value)
    if not text:
        return None, None
    number = None if len(text) > _MAX_LENGTH else _fast(text) or _library(text)
    if number is None:
        shown = text if len(text) <= 40 else text[:40] + "..."
        return None, issue("phone.invalid", f"phone {shown!r} is not a valid number",
                           field=field, row=row, source=source)
    return number, None
