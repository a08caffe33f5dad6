"""Who counts on a date: the one definition, in the two forms the code needs, with one reason order.

A member, an initiative-group member, a committee member and a congress attendee all count only if
none of the row reasons below applies on the date. The same table gives:

- the SQL form (``case_sql``: the primary reason of a ``member`` row as a number, 0 = counts), which the
  readiness report runs as aggregates over indexes (``report/sql.py``, ``report/counting.py``);
- the Python form (``reasons``: every reason that applies to one row, primary first), which the
  member-by-member listing, ``members show`` and the tests use, and ``role_reasons``, the same test
  for the initiative group, the committee and congress attendees.

Each reason is written once in each form, next to each other, so a change to one shows next to the
other; a property test (tests/unit/test_eligibility_forms.py) runs both on random ledgers and checks
they agree member by member. The row reasons come first in ``ORDER``; the reasons that need more than
one row (an open duplicate pair, a unit that cannot be placed on the date) follow, applied by the
report after these.

Minimum age is checked twice: on the date (``age.under_minimum``: not yet old enough) and on the day
the member joined (``age.under_minimum_at_joining``): someone who signed up at 17 was never validly
admitted, so turning 18 later does not make them count; they must sign up again. Both use whole years
with a 29 February birthday falling on 1 March in common years (``dates.age_on``).

This module imports no ORM: the app's dashboard reads the report before SQLAlchemy is loaded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Callable

from partyledger.ledger.cleaning.dates import age_on
from partyledger.ledger.cleaning.iin import check_digit
from partyledger.ledger.sqltext import iin_bad_sql


def _digit(i: int) -> str:
    """Digit i (1-12) of the IIN by integer arithmetic: no string is allocated per row."""
    return f"((CAST(iin AS INTEGER) / {10 ** (12 - i)}) % 10)"


# Same test as sqltext.IIN_BAD_SQL (which must stay textually frozen for the partial index), but with
# integer arithmetic: each substr() result is an allocation, measurably slower on the flagged scan.
IIN_BAD_FAST_SQL = iin_bad_sql(_digit)

# A status change counts from its date; with no date it is taken as already in effect.
STATUS_EFFECTIVE_SQL = "status != 'ACTIVE' AND (status_on IS NULL OR status_on <= :as_of)"
# Under the minimum age on the day of joining, as whole years: with dates as yyyymmdd integers J and B,
# the age is floor((J - B) / 10000), so "age < m" is "J - B < m * 10000" (exact, 29 February included).
AGE_AT_JOINING_SQL = ("(CAST(replace(joined_on, '-', '') AS INTEGER) "
                      "- CAST(replace(birth_date, '-', '') AS INTEGER)) < :min_age_x")
NO_CONSENT_SQL = "signed_on IS NULL AND (application_ref IS NULL OR application_ref = '')"


@dataclass(frozen=True)
class Params:
    """What the rules and the date decide, for both forms (``sql()`` gives the SQL parameters)."""

    as_of: date
    min_age: int | None           # None: no age rule known
    citizens_only: bool
    one_party: bool
    barred: bool
    require_consent: bool

    @classmethod
    def of(cls, snapshot: Any, as_of: date, require_consent: bool) -> "Params":
        """From a ``rules.RuleSnapshot``. An unknown rule (None) counts as the strict one: better a
        member excluded on the report than a list refused by the ministry."""
        return cls(as_of=as_of, min_age=snapshot.min_age, citizens_only=snapshot.citizens_only is not False,
                   one_party=snapshot.one_party_only is not False, barred=bool(snapshot.barred),
                   require_consent=bool(require_consent))

    @property
    def born_by(self) -> date | None:
        """Latest birth date that is ``min_age`` years old on ``as_of``; None when no age rule."""
        return born_by(self.as_of, self.min_age)

    def sql(self) -> dict[str, object]:
        return {"as_of": self.as_of.isoformat(), "born_by": (self.born_by or date.max).isoformat(),
                "check_age": int(self.min_age is not None), "min_age_x": (self.min_age or 0) * 10000,
                "joined_born_by": "0001-01-01",     # the report passes a tighter bound from the ledger
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


def as_date(value: object) -> date | None:
    """A ``date`` from a stored ISO text (or a date already)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


class _Row:
    """One member's stored values, from a DB-API row dict or a ``Member``/``MemberDraft``-like object."""

    __slots__ = ("birth", "status", "effective", "joined", "said_not_citizen", "said_other_party", "said_barred",
                 "consent", "iin")

    def __init__(self, row: Any, as_of: date) -> None:
        get = row.get if isinstance(row, Mapping) else (lambda k: getattr(row, k, None))
        self.birth, self.joined = as_date(get("birth_date")), as_date(get("joined_on"))
        raw = get("status") or "ACTIVE"
        self.status = getattr(raw, "name", str(raw)).upper()
        status_on = as_date(get("status_on"))
        self.effective = self.status != "ACTIVE" and (status_on is None or status_on <= as_of)
        # stored 0/1/NULL (SQL) or False/True/None (ORM): only an explicit "no" excludes
        self.said_not_citizen = get("citizen") == 0
        self.said_other_party = get("not_in_other_party") == 0
        self.said_barred = get("not_barred") == 0
        self.consent = get("signed_on") is not None or bool(get("application_ref"))
        self.iin = get("iin")


def _iin_bad(iin: object) -> bool:
    if not isinstance(iin, str) or len(iin) != 12 or not iin.isdigit():
        return True
    return check_digit(iin[:11]) != int(iin[11])


def _under_at_joining(r: _Row, p: Params) -> bool:
    return (p.min_age is not None and r.birth is not None and r.joined is not None
            and age_on(r.birth, r.joined) < p.min_age)


# The row reasons in primary order: (code, SQL condition on a ``member`` row, the same test in Python).
# The SQL CASE takes the first condition that holds; ``reasons`` lists every test that holds, in order.
RULES: tuple[tuple[str, str, Callable[[_Row, Params], bool]], ...] = (
    ("iin.date", "birth_date IS NULL", lambda r, p: r.birth is None),
    ("status.withdrawn", f"status = 'WITHDRAWN' AND {STATUS_EFFECTIVE_SQL}",
     lambda r, p: r.effective and r.status == "WITHDRAWN"),
    ("status.deceased", f"status = 'DECEASED' AND {STATUS_EFFECTIVE_SQL}",
     lambda r, p: r.effective and r.status == "DECEASED"),
    ("status.excluded", f"status NOT IN ('WITHDRAWN', 'DECEASED') AND {STATUS_EFFECTIVE_SQL}",
     lambda r, p: r.effective and r.status not in ("WITHDRAWN", "DECEASED")),
    ("joined.after_as_of", "joined_on > :as_of", lambda r, p: r.joined is not None and r.joined > p.as_of),
    ("age.under_minimum", "birth_date > :born_by",
     lambda r, p: r.birth is not None and p.born_by is not None and r.birth > p.born_by),
    # ``:joined_born_by`` only saves work: a text comparison that rules out everyone old enough on the
    # ledger's first joining day before the arithmetic (which allocates) runs; any earlier day is correct
    ("age.under_minimum_at_joining", f":check_age AND birth_date > :joined_born_by AND {AGE_AT_JOINING_SQL}",
     _under_at_joining),
    ("declaration.citizen", ":citizens_only AND citizen = 0", lambda r, p: p.citizens_only and r.said_not_citizen),
    ("declaration.other_party", ":one_party AND not_in_other_party = 0", lambda r, p: p.one_party and r.said_other_party),
    ("declaration.barred", ":barred AND not_barred = 0", lambda r, p: p.barred and r.said_barred),
    ("consent.missing", f":require_consent AND {NO_CONSENT_SQL}", lambda r, p: p.require_consent and not r.consent),
    ("iin.checksum", IIN_BAD_FAST_SQL, lambda r, p: _iin_bad(r.iin)),
)
ROW_REASONS: tuple[str, ...] = tuple(code for code, _, _ in RULES)
# every reason the report names, primary first: the row reasons, then those that need other rows
ORDER: tuple[str, ...] = ROW_REASONS + ("duplicate.candidate", "unit.missing", "unit.unknown", "unit.ambiguous")
# the SQL CASE's result: 0 = counts, n = ROW_REASONS[n - 1]
NUMBER: dict[str, int] = {code: i + 1 for i, code in enumerate(ROW_REASONS)}
REASONS: dict[int, str] = {n: code for code, n in NUMBER.items()}


def reasons(row: Any, p: Params) -> list[str]:
    """Every row reason that applies to one member on ``p.as_of``, primary first (empty: counts)."""
    r = _Row(row, p.as_of)
    return [code for code, _, test in RULES if test(r, p)]


def role_reasons(row: Mapping[str, Any], since: date | None, p: Params) -> list[str]:
    """The same test for a role holder (initiative group, committee, congress attendee) on ``p.as_of``.

    The person must qualify as a member must: status, age, citizenship, one party, barred categories,
    IIN. What belongs to the membership record does not apply: the day they took the role is their
    joining day (so "under age at joining" means under age when they joined the group, and a later
    membership date does not exclude a founder), and no signed membership application is asked (the
    group signs its own list).
    """
    return reasons({**row, "joined_on": since}, replace(p, require_consent=False))


def primary(row: Any, p: Params) -> str | None:
    """The first reason (what the SQL CASE gives), or None when the member counts."""
    r = _Row(row, p.as_of)
    return next((code for code, _, test in RULES if test(r, p)), None)


def case_sql(value_of: Callable[[int], object] = lambda n: n, upto: int = len(RULES)) -> str:
    """The primary-reason CASE over a ``member`` row; ``value_of(n)`` is what reason n yields (0 = counts).

    ``upto`` drops the WHENs after reason ``upto``, which is safe when those would all yield 0 (a row
    that reaches them yields 0 either way); reason 1 is always kept. The three status reasons are one
    WHEN with a CASE on the status inside: the same test, and on 1M members ~20% faster than three.
    """
    whens = []
    for code, cond, _ in RULES:
        n = NUMBER[code]
        if n > upto and n != 1:
            continue
        if code in _STATUS_VALUE:
            if code == "status.withdrawn":
                inner = " ".join(f"WHEN '{_STATUS_VALUE[c]}' THEN {value_of(NUMBER[c])}"
                                 for c in ("status.withdrawn", "status.deceased"))
                whens.append(f" WHEN {STATUS_EFFECTIVE_SQL} THEN (CASE status {inner} "
                             f"ELSE {value_of(NUMBER['status.excluded'])} END)")
            continue
        whens.append(f" WHEN {cond} THEN {value_of(n)}")
    return "CASE" + "".join(whens) + " ELSE 0 END"


_STATUS_VALUE = {"status.withdrawn": "WITHDRAWN", "status.deceased": "DECEASED", "status.excluded": "EXCLUDED"}


def rank(code: str) -> int:
    """Position of a reason in ``ORDER`` (unknown codes last), for sorting counts by reason."""
    return ORDER.index(code) if code in ORDER else len(ORDER)
