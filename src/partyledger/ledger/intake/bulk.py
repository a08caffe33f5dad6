"""A large batch is written with the member table's secondary indexes off, and they are built again after.

Each member row is in about ten indexes (the match keys, the report's covering and partial indexes,
the batch id). Kept up row by row, every insert lands at a random place in each of them: on a fresh
ledger that was half of a 100,000-row import, and at a million rows, when the indexes no longer fit
the page cache, most of its 135 s (every evicted page is decrypted again). A ``CREATE INDEX`` over
the finished table sorts once and writes each index page once.

All of it happens inside the batch's own transaction: SQLite's DDL is transactional, so a crash,
``kill -9`` or a cancel at any point rolls back to the ledger as it was, indexes and all. The indexes
are recreated from their stored ``CREATE INDEX`` texts, word for word, so partial indexes keep the
WHERE text the report's queries repeat. The unique IIN index stays: it enforces the constraint and
serves the per-chunk lookups of known IINs.

The ``member_tally`` insert trigger (one upsert per inserted row) is off too; the batch's members are
added to the tally in one ``GROUP BY`` before the trigger is back, so the counts the report reads
match the table exactly (the delete and update triggers stay on: a batch only updates members that
were there before it).

SQLite-only: ``sqlite_master``, the trigger texts. A PostgreSQL twin would drop and recreate the same
indexes (transactional DDL there too) and keep the tally with a statement-level trigger.
"""

from __future__ import annotations

from sqlalchemy import Connection

# Below this many rows the row-by-row upkeep costs less than sorting the whole table again.
MIN_ROWS = 20_000
TALLY_INSERT_TRIGGER = "member_tally_insert"
TALLY_ADD_SQL = ("INSERT INTO member_tally (unit_code, locality, n) SELECT coalesce(unit_code, ''), "
                 "coalesce(locality, ''), count(*) FROM member WHERE batch_id = ? GROUP BY 1, 2 "
                 "ON CONFLICT (unit_code, locality) DO UPDATE SET n = n + excluded.n")


def worth_it(expected_rows: int | None, members_now: int) -> bool:
    """Whether a batch of about ``expected_rows`` new members is large against a ledger of ``members_now``:
    rebuilding sorts every member again, so it pays when the batch is at least as large as the ledger."""
    return expected_rows is not None and expected_rows >= MIN_ROWS and expected_rows >= members_now


def members_now(conn: Connection) -> int:
    """The member count from the tally (a few rows), not a scan of a million-row index."""
    return int(conn.exec_driver_sql("SELECT coalesce(sum(n), 0) FROM member_tally").scalar() or 0)


class IndexesOff:
    """The member table's secondary indexes and tally insert trigger, dropped until ``restore``."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        rows = conn.exec_driver_sql(
            "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'member' AND sql IS NOT NULL "
            "AND (type = 'index' AND sql NOT LIKE 'CREATE UNIQUE INDEX%' OR type = 'trigger' AND name = ?) "
            "ORDER BY type, name", (TALLY_INSERT_TRIGGER,)).all()
        self.dropped: list[tuple[str, str, str]] = [(t, n, sql) for t, n, sql in rows]
        for kind, name, _sql in self.dropped:
            conn.exec_driver_sql(f'DROP {kind.upper()} "{name}"')

    def restore(self, batch_id: int) -> None:
        """Build the indexes again and bring the trigger back, after adding the batch's members to the tally."""
        for kind, _name, sql in self.dropped:
            if kind == "index":
                self.conn.exec_driver_sql(sql)
        if any(kind == "trigger" for kind, _n, _s in self.dropped):
            self.conn.exec_driver_sql(TALLY_ADD_SQL, (batch_id,))
        for kind, _name, sql in self.dropped:
            if kind == "trigger":
                self.conn.exec_driver_sql(sql)
        self.dropped = []
