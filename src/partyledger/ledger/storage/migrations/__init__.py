"""Alembic migrations of the ledger schema, run programmatically by ``partyledger.ledger.storage.db``."""
