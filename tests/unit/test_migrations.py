"""Schema versions: the migrations build exactly the models, and old/new ledgers are handled safely."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
import pytest
from sqlalchemy import text
from sqlmodel import SQLModel

from partyledger.errors import LedgerTooNew
from partyledger.ledger.storage import backup, db, restore, unlock
from partyledger.ledger.members import service
from partyledger.ledger.sqltext import IIN_BAD_SQL, REPORT_FLAG_SQL
from partyledger.ledger.models import MemberDraft


def test_migrated_schema_equals_the_models(tmp_path):
    """If this fails, models.py changed without a new revision in ledger/storage/migrations/versions."""
    path = tmp_path / "party.db"
    engine = db.create_ledger(path, "pw", fast_kdf=True)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata)
    engine.dispose()
    assert diff == []


def test_schema_head_constant_is_alembics_head():
    """Bump unlock.SCHEMA_HEAD with every new revision (it spares each open from loading Alembic)."""
    assert unlock.SCHEMA_HEAD == db.head_revision()


def test_ledger_from_a_newer_release_is_refused(tmp_path):
    path = tmp_path / "party.db"
    engine = db.create_ledger(path, "pw", fast_kdf=True)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff_from_the_future'"))
    engine.dispose()
    with pytest.raises(LedgerTooNew) as err:
        db.open_ledger(path, "pw")
    assert "newer partyledger" in str(err.value)


def test_older_ledger_is_backed_up_then_migrated(tmp_path):
    path = tmp_path / "party.db"
    engine = db.create_ledger(path, "pw", fast_kdf=True)
    with engine.begin() as conn:            # take the ledger back to before the first revision
        command.downgrade(db._alembic_config(conn), "base")
    engine.dispose()

    engine = db.open_ledger(path, "pw")
    with engine.connect() as conn:
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        tables = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))}
    engine.dispose()
    assert version == db.head_revision()
    assert {"member", "auditevent", "campaign"} <= tables

    [saved] = (tmp_path / "backups").glob("party.db-upgrade-*.plbackup")
    assert backup.read_manifest(saved)["schema"] is None        # taken before the upgrade
    assert b"CREATE TABLE" not in saved.read_bytes()            # the backup is as encrypted as the ledger
    restore.restore(saved, tmp_path / "copy.db", "pw")          # and opens with the same passphrase
    db.open_ledger(tmp_path / "copy.db", "pw").dispose()


def test_ledger_from_the_first_release_keeps_its_members_through_migration(tmp_path):
    path = tmp_path / "party.db"
    engine = db.create_ledger(path, "pw", fast_kdf=True)
    with db.session_scope(engine) as s:
        service.add_member(s, MemberDraft(iin="900101400018", surname="Омарова", given_name="Айгүл", unit_code="75"))
    with engine.begin() as conn:
        command.downgrade(db._alembic_config(conn), "0001")
    engine.dispose()

    engine = db.open_ledger(path, "pw")
    with db.session_scope(engine) as s:
        assert service.get_member(s, "900101400018").given_name == "Айгүл"
        assert service.list_members(s, search="omarova").rows[0].iin == "900101400018"
    engine.dispose()
    [saved] = (tmp_path / "backups").glob("party.db-upgrade-*.plbackup")
    assert backup.read_manifest(saved)["schema"] == "0001"


@pytest.mark.parametrize("index, where", [("ix_member_report_flagged", REPORT_FLAG_SQL),
                                          ("ix_member_report_bad_iin", IIN_BAD_SQL)])
def test_partial_report_indexes_carry_the_exact_where_text_the_report_queries_with(tmp_path, index, where):
    """SQLite uses a partial index only when the query repeats its WHERE; the report relies on it."""
    engine = db.create_ledger(tmp_path / "party.db", "pw", fast_kdf=True)
    with engine.connect() as conn:
        sql = conn.execute(text("SELECT sql FROM sqlite_master WHERE name = :n"), {"n": index}).scalar()
    engine.dispose()
    assert sql is not None and sql.endswith("WHERE " + where)
