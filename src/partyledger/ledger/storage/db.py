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

The schema belongs to Alembic from the first release (``ledger/storage/migrations``, run programmatically:
users never see an alembic.ini). Opening a ledger written by an older release migrates it; a newer
one is refused. An upgrade is crash-proof in two ways:

- first a backup file (``ledger/storage/backup.py``: online copy plus key file, written and fsynced, named by
  the time so no later attempt overwrites it) in ``backups/`` beside the ledger;
- then every migration runs in ONE transaction. Python's sqlite driver commits before each DDL
  statement on its own, which is how a kill during an upgrade used to leave a new table with the old
  version stamp; the upgrade connection turns that off (``isolation_level = None``) and issues
  ``BEGIN IMMEDIATE`` itself, so SQLite's own journal rolls an interrupted upgrade back and the next
  open sees the old revision and simply upgrades again (after a new backup).

Busy and vanished files: ``session_scope`` and ``raw_connection`` turn SQLite's "database is locked"
(another writer held the lock past the busy timeout) into ``LedgerBusy`` and "unable to open" (the
file was moved or deleted while we ran) into ``LedgerMissing``, from None: SQLAlchemy's message
carries the statement's parameters, which are a member's IIN, name and birth date.
"""

from __future__ import annotations

import os
import weakref
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool, QueuePool, StaticPool
from sqlmodel import Session, SQLModel

from partyledger import files
from partyledger.errors import LedgerBusy, LedgerError, LedgerExists, LedgerMissing, LedgerTooNew
from partyledger.ledger.storage import backup, keyfile, unlock
from partyledger.ledger.storage.unlock import BUSY_SECONDS, SCHEMA_HEAD

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_KEYS: "weakref.WeakKeyDictionary[Engine, tuple[Path, bytes, int]]" = weakref.WeakKeyDictionary()


def _make_engine(path: Path, key: bytes, busy_seconds: float, *, pool=QueuePool, transactional: bool = False) -> Engine:
    engine = create_engine("sqlite://", module=sqlcipher, poolclass=pool,
                           creator=lambda: sqlcipher.connect(unlock.file_uri(path), uri=True, check_same_thread=False))

    @event.listens_for(engine, "connect")
    def _unlock(dbapi_conn, _record) -> None:   # noqa: ANN001 - SQLAlchemy event signature
        unlock.apply_pragmas(dbapi_conn, key, busy_seconds)
        if transactional:
            dbapi_conn.isolation_level = None      # see the module docstring: no commit before DDL

    if transactional:
        @event.listens_for(engine, "begin")
        def _begin(conn) -> None:   # noqa: ANN001
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    _KEYS[engine] = (path, key, _inode(path))
    return engine


def engine_from_key(path: Path, key: bytes, busy_seconds: float = BUSY_SECONDS) -> Engine:
    """The pooled engine of a ledger whose key is already derived (``unlock.unlock``): no second KDF."""
    return _make_engine(Path(path), key, busy_seconds)


def backup_before_change(engine: Engine, *, reason: str, keep: int = backup.DEFAULT_KEEP) -> backup.BackupInfo:
    """A rotated automatic backup of the ledger behind ``engine`` (before an import commit, ...).

    One online page copy of the whole ledger: about 0.1 s per 10 MB of ledger.
    """
    path, key, _ino = _KEYS[engine]
    return backup.auto_backup(path, key, reason=reason, keep=keep)


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


def _upgrade_in_one_transaction(path: Path, key: bytes, busy_seconds: float) -> None:
    """Run every pending migration in one SQLite transaction (module docstring)."""
    engine = _make_engine(path, key, busy_seconds, pool=NullPool, transactional=True)
    try:
        with busy_guard(path), engine.begin() as conn:
            _upgrade(conn)
    finally:
        engine.dispose()


def seed(session: Session, *, party_name: str = "", jurisdiction: str = "KZ") -> None:
    """The one Campaign row every ledger has, its seal (ledger/storage/seal.py), and the first audit event."""
    from partyledger.ledger.storage import audit, seal
    from partyledger.ledger.models import Campaign

    seal.ensure(session)
    campaign = Campaign(party_name=party_name, jurisdiction=jurisdiction)
    session.add(campaign)
    session.flush()
    audit.record(session, "ledger.created", "campaign", campaign.id,
                 after={"party_name": party_name, "jurisdiction": jurisdiction})


def create_ledger(path: Path | str, passphrase: str, *, party_name: str = "", jurisdiction: str = "KZ",
                  fast_kdf: bool = False) -> Engine:
    """A new encrypted ledger at ``path`` with its key file; never overwrites an existing file.

    ``fast_kdf``: the light argon2id profile (tests; the CLI passes ``$PARTYLEDGER_KDF_FAST``)."""
    path = Path(path)
    if path.exists():
        raise LedgerExists(f"there is already a file at {path}", "choose another --db path, or open that ledger")
    if not passphrase:
        raise LedgerError("the passphrase is empty", "choose a passphrase of several words")
    files.private_dir(path.parent)
    params = keyfile.new_params(fast=fast_kdf)
    key = keyfile.derive_key(passphrase, params)
    files.create_private(path)        # 0600 before SQLite opens it; its -wal and -shm inherit the mode
    try:
        keyfile.write_keyfile(keyfile.keyfile_path(path), params)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    engine = engine_from_key(path, key)
    try:
        _upgrade_in_one_transaction(path, key, BUSY_SECONDS)
        with session_scope(engine) as session:
            seed(session, party_name=party_name, jurisdiction=jurisdiction)
    except BaseException:
        engine.dispose()
        for leftover in (path, keyfile.keyfile_path(path), Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
        raise
    return engine


def open_ledger(path: Path | str, passphrase: str, *, busy_seconds: float = BUSY_SECONDS,
                keep_backups: int = backup.DEFAULT_KEEP) -> Engine:
    """Unlock an existing ledger, migrating an older schema after a backup."""
    path = Path(path)
    unlocked = unlock.unlock(path, passphrase, busy_seconds=busy_seconds)
    unlocked.close()
    return engine_for_unlocked(unlocked, busy_seconds=busy_seconds, keep_backups=keep_backups)


def engine_for_unlocked(unlocked: unlock.Unlocked, *, busy_seconds: float = BUSY_SECONDS,
                        keep_backups: int = backup.DEFAULT_KEEP) -> Engine:
    """The engine of a ledger ``unlock.unlock`` has proven, migrated first if its schema is older."""
    path, revision = unlocked.path, unlocked.revision
    if revision != SCHEMA_HEAD:
        _check_known(path, revision)
        saved = backup.auto_backup(path, unlocked.key, reason="upgrade", keep=keep_backups)
        try:
            _upgrade_in_one_transaction(path, unlocked.key, busy_seconds)
        except LedgerError:
            raise
        except Exception as err:
            raise LedgerError(f"could not upgrade {path} from schema {revision or 'base'} "
                              f"({type(err).__name__}: {str(err).splitlines()[0][:200]})",
                              f"a copy from before the upgrade is {saved.path}; "
                              "restore it with partyledger restore and report this") from None
    return engine_from_key(path, unlocked.key, busy_seconds)


def _check_known(path: Path, revision: str | None) -> None:
    if revision is None:
        return
    from alembic.script import ScriptDirectory
    from alembic.util.exc import CommandError

    script = ScriptDirectory.from_config(_alembic_config(None))  # type: ignore[arg-type]
    try:
        script.get_revision(revision)
    except CommandError:
        raise LedgerTooNew(f"{path} was written by a newer partyledger (schema {revision})",
                           "upgrade partyledger to open it") from None


def _inode(path: Path) -> int:
    try:
        return os.stat(path).st_ino
    except OSError:
        return -1


def _same_file(engine: Engine) -> Path | None:
    """The ledger path of ``engine``, after checking it is still the file it opened (one ``stat``).

    A pooled connection keeps writing to a ledger file that was deleted, moved or replaced by a
    restore while the app ran, and those writes would be lost without a word: refuse instead.
    """
    if engine not in _KEYS:
        return None
    path, _key, inode = _KEYS[engine]
    if _inode(path) != inode:
        raise LedgerMissing(f"the ledger file {path} was moved, removed or replaced while partyledger was using it",
                            "open it again (or restore a backup)")
    return path


@contextmanager
def busy_guard(path: Path | None = None) -> Iterator[None]:
    """SQLite's lock timeout and a vanished file as one-line errors without the statement's data."""
    try:
        yield
    except OperationalError as err:
        text = str(err.orig) if err.orig is not None else ""
        where = f" {path}" if path else ""
        if "locked" in text or "busy" in text:
            raise LedgerBusy(f"the ledger{where} is busy: an import or another change is running",
                             "try again when it ends; nothing was written") from None
        if "unable to open" in text or "readonly" in text or "disk I/O" in text:
            raise LedgerMissing(f"the ledger file{where} was moved, removed or cannot be written "
                                "while partyledger was using it",
                                "put it back (or restore a backup) and open it again") from None
        raise


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
    path = _same_file(engine)
    session = Session(engine, expire_on_commit=False)
    try:
        with busy_guard(path):
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
    path = _same_file(engine)
    with busy_guard(path), engine.begin() as conn:
        yield conn
