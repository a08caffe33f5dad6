"""backup, restore, passphrase, lock --erase-key, and the files they leave, as an organizer runs them.

Real subprocesses against real encrypted ledgers; the umask is the usual 022 so that 0600 files
prove the product set them, not the environment.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest

from partyledger.ledger.storage import db, keyfile
from partyledger.ledger.members import service
from partyledger.ledger.models import MemberDraft
from partyledger.synthetic import make_people

CLI = str(Path(sys.executable).parent / "partyledger")
PEOPLE = make_people(6, seed=1313)
PW = "correct horse"


def run(*args: str, passphrase: str | None = PW, stdin: str | None = None, cwd: Path | None = None, **extra_env: str):
    env = {k: v for k, v in os.environ.items() if k not in ("PARTYLEDGER_DB", "PARTYLEDGER_PASSPHRASE")}
    env.update(PARTYLEDGER_KDF_FAST="1", **extra_env)
    if passphrase is not None:
        env["PARTYLEDGER_PASSPHRASE"] = passphrase
    return subprocess.run([CLI, *args], capture_output=True, text=True, env=env, timeout=120,
                          input=stdin, stdin=None if stdin is not None else subprocess.DEVNULL,
                          cwd=cwd, preexec_fn=lambda: os.umask(0o022))


def ok(done):
    assert done.returncode == 0, done.stderr
    return done


def one_line(done) -> str:
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    return lines[0]


def add(path, person):
    return run("--db", str(path), "members", "add", "--iin", person.iin, "--surname", person.surname,
               "--given-name", person.given_name, "--unit", "75", "--joined-on", "2024-05-01")


def iins(path, passphrase=PW) -> set[str]:
    engine = db.open_ledger(path, passphrase)
    with db.session_scope(engine) as s:
        found = {m.iin for m in service.list_members(s, limit=1000).rows}
    engine.dispose()
    return found


@pytest.fixture()
def ledger(tmp_path):
    path = tmp_path / "ledger" / "party.db"
    ok(run("--db", str(path), "init"))
    engine = db.open_ledger(path, PW)
    with db.session_scope(engine) as s:
        for p in PEOPLE[:3]:
            service.add_member(s, MemberDraft(iin=p.iin, surname=p.surname, given_name=p.given_name,
                                              unit_code=p.unit_code, joined_on=date(2024, 5, 1)))
    engine.dispose()
    return path


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_backup_restore_round_trip_keeps_the_replaced_ledger(ledger, tmp_path):
    out = tmp_path / "usb" / "party.plbackup"
    ok(run("--db", str(ledger), "backup", "-o", str(out)))
    with zipfile.ZipFile(out) as zf:
        assert set(zf.namelist()) == {"ledger.db", "ledger.key.json", "manifest.json"}
        assert PEOPLE[0].iin.encode() not in zf.read("ledger.db")
    assert PEOPLE[0].iin.encode() not in out.read_bytes() and PW.encode() not in out.read_bytes()
    ok(add(ledger, PEOPLE[4]))                           # a change after the backup

    done = ok(run("--db", str(ledger), "restore", str(out)))
    assert "integrity checks passed" in done.stderr
    assert iins(ledger) == {p.iin for p in PEOPLE[:3]}
    [aside] = ledger.parent.glob("party.db.replaced-*[0-9]")
    assert PEOPLE[4].iin in iins(aside)                  # the replaced ledger still opens, change and all
    assert mode(ledger) == 0o600 and mode(keyfile.keyfile_path(ledger)) == 0o600


def test_backup_to_dir_names_the_file_by_time_and_never_overwrites(ledger, tmp_path):
    usb = tmp_path / "usb"
    ok(run("--db", str(ledger), "backup", "--to-dir", str(usb)))
    ok(run("--db", str(ledger), "backup", "--to-dir", str(usb)))
    made = sorted(usb.glob("party-*.plbackup"))
    assert len(made) == 2 and all(mode(p) == 0o600 for p in made) and mode(usb) == 0o700
    line = one_line(run("--db", str(ledger), "backup", "-o", str(made[0])))
    assert "already exists" in line and "--force" in line


def test_restore_refuses_a_damaged_backup_and_leaves_the_ledger(ledger, tmp_path):
    out = tmp_path / "b.plbackup"
    ok(run("--db", str(ledger), "backup", "-o", str(out)))
    with zipfile.ZipFile(out) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    page = bytearray(parts["ledger.db"])
    page[4096 * 3 + 100] ^= 0xFF                        # one flipped byte inside a page
    parts["ledger.db"] = bytes(page)
    bad = tmp_path / "bad.plbackup"
    with zipfile.ZipFile(bad, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    before = ledger.read_bytes()
    line = one_line(run("--db", str(ledger), "restore", str(bad)))
    assert "integrity" in line or "damaged" in line
    assert ledger.read_bytes() == before and not list(ledger.parent.glob("*.replaced-*"))
    assert "wrong passphrase" in one_line(run("--db", str(ledger), "restore", str(out), passphrase="nope"))
    assert "not a partyledger backup" in one_line(run("--db", str(ledger), "restore", str(ledger)))


def test_passphrase_change_from_stdin_and_file(ledger, tmp_path):
    secret = tmp_path / "new.txt"
    secret.write_text("battery staple\n")
    ok(run("--db", str(ledger), "--passphrase-file", "-", "passphrase", "--new-passphrase-file", str(secret),
           passphrase=None, stdin=PW + "\n"))
    assert "wrong passphrase" in one_line(run("--db", str(ledger), "members", "list"))
    ok(run("--db", str(ledger), "members", "list", passphrase="battery staple"))
    assert iins(ledger, "battery staple") == {p.iin for p in PEOPLE[:3]}
    assert not keyfile.pending_path(ledger).exists() and mode(keyfile.keyfile_path(ledger)) == 0o600


def test_lock_erase_key_needs_a_backup_of_the_last_change_and_restore_brings_it_back(ledger, tmp_path):
    line = one_line(run("--db", str(ledger), "lock", "--erase-key"))
    assert "no backup holds the latest change" in line
    usb = tmp_path / "usb"
    ok(run("--db", str(ledger), "backup", "--to-dir", str(usb)))
    ok(add(ledger, PEOPLE[5]))                           # audited change after the backup
    assert "no backup holds" in one_line(run("--db", str(ledger), "lock", "--erase-key"))
    ok(run("--db", str(ledger), "backup", "--to-dir", str(usb)))
    ok(run("--db", str(ledger), "lock", "--erase-key"))
    assert not keyfile.keyfile_path(ledger).exists()
    assert not list((ledger.parent / "backups").glob("*.plbackup"))    # they held the key file too
    assert "key file" in one_line(run("--db", str(ledger), "members", "list"))
    newest = sorted(usb.glob("*.plbackup"))[-1]
    ok(run("--db", str(ledger), "restore", str(newest)))
    assert PEOPLE[5].iin in iins(ledger)


def test_lock_erase_key_also_erases_the_keys_of_ledgers_a_restore_set_aside(ledger, tmp_path):
    """A restore keeps the ledger it replaced, with its key file: an older copy of the same people that
    opens with an older passphrase. Erasing this laptop's key must make that copy unopenable too."""
    usb = tmp_path / "usb"
    ok(run("--db", str(ledger), "backup", "--to-dir", str(usb)))
    ok(run("--db", str(ledger), "restore", str(sorted(usb.glob("*.plbackup"))[-1])))
    aside = sorted(ledger.parent.glob(f"{ledger.name}.replaced-*.key.json"))
    assert aside, "the restore keeps the replaced ledger's key file"
    ok(run("--db", str(ledger), "backup", "--to-dir", str(usb)))
    ok(run("--db", str(ledger), "lock", "--erase-key"))
    assert not list(ledger.parent.glob("*.key.json*"))
    replaced = aside[0].with_name(aside[0].name[:-len(".key.json")])
    assert "key file" in one_line(run("--db", str(replaced), "members", "list"))


def test_import_takes_a_rotated_backup_before_it_commits(ledger, tmp_path):
    samples = Path(__file__).resolve().parents[2] / "samples"
    for _ in range(3):
        ok(run("--db", str(ledger), "import", str(samples / "clean.xlsx"), PARTYLEDGER_KEEP_BACKUPS="2"))
    kept = sorted((ledger.parent / "backups").glob("party.db-import-*.plbackup"))
    assert len(kept) == 2 and all(mode(p) == 0o600 for p in kept)
    assert json.loads(zipfile.ZipFile(kept[0]).read("manifest.json"))["reason"] == "import"
    ok(run("--db", str(ledger), "import", "--dry-run", str(samples / "clean.xlsx")))
    assert len(list((ledger.parent / "backups").glob("*.plbackup"))) == 2     # a preview backs nothing up


def test_every_file_of_a_ledger_is_owner_only_under_umask_022(ledger, tmp_path):
    ok(run("--db", str(ledger), "backup", "--to-dir", str(tmp_path / "usb")))
    samples = Path(__file__).resolve().parents[2] / "samples"
    ok(run("--db", str(ledger), "import", str(samples / "clean.xlsx")))
    engine = db.open_ledger(ledger, PW)                  # an open ledger has its -wal and -shm
    with engine.connect() as conn:
        conn.exec_driver_sql("SELECT count(*) FROM member").scalar()
        made = [p for p in (tmp_path).rglob("*") if p.is_file()]
        assert any(p.name.endswith("-wal") for p in made)
        loose = {str(p): oct(mode(p)) for p in made if mode(p) != 0o600}
        plaintext = [str(p) for p in made for person in PEOPLE if person.iin.encode() in p.read_bytes()]
    engine.dispose()
    assert loose == {}
    assert plaintext == []                               # ledger, WAL, key file, backups: no IIN readable
    folders = [p for p in tmp_path.rglob("*") if p.is_dir()]
    assert {str(p): oct(mode(p)) for p in folders if mode(p) != 0o700} == {}


def test_kdf_values_out_of_bounds_are_one_line(ledger):
    path = keyfile.keyfile_path(ledger)
    doc = json.loads(path.read_text())
    doc["kdf"]["memory_kib"] = 4_000_000_000
    path.write_text(json.dumps(doc))
    line = one_line(run("--db", str(ledger), "members", "list"))
    assert "memory_kib" in line and "not a valid partyledger key file" in line


def test_a_truncated_ledger_with_the_right_passphrase_is_called_damaged(ledger):
    ledger.write_bytes(ledger.read_bytes()[: 4096 * 3])
    line = one_line(run("--db", str(ledger), "members", "list"))
    assert "damaged" in line and "wrong passphrase" not in line
    assert "wrong passphrase" in one_line(run("--db", str(ledger), "members", "list", passphrase="nope"))


def test_the_readme_backup_section_runs_as_written(tmp_path):
    """The README's backup commands, in order, on a fresh ledger (the USB stick is a folder here)."""
    import re
    import shlex

    text = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Backups, passphrase, losing things.*?```sh\n(.*?)```", text, re.S).group(1)
    commands = [line.split("  #")[0].strip() for line in block.splitlines() if line.startswith("partyledger ")]
    assert len(commands) == 6
    path = tmp_path / "ledger.db"
    ok(run("--db", str(path), "init"))
    new = "a new passphrase"
    for command in commands:
        args = shlex.split(command.replace("/media/usb", str(tmp_path / "usb")))[1:]
        done = run("--db", str(path), *args, cwd=tmp_path, stdin=new + "\n",
                   passphrase=new if "members" in args or "lock" in args else PW, PARTYLEDGER_NEW_PASSPHRASE=new)
        assert done.returncode == 0 and "Traceback" not in done.stderr, f"{command}\n{done.stderr}"
    assert not keyfile.keyfile_path(path).exists()          # the last one erased the key


def test_a_backup_taken_during_an_import_holds_exactly_the_batches_committed_before_it(ledger, tmp_path):
    import csv

    from partyledger.synthetic import UNIT_NAMES

    big = tmp_path / "big.csv"
    with big.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["ИИН", "Фамилия", "Имя", "Область", "Телефон"])
        for p in make_people(40_000, seed=77):
            w.writerow([p.iin, p.surname, p.given_name, UNIT_NAMES[p.unit_code][0], p.phone])
    env = {k: v for k, v in os.environ.items() if k != "PARTYLEDGER_DB"}
    env.update(PARTYLEDGER_KDF_FAST="1", PARTYLEDGER_PASSPHRASE=PW)
    proc = subprocess.Popen([CLI, "--db", str(ledger), "import", str(big)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, stdin=subprocess.DEVNULL)
    assert proc.stderr.readline().startswith("Importing")
    out = tmp_path / "during.plbackup"
    ok(run("--db", str(ledger), "backup", "-o", str(out)))
    assert proc.poll() is None, "the import ended before the backup: make the file bigger"
    assert proc.wait(timeout=300) == 0
    copy = tmp_path / "restored" / "party.db"
    ok(run("--db", str(copy), "restore", str(out)))      # both integrity checks pass, or it refuses
    assert iins(copy) == {p.iin for p in PEOPLE[:3]}     # the import was not committed yet: none of it
    engine = db.open_ledger(ledger, PW)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM member").scalar() == 3 + 40_000    # and then it was
    engine.dispose()
