"""``partyledger members ...`` as an organizer runs it: real subprocesses against a real encrypted ledger."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from partyledger.ledger.storage import db
from partyledger.ledger.members import service
from partyledger.ledger.models import MemberDraft
from partyledger.synthetic import make_people

CLI = str(Path(sys.executable).parent / "partyledger")


def run(*args: str, passphrase: str = "correct horse") -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PARTYLEDGER_DB"}
    env.update(PARTYLEDGER_KDF_FAST="1", PARTYLEDGER_PASSPHRASE=passphrase)
    return subprocess.run([CLI, *args], capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=60)


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]

PEOPLE = make_people(12, seed=2024)


@pytest.fixture()
def ledger(tmp_path):
    """A real encrypted ledger, made in-process (``init`` itself is tested in test_init_cli.py)."""
    path = tmp_path / "party.db"
    db.create_ledger(path, "correct horse", party_name="Тест", fast_kdf=True).dispose()
    return str(path)


def seed(path: str, *people, **over) -> None:
    """Members put in through the service layer, to set the scene quickly for the command under test."""
    engine = db.open_ledger(path, "correct horse")
    with db.session_scope(engine) as s:
        for p in people:
            fields = dict(iin=p.iin, surname=p.surname, given_name=p.given_name, birth_date=p.birth_date,
                          sex=p.sex, unit_code=p.unit_code, joined_on=date(2024, 5, 1))
            fields.update(over)
            service.add_member(s, MemberDraft(**fields))
    engine.dispose()


def stored(path: str) -> list[str]:
    """IINs in the ledger, read in-process."""
    engine = db.open_ledger(path, "correct horse")
    with db.session_scope(engine) as s:
        iins = [m.iin for m in service.list_members(s, limit=1000).rows]
    engine.dispose()
    return iins


def add(db: str, person, *extra: str, **over: str):
    fields = {"--iin": person.iin, "--surname": person.surname, "--given-name": person.given_name,
              "--unit": person.unit_code, "--joined-on": "2024-05-01"}
    fields.update({f"--{k.replace('_', '-')}": v for k, v in over.items()})
    args = [x for kv in fields.items() for x in kv]
    return run("--db", db, "members", "add", *args, *extra)


def members_json(db: str, *args: str) -> list[dict]:
    done = run("--db", db, "members", "list", "--json", *args)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_add_by_unit_name_then_list_as_json(ledger):
    p = PEOPLE[0]
    done = add(ledger, p, unit="Алматы", surname="Омарова", given_name="Айгүл")
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    [m] = members_json(ledger)
    assert (m["iin"], m["surname"], m["given_name"], m["unit_code"], m["status"]) == (
        p.iin, "Омарова", "Айгүл", "75", "active")
    assert m["birth_date"] == p.birth_date.isoformat()          # derived from the IIN


def test_add_accepts_an_english_alias(ledger):
    done = add(ledger, PEOPLE[1], unit="Almaty city")
    assert done.returncode == 0, done.stderr
    assert members_json(ledger)[0]["unit_code"] == "75"


@pytest.mark.parametrize("iin, words", [
    ("", "IIN"),
    ("abcdefghijkl", "IIN"),
    ("1234567890123", "IIN"),
    ("900101400019", "IIN"),                 # check digit wrong
])
def test_add_with_a_bad_iin_is_refused_in_one_line(ledger, iin, words):
    done = add(ledger, PEOPLE[2], iin=iin)
    assert done.returncode == 2
    assert words in one_line(done.stderr)
    assert stored(ledger) == []


def test_add_with_31_february_is_refused(ledger):
    done = add(ledger, PEOPLE[2], joined_on="2024-02-31")
    assert done.returncode == 2
    assert "2024-02-31" in one_line(done.stderr) and "--joined-on" in done.stderr
    assert stored(ledger) == []


def test_add_with_a_future_joining_date_is_refused(ledger):
    later = (date.today() + timedelta(days=3)).isoformat()
    done = add(ledger, PEOPLE[2], joined_on=later)
    assert done.returncode == 2
    assert "future" in one_line(done.stderr)


@pytest.mark.parametrize("unit", ["Атлантида", "Южно-Казахстанская"])     # unknown; historical, split in 2018
def test_add_with_an_unknown_or_ambiguous_unit_is_refused(ledger, unit):
    done = add(ledger, PEOPLE[2], unit=unit)
    assert done.returncode == 2
    assert unit in one_line(done.stderr)
    assert stored(ledger) == []


def test_add_with_an_existing_iin_names_who_holds_it(ledger):
    p = PEOPLE[3]
    seed(ledger, p, surname="Ахметов", given_name="Ерлан", unit_code="71")
    done = add(ledger, PEOPLE[4], iin=p.iin)
    assert done.returncode == 2
    assert one_line(done.stderr) == f"partyledger: IIN {p.iin} is already in the ledger (АХМЕТОВ Ерлан, unit 71)"
    assert stored(ledger) == [p.iin]


def test_warnings_are_printed_but_the_member_is_saved(ledger):
    p = PEOPLE[5]
    done = add(ledger, p, phone="12345", birth_date="1950-01-01")
    assert done.returncode == 0, done.stderr
    assert "warning" in done.stderr and "phone" in done.stderr and "birth" in done.stderr
    assert stored(ledger) == [p.iin]


def test_list_pages_with_a_cursor_and_all(ledger):
    seed(ledger, *PEOPLE[:5])
    first = run("--db", ledger, "members", "list", "--json", "--limit", "2")
    page1 = json.loads(first.stdout)
    cursor = first.stderr.split("--after ")[-1].strip()
    page2 = members_json(ledger, "--limit", "2", "--after", cursor)
    everyone = members_json(ledger, "--limit", "2", "--all")
    assert len(page1) == 2 and len(page2) == 2
    assert {m["iin"] for m in page1}.isdisjoint({m["iin"] for m in page2})
    assert sorted(m["iin"] for m in everyone) == sorted(p.iin for p in PEOPLE[:5])


def test_search_in_either_script_and_text_table(ledger):
    seed(ledger, PEOPLE[0], surname="Ковалёв", given_name="Сергей")
    seed(ledger, PEOPLE[1], surname="Сейітқали", given_name="Мөлдір")
    assert [m["surname"] for m in members_json(ledger, "--search", "kovalev")] == ["Ковалёв"]
    assert [m["surname"] for m in members_json(ledger, "--search", "СЕЙІТ")] == ["Сейітқали"]
    assert [m["iin"] for m in members_json(ledger, "--search", PEOPLE[1].iin[:6])] == [PEOPLE[1].iin]
    table = run("--db", ledger, "members", "list", "--search", "Ковалев")
    assert table.returncode == 0
    assert table.stdout.splitlines()[0].split()[:2] == ["IIN", "Surname"]
    assert "Ковалёв" in table.stdout and "Сейітқали" not in table.stdout


def test_list_filters_by_unit_name_and_status(ledger):
    seed(ledger, PEOPLE[0], unit_code="75")
    seed(ledger, PEOPLE[1], unit_code="71")
    assert [m["iin"] for m in members_json(ledger, "--unit", "Астана")] == [PEOPLE[1].iin]
    assert run("--db", ledger, "members", "withdraw", PEOPLE[0].iin, "--on", "2024-06-01").returncode == 0
    assert [m["iin"] for m in members_json(ledger, "--status", "withdrawn")] == [PEOPLE[0].iin]
    bad = run("--db", ledger, "members", "list", "--status", "gone")
    assert bad.returncode == 2 and "unknown status" in one_line(bad.stderr)


def test_edit_then_show_has_the_change_in_its_history(ledger):
    p = PEOPLE[6]
    seed(ledger, p)
    done = run("--db", ledger, "members", "edit", p.iin, "--phone", "8 (701) 234-56-78", "--locality", "Талгар")
    assert done.returncode == 0, done.stderr
    shown = run("--db", ledger, "members", "show", p.iin, "--json")
    detail = json.loads(shown.stdout)
    assert detail["phone"] == "+77012345678" and detail["locality"] == "Талгар"
    assert [e["action"] for e in detail["history"]] == ["member.added", "member.edited"]
    assert detail["history"][1]["after"]["phone"] == "+77012345678"
    text = run("--db", ledger, "members", "show", p.iin)
    assert text.returncode == 0 and "member.edited" in text.stdout


def test_edit_iin_to_one_already_taken_or_invalid_is_refused(ledger):
    a, b = PEOPLE[7], PEOPLE[8]
    seed(ledger, a, b)
    taken = run("--db", ledger, "members", "edit", a.iin, "--iin", b.iin)
    assert taken.returncode == 2 and "already in the ledger" in one_line(taken.stderr)
    invalid = run("--db", ledger, "members", "edit", a.iin, "--iin", "123")
    assert invalid.returncode == 2
    one_line(invalid.stderr)
    assert sorted(stored(ledger)) == sorted([a.iin, b.iin])


def test_withdraw_keeps_the_member_and_refuses_impossible_dates(ledger):
    p = PEOPLE[9]
    seed(ledger, p, joined_on=date(2024, 5, 1))
    future = (date.today() + timedelta(days=1)).isoformat()
    assert "future" in one_line(run("--db", ledger, "members", "withdraw", p.iin, "--on", future).stderr)
    early = run("--db", ledger, "members", "withdraw", p.iin, "--on", "2024-04-30")
    assert early.returncode == 2 and "before the member joined" in one_line(early.stderr)
    done = run("--db", ledger, "members", "withdraw", p.iin, "--on", "2025-01-15", "--reason", "moved")
    assert done.returncode == 0, done.stderr
    [m] = members_json(ledger)
    assert (m["status"], m["status_on"], m["status_reason"]) == ("withdrawn", "2025-01-15", "moved")


def test_show_unknown_or_malformed_iin(ledger):
    missing = run("--db", ledger, "members", "show", PEOPLE[10].iin)
    assert missing.returncode == 2 and "no member with IIN" in one_line(missing.stderr)
    malformed = run("--db", ledger, "members", "show", "12ab")
    assert malformed.returncode == 2 and "12 digits" in one_line(malformed.stderr)


def test_wrong_passphrase_for_members_add(ledger):
    done = run("--db", ledger, "members", "add", "--iin", PEOPLE[0].iin, "--surname", "А", "--given-name", "Б",
               "--unit", "75", passphrase="nope")
    assert done.returncode == 2 and "wrong passphrase" in one_line(done.stderr)


def test_show_lists_roles_and_congress_attendance(ledger):
    from datetime import datetime

    from partyledger.ledger.members import congress, roles

    p = PEOPLE[11]
    seed(ledger, p)
    engine = db.open_ledger(ledger, "correct horse")
    with db.session_scope(engine) as s:
        roles.add_role(s, p.iin, "initiative_group", since=date(2024, 6, 1))
        congress.check_in(s, service.get_member(s, p.iin), at=datetime(2024, 9, 1, 10, 0), by="Айгүл")
    engine.dispose()
    detail = json.loads(run("--db", ledger, "members", "show", p.iin, "--json").stdout)
    assert detail["roles"] == [{"kind": "initiative_group", "since": "2024-06-01", "until": None}]
    assert detail["congress"]["in_person"] is True and detail["congress"]["by"] == "Айгүл"
    assert [e["action"] for e in detail["history"]] == ["member.added", "role.added", "congress.checkin"]


def test_show_says_whether_the_member_counts_on_a_date_with_every_reason(ledger):
    from partyledger.ledger.cleaning.iin import make_iin

    signed_at_17 = make_iin(date(2006, 9, 1), "F", 77)
    engine = db.open_ledger(ledger, "correct horse")
    with db.session_scope(engine) as s:
        service.add_member(s, MemberDraft(iin=signed_at_17, surname="Сейткали", given_name="Айгерим",
                                          birth_date=date(2006, 9, 1), sex="F", unit_code="75",
                                          joined_on=date(2024, 3, 1), citizen=False))
    engine.dispose()
    detail = json.loads(run("--db", ledger, "members", "show", signed_at_17, "--as-of", "2025-06-01", "--json").stdout)
    assert detail["eligibility"]["as_of"] == "2025-06-01" and detail["eligibility"]["counts"] is False
    assert [r["code"] for r in detail["eligibility"]["reasons"]] == ["age.under_minimum_at_joining",
                                                                      "declaration.citizen"]
    text = run("--db", ledger, "members", "show", signed_at_17, "--as-of", "2025-06-01").stdout
    assert ("counts on 2025-06-01: no: age.under_minimum_at_joining (17 years old on joining (2024-03-01), "
            "the minimum is 18: must sign up again); declaration.citizen (declared not a citizen)") in text
    p = PEOPLE[4]
    seed(ledger, p, joined_on=date(2024, 5, 1))
    shown = run("--db", ledger, "members", "show", p.iin)
    assert shown.returncode == 0 and f"counts on {date.today().isoformat()}: yes" in shown.stdout
