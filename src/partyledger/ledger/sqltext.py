"""SQL texts that partial indexes and the readiness report must share word for word.

SQLite uses a partial index only when the query repeats the index's WHERE text, so ``models.py``
(which declares the indexes) and ``report/sql.py`` (which queries them) both take these constants
from here. This module imports nothing heavy: the app's start-up path reads the dashboard without
SQLModel. The migrations keep their own frozen copies on purpose; a test checks the live schema.
"""

from __future__ import annotations


def _iin_digit(i: int) -> str:
    return f"CAST(substr(iin, {i}, 1) AS INTEGER)"


def iin_bad_sql(digit=_iin_digit) -> str:
    """True when the stored IIN is not 12 characters or its check digit is wrong (the algorithm of
    ledger.iin), with ``digit(i)`` giving the SQL of digit i (1-12)."""
    def weighted(weights: tuple[int, ...]) -> str:
        return "(" + " + ".join(f"{w} * {digit(i + 1)}" for i, w in enumerate(weights)) + ") % 11"

    s1, s2 = weighted((1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)), weighted((3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2))
    return (f"(length(iin) != 12 OR (CASE WHEN {s1} != 10 THEN {s1} WHEN {s2} != 10 THEN {s2} "
            f"ELSE -1 END) != {digit(12)})")


# The partial indexes' form: frozen, word for word, in migrations 0002/0005 (a test checks the schema).
IIN_BAD_SQL = iin_bad_sql()
# Members who may be out of the count for a reason that does not depend on the report date (plus the
# non-active ones, whose status date does). The readiness report scans only this partial index for its
# reasons; the query repeats this exact text so SQLite can use the index (report/sql.py). Missing
# consent evidence is not in it (migration 0005): many ledgers record no application numbers at all,
# which put every member in this "small" index; consent is counted separately, and only when the
# campaign requires it.
REPORT_FLAG_SQL = (
    "(status != 'ACTIVE' OR birth_date IS NULL OR citizen = 0 OR not_in_other_party = 0 OR not_barred = 0"
    f" OR {IIN_BAD_SQL})"
)
REPORT_COLUMNS = ("unit_code", "locality", "status", "status_on", "birth_date", "joined_on", "citizen",
                  "not_in_other_party", "not_barred", "signed_on", "application_ref", "iin")


# Members per stored (unit code, locality), kept by triggers (migration 0006). The readiness report's
# totals read these few rows instead of the whole ``ix_member_report_units`` index: on 1M encrypted
# members that index pass cost ~125 ms with a cold page cache (every page decrypted), the largest part
# of the dashboard's first numbers, for ~2 us more per inserted member. NULL is stored as '' so the
# primary key can match it (SQLite's UNIQUE treats NULLs as distinct); readers turn '' back to NULL.
# Triggers fire on every write, bulk executemany included, so the tally cannot drift from the table.
TALLY_TRIGGERS = (
    "CREATE TRIGGER member_tally_insert AFTER INSERT ON member BEGIN "
    "INSERT INTO member_tally (unit_code, locality, n) "
    "VALUES (coalesce(new.unit_code, ''), coalesce(new.locality, ''), 1) "
    "ON CONFLICT (unit_code, locality) DO UPDATE SET n = n + 1; END",
    "CREATE TRIGGER member_tally_delete AFTER DELETE ON member BEGIN "
    "UPDATE member_tally SET n = n - 1 "
    "WHERE unit_code = coalesce(old.unit_code, '') AND locality = coalesce(old.locality, ''); END",
    "CREATE TRIGGER member_tally_update AFTER UPDATE OF unit_code, locality ON member "
    "WHEN old.unit_code IS NOT new.unit_code OR old.locality IS NOT new.locality BEGIN "
    "UPDATE member_tally SET n = n - 1 "
    "WHERE unit_code = coalesce(old.unit_code, '') AND locality = coalesce(old.locality, ''); "
    "INSERT INTO member_tally (unit_code, locality, n) "
    "VALUES (coalesce(new.unit_code, ''), coalesce(new.locality, ''), 1) "
    "ON CONFLICT (unit_code, locality) DO UPDATE SET n = n + 1; END",
)
TALLY_FILL_SQL = ("INSERT INTO member_tally (unit_code, locality, n) SELECT coalesce(unit_code, ''), "
                  "coalesce(locality, ''), count(*) FROM member GROUP BY 1, 2")
