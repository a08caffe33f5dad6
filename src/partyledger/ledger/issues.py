"""Findings about one row or one member, as values with stable dotted codes.

Severities (DESIGN.md section 6):
- ``error``: the row cannot become a member (it goes to quarantine, or the form refuses to save);
- ``exclude``: the member stays in the ledger but does not count on the date;
- ``warning``: informational.

Codes are part of the public contract (JSON outputs count issues by code), so they never change
meaning; new ones are added to ``CATALOGUE`` with their default severity and a plain explanation.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    EXCLUDE = "exclude"
    WARNING = "warning"


CATALOGUE: dict[str, tuple[Severity, str]] = {
    "iin.missing": (Severity.ERROR, "no IIN"),
    "iin.format": (Severity.ERROR, "the IIN is not 12 digits"),
    "iin.checksum": (Severity.ERROR, "the IIN check digit is wrong"),
    "iin.date": (Severity.ERROR, "the IIN does not hold a real birth date and century digit"),
    "iin.duplicate": (Severity.ERROR, "the IIN is already in the ledger or earlier in the file"),
    "name.missing": (Severity.ERROR, "surname or given name is missing"),
    "name.order_guessed": (Severity.WARNING, "the full name was read as given name first (by the surname's ending)"),
    "birth_date.mismatch": (Severity.WARNING, "the birth date differs from the one in the IIN"),
    "sex.mismatch": (Severity.WARNING, "the sex differs from the one in the IIN"),
    "age.under_minimum": (Severity.EXCLUDE, "under the minimum age on the date"),
    "age.under_minimum_at_joining": (Severity.EXCLUDE, "under the minimum age on the day of joining: "
                                     "must sign up again"),
    "unit.missing": (Severity.ERROR, "no region or locality to place the member in a unit"),
    "unit.unknown": (Severity.ERROR, "the region is not a known territorial unit"),
    "unit.ambiguous": (Severity.EXCLUDE, "the region is historical or ambiguous and needs checking"),
    "unit.conflict": (Severity.ERROR, "the region and the town name different units"),
    "unit.maybe_moved": (Severity.WARNING, "counted in a region that was split; the member may live in the new unit"),
    "phone.invalid": (Severity.WARNING, "the phone number is not valid"),
    "email.invalid": (Severity.WARNING, "the e-mail address is not valid"),
    "date.unparseable": (Severity.WARNING, "a date could not be read"),
    "date.ambiguous": (Severity.WARNING, "a date could be read two ways"),
    "consent.missing": (Severity.EXCLUDE, "no signed application on record"),
    "declaration.citizen": (Severity.EXCLUDE, "declared not a citizen"),
    "declaration.other_party": (Severity.EXCLUDE, "declared a member of another party"),
    "declaration.barred": (Severity.EXCLUDE, "declared in a category barred from membership"),
    "status.withdrawn": (Severity.EXCLUDE, "withdrew from the party"),
    "status.deceased": (Severity.EXCLUDE, "deceased"),
    "status.excluded": (Severity.EXCLUDE, "excluded from the party"),
    "joined.after_as_of": (Severity.EXCLUDE, "joined after the date of the report"),
    "duplicate.candidate": (Severity.EXCLUDE, "probably the same person as another member"),
    "formula.uncached": (Severity.WARNING, "a formula cell had no stored value"),
    "row.conflict": (Severity.WARNING, "values differ from the member already in the ledger"),
    "text.control_chars": (Severity.ERROR, "a control character (ESC, BEL, ...) that could rewrite a terminal or "
                           "break an export"),
    "text.invisible_chars": (Severity.ERROR, "an invisible format character (such as a right-to-left override) "
                             "that can disguise the text"),
    "text.not_text": (Severity.ERROR, "bytes that are not valid text (a broken encoding)"),
    "text.too_long": (Severity.ERROR, "longer than any real value of this field"),
}


@dataclass(frozen=True)
class Issue:
    """One finding: where (source, row, field), what (code), how bad (severity), in words (message)."""

    code: str
    severity: Severity
    message: str
    field: str | None = None
    row: int | None = None
    source: str | None = None


def issue(code: str, message: str | None = None, *, field: str | None = None,
          row: int | None = None, source: str | None = None,
          severity: Severity | None = None) -> Issue:
    """Build an ``Issue`` with the catalogue's default severity and message for ``code``."""
    default_severity, default_message = CATALOGUE[code]
    return Issue(code, severity or default_severity, message or default_message, field, row, source)


def has_errors(issues: list[Issue]) -> bool:
    return any(i.severity is Severity.ERROR for i in issues)
