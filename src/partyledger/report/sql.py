"""The SQL behind the readiness count, and the same rules in Python for one member at a time.

Why SQL aggregates over indexes: on 1,000,000 members the whole assessment must stay within 3x a bare
``GROUP BY unit_code`` (research/perf-limits.md). Evaluating every exclusion rule for every row costs
4-30x, so the count is split by what an index can answer cheaply:

- totals per (unit code, locality) are kept by triggers in ``member_tally`` (migration 0006: reading
  them from the whole ``ix_member_report_units`` index cost ~125 ms on 1M members with a cold cache);
- members who may be out for a date-independent reason (not active, declarations, no consent
  evidence, bad IIN) sit in the small partial index ``ix_member_report_flagged``; only those rows get the
  reason ``CASE``;
- late joiners and minors are found by range searches on the covering date indexes
  ``ix_member_report_joined`` and ``ix_member_report_birth`` (few rows on a current date);
- broken IIN check digits come from the partial index ``ix_member_report_bad_iin`` (normally empty).

Two traps measured while the ledger still ran with ``cipher_memory_security = ON`` (every SQLite heap
allocation got an mlock/munlock pair; ledger/db.py now turns it off): a GROUP BY that needs a sorter,
and bound parameters in the reason CASE, each made the count 10-20x slower. Packed sums in index
order and ``with_literals`` avoid the allocations either way, so they stay.

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

import re
from dataclasses import dataclass
from datetime import date

from partyledger.ledger.iin import check_digit
from partyledger.ledger.sqltext import IIN_BAD_SQL, REPORT_FLAG_SQL, iin_bad_sql


def _digit(i: int) -> str:
    """Digit i (1-12) of the IIN by integer arithmetic: no string is allocated per row (see below)."""
    return f"((CAST(iin AS INTEGER) / {10 ** (12 - i)}) % 10)"


# Same test as sqltext.IIN_BAD_SQL (which must stay textually frozen for the partial index), but with
# integer arithmetic: each substr() result is an allocation, which was 10x slower on 10k rows under
# cipher_memory_security = ON (now off, ledger/db.py) and is still the cheaper form without it.
IIN_BAD_FAST_SQL = iin_bad_sql(_digit)

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

_CASCADE = [   # (reason number or None for the status CASE, condition), in primary-reason order
    (1, "birth_date IS NULL"),
    (None, "status != 'ACTIVE' AND (status_on IS NULL OR status_on <= :as_of)"),
    (5, "joined_on > :as_of"),
    (6, "birth_date > :born_by"),
    (7, ":citizens_only AND citizen = 0"),
    (8, ":one_party AND not_in_other_party = 0"),
    (9, ":barred AND not_barred = 0"),
    (10, ":require_consent AND signed_on IS NULL AND (application_ref IS NULL OR application_ref = '')"),
    (11, IIN_BAD_FAST_SQL),
]
_STATUS = {2: "WITHDRAWN", 3: "DECEASED", 4: "EXCLUDED"}


def reason_case(value_of=lambda k: k, upto: int = 11) -> str:
    """The primary-reason CASE; ``value_of(reason)`` gives what each reason yields (0 = counted).

    ``upto`` drops the WHENs after the last reason that yields anything, which is safe because a row
    that reaches them yields 0 either way.
    """
    parts = []
    for k, cond in _CASCADE:
        if k is None:
            st = " ".join(f"WHEN '{_STATUS[j]}' THEN {value_of(j)}" for j in (2, 3))
            parts.append(f" WHEN {cond} THEN (CASE status {st} ELSE {value_of(4)} END)")
        elif k <= upto or k == 1:
            parts.append(f" WHEN {cond} THEN {value_of(k)}")
    return "CASE" + "".join(parts) + " ELSE 0 END"


REASON_CASE = reason_case()
# Reasons counted from the partial index, packed three to a 64-bit SUM (21 bits = up to 2,097,151
# members per reason in one (unit, locality) group): GROUP BY then follows the index order and needs
# no sorter (a sorter cost ~4 us a row under cipher_memory_security, which ledger/db.py now turns off). 5 and 6 are counted from the date
# indexes, 11 (check digit) from the partial index of broken IINs.
PACKED_SLOTS = [(2, 3, 4), (1, 7, 8), (9, 10)]     # the status sum needs no deep cascade
SLOT_BITS = 21
PACK_LIMIT = (1 << SLOT_BITS) - 1


def _packed_sum(slot: tuple[int, ...]) -> str:
    shift = {k: SLOT_BITS * i for i, k in enumerate(slot)}
    return f"SUM({reason_case(lambda k: (1 << shift[k]) if k in shift else 0, upto=max(slot))})"


TOTALS_SQL = "SELECT nullif(unit_code, ''), nullif(locality, ''), n FROM member_tally WHERE n > 0"
# the projection window's sign-ups, counted in Python: a GROUP BY here needs a sorter (see above)
RECENT_SQL = ("SELECT unit_code, locality FROM member INDEXED BY ix_member_report_joined "
              "WHERE joined_on > :since AND joined_on <= :as_of")
# All reason sums in one pass over the partial index (with bound parameters this form ran 10x slower;
# see with_literals).
FLAGGED_SQL = (f"SELECT unit_code, locality, {', '.join(_packed_sum(slot) for slot in PACKED_SLOTS)} FROM member "
               f"INDEXED BY ix_member_report_flagged WHERE {REPORT_FLAG_SQL} GROUP BY unit_code, locality")
# Reasons 5 and 6 come right after "no birth date" and the status in the primary order, so these two
# need only the columns their covering date indexes hold (no rowid lookups, no CASE, no IIN).
_STATUS_NOT_EFFECTIVE = "NOT (status != 'ACTIVE' AND (status_on IS NULL OR status_on <= :as_of))"
LATE_SQL = (f"SELECT unit_code, locality, count(*) FROM member INDEXED BY ix_member_report_joined "
            f"WHERE joined_on > :as_of AND birth_date IS NOT NULL AND {_STATUS_NOT_EFFECTIVE} GROUP BY 1, 2")
MINOR_SQL = (f"SELECT unit_code, locality, count(*) FROM member INDEXED BY ix_member_report_birth "
             f"WHERE birth_date > :born_by AND {_STATUS_NOT_EFFECTIVE} "
             f"AND (joined_on IS NULL OR joined_on <= :as_of) GROUP BY 1, 2")
# Missing consent (reason 10) for members outside the flagged index (those inside get it from the
# CASE): only run when the campaign requires consent, as it reads every unflagged member. Reasons 5
# and 6 come first in the primary order, so late joiners and minors are left to their own queries.
# ``IS NOT 1`` because the flag is NULL, not false, for rows with blank declarations.
NO_CONSENT_SQL = "signed_on IS NULL AND (application_ref IS NULL OR application_ref = '')"
CONSENT_SQL = (f"SELECT unit_code, locality, count(*) FROM member WHERE ({REPORT_FLAG_SQL}) IS NOT 1 "
               f"AND {NO_CONSENT_SQL} AND (joined_on IS NULL OR joined_on <= :as_of) "
               f"AND birth_date <= :born_by GROUP BY 1, 2")
# the check digit (reason 11) only for rows in the tiny partial index of broken IINs
BAD_IIN_SQL = (f"SELECT unit_code, locality, count(*) FROM member INDEXED BY ix_member_report_bad_iin "
               f"WHERE {IIN_BAD_SQL} AND ({reason_case(upto=10)}) = 0 GROUP BY 1, 2")
# the slow, simple form: used when a group could overflow the packed sums (> 2 million members)
FLAGGED_PLAIN_SQL = (f"SELECT unit_code, locality, {REASON_CASE} AS r, count(*) FROM member "
                     f"INDEXED BY ix_member_report_flagged WHERE {REPORT_FLAG_SQL} GROUP BY 1, 2, 3")




def unpack(slot: tuple[int, ...], total: int | None) -> dict[int, int]:
    """Reason number -> count, from the packed sum of one slot in one group."""
    out = {}
    for i, k in enumerate(slot):
        n = (int(total or 0) >> (SLOT_BITS * i)) & PACK_LIMIT
        if n:
            out[k] = n
    return out


REASON_OF_IDS_SQL = f"SELECT id, unit_code, locality, {REASON_CASE} AS r FROM member WHERE id IN ({{ids}})"
DUPLICATE_PAIRS_SQL = ("SELECT member_a_id, member_b_id FROM matchdecision "
                       "WHERE decision = 'UNDECIDED' AND score >= :score_min ORDER BY member_a_id, member_b_id")


_PARAM = re.compile(r"(?<![\w:]):([a-z_]+)\b")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def literal(value: object) -> str:
    """An SQL literal for the report's own parameters: ISO dates, numbers. Anything else is refused."""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        return f"'{value}'"
    raise TypeError(f"not a report parameter: {value!r}")


def with_literals(sql: str, params: dict[str, object]) -> str:
    """Put the parameters into the SQL text as literals.

    Why: with bound parameters SQLite converted them (affinity) on every comparison, and under the
    ledger's former ``cipher_memory_security = ON`` each such conversion was an allocation with an
    mlock/munlock pair: the per-reason sums ran 300-560 ms instead of 15-40 ms on 1M members.
    The values are dates and numbers made by the report itself (``literal`` refuses anything else).
    """
    return _PARAM.sub(lambda m: literal(params[m.group(1)]), sql)


def without_index_hints(sql: str) -> str:
    """The same query without ``INDEXED BY``, for a ledger whose indexes are not migrated yet."""
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
