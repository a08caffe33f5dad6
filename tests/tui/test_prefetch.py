"""Opening the ledger beside Textual (tui/prefetch.py): numbers first, the engine after, old schemas migrated."""

from __future__ import annotations

from datetime import date

import pytest
from alembic import command
from sqlalchemy import text

from partyledger.errors import WrongPassphrase
from partyledger.ledger.storage import backup, db, unlock
from partyledger.ledger.members import service
from partyledger.ledger.cleaning.iin import make_iin
from partyledger.ledger.models import MemberDraft
from partyledger.tui.prefetch import opening_for

from .conftest import PASSPHRASE, TODAY


def test_a_ledger_from_the_first_release_is_backed_up_migrated_and_counted(tmp_path):
    path = tmp_path / "old.db"
    engine = db.create_ledger(path, PASSPHRASE, fast_kdf=True)
    with db.session_scope(engine) as s:
        service.add_member(s, MemberDraft(iin=make_iin(date(1990, 1, 1), "F", 123), surname="Омарова", given_name="Айгүл", unit_code="75",
                                          birth_date=date(1990, 1, 1), sex="F",
                                          joined_on=date(2026, 1, 5)))
    with engine.begin() as conn:
        command.downgrade(db._alembic_config(conn), "0001")
    engine.dispose()

    prefetch = opening_for(None, path, PASSPHRASE, None, TODAY)   # as the unlock screen takes it
    readiness, queues = prefetch.first_numbers(TODAY)(timeout=60)
    assert readiness.members_in_ledger == 1 and readiness.members_counted == 1, readiness.excluded
    assert queues == {"quarantine": 0, "duplicates": 0}
    [saved] = (tmp_path / "backups").glob("old.db-upgrade-*.plbackup")   # the copy from before the upgrade
    assert backup.read_manifest(saved)["schema"] == "0001"
    engine = prefetch()                                   # the engine the app's other screens use
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == unlock.SCHEMA_HEAD
    prefetch.discard()
    assert engine.pool.checkedout() == 0


def test_a_wrong_passphrase_fails_both_steps_with_the_one_line_error(ledger_path):
    prefetch = opening_for(None, ledger_path, "not it", None, TODAY)   # as the unlock screen takes it
    with pytest.raises(WrongPassphrase, match="wrong passphrase"):
        prefetch.unlocked(timeout=60)
    with pytest.raises(WrongPassphrase):
        prefetch.first_numbers(TODAY)(timeout=60)
    prefetch.discard()


def test_the_engine_comes_from_the_key_already_derived(ledger_path, people):
    from .conftest import add_people

    engine = db.open_ledger(ledger_path, PASSPHRASE)
    add_people(engine, people[:5])
    engine.dispose()
    prefetch = opening_for(None, ledger_path, PASSPHRASE, None, TODAY)   # as the unlock screen takes it
    readiness, _ = prefetch.first_numbers(TODAY)(timeout=60)
    with db.session_scope(prefetch()) as session:
        assert service.list_members(session, limit=10).rows[0].iin in {p.iin for p in people[:5]}
    assert readiness.members_in_ledger == 5
    prefetch.discard()


def test_locking_before_the_engine_is_built_drops_the_key_and_builds_nothing(ledger_path):
    prefetch = opening_for(None, ledger_path, PASSPHRASE, None, TODAY)   # as the unlock screen takes it
    prefetch.first_numbers(TODAY)(timeout=60)
    prefetch.discard()                                   # Ctrl+L between the paint and its callback
    late = prefetch.start_engine()                       # the callback then runs: no engine, no crash
    with pytest.raises(RuntimeError, match="discarded"):
        late.result(timeout=5)
    prefetch._pool.shutdown(wait=True)
    assert prefetch._unlocked is None                    # the derived key is no longer held
