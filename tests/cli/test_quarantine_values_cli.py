"""Quarantine fixed by value with the real ``partyledger`` command on a real SQLCipher ledger and real xlsx
sheets: the bad region texts are listed as groups with their counts, one ``quarantine map`` promotes
every row that has the text, the alias is remembered, listed and audited, a later sheet with the same
text (spelled a little differently) imports with no quarantine, and removing the alias stops that."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from sqlalchemy import text

from partyledger.ledger.storage.db import open_ledger
from partyledger.synthetic import make_people

from importers import import_builders as b

CLI = str(Path(sys.executable).parent / "partyledger")
HEADER = ["№", "Фамилия", "Имя", "ИИН", "Область"]


def run(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PARTYLEDGER_DB"}
    env |= {"PARTYLEDGER_KDF_FAST": "1", "PARTYLEDGER_PASSPHRASE": "correct horse"}
    return subprocess.run([CLI, *args], capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=120)


def sheet(path: Path, people, regions: list[str]) -> Path:
    rows = [HEADER] + [[k, p.surname, p.given_name, p.iin, region]
                       for k, (p, region) in enumerate(zip(people, regions), start=1)]
    return b.workbook(path, rows)


def query(db: str, sql: str) -> list[tuple]:
    engine = open_ledger(db, "correct horse")
    try:
        with engine.connect() as c:
            return [tuple(r) for r in c.execute(text(sql))]
    finally:
        engine.dispose()


def test_region_texts_are_fixed_once_remembered_and_forgotten(tmp_path):
    db = str(tmp_path / "party.db")
    assert run("--db", db, "init").returncode == 0
    people = make_people(20, seed=41)
    broken = replace(people[8], iin=people[8].iin[:11] + str((int(people[8].iin[11]) + 1) % 10))   # bad check digit
    regions = ["Алм.обл"] * 5 + ["Сев.-Каз. обл"] * 3 + ["Алм.обл", "Алматы қ.", "Алматы қ."]
    first = sheet(tmp_path / "first.xlsx", people[:8] + [broken] + people[9:11], regions)
    done = run("--db", db, "import", str(first), "--json")
    assert done.returncode == 0, done.stderr
    assert (json.loads(done.stdout)["created"], json.loads(done.stdout)["quarantined"]) == (2, 9)

    groups = json.loads(run("--db", db, "quarantine", "values", "--json").stdout)
    assert [(g["code"], g["field"], g["value"], g["rows"]) for g in groups] == [
        ("unit.unknown", "region", "Алм.обл", 6), ("unit.unknown", "region", "Сев.-Каз. обл", 3),
        ("iin.checksum", "iin", broken.iin, 1)]
    assert groups[0]["reason"] == "the region is not a known territorial unit"
    shown = run("--db", db, "quarantine", "values")
    assert "6 x  region 'Алм.обл': the region is not a known territorial unit [unit.unknown]" in shown.stdout

    mapped = run("--db", db, "quarantine", "map", "Алм.обл", "--unit", "19", "--json")
    assert mapped.returncode == 0, mapped.stderr
    report = json.loads(mapped.stdout)
    assert (report["promoted"], report["still_open"]) == (5, 1)
    assert "5 row(s) promoted, 1 still open" in mapped.stderr
    held = json.loads(run("--db", db, "quarantine", "list", "--json").stdout)
    assert sorted(tuple(r["codes"]) for r in held) == [("iin.checksum",)] + [("unit.unknown",)] * 3
    placed = dict(query(db, "SELECT iin, unit_code FROM member"))
    assert [placed[p.iin] for p in people[:5]] == ["19"] * 5 and broken.iin not in placed

    aliases = json.loads(run("--db", db, "quarantine", "aliases", "--json").stdout)
    assert [(a["text"], a["unit"]) for a in aliases] == [("Алм.обл", "19")]
    events = query(db, "SELECT action, after FROM auditevent WHERE entity = 'region_alias'")
    assert [(a, json.loads(after)) for a, after in events] == [("region_alias.set", {"text": "Алм.обл", "unit": "19"})]

    # a later sheet: the same text spelled another way places its rows with no quarantine
    later = run("--db", db, "import", str(sheet(tmp_path / "later.xlsx", people[11:14], ["алм. обл"] * 3)), "--json")
    assert (json.loads(later.stdout)["created"], json.loads(later.stdout)["quarantined"]) == (3, 0)
    placed = dict(query(db, "SELECT iin, unit_code FROM member"))
    assert [placed[p.iin] for p in people[11:14]] == ["19"] * 3

    assert run("--db", db, "quarantine", "unmap", "Алм.обл").returncode == 0
    assert json.loads(run("--db", db, "quarantine", "aliases", "--json").stdout) == []
    again = run("--db", db, "import", str(sheet(tmp_path / "again.xlsx", people[14:16], ["Алм.обл"] * 2)), "--json")
    assert (json.loads(again.stdout)["created"], json.loads(again.stdout)["quarantined"]) == (0, 2)

    verdict = run("--db", db, "verify")
    assert verdict.returncode == 0, verdict.stdout + verdict.stderr


def test_a_hostile_text_or_a_unit_out_of_force_is_refused_with_one_line(tmp_path):
    db = str(tmp_path / "party.db")
    assert run("--db", db, "init").returncode == 0
    for args, words in ((["Алм\x1b[2J.обл", "--unit", "19"], "region text: "),
                        (["Юж.-Каз. обл", "--unit", "51"], "not in force on"),
                        (["Алматы облысы", "--unit", "75"], "already read as unit 19"),
                        (["Алм.обл", "--unit", "99"], "not in the unit catalogue")):
        refused = run("--db", db, "quarantine", "map", *args)
        assert refused.returncode == 2 and words in refused.stderr, refused.stderr
        assert "Traceback" not in refused.stderr and "\x1b" not in refused.stderr
    assert query(db, "SELECT count(*) FROM regionalias") == [(0,)]
