"""One row of cells (or one form) to a ``MemberDraft`` plus findings; eligibility of a member on a date.

``draft_from_fields`` is the single validation path: the importer, the CLI ``members add/edit``, the
quarantine "fix and promote" and the TUI form all call it, so a value accepted in one place is
accepted everywhere. It never raises for bad data: every finding is an ``Issue``; the draft is
``None`` when an ``error`` finding keeps the row out of the ledger (it then goes to quarantine).
Text goes through the door first (``ledger/cleaning/text.py``): a value with a control or invisible
character, or far too long, refuses the row with only those findings, so no other check ever reads
a hostile value.
``eligibility_issues`` words the reasons of ``ledger/cleaning/eligibility`` (who counts on a date) as findings.

Cross-checks that need two cells live here, not in the normalisers:
- the birth date and sex come from the IIN; a birth-date or sex cell that disagrees is a warning
  (``birth_date.mismatch``, ``sex.mismatch``), and a two-digit year in the birth-date cell is read
  with the century the IIN gives (the only source that can settle it);
- dates of joining, signing and status are resolved to 20yy when written with two digits and the
  result is not after ``as_of`` (19yy is impossible for a party in formation); otherwise ambiguous;
- the unit is resolved from the region and locality cells for ``as_of`` by the rules' catalogue.

An invalid phone or e-mail is kept as written (with a warning), so nothing a volunteer typed is lost.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache
from typing import Any, NamedTuple

from partyledger.ledger.cleaning import eligibility
from partyledger.ledger.cleaning.dates import age_on, parse_date
from partyledger.ledger.cleaning.iin import IinResult, parse_iin
from partyledger.ledger.issues import Issue, Severity, issue
from partyledger.ledger.models import MemberDraft
from partyledger.ledger.enums import MemberStatus
from partyledger.ledger.cleaning.fullname import split_full_name_order
from partyledger.ledger.cleaning.normalize import clean_email, clean_name, clean_text, parse_bool
from partyledger.ledger.cleaning.phones import normalize_phone, phone_text
from partyledger.ledger.cleaning.text import text_issues
from partyledger.rules.textkey import place_key

_UNIT_CODES = {"missing": "unit.missing", "unknown": "unit.unknown", "ambiguous": "unit.ambiguous",
               "conflict": "unit.conflict"}
# a Kazakh/Azeri/Kyrgyz patronymic written as a separate word ("Болат ұлы", "Bolat kyzy")
_SEX = {"m": "M", "м": "M", "муж": "M", "мужской": "M", "male": "M", "man": "M", "ер": "M",
        "еркек": "M", "f": "F", "ж": "F", "жен": "F", "женский": "F", "female": "F", "woman": "F",
        "w": "F", "әйел": "F", "əйел": "F", "айел": "F"}
_STATUS = {
    "active": MemberStatus.ACTIVE, "активен": MemberStatus.ACTIVE, "действующий": MemberStatus.ACTIVE,
    "член": MemberStatus.ACTIVE, "мүше": MemberStatus.ACTIVE,
    "withdrawn": MemberStatus.WITHDRAWN, "вышел": MemberStatus.WITHDRAWN, "вышла": MemberStatus.WITHDRAWN,
    "выбыл": MemberStatus.WITHDRAWN, "выбыла": MemberStatus.WITHDRAWN, "шықты": MemberStatus.WITHDRAWN,
    "deceased": MemberStatus.DECEASED, "умер": MemberStatus.DECEASED, "умерла": MemberStatus.DECEASED,
    "скончался": MemberStatus.DECEASED, "скончалась": MemberStatus.DECEASED,
    "қайтыс болды": MemberStatus.DECEASED,
    "excluded": MemberStatus.EXCLUDED, "исключен": MemberStatus.EXCLUDED,
    "исключён": MemberStatus.EXCLUDED, "исключена": MemberStatus.EXCLUDED,
    "шығарылды": MemberStatus.EXCLUDED,
}
_RECENT_DATES = ("joined_on", "signed_on", "status_on")
_DECLARATIONS = ("citizen", "not_in_other_party", "not_barred")
_TEXT = ("locality", "address", "application_ref", "status_reason")
# the optional cells and how each is read
_OPTIONAL = {**dict.fromkeys(_RECENT_DATES, "date"), **dict.fromkeys(_DECLARATIONS, "bool"),
             **dict.fromkeys(_TEXT, "text"), "phone": "phone", "email": "email", "status": "status"}


class DraftResult(NamedTuple):
    """The validated draft (None when an error keeps the row out) and every finding about the row.

    A NamedTuple because one is made per imported row and it is the cheapest record to build.
    """

    draft: MemberDraft | None
    issues: list[Issue]

    @property
    def ok(self) -> bool:
        return self.draft is not None


def _sex_of(value: object) -> str | None:
    text = clean_text(value)
    return _SEX.get(text.lower().rstrip(".")) if text else None


def _birth_date_issues(cell: object, parsed: IinResult, dayfirst: bool, row, source) -> list[Issue]:
    """Compare a birth-date cell with the IIN (a year alone is compared as a year)."""
    if cell is None or cell == "" or parsed.birth_date is None:
        return []
    born = parsed.birth_date
    if _agrees(cell, parsed, dayfirst):
        return []
    year_only = cell if isinstance(cell, int) and not isinstance(cell, bool) else None
    if isinstance(cell, str) and cell.strip().isdigit() and len(cell.strip()) == 4:
        year_only = int(cell.strip())
    if year_only is not None and 1800 <= year_only <= 2100:
        if year_only == born.year:
            return []
        return [issue("birth_date.mismatch", f"birth year {year_only} was given, "
                      f"the IIN says {born.year}", field="birth_date", row=row, source=source)]
    written, problem = parse_date(cell, dayfirst=dayfirst, field="birth_date", century=parsed.century,
                                  row=row, source=source, cached=False)
    if problem is not None:
        return [problem]
    if written is None or written == born:
        return []
    hint = ""
    if written.day <= 12 and written.replace(month=written.day, day=written.month) == born:
        hint = "; it matches with day and month swapped: check the source's day-first setting"
    return [issue("birth_date.mismatch", f"birth date {written.isoformat()} was given, "
                  f"the IIN says {born.isoformat()}{hint}", field="birth_date", row=row, source=source)]


_YEAR_WORD = re.compile(r"\s*(?:г|ж)\.?\Z")
_YEAR_WORD_ENDS = frozenset("гж.")
_CENTURY_PREFIX = {"1": "18", "2": "18", "3": "19", "4": "19", "5": "20", "6": "20"}
_EXCEL_EPOCH_ORDINAL = date(1899, 12, 30).toordinal()


@lru_cache(maxsize=512)
def _day_month_heads(dd: str, mm: str) -> frozenset[str]:
    """What precedes the year in a day-first date of this day and month: "07.03.", "7/3/", ..."""
    days, months = {dd, dd.lstrip("0")}, {mm, mm.lstrip("0")}
    return frozenset(f"{d}{sep}{m}{sep}" for d in days for m in months for sep in "./-")


def _agrees(cell: object, parsed: IinResult, dayfirst: bool) -> bool:
    """True when the cell is exactly the IIN's birth date in a common form, without parsing it.

    Most birth-date cells agree with the IIN; recognising that by string equality is several
    times cheaper than parsing. Anything else (including every disagreement) is parsed.
    """
    kind = type(cell)
    if kind is str:
        iin = parsed.iin
        if iin is None or not dayfirst:
            return False
        year = _CENTURY_PREFIX[iin[6]] + iin[:2]
        if cell[-1:] in _YEAR_WORD_ENDS:                 # "12.03.1985 г." / "1985 ж."
            cell = _YEAR_WORD.sub("", cell)
        if cell[-4:] == year:
            return cell[:-4] in _day_month_heads(iin[4:6], iin[2:4])
        return cell == f"{year}-{iin[2:4]}-{iin[4:6]}"
    if kind is int:
        return cell > 2100 and cell == parsed.birth_date.toordinal() - _EXCEL_EPOCH_ORDINAL
    if kind is datetime:
        return cell.date() == parsed.birth_date
    return kind is date and cell == parsed.birth_date


def _recent_date(name: str, value: object, as_of: date, dayfirst: bool, row, source):
    found, problem = parse_date(value, dayfirst=dayfirst, field=name, row=row, source=source)
    if problem is not None and problem.code == "date.ambiguous":
        recent, again = parse_date(value, dayfirst=dayfirst, field=name, century=2000, row=row,
                                   source=source)
        if again is None and recent is not None and recent <= as_of:
            return recent, None
    return found, problem


# localities repeat like regions do (a drive covers a few towns): clean each spelling once
_clean_locality = lru_cache(maxsize=16384)(clean_text)


def _status_of(value: object) -> MemberStatus | None:
    if isinstance(value, MemberStatus):
        return value
    text = clean_text(value)
    return _STATUS.get(text.lower()) if text else None


def _names(fields: dict[str, Any]) -> tuple[str | None, str | None, str | None, bool]:
    """(surname, given name, patronymic, read given-first): separate columns win over a full-name cell."""
    get = fields.get
    surname, given, patronymic, full = (get("surname"), get("given_name"), get("patronymic"),
                                        get("full_name"))
    surname = None if surname is None else clean_name(surname)
    given = None if given is None else clean_name(given)
    patronymic = None if patronymic is None else clean_name(patronymic)
    turned = False
    if full is not None and (surname is None or given is None):
        s, g, p, turned = split_full_name_order(full)
        turned = turned and surname is None and given is None
        surname, given = surname or s, given or g
        patronymic = patronymic or p
    return surname, given, patronymic, turned


@lru_cache(maxsize=16384)
def _resolve_unit(units, region_cell: object, locality_cell: object, code_cell: object,
                  as_of: date) -> tuple[str | None, str | None, str | None, str, str | None]:
    """(code, region as written, issue code or None, message, town read from the region cell), cached
    on the raw cells. A placement with a flag (``unit.maybe_moved``) keeps its code: it is a warning.

    A sheet repeats a few dozen region/locality spellings over thousands of rows, so the cleaning
    and the catalogue lookup run once per spelling, not once per row.
    """
    region = clean_text(region_cell) or clean_text(code_cell)
    locality = clean_text(locality_cell)
    if region is not None and region.isdigit():
        found = units.unit_on(region, locality, as_of)      # a code ("75"), typed or stored
    else:
        found = units.resolve(region, locality, as_of=as_of)
    where = f"region {region!r}" if region else "no region"
    if locality:
        where += f", locality {locality!r}"
    note = f": {found.note}" if found.note else ""
    if found.status == "ok":
        flag = f"unit.{found.flag}" if found.flag else None
        return found.code, region, flag, where + note if flag else "", None if locality else found.locality
    return None, region, _UNIT_CODES.get(found.status, "unit.unknown"), where + note, None


def region_of(fields: dict[str, Any]) -> object:
    """The cell the unit is read from: the region column, else a stored code or region text."""
    cell = fields.get("region")
    return cell if cell is not None else (fields.get("unit_code") or fields.get("region_text"))


def _aliased(aliases: dict[str, str], units, fields: dict[str, Any], as_of: date):
    """(code, region, problem, message, town) when the region cell is one of the organizer's aliases, else None.

    The alias names a unit, placed on ``as_of`` like a stored code (a locality may move it to a split-off
    unit); an alias to a unit not in force on that date is a ``unit.unknown`` finding, never a silent move.
    """
    region = clean_text(region_of(fields))
    code = aliases.get(place_key(region)) if region is not None and not region.isdigit() else None
    if code is None:
        return None
    record = units.units.get(code)
    if record is None or not record.in_force(as_of):
        return (None, region, "unit.unknown",
                f"region {region!r} is your alias for unit {code}, not in force on {as_of.isoformat()}: "
                "map the text again: partyledger quarantine map TEXT --unit CODE", None)
    found = units.unit_on(code, clean_text(fields.get("locality")), as_of)
    flag = f"unit.{found.flag}" if found.flag else None
    return found.code, region, flag, (f"region {region!r}: {found.note}" if flag else ""), None


def _unit(fields: dict[str, Any], units, as_of: date, row, source,
          aliases: dict[str, str] | None = None) -> tuple[str | None, str | None, list[Issue], str | None]:
    hit = _aliased(aliases, units, fields, as_of) if aliases else None
    if hit is not None:
        code, region, problem, message, town = hit
        if problem is None:
            return code, region, [], town
        return code, region, [issue(problem, message, field="region", row=row, source=source)], town
    region_cell = fields.get("region")
    code_cell = None if region_cell is not None else (fields.get("unit_code") or fields.get("region_text"))
    try:
        code, region, problem, message, town = _resolve_unit(units, region_cell, fields.get("locality"),
                                                             code_cell, as_of)
    except TypeError:                                  # an unhashable cell: resolve without the cache
        code, region, problem, message, town = _resolve_unit.__wrapped__(
            units, region_cell, fields.get("locality"), code_cell, as_of)
    if problem is None:
        return code, region, [], town
    return code, region, [issue(problem, message, field="region", row=row, source=source)], town


_new = object.__new__
_set = object.__setattr__
_DRAFT_FIELDS = tuple(MemberDraft.model_fields)
# Every field at its default; defaults are None or an immutable enum, so a shallow copy is safe.
_EMPTY_DRAFT = {name: None if info.is_required() else info.get_default(call_default_factory=True)
                for name, info in MemberDraft.model_fields.items()}
# All fields are set, so pydantic's "fields set" is the same full set for every draft; sharing
# one saves a copy per row (pydantic only ever adds names to it, and every name is already in).
_ALL_FIELDS_SET = set(_DRAFT_FIELDS)


def _trusted_draft(values: dict[str, Any]) -> MemberDraft:
    """A ``MemberDraft`` from values this module has already validated, without pydantic's pass.

    Why: pydantic validation of 21 fields costs ~6 µs a row, a fifth of the whole budget of
    issue 4's benchmark, and repeats checks done above. This sets exactly the attributes
    ``model_construct`` sets, on a dict that starts as ``_EMPTY_DRAFT`` (so a field added to
    ``MemberBase`` arrives with its default); tests/unit/test_validate.py proves the result
    equals a validated ``MemberDraft`` of the same values and stores through
    ``Member.model_validate``.
    """
    draft = _new(MemberDraft)
    _set(draft, "__dict__", values)
    _set(draft, "__pydantic_fields_set__", _ALL_FIELDS_SET)
    _set(draft, "__pydantic_extra__", None)
    _set(draft, "__pydantic_private__", None)
    return draft


def draft_from_fields(fields: dict[str, object], *, units, as_of: date, dayfirst: bool = True,
                      row: int | None = None, source: str | None = None,
                      aliases: dict[str, str] | None = None) -> DraftResult:
    """Validate and normalise one row's fields into a ``MemberDraft`` and a list of ``Issue``.

    ``fields`` keys are ``MemberBase`` field names plus ``full_name`` (one ФИО cell) and ``region``
    (the unit as typed: name, alias or code). Unknown keys are ignored. ``aliases`` are the
    organizer's own region names (``place_key`` of the text -> unit code, ``intake/aliases.py``),
    read before the catalogue; the caller loads them once per batch.
    """
    refused = text_issues(fields, row=row, source=source)     # the door: control characters, bidi, size
    if refused:
        return DraftResult(None, refused)
    get = fields.get                    # (this runs per imported row: empty cells cost no call)
    parsed = parse_iin(get("iin"), row=row, source=source)
    issues: list[Issue] = list(parsed.issues)
    surname, given, patronymic, turned = _names(fields)
    if turned:
        issues.append(issue("name.order_guessed", f"read as given name first: surname {surname}, given name {given}",
                            field="surname", row=row, source=source))
    if surname is None or given is None:
        missing = " and ".join(n for n, v in (("surname", surname), ("given name", given)) if v is None)
        issues.append(issue("name.missing", f"no {missing}", field="surname" if surname is None
                            else "given_name", row=row, source=source))
    cell = get("birth_date")
    if cell is not None:
        issues.extend(_birth_date_issues(cell, parsed, dayfirst, row, source))
    cell = get("sex")
    if cell is not None and parsed.sex is not None and _sex_of(cell) not in (None, parsed.sex):
        issues.append(issue("sex.mismatch", f"sex {cell!r} was given, the IIN says {parsed.sex}",
                            field="sex", row=row, source=source))
    unit_code, region_text, unit_issues, town = _unit(fields, units, as_of, row, source, aliases)
    issues.extend(unit_issues)
    values = _optional_cells(fields, issues, as_of, dayfirst, row, source)
    if town is not None and values.get("locality") is None:   # "ВКО, г. Семей": keep the town for later dates
        values["locality"] = town

    if parsed.iin is None or surname is None or given is None or (
            unit_issues and unit_issues[0].severity is Severity.ERROR):
        return DraftResult(None, issues)
    values["iin"] = parsed.iin
    values["surname"] = surname
    values["given_name"] = given
    values["patronymic"] = patronymic
    values["birth_date"] = parsed.birth_date
    values["sex"] = parsed.sex
    values["unit_code"] = unit_code
    values["region_text"] = region_text
    return DraftResult(_trusted_draft(values), issues)


def _optional_cells(fields: dict[str, object], issues: list[Issue], as_of: date, dayfirst: bool,
                    row: int | None, source: str | None) -> dict[str, Any]:
    """Every MemberBase field at its default, with the optional cells this row has read in."""
    values = _EMPTY_DRAFT.copy()
    for name in fields.keys() & _OPTIONAL:
        cell = fields[name]
        if cell is None:
            continue
        kind = _OPTIONAL[name]
        if kind == "date":
            found, problem = _recent_date(name, cell, as_of, dayfirst, row, source)
            values[name] = found
            if problem is not None:
                issues.append(problem)
        elif kind == "text":
            values[name] = (_clean_locality(cell) if name == "locality" and type(cell) is str
                            else clean_text(cell))
        elif kind == "bool":
            values[name] = parse_bool(cell)
        elif kind == "phone":
            phone, phone_issue = normalize_phone(cell, row=row, source=source)
            if phone_issue is not None:
                issues.append(phone_issue)
                phone = clean_text(phone_text(cell))                  # kept as written
            values["phone"] = phone
        elif kind == "email":
            email, email_ok = clean_email(cell)
            values["email"] = email
            if not email_ok:
                issues.append(issue("email.invalid", f"e-mail {email!r} does not look like an "
                                    "address", field="email", row=row, source=source))
        else:                                                          # status
            values["status"] = _status_of(cell) or MemberStatus.ACTIVE
    return values


_FIELD = {"iin.date": "iin", "joined.after_as_of": "joined_on", "age.under_minimum": "birth_date",
          "age.under_minimum_at_joining": "joined_on", "declaration.citizen": "citizen",
          "declaration.other_party": "not_in_other_party", "declaration.barred": "not_barred",
          "consent.missing": "application_ref", "iin.checksum": "iin"}


def eligibility_issues(member: Any, snapshot: Any, *, as_of: date,
                       require_consent: bool = False) -> list[Issue]:
    """Why a member does not count on ``as_of`` under the rules in ``snapshot`` (empty: counts).

    The reasons are ``ledger.eligibility.reasons`` (the same rules the report counts in SQL), as
    ``Issue`` values with the numbers in words. Works on a ``Member`` or a ``MemberDraft``.
    """
    p = eligibility.Params.of(snapshot, as_of, require_consent)
    born, joined = getattr(member, "birth_date", None), getattr(member, "joined_on", None)
    out = []
    for code in eligibility.reasons(member, p):
        message = None
        if code == "age.under_minimum":
            message = f"{age_on(born, as_of)} years old on {as_of.isoformat()}, the minimum is {p.min_age}"
        elif code == "age.under_minimum_at_joining":
            message = (f"{age_on(born, joined)} years old on joining ({joined.isoformat()}), the minimum is "
                       f"{p.min_age}: must sign up again")
        elif code == "joined.after_as_of":
            message = f"joined on {joined.isoformat()}, after {as_of.isoformat()}"
        out.append(issue(code, message, field=_FIELD.get(code, "status")))
    return out
