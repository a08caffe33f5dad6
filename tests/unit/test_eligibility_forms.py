"""The two forms of "who counts" (ledger/cleaning/eligibility.py) agree member by member on random ledgers.

Random members go into a real in-memory ledger (full schema: the report's partial and covering indexes,
the tally triggers). For each one, the SQL CASE the report runs and the Python rules the member listing
runs must give the same primary reason; the report's aggregate path (packed sums over the flagged
index, range scans over the date indexes) must give the same counts per reason as the Python form.
Dates cluster around the boundaries that matter: the 18th birthday on the date and on the day of
joining (29 February included), the joining date, the status date.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from partyledger.ledger.storage import db
from partyledger.ledger.cleaning import eligibility as el
from partyledger.report import sql as q
from partyledger.report.counting import count_members, run
from partyledger.rules import load_rules

from report.builder import insert_members, member_row

KZ = load_rules("KZ")
DAYS = [date(2024, 6, 1), date(2026, 2, 28), date(2026, 3, 1), date(2028, 2, 29)]


def _near(day: date, spread: int = 2):
    return st.integers(-spread, spread).map(lambda d: day + timedelta(days=d))


@st.composite
def params(draw) -> el.Params:
    return el.Params(as_of=draw(st.sampled_from(DAYS)), min_age=draw(st.sampled_from([18, 18, 21, None])),
                     citizens_only=draw(st.booleans()), one_party=draw(st.booleans()),
                     barred=draw(st.booleans()), require_consent=draw(st.booleans()))


@st.composite
def members(draw, p: el.Params) -> dict:
    joined = draw(st.one_of(st.none(), _near(p.as_of), st.dates(date(2020, 1, 1), date(2028, 12, 31)),
                            st.sampled_from([date(2026, 2, 28), date(2026, 3, 1), date(2024, 2, 29)])))
    age = p.min_age or 18
    anchors = [el.born_by(p.as_of, age)] + ([el.born_by(joined, age)] if joined else [])
    born = draw(st.one_of(st.dates(date(1940, 1, 1), date(2012, 12, 31)), st.sampled_from(anchors).flatmap(_near),
                          st.sampled_from([date(2008, 2, 29), date(2010, 2, 28), date(2006, 3, 1)])))
    status = draw(st.sampled_from(["active", "active", "withdrawn", "deceased", "excluded"]))
    consent = draw(st.booleans())
    row = member_row(born=born, joined=joined, status=status,
                     status_on=draw(st.one_of(st.none(), _near(p.as_of, 1), st.dates(date(2022, 1, 1), date(2028, 12, 31)))),
                     citizen=draw(st.sampled_from([True, False, None])),
                     other_party=draw(st.sampled_from([True, False, None])),
                     barred=draw(st.sampled_from([True, False, None])), consent=consent,
                     bad_checksum=draw(st.integers(0, 15)) == 0, no_birth_date=draw(st.integers(0, 15)) == 0)
    if consent and draw(st.booleans()):        # evidence by one of the two, or an empty reference
        row["signed_on" if draw(st.booleans()) else "application_ref"] = None
    elif not consent and draw(st.booleans()):
        row["application_ref"] = ""
    return row


@st.composite
def ledgers(draw):
    p = draw(params())
    return p, draw(st.lists(members(p), min_size=1, max_size=25))


ENGINE = db.memory_engine()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers())
def test_sql_and_python_give_every_member_the_same_primary_reason(ledger):
    p, rows = ledger
    with db.session_scope(ENGINE) as s:
        s.execute(text("DELETE FROM member"))
        ids = insert_members(s, rows)
        conn = s.connection().connection.dbapi_connection
        sql_says = dict(run(conn, f"SELECT id, {q.REASON_CASE} FROM member", p.sql()))
        cursor = conn.execute("SELECT * FROM member")
        names = [c[0] for c in cursor.description]
        stored = {m["id"]: m for m in (dict(zip(names, r)) for r in cursor.fetchall())}
        counts = count_members(conn, KZ, p, score_min=80.0)
        s.rollback()
    python_says = {}
    for mid in ids:
        found = el.reasons(stored[mid], p)
        assert (found[0] if found else None) == el.primary(stored[mid], p)
        python_says[mid] = el.NUMBER[found[0]] if found else 0
        assert python_says[mid] == sql_says[mid], (stored[mid], found, el.REASONS.get(sql_says[mid]))
    # the aggregate path (packed sums, date-index ranges, consent and check-digit queries) agrees too
    expected = Counter(el.REASONS[n] for n in python_says.values() if n)
    row_reasons = {k: v for k, v in counts.excluded.items() if k in el.ROW_REASONS}
    assert row_reasons == dict(expected)


def test_the_python_form_reads_orm_objects_as_it_reads_stored_rows():
    from partyledger.ledger.models import Member

    p = el.Params(as_of=date(2026, 6, 1), min_age=18, citizens_only=True, one_party=True, barred=True,
                  require_consent=True)
    row = member_row(born=date(2006, 9, 1), joined=date(2024, 3, 1), citizen=False, consent=False)
    member = Member.model_validate(row)
    stored = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in row.items()}
    stored["status"] = "ACTIVE"
    stored["citizen"] = 0
    assert el.reasons(member, p) == el.reasons(stored, p) == [
        "age.under_minimum_at_joining", "declaration.citizen", "consent.missing"]


def test_one_reason_order_everywhere():
    from partyledger.ledger.issues import CATALOGUE

    assert el.ORDER[:len(el.ROW_REASONS)] == el.ROW_REASONS
    assert set(el.ORDER) <= set(CATALOGUE)
    assert el.ORDER.index("age.under_minimum") < el.ORDER.index("age.under_minimum_at_joining") \
        < el.ORDER.index("declaration.citizen")
