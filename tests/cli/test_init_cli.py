"""``partyledger init`` and opening a ledger, as a user runs them (real subprocesses, real files)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CLI = str(Path(sys.executable).parent / "partyledger")


def run(*args: str, passphrase: str | None = "correct horse", **env: str) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k not in ("PARTYLEDGER_PASSPHRASE", "PARTYLEDGER_DB")}
    full_env["PARTYLEDGER_KDF_FAST"] = "1"
    if passphrase is not None:
        full_env["PARTYLEDGER_PASSPHRASE"] = passphrase
    full_env.update(env)
    return subprocess.run([CLI, *args], capture_output=True, text=True, env=full_env, stdin=subprocess.DEVNULL,
                          timeout=60)


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_init_creates_the_ledger_and_says_where(tmp_path):
    db = tmp_path / "party.db"
    done = run("--db", str(db), "init", "--party-name", "Жаңа Қазақстан")
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert db.exists() and Path(f"{db}.key.json").exists()
    assert str(db) in done.stderr and f"{db}.key.json" in done.stderr
    assert "cannot be recovered" in done.stderr
    listed = run("--db", str(db), "members", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.strip() == "[]"


def test_init_uses_partyledger_db_from_the_environment(tmp_path):
    db = tmp_path / "env.db"
    done = run("init", PARTYLEDGER_DB=str(db))
    assert done.returncode == 0, done.stderr
    assert db.exists()


def test_init_refuses_to_overwrite(tmp_path):
    db = tmp_path / "party.db"
    assert run("--db", str(db), "init").returncode == 0
    before = db.read_bytes()
    again = run("--db", str(db), "init")
    assert again.returncode == 2
    assert "already a file" in one_line(again.stderr)
    assert db.read_bytes() == before


def test_init_without_a_passphrase_and_no_terminal_is_refused(tmp_path):
    db = tmp_path / "party.db"
    done = run("--db", str(db), "init", passphrase=None)
    assert done.returncode == 2
    assert "no passphrase" in one_line(done.stderr)
    assert not db.exists()


def test_init_with_an_empty_passphrase_is_refused(tmp_path):
    db = tmp_path / "party.db"
    done = run("--db", str(db), "init", passphrase="")
    assert done.returncode == 2
    assert "passphrase is empty" in one_line(done.stderr)
    assert not db.exists()


def test_init_with_an_unknown_jurisdiction_is_refused(tmp_path):
    db = tmp_path / "party.db"
    done = run("--db", str(db), "init", "--jurisdiction", "XX")
    assert done.returncode == 2
    one_line(done.stderr)
    assert not db.exists()


def test_wrong_passphrase_is_one_line_and_exit_2(tmp_path):
    db = tmp_path / "party.db"
    assert run("--db", str(db), "init").returncode == 0
    done = run("--db", str(db), "members", "list", passphrase="wrong horse")
    assert done.returncode == 2
    assert one_line(done.stderr) == f"partyledger: wrong passphrase, or {db} is not a partyledger ledger"
    assert done.stdout == ""


def test_missing_ledger_file_says_how_to_create_one(tmp_path):
    db = tmp_path / "nowhere.db"
    done = run("--db", str(db), "members", "list")
    assert done.returncode == 2
    assert one_line(done.stderr) == f"partyledger: no ledger at {db} (create one with partyledger init)"


def test_a_file_that_is_not_a_ledger_is_one_line_and_exit_2(tmp_path):
    db = tmp_path / "notes.db"
    db.write_text("shopping list\n")
    done = run("--db", str(db), "members", "list")
    assert done.returncode == 2
    assert "key file" in one_line(done.stderr)          # no key file next to it: said plainly


def test_verify_reports_an_intact_chain_then_a_tampered_event(tmp_path):
    from sqlalchemy import text

    from partyledger.ledger.storage import db as ledger_db

    db = tmp_path / "party.db"
    assert run("--db", str(db), "init", "--party-name", "P").returncode == 0
    ok = run("--db", str(db), "verify")
    assert ok.returncode == 0 and "audit log intact: 1 event," in ok.stderr
    engine = ledger_db.open_ledger(db, "correct horse")
    with engine.begin() as conn:
        conn.execute(text("UPDATE auditevent SET actor = 'forger' WHERE id = 1"))
    engine.dispose()
    bad = run("--db", str(db), "verify")
    assert bad.returncode == 2
    assert "event 1 does not match" in one_line(bad.stderr)


def test_the_cli_passes_partyledger_kdf_fast_to_the_core_which_never_reads_it(tmp_path):
    import json

    from partyledger.ledger.storage import keyfile

    def profile(db: Path) -> tuple[int, int, int]:
        kdf = json.loads(Path(f"{db}.key.json").read_text())["kdf"]
        return kdf["time_cost"], kdf["memory_kib"], kdf["parallelism"]

    light, full = tmp_path / "light.db", tmp_path / "full.db"
    assert run("--db", str(light), "init").returncode == 0
    assert profile(light) == (1, 8 * 1024, 1)                   # the suite's light profile, asked by the CLI
    assert run("--db", str(full), "init", PARTYLEDGER_KDF_FAST="0").returncode == 0
    assert profile(full) == (3, 64 * 1024, 4)                   # a user's ledger
    assert os.environ.get("PARTYLEDGER_KDF_FAST") == "1"         # set for the suite (tests/conftest.py) ...
    params = keyfile.new_params()                               # ... and not read by the core
    assert (params.time_cost, params.memory_kib, params.parallelism) == (3, 64 * 1024, 4)
