"""Who counts on a date, as aggregates: totals per unit and excluded members per reason.

The rules and the reason order live in ``ledger/cleaning/eligibility.py``, the queries in ``report/sql.py``. This
module runs the queries, applies the two
rules that need more than one row (open duplicate pairs, units re-placed by date) and returns counts
only; it never loads members one by one. Groups are (stored unit code, locality): a unit split such as
June 2022 moves whole localities, so one ``unit_on`` call per group places every member in it.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from partyledger.ledger.cleaning import eligibility as el
from partyledger.progress import ProgressCallback, check_cancel, report
from partyledger.report import sql as q
from partyledger.rules.units import UnitResolution, weakest

if TYPE_CHECKING:
    from sqlcipher3.dbapi2 import Connection

    from partyledger.rules.model import RuleSet

Group = tuple[str | None, str | None]
_MISSING = UnitResolution(None, "missing", "no unit stored")


@dataclass
class Counts:
    members_in_ledger: int
    by_unit: Counter                       # unit code in force on the date -> members counted
    excluded: Counter                      # primary reason code -> members
    duplicate_pairs: int                   # open high-score pairs where both members would count
    duplicate_ids: set[int] = field(default_factory=set)
    recent_by_unit: Counter = field(default_factory=Counter)
    recent_total: int = 0
    maybe_moved: Counter = field(default_factory=Counter)    # counted in a unit that was split, town unknown
    moved_to: dict[str, tuple[str, ...]] = field(default_factory=dict)   # unit code -> its split-off units
    confidence: dict[str, str] = field(default_factory=dict)  # unit code -> weakest tag a placement used


def run(dbapi: Connection, sql: str, params: dict[str, object]) -> list[tuple]:
    """Execute on a DB-API connection (``reads.dbapi_of``), parameters written in as literals (see
    ``sql.with_literals``: bound parameters made the sums 10-20x slower under cipher_memory_security).

    Every opening migrates the ledger first (``unlock``, ``db.open_ledger``), so the report indexes the
    queries name in ``INDEXED BY`` are always there; a missing one is a broken file and fails loudly.
    """
    return dbapi.execute(q.with_literals(sql, params)).fetchall()


def place(rules: RuleSet, code: str | None, locality: str | None, as_of: date) -> tuple[str | None, str]:
    """The unit in force on ``as_of`` for a stored unit code and locality, or (None, unit.* status).

    The status is "maybe_moved" (with the code) when the member counts in a region that lost territory
    to a split and no town says which side they live on ("ВКО" with no town after 8 June 2022).
    Where no unit catalogue covers the date (KZ before 2002, when the law had no regional rule) members
    are not placed at all: their stored code is kept and no one is excluded for it.
    """
    res = placement(rules, code, locality, as_of)
    if res is None:
        return code or "", "ok"
    if not res.ok:
        return None, res.status
    return res.code, res.flag or "ok"


def placement(rules: RuleSet, code: str | None, locality: str | None, as_of: date) -> UnitResolution | None:
    """The catalogue's ``UnitResolution`` for a stored unit (None where no catalogue covers the date)."""
    catalogue = getattr(rules, "units", None)
    if catalogue is None or not catalogue.in_force(as_of):
        return None
    if not code:
        return _MISSING
    return catalogue.unit_on(code, locality, as_of)


def _excluded_by_group(conn: Connection, params: dict[str, object], p: el.Params, large: bool,
                       joining: bool) -> tuple[dict[Group, int], Counter]:
    """Primary reason counts per group. ``joining``: someone has a joining date, and a minimum age is known."""
    per_group: dict[Group, int] = defaultdict(int)
    reasons: Counter = Counter()

    def add(group: Group, r: int, n: int) -> None:
        per_group[group] += n
        reasons[el.REASONS[r]] += n

    if large:      # a group might overflow the packed sums: the plain (sorting) form
        for unit, loc, r, n in run(conn, q.FLAGGED_PLAIN_SQL, params):
            if r and r not in q.DATE_INDEX_REASONS:
                add((unit, loc), r, n)
    else:
        for unit, loc, *sums in run(conn, q.FLAGGED_SQL, params):
            for slot, total in zip(q.PACKED_SLOTS, sums):
                for r, n in q.unpack(slot, total).items():
                    add((unit, loc), r, n)
    queries = [(q.LATE_SQL, "joined.after_as_of"), (q.MINOR_SQL, "age.under_minimum"),
               (q.BAD_IIN_SQL, "iin.checksum")]
    if joining:
        queries.append((q.JOINING_MINOR_SQL, "age.under_minimum_at_joining"))
    if p.require_consent:
        queries.append((q.CONSENT_SQL, "consent.missing"))
    for sql, code in queries:
        for unit, loc, n in run(conn, sql, params):
            add((unit, loc), el.NUMBER[code], n)
    return per_group, reasons


def _joined_bound(conn: Connection, p: el.Params) -> dict[str, object]:
    """``joined_born_by``: old enough on the ledger's first joining day (nobody born earlier can have
    joined under age), which lets the under-age-at-joining test skip nearly every row cheaply."""
    first = run(conn, q.FIRST_JOINED_SQL, {})[0][0] if p.min_age is not None else None
    if first is None:
        return {}
    return {"joined_born_by": el.born_by(el.as_date(first), p.min_age).isoformat()}


def _duplicates(conn: Connection, params: dict[str, object], score_min: float) -> tuple[set[int], dict[int, Group]]:
    """Members excluded as the higher-id half of an open high-score pair whose both halves would count."""
    pairs = run(conn, q.DUPLICATE_PAIRS_SQL, {"score_min": score_min})
    if not pairs:
        return set(), {}
    ids = sorted({i for pair in pairs for i in pair})
    info: dict[int, tuple[Group, int]] = {}
    for start in range(0, len(ids), 500):
        chunk = ",".join(str(int(i)) for i in ids[start:start + 500])
        for mid, unit, loc, r in run(conn, q.REASON_OF_IDS_SQL.format(ids=chunk), params):
            info[mid] = ((unit, loc), r)
    excluded: set[int] = set()
    for a, b in pairs:
        lo, hi = min(a, b), max(a, b)
        if lo in info and hi in info and info[lo][1] == 0 and info[hi][1] == 0 \
                and lo not in excluded and hi not in excluded:
            excluded.add(hi)
    return excluded, {i: info[i][0] for i in excluded}


def unit_totals(conn: Connection) -> dict[Group, int]:
    """Members per stored (unit code, locality), date-independent: the trigger-kept ``member_tally``."""
    return {(u, l): n for u, l, n in run(conn, q.TOTALS_SQL, {})}


def count_members(conn: Connection, rules: RuleSet, p: el.Params, *, score_min: float, recent_days: int = 28,
                  on_progress: ProgressCallback | None = None, cancel: threading.Event | None = None) -> Counts:
    params = p.sql() | {"since": (p.as_of - timedelta(days=recent_days)).isoformat()}
    bound = _joined_bound(conn, p)
    params |= bound
    report(on_progress, 0, 4, "counting members per unit")
    totals = unit_totals(conn)
    check_cancel(cancel)
    report(on_progress, 1, 4, "finding who does not count")
    excluded_in, reasons = _excluded_by_group(conn, params, p, large=sum(totals.values()) > q.PACK_LIMIT,
                                              joining=bool(bound))
    check_cancel(cancel)
    report(on_progress, 2, 4, "open duplicate pairs")
    dup_ids, dup_groups = _duplicates(conn, params, score_min)
    for group in dup_groups.values():
        excluded_in[group] += 1
    if dup_ids:
        reasons["duplicate.candidate"] += len(dup_ids)
    check_cancel(cancel)
    report(on_progress, 3, 4, "placing units on the date")
    by_unit: Counter = Counter()
    flags = Counts(0, by_unit, reasons, 0)
    catalogue = getattr(rules, "units", None)
    for unit in catalogue.in_force(p.as_of) if catalogue is not None else ():
        if catalogue.unit_confidence(unit.code) != "C":     # a unit whose own dates are uncertain (2018: [P])
            flags.confidence[unit.code] = catalogue.unit_confidence(unit.code)
    for (unit, loc), n in totals.items():
        counted = n - excluded_in.get((unit, loc), 0)
        if counted <= 0:
            continue
        code, status = place(rules, unit, loc, p.as_of)
        if code is None:
            reasons[f"unit.{status}"] += counted
        else:
            by_unit[code] += counted
            _note_placement(flags, placement(rules, unit, loc, p.as_of), counted)
    recent: Counter = Counter()
    for (unit, loc), n in Counter(run(conn, q.RECENT_SQL, params)).items():
        recent[place(rules, unit, loc, p.as_of)[0]] += n
    report(on_progress, 4, 4, "done")
    return Counts(sum(totals.values()), by_unit, reasons, len(dup_ids), dup_ids, recent, sum(recent.values()),
                  flags.maybe_moved, flags.moved_to, flags.confidence)


def _note_placement(counts: Counts, res: UnitResolution | None, n: int) -> None:
    """Keep what a placement says beyond its code: the split flag and the tag of the facts it used."""
    if res is None or res.code is None:
        return
    if res.flag == "maybe_moved":
        counts.maybe_moved[res.code] += n
        counts.moved_to[res.code] = tuple(c for c in res.candidates if c != res.code)
    if res.confidence != "C":
        counts.confidence[res.code] = weakest(counts.confidence.get(res.code, "C"), res.confidence)
