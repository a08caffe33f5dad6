"""A Kazakh-headed sign-up sheet with region cells as volunteers type them, imported with ``partyledger
import``: every row whose region any reader understands becomes a member in the right unit, not a
quarantine row; a region that contradicts its town is held back with both units named."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from partyledger.synthetic import make_people

from importers import import_builders as b

CLI = str(Path(sys.executable).parent / "partyledger")
HEADER = ["Р/с", "Тегі", "Аты", "Әкесінің аты", "ЖСН", "Облыс", "Елді мекен", "Телефон нөмірі"]
# (region cell, town cell, the unit the member must count in after 8 June 2022)
CELLS = [
    ("Шыгыс Казакстан облысы", "Өскемен", "63"), ("Шыгыс Казахстан обл", "Риддер", "63"), ("ШҚО", "Зайсан", "63"),
    ("БҚО", "Орал", "27"), ("Батыс Казакстан облысы", None, "27"), ("ОҚО", "Түркістан", "61"),
    ("Онтустик Казахстан", "Шымкент", "79"), ("Jetisý oblysy", None, "33"), ("Mańǵystaý oblysy", None, "47"),
    ("Ulytaý oblysy", None, "62"), ("Atyraý oblysy", None, "23"), ("Алматы қ.", None, "75"),
    ("ВКО, г. Семей", None, "10"), ("UKO", "Кентау", "61"), ("Карагандинскя облысы", "Темиртау", "35"),
    ("Павлодр облысы", None, "55"), ("Семей", None, "10"), (None, "Талдықорған", "33"),
    ("Жетiсу облысы", "Текелі", "33"), ("Қарағанды облысы, Жезқазған қ.", None, "62"), ("СҚО", "Петропавл", "59"),
    ("Ақмола облысы", "Көкшетау", "11"), ("Ақтөбе обл.", None, "15"), ("Түркістан облысы", None, "61"),
    ("Нұр-Сұлтан қ.", None, "71"), ("Шымкент қ.", None, "79"), ("Қостанай облысы", "Рудный", "39"),
    ("Қызылорда облысы", None, "43"), ("Жамбыл облысы", "Тараз", "31"), ("Абай облысы", "Аягөз", "10"),
]


def run(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PARTYLEDGER_DB"}
    env |= {"PARTYLEDGER_KDF_FAST": "1", "PARTYLEDGER_PASSPHRASE": "correct horse"}
    return subprocess.run([CLI, *args], capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=120)


def units_by_iin(db: str) -> dict[str, tuple[str, str | None]]:
    from sqlalchemy import text

    from partyledger.ledger.storage.db import open_ledger

    engine = open_ledger(db, "correct horse")
    try:
        with engine.connect() as c:
            return {iin: (unit, loc) for iin, unit, loc in c.execute(text("SELECT iin, unit_code, locality FROM member"))}
    finally:
        engine.dispose()


def test_kazakh_sheet_region_cells_become_members_in_their_units(tmp_path):
    db = str(tmp_path / "party.db")
    assert run("--db", db, "init").returncode == 0
    people = make_people(len(CELLS) + 1, seed=12)
    rows = [HEADER]
    for k, (person, (region, town, _code)) in enumerate(zip(people, CELLS), start=1):
        rows.append([k, person.surname, person.given_name, person.patronymic, person.iin, region, town, person.phone])
    clash = people[-1]      # a region that contradicts its town: held back, both units named
    rows.append([len(rows), clash.surname, clash.given_name, clash.patronymic, clash.iin, "Алматинская обл.", "Семей",
                 clash.phone])
    sheet = b.workbook(tmp_path / "тізім.xlsx", rows)

    done = run("--db", db, "import", str(sheet), "--json")
    assert done.returncode == 0, done.stderr
    counts = json.loads(done.stdout)
    assert (counts["created"], counts["quarantined"]) == (len(CELLS), 1)
    assert counts["issues"].get("unit.unknown", 0) == 0 and counts["issues"]["unit.conflict"] == 1

    stored = units_by_iin(db)
    assert {p.iin: stored[p.iin][0] for p in people[:len(CELLS)]} == {p.iin: c[2] for p, c in zip(people, CELLS)}
    assert stored[people[12].iin] == ("10", "Семей")          # the town read from "ВКО, г. Семей" is kept
    assert clash.iin not in stored

    held = json.loads(run("--db", db, "quarantine", "list", "--json").stdout)
    assert [r["codes"] for r in held] == [["unit.conflict"]]
    again = run("--db", db, "quarantine", "promote", str(held[0]["id"]))     # still refused, both units named
    assert again.returncode == 2 and "Traceback" not in again.stderr
    assert "Almaty Region (19)" in again.stderr and "Abai Region (10)" in again.stderr
    fixed = run("--db", db, "quarantine", "fix", str(held[0]["id"]), "--set", "region=Абай облысы")
    assert fixed.returncode == 0, fixed.stderr
    assert units_by_iin(db)[clash.iin] == ("10", "Семей")
