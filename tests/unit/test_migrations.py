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


def test_dropping_surname_key_keeps_every_seal_and_an_older_import_undoable(tmp_path):
    """0008 drops a column that every seal covered and every import's before/after copied: after the
    upgrade the ledger verifies, and a batch imported before it still undoes, restoring the names."""
    from partyledger.ledger.cleaning.translit import latin_key
    from partyledger.ledger.intake import batch_records, batches
    from partyledger.ledger.storage.verify import verify_ledger
    from partyledger.rules import load_rules
    from partyledger.synthetic import make_people

    people = make_people(3, seed=5)
    units = load_rules("KZ").units

    def rows(surname_of):
        return [batches.RowIn(row=2 + k, fields={"iin": p.iin, "surname": surname_of(p), "given_name": p.given_name,
                                                 "region": "Алматы"}, raw={}) for k, p in enumerate(people)]

    path = tmp_path / "party.db"
    engine = db.create_ledger(path, "pw", fast_kdf=True)
    with db.session_scope(engine) as s:
        batches.import_rows(s, rows(lambda p: p.surname), batches.BatchSource("a.xlsx", "a"), units=units,
                            as_of=people[0].joined_on)
        renamed = batches.import_rows(s, rows(lambda p: p.surname + "-Омарова"), batches.BatchSource("b.xlsx", "b"),
                                      units=units, as_of=people[0].joined_on, update_changed=True).batch_id
    with engine.begin() as conn:
        command.downgrade(db._alembic_config(conn), "0007")
        for cid, before, after in conn.exec_driver_sql(  # what an import under 0007 kept: the surname key too
                "SELECT id, json_extract(\"before\", '$.surname'), json_extract(\"after\", '$.surname') "
                "FROM batchchange WHERE action = 'updated'").all():
            conn.exec_driver_sql("UPDATE batchchange SET \"before\" = json_set(\"before\", '$.surname_key', ?), "
                                 "\"after\" = json_set(\"after\", '$.surname_key', ?) WHERE id = ?",
                                 (latin_key(before), latin_key(after), cid))
    engine.dispose()

    engine = db.open_ledger(path, "pw")
    with engine.connect() as conn:
        columns = {r[1] for r in conn.exec_driver_sql("PRAGMA table_info(member)")}
        verdict = verify_ledger(conn)
    assert "surname_key" not in columns and verdict.ok, verdict.findings
    with db.session_scope(engine) as s:
        assert batch_records.undo_batch(s, renamed)["restored"] == 3
    with db.session_scope(engine) as s:
        assert sorted(m.surname for m in service.list_members(s, search="").rows) == sorted(p.surname for p in people)
    with engine.connect() as conn:
        assert verify_ledger(conn).ok
    engine.dispose()


def test_region_aliases_arrive_on_an_0008_ledger_that_keeps_its_members_and_quarantine(tmp_path):
    """0009 adds the organizer's region aliases: a ledger from 0008 keeps its members and its open
    quarantine, verifies, and can map a region text at once."""
    from partyledger.ledger.intake import aliases, batches, quarantine
    from partyledger.ledger.storage.verify import verify_ledger
    from partyledger.rules import load_rules
    from partyledger.synthetic import make_people

    people = make_people(3, seed=9)
    units, day = load_rules("KZ").units, people[0].joined_on
    rows = [batches.RowIn(row=2 + k, fields={"iin": p.iin, "surname": p.surname, "given_name": p.given_name,
                                             "region": region}, raw={"Область": region, "ИИН": p.iin,
                                                                     "Фамилия": p.surname, "Имя": p.given_name})
            for k, (p, region) in enumerate(zip(people, ["Алматы", "Алм.обл", "Алм.обл"]))]
    mapping = {"ИИН": "iin", "Фамилия": "surname", "Имя": "given_name", "Область": "region"}
    path = tmp_path / "party.db"
    engine = db.create_ledger(path, "pw", fast_kdf=True)
    with db.session_scope(engine) as s:
        batches.import_rows(s, rows, batches.BatchSource("a.xlsx", "a", mapping=mapping), units=units, as_of=day)
    with engine.begin() as conn:
        command.downgrade(db._alembic_config(conn), "0008")
        assert "regionalias" not in {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master")}
    engine.dispose()

    engine = db.open_ledger(path, "pw")
    with engine.connect() as conn:
        assert verify_ledger(conn).ok
    with db.session_scope(engine) as s:
        assert service.get_member(s, people[0].iin).unit_code == "75"
        assert len(quarantine.list_quarantine(s)) == 2 and aliases.list_aliases(s) == []
        assert quarantine.map_region(s, "Алм.обл", "19", units=units, as_of=day)["promoted"] == 2
    with engine.connect() as conn:
        assert verify_ledger(conn).ok
    engine.dispose()
