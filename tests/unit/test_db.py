"""The encrypted ledger file as an organizer meets it: create, reopen, and every way opening can fail."""

from __future__ import annotations

import json
import sqlite3

import pytest
from sqlalchemy import text
from sqlmodel import select

from partyledger.errors import LedgerError, LedgerExists, LedgerMissing, WrongPassphrase
from partyledger.ledger.storage import db, keyfile
from partyledger.ledger.models import Campaign


def _create(path, passphrase="correct horse", **kw):
    db.create_ledger(path, passphrase, **kw, fast_kdf=True).dispose()


def test_created_ledger_reopens_with_its_campaign(tmp_path):
    path = tmp_path / "party.db"
    _create(path, party_name="Жаңа партия", jurisdiction="KZ")
    assert keyfile.keyfile_path(path).exists()
    engine = db.open_ledger(path, "correct horse")
    with db.session_scope(engine) as session:
        campaign = session.exec(select(Campaign)).one()
    engine.dispose()
    assert (campaign.party_name, campaign.jurisdiction) == ("Жаңа партия", "KZ")


def test_create_refuses_an_existing_file_and_leaves_it_alone(tmp_path):
    path = tmp_path / "party.db"
    path.write_bytes(b"someone's notes")
    with pytest.raises(LedgerExists):
        db.create_ledger(path, "pw", fast_kdf=True)
    assert path.read_bytes() == b"someone's notes"


def test_open_missing_file_says_how_to_create_one(tmp_path):
    with pytest.raises(LedgerMissing) as err:
        db.open_ledger(tmp_path / "nope.db", "pw")
    assert "no ledger at" in str(err.value) and "partyledger init" in str(err.value)


def test_wrong_passphrase_is_refused_and_does_not_damage_the_ledger(tmp_path, capfd):
    path = tmp_path / "party.db"
    _create(path, party_name="P")
    before = path.read_bytes()
    capfd.readouterr()
    with pytest.raises(WrongPassphrase) as err:
        db.open_ledger(path, "wrong horse")
    assert capfd.readouterr().err == ""     # SQLCipher's own log would scribble over the TUI
    assert str(err.value) == f"wrong passphrase, or {path} is not a partyledger ledger"
    assert path.read_bytes() == before
    db.open_ledger(path, "correct horse").dispose()


@pytest.mark.parametrize("kind", ["plain sqlite", "random bytes", "empty file"])
def test_a_file_that_is_not_a_ledger_is_refused_cleanly(tmp_path, kind):
    path = tmp_path / "other.db"
    if kind == "plain sqlite":
        con = sqlite3.connect(path)
        con.execute("CREATE TABLE member (iin TEXT)")
        con.commit()
        con.close()
    elif kind == "random bytes":
        path.write_bytes(bytes(range(256)) * 64)
    else:
        path.write_bytes(b"")
    keyfile.write_keyfile(keyfile.keyfile_path(path), keyfile.new_params(fast=True))
    with pytest.raises(WrongPassphrase):
        db.open_ledger(path, "pw")


def test_missing_key_file_is_a_clear_error(tmp_path):
    path = tmp_path / "party.db"
    _create(path)
    keyfile.keyfile_path(path).unlink()
    with pytest.raises(LedgerError) as err:
        db.open_ledger(path, "correct horse")
    assert "key file" in str(err.value) and ".key.json" in str(err.value)


def test_damaged_key_file_is_a_clear_error(tmp_path):
    path = tmp_path / "party.db"
    _create(path)
    keyfile.keyfile_path(path).write_text(json.dumps({"format": "partyledger-key", "version": 1, "kdf": {}}))
    with pytest.raises(LedgerError) as err:
        db.open_ledger(path, "correct horse")
    assert "not a valid partyledger key file" in str(err.value)


def test_key_file_records_the_kdf_profile_and_a_fresh_salt(tmp_path):
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    _create(a)
    _create(b)
    doc_a = json.loads(keyfile.keyfile_path(a).read_text())
    doc_b = json.loads(keyfile.keyfile_path(b).read_text())
    assert doc_a["version"] == 1 and doc_a["kdf"]["algorithm"] == "argon2id"
    assert doc_a["kdf"]["salt"] != doc_b["kdf"]["salt"]
    # the suite runs with PARTYLEDGER_KDF_FAST=1; a user's ledger gets the full profile
    full = keyfile.new_params(fast=False)
    assert (full.time_cost, full.memory_kib, full.parallelism) == (3, 65536, 4)


def test_same_passphrase_gives_a_different_key_per_ledger():
    p1, p2 = keyfile.new_params(fast=True), keyfile.new_params(fast=True)
    assert keyfile.derive_key("pw", p1) != keyfile.derive_key("pw", p2)
    assert keyfile.derive_key("pw", p1) == keyfile.derive_key("pw", p1)
    assert len(keyfile.derive_key("pw", p1)) == 32


def test_connections_use_wal_foreign_keys_and_a_large_page_cache(tmp_path):
    path = tmp_path / "party.db"
    _create(path)
    engine = db.open_ledger(path, "correct horse")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA cache_size")).scalar() <= -65536
    engine.dispose()


def test_failed_create_leaves_no_half_ledger(tmp_path):
    path = tmp_path / "party.db"
    with pytest.raises(LedgerError):
        db.create_ledger(path, "", fast_kdf=True)
    assert not path.exists() and not keyfile.keyfile_path(path).exists()


def test_a_ledger_removed_or_replaced_while_open_is_a_clear_error_not_a_lost_write(tmp_path):
    from partyledger.ledger.members import service
    from partyledger.ledger.models import MemberDraft

    path = tmp_path / "party.db"
    _create(path)
    engine = db.open_ledger(path, "correct horse")
    with db.session_scope(engine) as session:          # a pooled connection is open on the file
        session.exec(select(Campaign)).one()
    moved = path.rename(tmp_path / "elsewhere.db")
    with pytest.raises(LedgerMissing) as err:
        with db.session_scope(engine) as session:
            service.add_member(session, MemberDraft(iin="900101400018", surname="Омарова", given_name="Айгүл",
                                                    unit_code="75"))
    engine.dispose()
    assert "was moved, removed or replaced" in str(err.value) and "900101400018" not in str(err.value)
    assert moved.exists()
