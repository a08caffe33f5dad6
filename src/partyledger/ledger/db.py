"""The encrypted ledger file: create, open (and migrate), sessions.

Wiring (research/security-infra.md 1.2, measured): ``create_engine("sqlite:///PATH",
module=sqlcipher3.dbapi2)`` keeps SQLAlchemy's exception translation (an existing IIN is an
``IntegrityError``) and a ``QueuePool``, so the argon2id key is derived once per open and every
pooled connection unlocks with the raw key in 0.5 ms. The ``connect`` event sets, in this order:
``cipher_log_level = NONE`` (otherwise a wrong key makes SQLCipher write to stderr, over the TUI),
the key, ``cipher_memory_security = OFF``, foreign keys, WAL with ``synchronous = NORMAL``, and a
64 MiB page cache: SQLCipher decrypts every page it re-reads, and bulk inserts ran 2.9x slower than
plain SQLite with the default 2 MB cache (research/perf-limits.md).

Memory security is off on purpose (SQLCipher's own default since 4.5). When on, it wraps every
SQLite allocation in mlock/munlock and wipes it on free; measured here on the member table with its
report indexes, 20,000 inserts took 4.8 s instead of 0.62 s (7.7x), and report queries paid the same
per-allocation cost. SQLCipher still wipes its key material with it off. What it would add, wiping
decrypted pages from freed memory, does not change the threat we can address: a laptop seized while
the ledger is unlocked is exposed either way, which is why the app locks itself when idle.

The schema belongs to Alembic from the first release (``ledger/migrations``, run programmatically:
users never see an alembic.ini). Opening a ledger written by an older release migrates it after a
byte copy of the encrypted file (``<ledger>.bak-<rev>``, with its key file); a newer one is refused.
"""

from __future__ import annotations

import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import QueuePool, StaticPool
from sqlmodel import Session, SQLModel

from partyledger.errors import LedgerError, LedgerExists, LedgerTooNew
from partyledger.ledger import keyfile, unlock
from partyledger.ledger.unlock import CACHE_KIB, SCHEMA_HEAD  # noqa: F401 - re-exported; they live in unlock.py

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def engine_from_key(path: Path, key: bytes) -> Engine:
    """The pooled engine of a ledger whose key is already derived (``unlock.unlock``): no second KDF."""
    engine = create_engine(f"sqlite:///{path}", module=sqlcipher, poolclass=QueuePool,
                           connect_args={"check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _unlock(dbapi_conn, _record) -> None:   # noqa: ANN001 - SQLAlchemy event signature
        unlock.apply_pragmas(dbapi_conn, key)

    return engine


def _alembic_config(connection: Connection):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The newest schema revision this code knows."""
    from alembic.script import ScriptDirectory

    cfg = _alembic_config(None)  # type: ignore[arg-type]
    return ScriptDirectory.from_config(cfg).get_current_head()


def _upgrade(connection: Connection) -> None:
    from alembic import command

    command.upgrade(_alembic_config(connection), "head")


def seed(session: Session, *, party_name: str = "", jurisdiction: str = "KZ") -> None:
    """The one Campaign row every ledger has, its seal (ledger/seal.py), and the first audit event."""
    from partyledger.ledger import audit, seal
    from partyledger.ledger.models import Campaign

    seal.ensure(session)
    campaign = Campaign(party_name=party_name, jurisdiction=jurisdiction)
    session.add(campaign)
    session.flush()
    audit.record(session, "ledger.created", "campaign", campaign.id,
                 after={"party_name": party_name, "jurisdiction": jurisdiction})


def create_ledger(path: Path | str, passphrase: str, *, party_name: str = "", jurisdiction: str = "KZ") -> Engine:
    """A new encrypted ledger at ``path`` with its key file; never overwrites an existing file."""
    path = Path(path)
    if path.exists():
        raise LedgerExists(f"there is already a file at {path}", "choose another --db path, or open that ledger")
    if not passphrase:
        raise LedgerError("the passphrase is empty", "choose a passphrase of several words")
    path.parent.mkdir(parents=True, exist_ok=True)
    params = keyfile.new_params()
    key = keyfile.derive_key(passphrase, params)
    keyfile.write_keyfile(keyfile.keyfile_path(path), params)
    engine = engine_from_key(path, key)
    try:
        with engine.begin() as conn:
            _upgrade(conn)
        with session_scope(engine) as session:
            seed(session, party_name=party_name, jurisdiction=jurisdiction)
    except BaseException:
        engine.dispose()
        for leftover in (path, keyfile.keyfile_path(path), Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
        raise
    return engine


def _backup(engine: Engine, path: Path, revision: str | None) -> Path:
    """Copy the encrypted bytes (and the key file) before a migration touches them."""
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    backup = path.with_name(f"{path.name}.bak-{revision or 'base'}")
    shutil.copy2(path, backup)
    shutil.copy2(keyfile.keyfile_path(path), keyfile.keyfile_path(backup))
    return backup


def open_ledger(path: Path | str, passphrase: str) -> Engine:
    """Unlock an existing ledger, migrating an older schema after a backup copy."""
    path = Path(path)
    unlocked = unlock.unlock(path, passphrase)
    unlocked.close()
    return engine_for_unlocked(unlocked)


def engine_for_unlocked(unlocked: unlock.Unlocked) -> Engine:
    """The engine of a ledger ``unlock.unlock`` has proven, migrated first if its schema is older."""
    path, revision = unlocked.path, unlocked.revision
    engine = engine_from_key(path, unlocked.key)
    if revision == SCHEMA_HEAD:
        return engine
    from alembic.script import ScriptDirectory
    from alembic.util.exc import CommandError

    script = ScriptDirectory.from_config(_alembic_config(None))  # type: ignore[arg-type]
    if revision is not None:
        try:
            script.get_revision(revision)
        except CommandError:
            engine.dispose()
            raise LedgerTooNew(f"{path} was written by a newer partyledger (schema {revision})",
                               "upgrade partyledger to open it") from None
    _backup(engine, path, revision)
    with engine.begin() as conn:
        _upgrade(conn)
    return engine


def memory_engine() -> Engine:
    """An in-memory ledger with the full schema and its Campaign row, for tests (StaticPool)."""
    engine = create_engine("sqlite://", module=sqlcipher, poolclass=StaticPool,
                           connect_args={"check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _setup(dbapi_conn, _record) -> None:   # noqa: ANN001
        unlock.apply_pragmas(dbapi_conn, None)

    import partyledger.ledger.models  # noqa: F401 - registers the tables

    SQLModel.metadata.create_all(engine)
    with session_scope(engine) as session:
        seed(session)
    return engine


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits when the block ends and rolls back if it raises."""
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


@contextmanager
def raw_connection(engine: Engine) -> Iterator[Connection]:
    """A Core connection inside one transaction, for bulk ``insert()`` executemany (15x the ORM)."""
    with engine.begin() as conn:
        yield conn
