"""Cell values to clean field values: names, free text, yes/no declarations, e-mail.

Phones (``phones.py``) and dates (``dates.py``) live in their own modules; import them from there.

Names are kept *as written* (script, Kazakh letters, hyphens), only tidied: trimmed, runs of
whitespace (including no-break and zero-width spaces from copy-paste) collapsed to one space,
NFC-composed so "ä" typed on a Mac equals "ä" typed elsewhere, and Title-cased only when the whole
name was typed in one case (ИВАНОВА-ПЕТРОВА, әлібек): a name typed in mixed case (McLeod, ДиКаприо)
is the person's own spelling and is left alone. Matching is ``translit.latin_key``'s job, not this.
Every normaliser here is idempotent (property tests).
"""

from __future__ import annotations

import math
import re
import unicodedata


_INVISIBLE = str.maketrans({"\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": "",
                            "\u00ad": ""})
_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_WORD_PART = re.compile(r"([-\u2010\u2011'\u2019\u02bc]+)")
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")

_TRUE = frozenset({"yes", "y", "true", "t", "1", "+", "да", "д", "иә", "ия", "иа", "ok", "v",
                   "✓", "✔", "есть", "бар"})           # not "x": some sheets cross out a "no"
_FALSE = frozenset({"no", "n", "false", "f", "0", "-", "нет", "н", "жоқ", "жок", "жоқ.", "—",
                    "–", "не", "емес"})


def clean_text(value: object) -> str | None:
    """Trimmed text with whitespace runs collapsed and NFC-composed; None when empty."""
    if type(value) is str:
        text = value
    elif value is None or isinstance(value, bool):
        return None
    else:
        if isinstance(value, float):
            if math.isnan(value):
                return None
            if math.isfinite(value) and value == int(value):
                value = int(value)          # 123.0 from a numeric cell is "123"
        text = str(value)
    if not text.isascii():
        if _INVISIBLE_RE.search(text):           # rare; a search is far cheaper than translate
            text = text.translate(_INVISIBLE)
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
    text = " ".join(text.split())           # split() knows no-break and the other Unicode spaces
    return text or None


def _title_word(word: str) -> str:
    # each hyphen/apostrophe-separated part: first letter up, rest down ("İ" lowers to "i", not i+dot)
    parts = _WORD_PART.split(word)
    out = []
    for part in parts:
        if part and part[0].isalpha():
            rest = part[1:].replace("İ", "i").lower()
            part = part[0].title() + rest      # title(), not upper(): "ß".upper() is "SS"
        out.append(part)
    return "".join(out)


def clean_name(value: object) -> str | None:
    """A name as written, tidied: Title case only if it was typed all upper or all lower case."""
    if type(value) is str:
        cleaned = _NAMES.get(value, _MISSING)
        if cleaned is _MISSING:
            # Names repeat (a few hundred given names and patronymics cover most of a sheet),
            # so each spelling is cleaned once; a plain bounded dict is cheaper than an LRU.
            if len(_NAMES) >= 100_000:
                _NAMES.clear()
            cleaned = _NAMES[value] = _clean_name(value)
        return cleaned
    return _clean_name(value)


_NAMES: dict[str, str | None] = {}
_MISSING = object()


def _clean_name(value: object) -> str | None:
    text = clean_text(value)
    if text is None:
        return None
    if text.isupper() or text.islower():
        text = " ".join(_title_word(w) for w in text.split(" "))
    return text


def parse_bool(value: object) -> bool | None:
    """A declaration cell: yes/no, да/нет, иә/жоқ, 1/0, true/false, +/-; None when blank or unclear."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        if isinstance(value, float) and math.isnan(value):
            return None
        return True if value == 1 else False if value == 0 else None
    text = str(value).strip().lower().rstrip(".!")
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


def clean_email(value: object) -> tuple[str | None, bool]:
    """(address, looks valid): trimmed, spaces removed, kept even when it does not look valid."""
    text = clean_text(value)
    if text is None:
        return None, True
    text = text.replace(" ", "")
    if text.lower().startswith("mailto:"):
        text = text[7:]
    return text, bool(_EMAIL.fullmatch(text))
