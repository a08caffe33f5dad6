"""The SQL behind the readiness count: who is out, as aggregates over indexes.

The rules themselves (reason order, conditions, parameters, and the same rules in Python) live in
``ledger/cleaning/eligibility.py``; this module only arranges them into queries an index can answer cheaply.

Why SQL aggregates over indexes: on 1,000,000 members the whole assessment must stay within 3x a bare
``GROUP BY unit_code`` (research/perf-limits.md). Evaluating every exclusion rule for every row costs
4-30x, so the count is split by what an index can answer cheaply:

- totals per (unit code, locality) are kept by triggers in ``member_tally`` (migration 0006: reading
  them from the whole ``ix_member_report_units`` index cost ~125 ms on 1M members with a cold cache);
- members who may be out for a date-independent reason (not active, declarations, no consent
  evidence, bad IIN) sit in the small partial index ``ix_member_report_flagged``; only those rows get the
  reason ``CASE``;
- late joiners, minors and members who were under age when they joined are found by range searches on
  the covering date indexes ``ix_member_report_joined`` and ``ix_member_report_birth`` (few rows: the
  last is bounded below by the earliest joining date minus the minimum age);
- broken IIN check digits come from the partial index ``ix_member_report_bad_iin`` (normally empty).

Two traps measured while the ledger still ran with ``cipher_memory_security = ON`` (every SQLite heap
allocation got an mlock/munlock pair; ledger/storage/db.py now turns it off): a GROUP BY that needs a sorter,
and bound parameters in the reason CASE, each made the count 10-20x slower. Packed sums in index
order and ``with_literals`` avoid the allocations either way, so they stay (with memory security off,
literals still make the whole assessment ~1.6x faster: see ``with_literals``).

Counted = total - excluded, per (unit, locality) group; the report then re-places each group on the
date with ``UnitCatalogue.unit_on``. ``eligibility.reasons`` applies the very same rules in Python for
the paged exclusion list and the filing export; a property test checks that both agree.
"""

from __future__ import annotations

import re

from partyledger.ledger.cleaning import eligibility as el
from partyledger.ledger.sqltext import IIN_BAD_SQL, REPORT_FLAG_SQL

N = el.NUMBER
REASON_CASE = el.case_sql()
# Reasons counted from the partial index, packed three to a 64-bit SUM (21 bits = up to 2,097,151
# members per reason in one (unit, locality) group): GROUP BY then follows the index order and needs
# no sorter. Joined after the date, under age and under age at joining are counted from the date
# indexes, the check digit from the partial index of broken IINs.
PACKED_SLOTS = [
    (N["status.withdrawn"], N["status.deceased"], N["status.excluded"]),   # the status sum needs no deep cascade
    (N["iin.date"], N["declaration.citizen"], N["declaration.other_party"]),
    (N["declaration.barred"], N["consent.missing"]),
]
DATE_INDEX_REASONS = (N["joined.after_as_of"], N["age.under_minimum"], N["age.under_minimum_at_joining"],
                      N["iin.checksum"])
SLOT_BITS = 21
PACK_LIMIT = (1 << SLOT_BITS) - 1


def _packed_sum(slot: tuple[int, ...]) -> str:
    shift = {k: SLOT_BITS * i for i, k in enumerate(slot)}
    return f"SUM({el.case_sql(lambda k: (1 << shift[k]) if k in shift else 0, upto=max(slot))})"


TOTALS_SQL = "SELECT nullif(unit_code, ''), nullif(locality, ''), n FROM member_tally WHERE n > 0"
# the projection window's sign-ups, counted in Python: a GROUP BY here needs a sorter (see above)
RECENT_SQL = ("SELECT unit_code, locality FROM member INDEXED BY ix_member_report_joined "
              "WHERE joined_on > :since AND joined_on <= :as_of")
# All reason sums in one pass over the partial index (with bound parameters this form ran 10x slower;
# see with_literals).
FLAGGED_SQL = (f"SELECT unit_code, locality, {', '.join(_packed_sum(slot) for slot in PACKED_SLOTS)} FROM member "
               f"INDEXED BY ix_member_report_flagged WHERE {REPORT_FLAG_SQL} GROUP BY unit_code, locality")
# Joined after the date and under age come right after "no birth date" and the status in the primary
# order, so these need only the columns their covering date indexes hold (no rowid lookups, no CASE, no IIN).
_STATUS_NOT_EFFECTIVE = f"NOT ({el.STATUS_EFFECTIVE_SQL})"
LATE_SQL = (f"SELECT unit_code, locality, count(*) FROM member INDEXED BY ix_member_report_joined "
            f"WHERE joined_on > :as_of AND birth_date IS NOT NULL AND {_STATUS_NOT_EFFECTIVE} GROUP BY 1, 2")
MINOR_SQL = (f"SELECT unit_code, locality, count(*) FROM member INDEXED BY ix_member_report_birth "
             f"WHERE birth_date > :born_by AND {_STATUS_NOT_EFFECTIVE} "
             f"AND (joined_on IS NULL OR joined_on <= :as_of) GROUP BY 1, 2")
# Under age on the day of joining (but of age on the date): a range on the birth index, bounded below by
# ``:joined_born_by`` (old enough on the earliest joining day in the ledger: nobody older can have been
# a minor when they joined), so it reads only the youngest members.
JOINING_MINOR_SQL = (f"SELECT unit_code, locality, count(*) FROM member INDEXED BY ix_member_report_birth "
                     f"WHERE birth_date > :joined_born_by AND birth_date <= :born_by AND {_STATUS_NOT_EFFECTIVE} "
                     f"AND joined_on <= :as_of AND {el.AGE_AT_JOINING_SQL} GROUP BY 1, 2")
FIRST_JOINED_SQL = "SELECT min(joined_on) FROM member"
# Missing consent for members outside the flagged index (those inside get it from the CASE): only run
# when the campaign requires consent, as it reads every unflagged member. The date reasons come first
# in the primary order, so late joiners and minors (now or at joining) are left to their own queries.
# ``IS NOT 1`` because the flag is NULL, not false, for rows with blank declarations.
NO_CONSENT_SQL = el.NO_CONSENT_SQL
CONSENT_SQL = (f"SELECT unit_code, locality, count(*) FROM member WHERE ({REPORT_FLAG_SQL}) IS NOT 1 "
               f"AND {NO_CONSENT_SQL} AND (joined_on IS NULL OR joined_on <= :as_of) "
               f"AND birth_date <= :born_by AND NOT coalesce(:check_age AND {el.AGE_AT_JOINING_SQL}, 0) "
               f"GROUP BY 1, 2")
# the check digit (last of the row reasons) only for rows in the tiny partial index of broken IINs
BAD_IIN_SQL = (f"SELECT unit_code, locality, count(*) FROM member INDEXED BY ix_member_report_bad_iin "
               f"WHERE {IIN_BAD_SQL} AND ({el.case_sql(upto=N['iin.checksum'] - 1)}) = 0 GROUP BY 1, 2")
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
    Re-measured with memory security off (issue 14, ``bench/literals_bench.py``, 1M members, load 6 on
    2 shared cores): it still pays, likely because constants let SQLite simplify the reason ``CASE`` as it
    prepares it (``:check_age AND ...`` with 1 or 0 written in): ``assess_readiness`` 212 ms with
    literals, 348 ms bound; the flagged sums 126 vs 144 ms.
    The values are dates and numbers made by the report itself (``literal`` refuses anything else).
    """
    return _PARAM.sub(lambda m: literal(params[m.group(1)]), sql)
