"""The encrypted ledger file and what keeps it whole: open, unlock, key file, backup, restore, rekey,
the schema migrations, the audit chain, the row seal and ``verify``.

Separate because this is the only place that knows the ledger is a SQLCipher file on disk (its
pragmas, its key, its copies, its Alembic history) and how tampering is detected; the member, import
and dedupe code above it only ever receives a session. Team mode on PostgreSQL replaces this package,
not its callers.
"""
