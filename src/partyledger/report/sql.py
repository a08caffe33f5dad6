"""The SQL behind the readiness count, and the same rules in Python for one member at a time.

Why SQL aggregates over indexes: on 1,000,000 members the whole assessment must stay within 3x a bare
``GROUP BY unit_code`` (research/perf-limits.md). Evaluating every exclusion rule for every row costs
4-30x, so the count is split by what an index can answer cheaply:

- totals per (unit code, locality) stream from ``ix_member_unit_status``;
- members who may be out for a date-independent reason (not active, declarations, no consent
  evidence, bad IIN) sit in the small partial index ``ix_member_report_flagged``; only those rows get the
  reason ``CASE``;
- late joiners and minors (not flagged: the flag is NULL or false, hence ``IS NOT 1``) are found by range searches on ``ix_member_joined_on`` and
  ``ix_member_birth_date`` (few rows on a current date).

Counted = total - excluded, per (unit, locality) group; the report then re-places each group on the
date with ``UnitCatalogue.unit_on``. ``member_reasons`` applies the very same rules in Python for the
paged exclusion list and the filing export; a test checks that both agree.

Primary reason order (the first that applies): bad IIN date, status on the date, joined after the
date, under age, declarations, consent, IIN check digit; then a duplicate of a counted member; then a
unit that cannot be placed on the date. The check digit comes last among the row reasons only because
it is the costliest to evaluate and the ledger refuses such IINs on entry, so it only catches rows
written around the services.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from partyledger.ledger.iin import check_digit
from partyledger.ledger.models import IIN_BAD_SQL, REPORT_FLAG_SQL

# Result of the reason CASE: 0 = counted, otherwise an index into REASONS.
REASONS: dict[int, str] = {
    1: "iin.date",
    2: "status.withdrawn",
    3: "status.deceased",
    4: "status.excluded",
    5: "joined.after_as_of",
    6: "age.under_minimum",
    7: "declaration.citizen",
    8: "declaration.other_party",
    9: "declaration.barred",
    10: "consent.missing",
    11: "iin.checksum",
}
ORDER = ["iin.date", "status.withdrawn", "status.deceased", "status.excluded", "joined.after_as_of",
         "age.under_minimum", "declaration.citizen", "declaration.other_party", "declaration.barred",
         "consent.missing", "iin.checksum", "duplicate.candidate", "unit.missing", "unit.unknown",
         "unit.ambiguous"]

REASON_CASE = f"""CASE
 WHEN birth_date IS NULL THEN 1
 WHEN status != 'ACTIVE' AND (status_on IS NULL OR status_on <= :as_of)
   THEN (CASE status WHEN 'WITHDRAWN' THEN 2 WHEN 'DECEASED' THEN 3 ELSE 4 END)
 WHEN joined_on > :as_of THEN 5
 WHEN birth_date > :born_by THEN 6
 WHEN :citizens_only AND citizen = 0 THEN 7
 WHEN :one_party AND not_in_other_party = 0 THEN 8
 WHEN :barred AND not_barred = 0 THEN 9
 WHEN :require_consent AND signed_on IS NULL AND (application_ref IS NULL OR application_ref = '') THEN 10
 WHEN {IIN_BAD_SQL} THEN 11
 ELSE 0 END"""

TOTALS_SQL = ("SELECT unit_code, locality, count(*) FROM member INDEXED BY ix_member_unit_status "
              "GROUP BY unit_code, locality")
FLAGGED_SQL = (f"SELECT unit_code, locality, {REASON_CASE} AS r, count(*) FROM member "
               f"INDEXED BY ix_member_report_flagged WHERE {REPORT_FLAG_SQL} GROUP BY 1, 2, 3")
LATE_SQL = (f"SELECT unit_code, locality, {REASON_CASE} AS r, count(*) FROM member "
            f"INDEXED BY ix_member_joined_on WHERE joined_on > :as_of AND ({REPORT_FLAG_SQL}) IS NOT 1 GROUP BY 1, 2, 3")
MINOR_SQL = (f"SELECT unit_code, locality, {REASON_CASE} AS r, count(*) FROM member "
             f"INDEXED BY ix_member_birth_date WHERE birth_date > :born_by "
             f"AND (joined_on IS NULL OR joined_on <= :as_of) AND ({REPORT_FLAG_SQL}) IS NOT 1 GROUP BY 1, 2, 3")
REASON_OF_IDS_SQL = f"SELECT id, unit_code, locality, {REASON_CASE} AS r FROM member WHERE id IN ({{ids}})"
RECENT_SQL = ("SELECT unit_code, locality, count(*) FROM member INDEXED BY ix_member_joined_on "
              "WHERE joined_on > :since AND joined_on <= :as_of GROUP BY 1, 2")
DUPLICATE_PAIRS_SQL = ("SELECT member_a_id, member_b_id FROM matchdecision "
                       "WHERE decision = 'UNDECIDED' AND score >= :score_min ORDER BY member_a_id, member_b_id")


def without_index_hints(sql: str) -> str:
    """The same query without ``INDEXED BY``, for a ledger whose indexes are not migrated yet."""
    import re

    return re.sub(r"INDEXED BY \w+ ", "", sql)


@dataclass(frozen=True)
class Params:
    """Everything the rules need from the date and the rule snapshot, as SQL parameters."""

    as_of: date
    born_by: date | None          # born on or before this day = old enough; None = no age rule known
    citizens_only: bool
    one_party: bool
    barred: bool
    require_consent: bool

    def sql(self) -> dict[str, object]:
        return {"as_of": self.as_of.isoformat(),
                "born_by": (self.born_by or date.max).isoformat(),
                "citizens_only": int(self.citizens_only), "one_party": int(self.one_party),
                "barred": int(self.barred), "require_consent": int(self.require_consent)}


def born_by(as_of: date, min_age: int | None) -> date | None:
    """Latest birth date that is ``min_age`` years old on ``as_of`` (29 Feb birthdays count from 1 Mar)."""
    if min_age is None:
        return None
    try:
        return as_of.replace(year=as_of.year - min_age)
    except ValueError:              # as_of is 29 Feb and the target year is not a leap year
        return date(as_of.year - min_age, 2, 28)


def _iin_bad(iin: str | None) -> bool:
    if iin is None or len(iin) != 12 or not iin.isdigit():
        return True
    return check_digit(iin[:11]) != int(iin[11])


def _d(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def member_reasons(row: dict, p: Params) -> list[str]:
    """Every row reason that applies to one member on ``p.as_of``, primary first (same rules as SQL)."""
    out: list[str] = []
    birth, status_on, joined = _d(row.get("birth_date")), _d(row.get("status_on")), _d(row.get("joined_on"))
    raw_status = row.get("status") or "ACTIVE"
    status = getattr(raw_status, "name", str(raw_status)).upper()
    if birth is None:
        out.append("iin.date")
    if status != "ACTIVE" and (status_on is None or status_on <= p.as_of):
        out.append({"WITHDRAWN": "status.withdrawn", "DECEASED": "status.deceased"}.get(status, "status.excluded"))
    if joined is not None and joined > p.as_of:
        out.append("joined.after_as_of")
    if birth is not None and p.born_by is not None and birth > p.born_by:
        out.append("age.under_minimum")
    if p.citizens_only and row.get("citizen") == 0:
        out.append("declaration.citizen")
    if p.one_party and row.get("not_in_other_party") == 0:
        out.append("declaration.other_party")
    if p.barred and row.get("not_barred") == 0:
        out.append("declaration.barred")
    if p.require_consent and row.get("signed_on") is None and not row.get("application_ref"):
        out.append("consent.missing")
    if _iin_bad(row.get("iin")):
        out.append("iin.checksum")
    return out
