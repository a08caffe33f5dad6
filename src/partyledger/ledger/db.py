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

import sqlalchemy.exc
import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.pool import QueuePool, StaticPool
from sqlmodel import Session, SQLModel

from partyledger.errors import LedgerError, LedgerExists, LedgerMissing, LedgerTooNew, WrongPassphrase
from partyledger.ledger import keyfile

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# The newest revision in migrations/versions. Kept here so that opening an up-to-date ledger does not
# import Alembic and parse every revision file (~0.2 s on each command and TUI start); a test checks it
# equals Alembic's head, so adding a revision without bumping this fails the suite.
SCHEMA_HEAD = "0005"
CACHE_KIB = 65536          # 64 MiB page cache per connection (see module docstring)


def _pragmas(dbapi_conn, key: bytes | None) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA cipher_log_level = NONE")
    if key is not None:
        cur.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        cur.execute("PRAGMA cipher_memory_security = OFF")      # see the module docstring
    cur.execute("PRAGMA foreign_keys = ON")
    if key is not None:
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
    cur.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    cur.close()


def _engine_for(path: Path, key: bytes) -> Engine:
    engine = create_engine(f"sqlite:///{path}", module=sqlcipher, poolclass=QueuePool,
                           connect_args={"check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _unlock(dbapi_conn, _record) -> None:   # noqa: ANN001 - SQLAlchemy event signature
        _pragmas(dbapi_conn, key)

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
    """The one Campaign row every ledger has, and the first audit event."""
    from partyledger.ledger import audit
    from partyledger.ledger.models import Campaign

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
    engine = _engine_for(path, key)
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


def _not_a_ledger(path: Path) -> WrongPassphrase:
    return WrongPassphrase(f"wrong passphrase, or {path} is not a partyledger ledger")


def _current_revision(conn: Connection, path: Path) -> str | None:
    """The stored schema revision; a file without Alembic's table is not one of ours."""
    tables = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"))
    if tables.first() is None:
        raise _not_a_ledger(path)
    row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    return row[0] if row else None


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
    if not path.exists():
        raise LedgerMissing(f"no ledger at {path}", "create one with partyledger init")
    if path.is_dir():
        raise LedgerError(f"{path} is a folder, not a ledger file", "give the path of the ledger file with --db")
    params = keyfile.read_keyfile(keyfile.keyfile_path(path), path)
    engine = _engine_for(path, keyfile.derive_key(passphrase, params))
    try:
        with engine.connect() as conn:
            revision = _current_revision(conn, path)
    except (sqlalchemy.exc.DatabaseError, sqlcipher.DatabaseError):
        engine.dispose()
        raise _not_a_ledger(path) from None
    except BaseException:
        engine.dispose()
        raise
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
        _pragmas(dbapi_conn, None)

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
