"""Hostile text and member-level exports, through the real command line on a real encrypted ledger.

Two kinds of hostile text: what arrives now (refused at the door with a reason), and what an older
version already stored (put in here with raw SQL, as such a ledger would hold it): every command
must show it escaped and every export must write it without crashing.
"""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import msoffcrypto
import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from partyledger.ledger.storage import db
from partyledger.ledger.members import service
from partyledger.ledger.cleaning.iin import make_iin
from partyledger.ledger.models import MemberDraft
from partyledger.synthetic import make_people

CLI = str(Path(sys.executable).parent / "partyledger")
PASS = "correct horse"
RAW = "\x1b[2J\x1b]0;pwned\x07"           # clear the screen, retitle the terminal, ring the bell
HOSTILE = f"Ив{RAW}анов\u202e\x00"
AS_OF = "2026-06-01"
TERMINAL_COMMANDS = ("\x1b", "\x07", "\x00", "\u202e", "\x9b")


def run(*args: str, umask: int | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PARTYLEDGER_DB"}
    env.update(PARTYLEDGER_KDF_FAST="1", PARTYLEDGER_PASSPHRASE=PASS)
    return subprocess.run([CLI, *args], capture_output=True, text=True, env=env, timeout=60,
                          input=stdin, stdin=None if stdin is not None else subprocess.DEVNULL,
                          preexec_fn=(lambda: os.umask(umask)) if umask is not None else None)


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def clean_terminal(done: subprocess.CompletedProcess) -> None:
    for ch in TERMINAL_COMMANDS:
        assert ch not in done.stdout and ch not in done.stderr, (repr(ch), done.stdout[-500:], done.stderr[-500:])
    assert "Traceback" not in done.stderr


@pytest.fixture()
def hostile_ledger(tmp_path) -> str:
    """Members and a party name whose stored text holds ESC, BEL, NUL and a bidi override (raw SQL)."""
    path = tmp_path / "party.db"
    engine = db.create_ledger(path, PASS, party_name="Тест", fast_kdf=True)
    people = make_people(3, seed=11)
    with db.session_scope(engine) as s:
        for p in people:
            service.add_member(s, MemberDraft(iin=p.iin, surname=p.surname, given_name=p.given_name,
                                              birth_date=p.birth_date, sex=p.sex, unit_code=p.unit_code,
                                              joined_on=date(2024, 5, 1)))
    with engine.begin() as conn:
        conn.execute(text("UPDATE member SET surname = :s, locality = :l WHERE iin = :iin"),
                     {"s": HOSTILE, "l": "Алматы\x9b31m\x08", "iin": people[0].iin})
        conn.execute(text("UPDATE campaign SET party_name = :p"), {"p": f"Партия{RAW}"})
    engine.dispose()
    return str(path)


def test_stored_control_characters_are_shown_escaped_everywhere(hostile_ledger, tmp_path):
    db_opt = ("--db", hostile_ledger)
    listing = run(*db_opt, "members", "list")
    assert listing.returncode == 0 and "Ив\\x1b[2J\\x1b]0;pwned\\x07анов\\u202e\\x00" in listing.stdout
    clean_terminal(listing)
    as_json = run(*db_opt, "members", "list", "--json")
    clean_terminal(as_json)
    surnames = {m["surname"] for m in json.loads(as_json.stdout)}
    assert HOSTILE in surnames                            # the same data, as JSON escapes
    iin = next(m["iin"] for m in json.loads(as_json.stdout) if m["surname"] == HOSTILE)
    for args in (("members", "show", iin), ("members", "show", iin, "--json"), ("report", "--as-of", AS_OF),
                 ("campaign", "show"), ("dedupe", "list"), ("members", "list", "--search", "Ив")):
        done = run(*db_opt, *args)
        assert done.returncode == 0, (args, done.stderr)
        clean_terminal(done)
    assert "Партия\\x1b[2J" in run(*db_opt, "report", "--as-of", AS_OF).stdout


def test_exports_write_stored_control_characters_visibly_instead_of_crashing(hostile_ledger, tmp_path):
    out = tmp_path / "filing.xlsx"
    done = run("--db", hostile_ledger, "export", "filing", "-o", str(out), "--as-of", AS_OF)
    assert done.returncode == 0, done.stderr
    clean_terminal(done)
    cells = [c for ws in load_workbook(out, read_only=True) for row in ws.iter_rows(values_only=True)
             for c in row if isinstance(c, str)]
    assert any("Ив\\x1b[2J\\x1b]0;pwned\\x07анов\u202e\\x00" in c for c in cells)
    report = tmp_path / "report.xlsx"
    done = run("--db", hostile_ledger, "report", "--as-of", AS_OF, "--format", "xlsx", "-o", str(report))
    assert done.returncode == 0, done.stderr


def test_text_arriving_now_is_refused_at_the_door(hostile_ledger, tmp_path):
    iin = make_iin(date(1990, 1, 1), "M", 77)
    refused = run("--db", hostile_ledger, "members", "add", "--iin", iin, "--surname", "Ив\x1bанов",
                  "--given-name", "Иван", "--unit", "75")
    assert refused.returncode == 2
    assert one_line(refused.stderr) == "partyledger: surname: control character ESC (U+001B) at position 3"
    bidi = run("--db", hostile_ledger, "members", "add", "--iin", iin, "--surname", "Ив\u202eанов",
               "--given-name", "Иван", "--unit", "75", "--address", "ул. Абая 1")
    assert bidi.returncode == 2 and "RIGHT-TO-LEFT OVERRIDE (U+202E)" in one_line(bidi.stderr)

    sheet = tmp_path / "drive.csv"
    sheet.write_text(f"ИИН;Фамилия;Имя;Область\n{iin};Ив\x07анов;Иван;Алматы\n"
                     f"{make_iin(date(1991, 2, 2), 'F', 78)};Петрова;Анна{'я' * 200};Алматы\n", encoding="utf-8")
    imported = run("--db", hostile_ledger, "import", str(sheet), "--json")
    assert imported.returncode == 0, imported.stderr
    summary = json.loads(imported.stdout)
    assert summary["quarantined"] == 2 and summary["created"] == 0
    assert summary["issues"] == {"text.control_chars": 1, "text.too_long": 1}
    listed = run("--db", hostile_ledger, "quarantine", "list")
    assert "Ив\\x07анов" in listed.stdout and "text.control_chars" in listed.stdout
    clean_terminal(listed)

    out = tmp_path / "errors.xlsx"
    exported = run("--db", hostile_ledger, "quarantine", "export", "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    assert "personal data" in exported.stderr
    values = [c for row in load_workbook(out).active.iter_rows(values_only=True) for c in row]
    assert "Ив\\x07анов" in values


def test_id_options_too_large_for_the_ledger_are_one_line(hostile_ledger):
    for args in (("undo", "99999999999999999999999"), ("quarantine", "list", "--batch", "9" * 30),
                 ("dedupe", "unmerge", "9" * 25), ("batches", "--conflicts", "-5")):
        done = run("--db", hostile_ledger, *args)
        assert done.returncode == 2, (args, done.stderr)
        one_line(done.stderr)


def test_exports_are_owner_only_whatever_the_umask_and_never_overwritten_unasked(hostile_ledger, tmp_path):
    out = tmp_path / "filing.xlsx"
    first = run("--db", hostile_ledger, "export", "filing", "-o", str(out), "--as-of", AS_OF, umask=0)
    assert first.returncode == 0, first.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    before = out.read_bytes()
    again = run("--db", hostile_ledger, "export", "filing", "-o", str(out), "--as-of", AS_OF)
    assert again.returncode == 2
    assert one_line(again.stderr) == (f"partyledger: {out} already exists (choose another file name, or pass "
                                      "--force to overwrite it)")
    assert out.read_bytes() == before
    forced = run("--db", hostile_ledger, "export", "filing", "-o", str(out), "--as-of", AS_OF, "--force", umask=0)
    assert forced.returncode == 0 and stat.S_IMODE(out.stat().st_mode) == 0o600
    for fmt, name in (("json", "r.json"), ("html", "r.html"), ("text", "r.txt")):
        path = tmp_path / name
        assert run("--db", hostile_ledger, "report", "--as-of", AS_OF, "--format", fmt, "-o", str(path),
                   umask=0).returncode == 0
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert run("--db", hostile_ledger, "report", "--as-of", AS_OF, "--format", fmt, "-o", str(path)).returncode == 2


def _decrypt(path: Path, password: str):
    office = msoffcrypto.OfficeFile(path.open("rb"))
    assert office.is_encrypted()
    office.load_key(password=password)
    plain = io.BytesIO()
    office.decrypt(plain)
    return load_workbook(plain, read_only=True)


def test_member_level_exports_are_office_encrypted_with_the_password(hostile_ledger, tmp_path):
    filing, errors, report = tmp_path / "f.xlsx", tmp_path / "q.xlsx", tmp_path / "r.xlsx"
    assert run("--db", hostile_ledger, "export", "filing", "-o", str(filing), "--as-of", AS_OF,
               "--password", "s3cret").returncode == 0
    assert len(_decrypt(filing, "s3cret").sheetnames) >= 20
    with pytest.raises(Exception):
        _decrypt(filing, "wrong")
    piped = run("--db", hostile_ledger, "quarantine", "export", "-o", str(errors), "--password", "-",
                stdin="from stdin\n")
    assert piped.returncode == 0, piped.stderr
    assert "encrypted" in piped.stderr
    _decrypt(errors, "from stdin")
    assert run("--db", hostile_ledger, "report", "--as-of", AS_OF, "--format", "xlsx", "-o", str(report),
               "--password", "s3cret").returncode == 0
    assert "Exclusions" in _decrypt(report, "s3cret").sheetnames
    for args, message in ((("report", "--format", "json", "-o", str(tmp_path / "x.json"), "--password", "p"),
                           "--password encrypts an xlsx workbook only"),
                          (("export", "filing", "-o", str(tmp_path / "y.xlsx"), "--password", ""),
                           "the export password is empty"),
                          (("export", "filing", "-o", str(tmp_path / "z.xlsx"), "--ask-password"),
                           "--ask-password needs a terminal")):
        done = run("--db", hostile_ledger, *args)
        assert done.returncode == 2 and message in one_line(done.stderr), done.stderr
