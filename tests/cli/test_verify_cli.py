"""``partyledger verify`` as the owner runs it: exit 0 on a sound ledger; exit 2, one line on stderr and
the findings (kind, id, detail) on stdout when something was changed outside partyledger or damaged."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

CLI = str(Path(sys.executable).parent / "partyledger")
SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def run(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PARTYLEDGER_DB"}
    env |= {"PARTYLEDGER_KDF_FAST": "1", "PARTYLEDGER_PASSPHRASE": "correct horse"}
    return subprocess.run([CLI, *args], capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=120)


@pytest.fixture()
def db(tmp_path) -> str:
    path = str(tmp_path / "party.db")
    assert run("--db", path, "init").returncode == 0
    assert run("--db", path, "import", str(SAMPLES / "clean.xlsx")).returncode == 0
    return path


def _sql(db: str, *statements: str) -> None:
    from partyledger.ledger.storage.db import open_ledger

    engine = open_ledger(db, "correct horse")
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        engine.dispose()


def test_a_sound_ledger_verifies_with_json_ok(db):
    done = run("--db", db, "verify", "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["ok"] is True and out["findings"] == [] and out["counts"] == {}
    assert out["checked"]["members"] == 60 and out["checked"]["events"] == 2
    assert "audit log intact: 2 events" in done.stderr and "60 member rows match their seals" in done.stderr


def test_direct_edit_and_delete_are_named_in_json_and_exit_2(db):
    _sql(db, "UPDATE member SET surname = 'Forged' WHERE id = 7", "DELETE FROM member WHERE id = 12")
    done = run("--db", db, "verify", "--json")
    assert done.returncode == 2
    [line] = done.stderr.strip().splitlines()
    assert "verify found 2 problems" in line and "Traceback" not in done.stderr
    out = json.loads(done.stdout)
    assert out["ok"] is False and out["counts"] == {"member.altered": 1, "member.missing": 1}
    assert {(f["kind"], f["id"]) for f in out["findings"]} == {("member.altered", 7), ("member.missing", 12)}
    assert all(set(f) == {"kind", "id", "detail"} for f in out["findings"])
    assert "Forged" not in done.stdout


def test_text_output_lists_findings_on_stdout(db):
    _sql(db, "DELETE FROM auditevent WHERE id = (SELECT max(id) FROM auditevent)")
    done = run("--db", db, "verify")
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1
    kinds = [ln.split("\t")[0] for ln in done.stdout.strip().splitlines()]
    assert kinds[0] == "audit.head"


def test_a_flipped_page_byte_is_named_not_a_crash(db):
    path = Path(db)
    data = bytearray(path.read_bytes())
    page = len(data) // 4096 - 2
    data[page * 4096 + 700] ^= 0x01
    path.write_bytes(bytes(data))
    done = run("--db", db, "verify", "--json")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert ("storage.cipher", page + 1) in {(f["kind"], f["id"]) for f in json.loads(done.stdout)["findings"]}


def test_seals_survive_a_passphrase_change_and_a_backup_restore(db, tmp_path):
    """The seal's secret lives inside the encrypted ledger: re-keying or restoring keeps every row verifiable."""
    secret = tmp_path / "new-pass"
    secret.write_text("battery staple\n")
    changed = subprocess.run([CLI, "--db", db, "--passphrase-file", "-", "passphrase", "--new-passphrase-file",
                              str(secret)], input="correct horse\n", capture_output=True, text=True,
                             env=os.environ | {"PARTYLEDGER_KDF_FAST": "1"}, timeout=120)
    assert changed.returncode == 0, changed.stderr
    env = os.environ | {"PARTYLEDGER_KDF_FAST": "1", "PARTYLEDGER_PASSPHRASE": "battery staple"}
    backup = tmp_path / "party.plbackup"
    for args in (["backup", "-o", str(backup)], ["restore", str(backup)], ["verify", "--json"]):
        done = subprocess.run([CLI, "--db", db, *args], capture_output=True, text=True, env=env,
                              stdin=subprocess.DEVNULL, timeout=120)
        assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["ok"] and out["checked"]["members"] == 60
