"""``partyledger import / batches / undo / quarantine`` as an organizer runs them: real subprocesses,
real encrypted ledgers, real files; including kill -9 and Ctrl-C in the middle of an import."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from partyledger.synthetic import UNIT_NAMES, make_people

from importers import import_builders as b

CLI = str(Path(sys.executable).parent / "partyledger")
SAMPLES = Path(__file__).resolve().parents[2] / "samples"
CONTRACT = {"batch_id", "rows", "created", "updated", "unchanged", "quarantined", "duplicates_flagged", "issues"}


def env() -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if k != "PARTYLEDGER_DB"}
    return e | {"PARTYLEDGER_KDF_FAST": "1", "PARTYLEDGER_PASSPHRASE": "correct horse"}


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CLI, *args], capture_output=True, text=True, env=env(), stdin=subprocess.DEVNULL,
                          timeout=120)


def ok(done: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done


@pytest.fixture()
def db(tmp_path) -> str:
    path = str(tmp_path / "party.db")
    ok(run("--db", path, "init"))
    return path


def member_rows(db: str, where: str = "1=1") -> list[tuple]:
    """Read the ledger in-process (faster than another CLI run) to check what a command did."""
    from sqlalchemy import text

    from partyledger.ledger.storage.db import open_ledger

    engine = open_ledger(db, "correct horse")
    try:
        with engine.connect() as c:
            return [tuple(r) for r in c.execute(text(f"SELECT iin, surname, phone FROM member WHERE {where} ORDER BY id"))]
    finally:
        engine.dispose()


def ledger_state(db: str) -> tuple:
    """What an organizer can see: member count, batches, and SQLite's own integrity verdict."""
    from sqlalchemy import text

    from partyledger.ledger.storage.db import open_ledger

    engine = open_ledger(db, "correct horse")
    try:
        with engine.connect() as c:
            return (c.execute(text("SELECT count(*) FROM member")).scalar_one(),
                    c.execute(text("SELECT count(*) FROM importbatch")).scalar_one(),
                    c.execute(text("PRAGMA integrity_check")).scalar_one())
    finally:
        engine.dispose()


def test_import_json_contract_and_second_run_creates_nothing(db):
    first = ok(run("--db", db, "import", str(SAMPLES / "clean.xlsx"), "--json"))
    out = json.loads(first.stdout)
    assert set(out) == CONTRACT
    assert (out["rows"], out["created"], out["unchanged"], out["quarantined"]) == (60, 60, 0, 0)
    assert isinstance(out["batch_id"], int) and "60 new" in first.stderr
    again = json.loads(ok(run("--db", db, "import", str(SAMPLES / "clean.xlsx"), "--json")).stdout)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 60)
    assert len(member_rows(db)) == 60


def test_dry_run_writes_nothing_and_says_so(db):
    done = ok(run("--db", db, "import", str(SAMPLES / "messy.xlsx"), "--dry-run", "--json"))
    out = json.loads(done.stdout)
    assert out["batch_id"] is None and out["created"] > 0 and out["quarantined"] == 6
    assert "nothing written" in done.stderr
    assert json.loads(ok(run("--db", db, "batches", "--json")).stdout) == []
    assert member_rows(db) == []


def test_messy_file_quarantine_fix_export_and_undo(db, tmp_path):
    out = json.loads(ok(run("--db", db, "import", str(SAMPLES / "messy.xlsx"), "--json")).stdout)
    assert out["issues"]["iin.missing"] == 1 and out["duplicates_flagged"] == 1
    rows = json.loads(ok(run("--db", db, "quarantine", "list", "--json")).stdout)
    assert len(rows) == out["quarantined"]
    missing = next(r for r in rows if r["codes"] == ["iin.missing"])
    newcomer = make_people(1, seed=4242)[0]
    fixed = ok(run("--db", db, "quarantine", "fix", str(missing["id"]), "--set", f"iin={newcomer.iin}", "--json"))
    assert json.loads(fixed.stdout)["iin"] == newcomer.iin
    [(_iin, surname, _phone)] = member_rows(db, f"iin = '{newcomer.iin}'")
    assert surname == missing["raw"]["Ф.И.О."].split()[0]
    report = tmp_path / "fix_me.xlsx"
    ok(run("--db", db, "quarantine", "export", "-o", str(report)))
    from openpyxl import load_workbook
    assert load_workbook(report).active.max_row == 1 + len(rows) - 1
    undone = json.loads(ok(run("--db", db, "undo", str(out["batch_id"]), "--json")).stdout)
    assert undone["deleted"] == out["created"]
    assert [m[0] for m in member_rows(db)] == [newcomer.iin]      # the hand-fixed person stays
    again = run("--db", db, "undo", str(out["batch_id"]))
    assert again.returncode == 2 and len(again.stderr.strip().splitlines()) == 1


def test_conflicts_are_listed_and_not_applied(db, tmp_path):
    p = make_people(1, seed=31)[0]
    header = ["ИИН", "Фамилия", "Имя", "Область", "Телефон"]
    first = b.workbook(tmp_path / "a.xlsx", [header, [p.iin, p.surname, p.given_name, "Астана", p.phone]])
    second = b.workbook(tmp_path / "b.xlsx", [header, [p.iin, p.surname, p.given_name, "Астана", "+77001234567"]])
    ok(run("--db", db, "import", str(first)))
    done = ok(run("--db", db, "import", str(second), "--json"))
    assert "NOT changed" in done.stderr and "+77001234567" in done.stderr
    batch = json.loads(done.stdout)["batch_id"]
    [c] = json.loads(ok(run("--db", db, "batches", "--conflicts", str(batch), "--json")).stdout)
    assert (c["field"], c["current_value"], c["incoming_value"]) == ("phone", p.phone, "+77001234567")
    assert member_rows(db) == [(p.iin, p.surname, p.phone)]
    ok(run("--db", db, "import", str(second), "--update-changed"))
    assert member_rows(db) == [(p.iin, p.surname, "+77001234567")]


def test_mapping_file_is_remembered_for_the_next_file_with_those_headers(db, tmp_path):
    people = make_people(4, seed=8)
    header = ["Код", "Человек", "Где живёт"]
    rows = [[p.iin, f"{p.surname} {p.given_name}", UNIT_NAMES[p.unit_code][0]] for p in people]
    first = b.workbook(tmp_path / "a.xlsx", [header] + rows[:2])
    second = b.workbook(tmp_path / "b.xlsx", [list(reversed(header))] + [list(reversed(r)) for r in rows[2:]])
    refused = run("--db", db, "import", str(first))
    assert refused.returncode == 2 and "--mapping" in refused.stderr
    mapping = tmp_path / "volunteer7.toml"
    mapping.write_text('"Код" = "iin"\n"Человек" = "full_name"\n"Где живёт" = "region"\n', encoding="utf-8")
    assert json.loads(ok(run("--db", db, "import", str(first), "--mapping", str(mapping), "--json")).stdout)[
        "created"] == 2
    assert json.loads(ok(run("--db", db, "import", str(second), "--json")).stdout)["created"] == 2


@pytest.mark.parametrize("name, build, words", [
    ("bomb.xlsx", b.zip_bomb, "zip bomb"),
    ("entities.xlsx", b.entity_bomb, "entities"),
    ("protected.xlsx", b.encrypted_workbook, "password"),
    ("old.xls", b.old_xls, "save it as .xlsx"),
    ("empty.csv", lambda p: p.write_bytes(b"") or p, "empty"),
])
def test_hostile_files_exit_2_with_one_line_before_the_ledger_is_opened(tmp_path, name, build, words):
    path = tmp_path / name
    built = build(path)
    path = built if isinstance(built, Path) else path
    done = run("--db", str(tmp_path / "no-ledger-needed.db"), "import", str(path))
    assert done.returncode == 2 and done.stdout == ""
    [line] = done.stderr.strip().splitlines()
    assert words.lower() in line.lower() and "Traceback" not in done.stderr


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("big") / "signups.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["ИИН", "Фамилия", "Имя", "Область", "Телефон"])
        for p in make_people(60_000, seed=99):
            w.writerow([p.iin, p.surname, p.given_name, UNIT_NAMES[p.unit_code][0], p.phone])
    return path


def start_import(db: str, path: Path) -> subprocess.Popen:
    proc = subprocess.Popen([CLI, "--db", db, "import", str(path)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env(), stdin=subprocess.DEVNULL, text=True)
    line = proc.stderr.readline()                       # "Importing ... Ctrl-C cancels." once rows flow
    assert line.startswith("Importing"), line
    time.sleep(0.7)
    assert proc.poll() is None, "the import finished before the test could interrupt it"
    return proc


def test_kill_9_mid_import_leaves_the_ledger_as_it_was(db, big_csv):
    ok(run("--db", db, "import", str(SAMPLES / "clean.xlsx")))
    before = ledger_state(db)
    proc = start_import(db, big_csv)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert ledger_state(db) == before == (60, 1, "ok")


def test_ctrl_c_mid_import_cancels_cleanly(db, big_csv):
    proc = start_import(db, big_csv)
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2, err
    assert "cancelled" in err and "nothing was written" in err and "Traceback" not in err
    assert ledger_state(db) == (0, 0, "ok")


def _rules_with_zetland(folder: Path) -> Path:
    """A rules folder holding KZ as shipped and ZZ, a copy whose Akmola Region is called Zetland."""
    import shutil

    from partyledger.rules import shipped_rules_dir

    shutil.copytree(shipped_rules_dir() / "kz", folder / "kz")
    shutil.copytree(shipped_rules_dir() / "kz", folder / "zz")
    for path in (folder / "zz").glob("*.toml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace('code = "KZ"', 'code = "ZZ"').replace('jurisdiction = "KZ"', 'jurisdiction = "ZZ"')
                        .replace('ru = "Акмолинская область"', 'ru = "Зетландская область"'), encoding="utf-8")
    return folder


def test_import_places_regions_with_the_ledgers_own_jurisdiction_and_names_who_did_it(tmp_path):
    """A ZZ ledger's import resolves "Зетландская область" with ZZ's units (KZ's own do not know it), and
    the audit log names the person who ran the command."""
    import getpass

    from sqlalchemy import text

    from partyledger.ledger.storage.db import open_ledger

    rules = _rules_with_zetland(tmp_path / "rules")
    db = str(tmp_path / "zz.db")
    ok(run("--rules", str(rules), "--db", db, "init", "--jurisdiction", "ZZ"))
    p = make_people(1, seed=77)[0]
    sheet = b.workbook(tmp_path / "zz.xlsx", [["ИИН", "Фамилия", "Имя", "Область"],
                                              [p.iin, p.surname, p.given_name, "Зетландская область"]])
    out = json.loads(ok(run("--rules", str(rules), "--db", db, "import", str(sheet), "--json")).stdout)
    assert (out["created"], out["quarantined"]) == (1, 0)
    engine = open_ledger(db, "correct horse")
    try:
        with engine.connect() as c:
            assert c.execute(text("SELECT unit_code FROM member")).scalar_one() == "11"
            actors = dict(c.execute(text("SELECT action, actor FROM auditevent WHERE action = 'batch.commit'")).all())
    finally:
        engine.dispose()
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - the product says "unknown" then
        user = "unknown"
    assert actors == {"batch.commit": f"cli:{user}"}


def _damaged_workbook(path: Path) -> Path:
    """A zip the guard passes (a workbook's parts, no bomb, no DTD) whose workbook.xml is not XML."""
    import zipfile

    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "this is not the XML of a workbook")
    return path


@pytest.mark.parametrize("name, build, words", [
    ("bomb.xlsx", b.zip_bomb, "zip bomb"),
    ("damaged.xlsx", _damaged_workbook, "cannot read the workbook"),
    ("notes.xlsx", lambda p: p.write_text("meeting notes, not a sheet") and p, "not a .xlsx workbook"),
])
def test_a_refused_file_is_refused_before_the_passphrase_is_asked(db, tmp_path, name, build, words):
    """No passphrase in the environment and no terminal: had the command tried to unlock the ledger
    first, it would fail on the passphrase; it names the file's problem instead (exit 2, one line)."""
    path = build(tmp_path / name)
    no_secret = {k: v for k, v in env().items() if k != "PARTYLEDGER_PASSPHRASE"}
    done = subprocess.run([CLI, "--db", db, "import", str(path)], capture_output=True, text=True, env=no_secret,
                          stdin=subprocess.DEVNULL, timeout=120)
    assert done.returncode == 2 and done.stdout == ""
    [line] = done.stderr.strip().splitlines()
    assert words in line and name in line and "passphrase" not in line
    assert ledger_state(db) == (0, 0, "ok")


def test_the_refusal_path_does_not_load_the_database_layer(tmp_path):
    """The guard, the readers and the import command refuse a file without importing SQLAlchemy (~0.4 s of
    the half second the refusal is allowed from process start)."""
    bogus = tmp_path / "notes.xlsx"
    bogus.write_text("not a sheet")
    code = ("import sys\nfrom partyledger.cli import main\n"
            f"sys.argv = ['partyledger', '--db', {str(tmp_path / 'x.db')!r}, 'import', {str(bogus)!r}]\n"
            "try:\n    main()\nexcept SystemExit as done:\n"
            "    print(done.code, sorted(m for m in ('sqlalchemy', 'sqlmodel', 'sqlcipher3') if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env(), timeout=120,
                          stdin=subprocess.DEVNULL)
    assert done.stdout.split("\n")[0] == "2 []" and "notes.xlsx" in done.stderr
