"""The one rule for text at the door, and the escapes for text that is already stored.

Every text value that enters the ledger (names, locality, address, e-mail, references, reasons,
from a sheet, ``members add/edit``, the app's form, quarantine fix/promote, and bundle import later)
passes ``text_problem`` through ``validate.draft_from_fields`` or the service that stores it:

- control characters are refused (C0, DEL, C1: ESC and BEL can clear, recolour or retitle the
  organizer's terminal, and openpyxl refuses most of them in a cell, so one hostile row blocked the
  whole filing export). Tab, line feed and carriage return are the exception: they are layout that
  spreadsheets put in cells (Alt+Enter in Excel writes a line feed in an address), and
  ``normalize.clean_text`` already folds them into one space, so they are never stored and a real
  address is not quarantined for them;
- invisible format characters (Unicode category Cf: the bidirectional overrides and isolates
  U+202A-202E and U+2066-2069 that make "Иванов" display as something else, the tag characters
  U+E0020-E007F that smuggle hidden ASCII, the invisible operators) and the noncharacters U+FFFE/FFFF
  are refused; the zero-width spaces and joiners, the word joiner, the BOM and the soft hyphen that
  copy-paste leaves everywhere are not refused but removed by ``clean_text``, as before;
- lone surrogates (bytes that were not valid UTF-8 on a command line) are refused;
- values longer than ``MAX_LENGTH`` of their field are refused (below);
- NFC composition and whitespace folding stay in ``normalize.clean_text``.

Lengths: Kazakh and Russian names run to ~30 letters and double-barrelled ones to ~60, so 100 per
name part (300 for a whole-name cell) refuses only what is not a name; an e-mail address is at most
254 characters (RFC 5321); an address, a locality or a reason gets the room of a long sentence. The
limits are about refusing a megabyte cell from a hostile file, not about style.

Text stored by older versions may still hold anything: ``visible`` (terminal) and ``xml_safe``
(workbooks) show it escaped, so nothing a stored value holds can crash an export or reach a terminal
as a command. Checks are cheap for ordinary text: ``str.isprintable`` is one C pass, and only text
that fails it is looked at character by character.
"""

from __future__ import annotations

import re
import unicodedata

from partyledger.ledger.issues import Issue, issue

MAX_LENGTH: dict[str, int] = {
    "surname": 100, "given_name": 100, "patronymic": 100, "full_name": 300,
    "region": 200, "region_text": 200, "unit": 200, "unit_code": 200, "locality": 200, "address": 500,
    "email": 254, "phone": 64, "iin": 64, "application_ref": 100, "status_reason": 1000, "reason": 1000,
    "party_name": 300, "checked_in_by": 200,
}
DEFAULT_MAX = 200              # dates, yes/no, sex, status cells: anything longer is not one
_FAST_MAX = min(MAX_LENGTH.values())

# whitespace clean_text folds into one space, and the junk it removes: allowed through the door
_LAYOUT = frozenset("\t\n\r")
_REMOVED = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
_C0_NAMES = {0: "NUL", 7: "BEL", 8: "BACKSPACE", 0x0B: "VT", 0x0C: "FF", 0x1B: "ESC", 0x7F: "DEL", 0x85: "NEL",
             0x9B: "CSI"}
# Unicode category Cf (format) as of Unicode 15.1; tests/unit/test_text.py checks it covers the
# running Python's tables, so a newer Unicode cannot slip a format character past it.
_FORMAT = ("\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
           "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
           "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f")
_CONTROL = "\x00-\x1f\x7f-\x9f"
_SURROGATE = "\ud800-\udfff"
_NONCHAR = "\ufffe\uffff"
# what a terminal must never receive raw (tab and newline are handled by the caller's ``keep``)
_UNSAFE = re.compile(f"[{_CONTROL}{_FORMAT}{_SURROGATE}{_NONCHAR}]")
# what XML 1.0 cannot hold at all (openpyxl raises IllegalCharacterError or writes a broken file)
_XML_ILLEGAL = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f{_SURROGATE}{_NONCHAR}]")
_FORMAT_RE = re.compile(f"[{_FORMAT}{_NONCHAR}]")


def char_name(ch: str) -> str:
    """``ESC (U+001B)``, ``RIGHT-TO-LEFT OVERRIDE (U+202E)``: how a refusal names the character."""
    cp = ord(ch)
    name = _C0_NAMES.get(cp) or ("" if 0xD800 <= cp <= 0xDFFF else unicodedata.name(ch, ""))
    return f"{name} (U+{cp:04X})" if name else f"U+{cp:04X}"


def text_problem(value: str, field: str | None = None) -> tuple[str, str] | None:
    """(issue code, what is wrong) when ``value`` may not enter the ledger as ``field``; else None."""
    limit = MAX_LENGTH.get(field or "", DEFAULT_MAX)
    if len(value) > limit:
        return "text.too_long", f"{len(value):,} characters, at most {limit} for this field"
    if value.isprintable():                     # the usual case: one C pass, no per-character work
        return None
    for i, ch in enumerate(value):
        if ch.isprintable() or ch in _LAYOUT or ch in _REMOVED:
            continue
        cp = ord(ch)
        if cp < 0x20 or 0x7F <= cp <= 0x9F:
            return "text.control_chars", f"control character {char_name(ch)} at position {i + 1}"
        if 0xD800 <= cp <= 0xDFFF:
            return "text.not_text", f"a byte that is not valid text ({char_name(ch)}) at position {i + 1}"
        if _FORMAT_RE.match(ch):
            return "text.invisible_chars", f"invisible character {char_name(ch)} at position {i + 1}"
    return None                                 # spaces of other kinds, private use, unassigned: fine


def text_issues(fields: dict[str, object], *, row: int | None = None, source: str | None = None) -> list[Issue]:
    """An ``error`` issue for each text value in ``fields`` that the door refuses (usually none).

    The fast test runs on every imported row: a value that is printable and short is fine.
    """
    found: list[Issue] = []
    for name, value in fields.items():
        if type(value) is str and (len(value) > _FAST_MAX or not value.isprintable()):
            problem = text_problem(value, name)
            if problem is not None:
                code, detail = problem
                found.append(issue(code, f"{name}: {detail}", field=name, row=row, source=source))
    return found


def check_text(value: str | None, field: str) -> str | None:
    """``value`` when the door lets it in, None for None; raises ``InvalidInput`` naming the field."""
    if value is None:
        return None
    problem = text_problem(value, field)
    if problem is not None:
        from partyledger.errors import InvalidInput

        raise InvalidInput(f"{field}: {problem[1]}", "type the value again without it")
    return value


def _escape(match: re.Match) -> str:
    cp = ord(match.group())
    return f"\\x{cp:02x}" if cp <= 0xFF else f"\\u{cp:04x}" if cp <= 0xFFFF else f"\\U{cp:08x}"


def visible(value: object, keep: str = "") -> str:
    """``value`` as text safe for a terminal: control and invisible characters shown as ``\\x1b``.

    ``keep`` names characters left as they are (``"\\n"`` for a message of several lines).
    """
    text = value if type(value) is str else str(value)
    if text.isprintable():
        return text
    if keep:
        return "".join(ch if ch in keep else _UNSAFE.sub(_escape, ch) for ch in text)
    return _UNSAFE.sub(_escape, text)


def xml_safe(value: str) -> str:
    """``value`` with what XML cannot hold shown as ``\\x1b`` (the rest, tabs and newlines included, kept)."""
    if value.isprintable():
        return value
    return _XML_ILLEGAL.sub(_escape, value)


def json_safe(dumped: str) -> str:
    """A JSON text with every character a terminal must not receive raw written as ``\\uXXXX``.

    ``json.dumps(..., ensure_ascii=False)`` escapes C0 but leaves C1, DEL, the format characters and
    lone surrogates raw; ``\\u`` escapes keep the same data and valid JSON.
    """
    if dumped.isprintable():
        return dumped
    return _UNSAFE.sub(_json_escape, dumped)


def _json_escape(match: re.Match) -> str:
    ch = match.group()
    if ch in "\n\t\r":
        return ch
    cp = ord(ch)
    if cp > 0xFFFF:                      # JSON spells astral characters as a surrogate pair
        cp -= 0x10000
        return f"\\u{0xD800 + (cp >> 10):04x}\\u{0xDC00 + (cp & 0x3FF):04x}"
    return f"\\u{cp:04x}"
