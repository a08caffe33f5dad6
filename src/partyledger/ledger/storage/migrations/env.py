"""Alembic environment for the ledger, driven from ``partyledger.ledger.storage.db``.

The caller passes an open connection in ``config.attributes["connection"]`` (an unlocked SQLCipher
connection), so there is no alembic.ini and no URL with secrets in it. For developers generating a
revision, ``sqlalchemy.url`` may be set instead (a plain scratch SQLite file is enough).
``render_as_batch`` because SQLite can only ALTER a table by copying it.
"""

from alembic import context
from sqlalchemy import create_engine
from sqlmodel import SQLModel

import partyledger.ledger.models  # noqa: F401 - registers every table on SQLModel.metadata

target_metadata = SQLModel.metadata


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("partyledger migrations run online only")

_connection = context.config.attributes.get("connection")
if _connection is not None:
    _run(_connection)
else:
    with create_engine(context.config.get_main_option("sqlalchemy.url")).begin() as _conn:
        _run(_conn)
