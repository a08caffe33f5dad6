"""The filing package: the member lists per unit, the totals, the group lists, and a congress protocol draft.

What goes in and in which order is ``exporters/filing_layout.py`` (Russian and Kazakh headings; the
ministry's exact form is not confirmed, so the layout lives there alone). This module fills it: only
members and role holders who count on the date (``report.members.member_verdicts``, ``roles.counted_holders``,
the report's own tests), every cell text (no formula can be injected, IINs keep their leading zeros),
counts as numbers, and every sheet set up to print (A4 landscape, fit to width, title rows repeated,
page numbers, frozen headings).

Names are sorted by the Kazakh Cyrillic alphabet (which holds the Russian one in its order: "Ә" after
"А", "Ё" after "Е"), not by code point, which puts "Әлиев" after "Яковлев". A name typed only in
Latin letters (any part of it: "Omarov Нурлан") goes after the Cyrillic ones and is marked in the "check" column: the ID card spells it
in Cyrillic, so the list's order and spelling must be checked against the card by hand; sorted by code
point, such names would open each list, ahead of everyone else.

Written with XlsxWriter rather than openpyxl: at 100,000 members the time went to openpyxl's XML
serialisation (its write-only mode included), which XlsxWriter does in about half the time
(``bench/filing_bench.py``). ``write_string`` stores text as text whatever it starts with ("=", "#N/A"),
so no formula or error cell can be injected. The workbook is built in memory (``in_memory``): openpyxl's
write-only mode and XlsxWriter's constant-memory mode both stream the sheets through temporary files,
which would leave the names in plain text on disk even for an encrypted export.
"""

from __future__ import annotations

import hashlib
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
import xlsxwriter

from partyledger.errors import InvalidInput
from partyledger.exporters import filing_layout as L
from partyledger.exporters.cells import sheet_title
from partyledger.exporters.filing_protocol import protocol_html, quoted
from partyledger.exporters.output import refuse_existing, save_text, save_xlsx_bytes
from partyledger.ledger.enums import RoleKind
from partyledger.ledger.members.campaign import get_campaign
from partyledger.ledger.cleaning.text import xml_safe
from partyledger.ledger.members.reads import checkin_times
from partyledger.ledger.members.roles import counted_holders
from partyledger.ledger.storage import audit
from partyledger.report.members import MemberVerdict, member_verdicts

_ALPHABET = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
# each letter to a private-use character in alphabet order: a str key, compared in C, 100,000 names quick
_COLLATE = str.maketrans({ch: chr(0xE000 + i) for i, ch in enumerate(_ALPHABET)})


def _latin_word(word: str) -> bool:
    return any(ch.isalpha() for ch in word) and not any("\u0400" <= ch <= "\u04ff" for ch in word)


def latin_only(name: str) -> bool:
    """A part of the name (surname, given name, patronymic) in Latin letters only: check it on the ID card."""
    return any(_latin_word(word) for word in name.split())


def sort_key(name: str, iin: str) -> tuple:
    """Cyrillic names first in Kazakh alphabet order, then Latin-only names (see the module docstring)."""
    return latin_only(name), name.casefold().translate(_COLLATE), iin


@dataclass
class FilingResult:
    per_unit: dict[str, int] = field(default_factory=dict)
    group_size: int = 0
    committee_size: int = 0
    attended: int = 0
    latin_only: int = 0            # names listed for checking against the ID card
    protocol: Path | None = None

    @property
    def members(self) -> int:
        return sum(self.per_unit.values())


@dataclass
class Person:
    """One line of a group list: the role holder with the member's birth date and the unit in force."""
    surname: str
    given_name: str
    patronymic: str | None
    birth_date: date | None
    iin: str
    unit_code: str | None
    locality: str | None
    since: date | None = None
    checked_in_at: datetime | None = None

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.surname, self.given_name, self.patronymic) if p)


@dataclass
class FilingData:
    """Everything the package shows, read from the ledger once."""
    as_of: date
    units: list                                   # rules.Unit in force, in code order
    by_unit: dict[str, list[MemberVerdict]]
    group: list[Person]
    committee: list[Person]
    attendance: list[Person]
    per_unit_min: int | None
    total_min: int | None
    party_name: str = ""
    congress_on: date | None = None


class _Sheet:
    """One worksheet written row by row: text through ``write_string`` (never a formula, whatever it starts
    with; IINs keep their zeros), counts as numbers, characters XML cannot hold shown escaped (``xml_safe``)."""

    def __init__(self, wb, name: str, columns: tuple[L.Column, ...], title: str, bold) -> None:
        self.ws, self.row, self.bold = wb.add_worksheet(name), 0, bold
        ws = self.ws
        for i, col in enumerate(columns):
            ws.set_column(i, i, col.width)
        ws.set_paper(L.PAPER)
        ws.set_landscape() if L.ORIENTATION == "landscape" else ws.set_portrait()
        ws.fit_to_pages(1, 0)                        # one page wide, as many pages down as the list needs
        ws.repeat_rows(0, L.HEADER_ROWS - 1)
        ws.freeze_panes(L.HEADER_ROWS, 0)
        ws.set_footer("&C" + L.FOOTER)
        self.append([title], bold=True)
        self.append([col.heading for col in columns], bold=True)

    def append(self, values: list, *, bold: bool = False) -> None:
        fmt = self.bold if bold else None
        put_text, put_number, row = self.ws.write_string, self.ws.write_number, self.row
        for col, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, int) and not isinstance(value, bool):
                put_number(row, col, value, fmt)
                continue
            if not isinstance(value, str):
                value = value.isoformat() if isinstance(value, date) else str(value)
            put_text(row, col, xml_safe(value), fmt)
        self.row += 1


def _fmt(template: str, data: FilingData, **extra) -> str:
    party = f"{quoted(data.party_name)}: " if data.party_name else ""
    return template.format(party=party, day=data.as_of.strftime("%d.%m.%Y"), **extra)


def _unit_names(data: FilingData) -> dict[str, str]:
    return {u.code: u.name_ru for u in data.units}


def _member_values(i: int, v: MemberVerdict, unit: str, latin: bool) -> list:
    flag = L.LATIN_ONLY if latin else None
    values = {"no": str(i), "surname": v.surname, "given_name": v.given_name, "patronymic": v.patronymic,
              "birth_date": v.birth_date, "iin": v.iin, "unit": unit, "locality": v.locality,
              "address": v.address, "application_ref": v.application_ref, "signed_on": v.signed_on,
              "joined_on": v.joined_on, "check": flag}
    return [values.get(col.key) for col in L.MEMBER_COLUMNS]


def _person_values(i: int, p: Person, names: dict[str, str], columns) -> list:
    at = p.checked_in_at.strftime("%Y-%m-%d %H:%M") if p.checked_in_at else None
    values = {"no": str(i), "surname": p.surname, "given_name": p.given_name, "patronymic": p.patronymic,
              "birth_date": p.birth_date, "iin": p.iin, "unit": names.get(p.unit_code or "", p.unit_code),
              "locality": p.locality, "since": p.since, "checked_in_at": at,
              "check": L.LATIN_ONLY if latin_only(p.full_name) else None}
    return [values.get(col.key) for col in columns]


def _totals_sheet(wb, bold, data: FilingData, taken: set[str]) -> None:
    ws = _Sheet(wb, sheet_title(L.TOTALS_SHEET, taken), L.TOTALS_COLUMNS, _fmt(L.TOTALS_TITLE, data), bold)

    def met(n: int, minimum: int | None) -> str:
        return L.UNKNOWN if minimum is None else (L.YES if n >= minimum else L.NO)

    total = 0
    for unit in data.units:
        n = len(data.by_unit.get(unit.code, ()))
        total += n
        ws.append([unit.code, f"{unit.name_ru} / {unit.name_kk}", n, data.per_unit_min, met(n, data.per_unit_min)])
    ws.append([None, L.TOTAL_ROW, total, data.total_min, met(total, data.total_min)], bold=True)
    for label, people in ((L.GROUP_TOTAL, data.group), (L.COMMITTEE_TOTAL, data.committee),
                          (L.ATTENDANCE_TOTAL, data.attendance)):
        ws.append([None, label, len(people)])


def _people_sheet(wb, bold, name: str, title: str, people: list[Person], columns, data: FilingData,
                  taken: set[str]) -> None:
    ws = _Sheet(wb, sheet_title(name, taken), columns, _fmt(title, data), bold)
    names = _unit_names(data)
    for i, p in enumerate(sorted(people, key=lambda p: sort_key(p.full_name, p.iin)), start=1):
        ws.append(_person_values(i, p, names, columns))


def write_filing_xlsx(path: Path, data: FilingData, *, force: bool = False,
                      password: str | None = None) -> FilingResult:
    """The workbook: totals, one sheet per unit in force, the group, the committee, the attendance.

    Built in memory (no temporary file holds the names), then saved new and 0600 (``force`` replaces
    one), Office-encrypted with ``password`` (``output.save_xlsx_bytes``).
    """
    plain = io.BytesIO()
    wb = xlsxwriter.Workbook(plain, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
                                     "strings_to_urls": False})
    bold = wb.add_format({"bold": True})
    taken: set[str] = set()
    result = FilingResult()
    _totals_sheet(wb, bold, data, taken)
    for unit in data.units:
        # the key once per member: it carries the Latin-only mark the row and the count need too
        people = sorted(((sort_key(v.full_name, v.iin), v) for v in data.by_unit.get(unit.code, [])),
                        key=lambda kv: kv[0])
        ws = _Sheet(wb, sheet_title(f"{unit.code} {unit.name_ru}", taken), L.MEMBER_COLUMNS,
                    _fmt(L.UNIT_TITLE, data, unit_ru=unit.name_ru, unit_kk=unit.name_kk, code=unit.code), bold)
        name = f"{unit.name_ru} / {unit.name_kk}"
        for i, (key, v) in enumerate(people, start=1):
            ws.append(_member_values(i, v, name, key[0]))
        result.per_unit[unit.code] = len(people)
        result.latin_only += sum(key[0] for key, _ in people)
    for sheet, title, people, columns in (
            (L.GROUP_SHEET, L.GROUP_TITLE, data.group, L.GROUP_COLUMNS),
            (L.COMMITTEE_SHEET, L.COMMITTEE_TITLE, data.committee, L.GROUP_COLUMNS),
            (L.ATTENDANCE_SHEET, L.ATTENDANCE_TITLE, data.attendance, L.ATTENDANCE_COLUMNS)):
        _people_sheet(wb, bold, sheet, title, people, columns, data, taken)
    result.group_size, result.committee_size = len(data.group), len(data.committee)
    result.attended = len(data.attendance)
    wb.close()
    save_xlsx_bytes(plain, path, force=force, password=password)
    return result


def protocol_path(path: Path) -> Path:
    """The protocol draft beside the workbook: ``filing.xlsx`` -> ``filing.protocol.html``."""
    return path.with_name(path.stem + ".protocol.html")


def read_filing(session, rules, *, as_of: date, on_progress=None, cancel=None) -> FilingData:
    """The members who count per unit in force and the group lists, each person with birth date and unit."""
    snapshot = rules.at(as_of)
    group = counted_holders(session, RoleKind.INITIATIVE_GROUP, snapshot, as_of)
    committee = counted_holders(session, RoleKind.COMMITTEE, snapshot, as_of)
    wanted = {h.member_id for h in group + committee}
    by_unit: dict[str, list[MemberVerdict]] = defaultdict(list)
    known: dict[int, MemberVerdict] = {}
    for v in member_verdicts(session, rules, as_of=as_of, on_progress=on_progress, cancel=cancel):
        if v.counts and v.unit_code:
            by_unit[v.unit_code].append(v)
        if v.member_id in wanted:
            known[v.member_id] = v
    times = checkin_times(session)

    def person(h) -> Person:
        v = known.get(h.member_id)
        if v is None:                                  # added after the scan: the holder's own fields
            return Person(h.full_name, "", None, None, h.iin, h.unit_code, h.locality, h.since)
        return Person(v.surname, v.given_name, v.patronymic, v.birth_date, v.iin, v.unit_code or v.stored_unit,
                      v.locality, h.since, times.get(h.member_id))

    group_people = [person(h) for h in group]
    campaign = get_campaign(session)
    return FilingData(as_of, list(snapshot.units), by_unit, group_people, [person(h) for h in committee],
                      [p for p in group_people if p.checked_in_at is not None],
                      snapshot.members_per_unit_min, snapshot.members_total_min,
                      campaign.party_name, campaign.congress_held_on)


def export_filing(session, rules, path: Path, *, as_of: date, actor: str, force: bool = False,
                  password: str | None = None, on_progress=None, cancel=None) -> FilingResult:
    """The whole filing export, for ``partyledger export filing`` and the app's Report screen alike.

    Writes the workbook and, beside it, the founding congress protocol draft (``protocol_path``; HTML,
    0600, never over an existing file without ``force``), and records an audit event with the
    workbook's SHA-256 so the organizers can later prove which list they filed.
    """
    path = Path(path)
    protocol = protocol_path(path)
    refuse_existing(protocol, force)               # before the slow part, as the workbook is refused
    data = read_filing(session, rules, as_of=as_of, on_progress=on_progress, cancel=cancel)
    try:
        result = write_filing_xlsx(path, data, force=force, password=password)
    except OSError as err:
        raise InvalidInput(f"cannot write {path}: {err.strerror}") from None
    save_text(protocol, protocol_html(data, rules.at(as_of)), force=force)
    result.protocol = protocol
    audit.record(session, "export.filing", "ledger", None,
                 after={"file": path.name, "as_of": as_of, "members": result.members,
                        "initiative_group": result.group_size, "committee": result.committee_size,
                        "attended": result.attended, "protocol": protocol.name,
                        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(), "encrypted": bool(password)},
                 actor=actor)
    return result
