"""Does ``report/sql.with_literals`` still pay? The report's queries with literals vs bound parameters.

``with_literals`` was added while the ledger ran with ``cipher_memory_security = ON``, when bound
parameters made the per-reason sums 10-20x slower (every affinity conversion was an allocation with an
mlock/munlock pair). The ledger now turns memory security off; issue 14 asked to re-measure and to
delete the rewriting if it no longer pays. This prints, in one run on the cached 1M ledger:

1. each query ``count_members`` runs, literals vs bound, interleaved, best of ``--runs``;
2. ``assess_readiness`` end to end as the product runs it (literals) vs with ``counting.run`` binding
   instead, interleaved, best of ``--runs``.

    .venv/bin/python bench/literals_bench.py [--rows 1000000] [--runs 7] [--consent] [--memsec-on]

Uses the ledger ``bench/report_bench.py`` builds and caches in ``bench/out/`` (run that first), opened
through the engine as the CLI's report does. Not run by the test suite.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import report_bench  # noqa: E402

from partyledger.ledger.cleaning import eligibility as el  # noqa: E402
from partyledger.ledger.storage import db  # noqa: E402
from partyledger.report import assess_readiness, counting  # noqa: E402
from partyledger.report import sql as q  # noqa: E402
from partyledger.rules import load_rules  # noqa: E402

QUERIES = ["TOTALS_SQL", "FLAGGED_SQL", "LATE_SQL", "MINOR_SQL", "JOINING_MINOR_SQL", "BAD_IIN_SQL", "CONSENT_SQL",
           "RECENT_SQL", "FIRST_JOINED_SQL", "DUPLICATE_PAIRS_SQL"]


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def bound_run(dbapi, sql: str, params: dict[str, object]) -> list[tuple]:
    """``counting.run`` without the rewriting: the parameters bound."""
    return dbapi.execute(sql, params).fetchall()


def per_query(conn, params: dict[str, object], runs: int, consent: bool) -> None:
    total_lit = total_bound = 0.0
    for name in QUERIES:
        if name == "CONSENT_SQL" and not consent:
            continue
        text = getattr(q, name)
        literal = q.with_literals(text, params)
        assert conn.execute(literal).fetchall() == conn.execute(text, params).fetchall(), name
        lit = bound = float("inf")
        for i in range(runs):           # alternate which form goes first
            pair = [lambda: conn.execute(literal).fetchall(), lambda: conn.execute(text, params).fetchall()]
            order = (0, 1) if i % 2 == 0 else (1, 0)
            spent = {k: timed(pair[k]) for k in order}
            lit, bound = min(lit, spent[0]), min(bound, spent[1])
        total_lit += lit
        total_bound += bound
        print(f"  {name:20s} literals {lit * 1000:8.2f} ms   bound {bound * 1000:8.2f} ms   "
              f"bound/literals {bound / max(lit, 1e-9):5.2f}x")
    print(f"  sum: literals {total_lit * 1000:.1f} ms, bound {total_bound * 1000:.1f} ms "
          f"({total_bound / total_lit:.2f}x)")


def end_to_end(session, rules, runs: int) -> None:
    product = counting.run
    lit = bound = float("inf")
    first = assess_readiness(session, rules, as_of=report_bench.AS_OF)
    for i in range(runs):
        for form in ((0, 1) if i % 2 == 0 else (1, 0)):
            counting.run = product if form == 0 else bound_run
            spent = timed(lambda: assess_readiness(session, rules, as_of=report_bench.AS_OF))
            lit, bound = (min(lit, spent), bound) if form == 0 else (lit, min(bound, spent))
    counting.run = bound_run
    assert assess_readiness(session, rules, as_of=report_bench.AS_OF).excluded == first.excluded
    counting.run = product
    print(f"assess_readiness: literals (the product) {lit * 1000:.1f} ms, bound {bound * 1000:.1f} ms "
          f"({bound / lit:.2f}x)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--consent", action="store_true",
                    help="also CONSENT_SQL (it runs only when a campaign requires consent; it reads every member)")
    ap.add_argument("--memsec-on", action="store_true", help="cipher_memory_security = ON (the former setting)")
    args = ap.parse_args()
    if args.memsec_on:
        report_bench._with_memory_security()
    path = report_bench.OUT / f"report_{args.rows}.db"
    if not path.exists():
        sys.exit(f"{path} is missing: run bench/report_bench.py --rows {args.rows} first")
    engine = db.open_ledger(path, report_bench.PASSPHRASE)
    rules = load_rules("KZ")
    as_of = report_bench.AS_OF
    p = el.Params.of(rules.at(as_of), as_of, args.consent)
    with db.session_scope(engine) as session:
        conn = session.connection().connection.dbapi_connection
        first = conn.execute(q.FIRST_JOINED_SQL).fetchone()[0]
        params = p.sql() | {"since": (as_of - timedelta(days=28)).isoformat(), "score_min": 80.0,
                            "joined_born_by": el.born_by(date.fromisoformat(first), p.min_age).isoformat()}
        print(f"{args.rows:,} members; best of {args.runs}, the two forms interleaved on one connection")
        per_query(conn, params, args.runs, args.consent)
        end_to_end(session, rules, args.runs)
    engine.dispose()


if __name__ == "__main__":
    main()
