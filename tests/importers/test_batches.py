"""The import service on a real encrypted ledger: idempotence, conflicts, quarantine, undo, cancel."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import text

import import_builders as b
from partyledger.errors import Cancelled, Conflict, InvalidInput
from partyledger.files import file_sha256
from partyledger.importers import read_members
from partyledger.ledger.intake import batch_records, batches, member_rows, quarantine
from partyledger.ledger.storage.db import create_ledger, session_scope
from partyledger.rules import load_rules
from partyledger.synthetic import UNIT_NAMES, make_people

AS_OF = date(2026, 11, 1)
UNITS = load_rules("KZ").units
PEOPLE = make_people(40, seed=77, as_of=AS_OF)
HEADER = ["ИИН", "Фамилия", "Имя", "Область", "Телефон"]


def person_row(p, **over):
    row = {"ИИН": p.iin, "Фамилия": p.surname, "Имя": p.given_name, "Область": UNIT_NAMES[p.unit_code][0],
           "Телефон": p.phone} | over
    return [row[h] for h in HEADER]


@pytest.fixture()
def engine(tmp_path):
    eng = create_ledger(tmp_path / "l.db", "pw", fast_kdf=True)
    yield eng
    eng.dispose()


def run_import(engine, path, *, dry_run=False, update_changed=False, cancel=None, chunk_size=batches.CHUNK):
    with session_scope(engine) as s:
        data, mapped = read_members(path)
        src = batches.BatchSource(path.name, file_sha256(path), data.name, mapped.header.mapping)
        return batches.import_rows(s, mapped.rows, src, units=UNITS, as_of=AS_OF, dry_run=dry_run,
                                   update_changed=update_changed, cancel=cancel, chunk_size=chunk_size)


def members(engine) -> list[tuple]:
    """The whole member table, every column, in IIN order: 'equal in content'."""
    with engine.connect() as c:
        return [tuple(r) for r in c.execute(text("SELECT * FROM member ORDER BY iin"))]


def count(engine, table: str) -> int:
    with engine.connect() as c:
        return c.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


def test_same_file_twice_creates_nothing_new(engine, tmp_path):
    path = b.workbook(tmp_path / "a.xlsx", [HEADER] + [person_row(p) for p in PEOPLE[:10]])
    first = run_import(engine, path)
    assert (first.created, first.unchanged, first.quarantined) == (10, 0, 0)
    second = run_import(engine, path)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 10)
    assert count(engine, "member") == 10
    assert [m[0] for m in members(engine)] != []          # real rows, not just counts


def test_dry_run_writes_nothing_at_all(engine, tmp_path):
    path = b.workbook(tmp_path / "a.xlsx", [HEADER] + [person_row(p) for p in PEOPLE[:5]] + [["", "Без", "Иина",
                                                                                            "Астана", ""]])
    audit_before = count(engine, "auditevent")
    res = run_import(engine, path, dry_run=True)
    assert res.summary()["batch_id"] is None and (res.created, res.quarantined) == (5, 1)
    for table in ("member", "importbatch", "quarantinerow", "batchchange", "importconflict"):
        assert count(engine, table) == 0, table
    assert count(engine, "auditevent") == audit_before


def test_preview_and_commit_agree(engine, tmp_path):
    path = b.workbook(tmp_path / "a.xlsx", [HEADER] + [person_row(p) for p in PEOPLE[:6]]
                      + [person_row(PEOPLE[0])] + [["123", "Плохой", "Номер", "Астана", ""]])
    preview = run_import(engine, path, dry_run=True).summary()
    committed = run_import(engine, path).summary()
    assert {k: v for k, v in preview.items() if k != "batch_id"} == \
           {k: v for k, v in committed.items() if k != "batch_id"}
    assert committed["duplicates_flagged"] == 1 and committed["quarantined"] == 2


def test_bad_rows_go_to_quarantine_whole_and_are_not_queued_twice(engine, tmp_path):
    rows = [HEADER, person_row(PEOPLE[0]), ["", "Без", "Иина", "Астана", "87011234567"],
            person_row(PEOPLE[1], Область="Марс"), person_row(PEOPLE[0], Телефон="+77000000000")]
    path = b.workbook(tmp_path / "a.xlsx", rows)
    res = run_import(engine, path)
    assert (res.created, res.quarantined, res.duplicates_flagged) == (1, 3, 1)
    with session_scope(engine) as s:
        q = quarantine.list_quarantine(s)
    assert [(r["row"], r["codes"]) for r in q] == [(3, ["iin.missing"]), (4, ["unit.unknown"]),
                                                    (5, ["iin.duplicate"])]
    assert q[0]["raw"] == {"Фамилия": "Без", "Имя": "Иина", "Область": "Астана", "Телефон": "87011234567"}
    run_import(engine, path)
    assert count(engine, "quarantinerow") == 3


def test_differing_values_are_conflicts_and_the_ledger_keeps_its_value(engine, tmp_path):
    p = PEOPLE[0]
    run_import(engine, b.workbook(tmp_path / "a.xlsx", [HEADER, person_row(p)]))
    changed = b.workbook(tmp_path / "b.xlsx", [HEADER, person_row(p, Телефон="+77001112233")])
    res = run_import(engine, changed)
    assert (res.created, res.updated, res.unchanged, res.conflict_count) == (0, 0, 1, 1)
    assert res.conflicts[0] | {"member_id": None} == {
        "row": 2, "iin": p.iin, "member_id": None, "field": "phone", "current_value": p.phone,
        "incoming_value": "+77001112233"}
    with engine.connect() as c:
        assert c.execute(text("SELECT phone FROM member")).scalar_one() == p.phone
    with session_scope(engine) as s:
        [listed] = batch_records.batch_conflicts(s, res.batch_id)
        assert (listed["iin"], listed["field"], listed["state"]) == (p.iin, "phone", "open")


def test_corrected_file_fills_gaps_and_undo_restores_exactly(engine, tmp_path):
    first = [HEADER] + [person_row(p, Телефон=None) for p in PEOPLE[:8]]
    run_import(engine, b.workbook(tmp_path / "a.xlsx", first))
    before = members(engine)
    corrected = [HEADER] + [person_row(p) for p in PEOPLE[:8]] + [person_row(p) for p in PEOPLE[8:12]]
    res = run_import(engine, b.workbook(tmp_path / "b.xlsx", corrected))
    assert (res.created, res.updated, res.unchanged) == (4, 8, 0)
    assert members(engine) != before
    with session_scope(engine) as s:
        assert batch_records.undo_batch(s, res.batch_id) == {"deleted": 4, "restored": 8, "quarantine_dropped": 0,
                                                       "duplicate_pairs_dropped": 0}
    assert members(engine) == before


def test_update_changed_applies_differences_and_undo_puts_them_back(engine, tmp_path):
    run_import(engine, b.workbook(tmp_path / "a.xlsx", [HEADER] + [person_row(p) for p in PEOPLE[:3]]))
    before = members(engine)
    res = run_import(engine, b.workbook(tmp_path / "b.xlsx", [HEADER, person_row(PEOPLE[0], Фамилия="Новая")]),
                     update_changed=True)
    assert (res.updated, res.conflict_count) == (1, 0)
    with engine.connect() as c:
        assert c.execute(text("SELECT surname FROM member WHERE iin = :i"), {"i": PEOPLE[0].iin}).scalar_one() == "Новая"
    with session_scope(engine) as s:
        batch_records.undo_batch(s, res.batch_id)
    assert members(engine) == before


def test_undo_of_everything_leaves_an_empty_ledger_and_an_audit_trail(engine, tmp_path):
    res = run_import(engine, b.workbook(tmp_path / "a.xlsx", [HEADER] + [person_row(p) for p in PEOPLE[:5]]))
    with session_scope(engine) as s:
        batch_records.undo_batch(s, res.batch_id)
        with pytest.raises(Conflict, match="not committed"):
            batch_records.undo_batch(s, res.batch_id)
        [listed] = batch_records.list_batches(s)
    assert count(engine, "member") == 0 and listed["state"] == "undone"
    with engine.connect() as c:
        actions = [a for (a,) in c.execute(text("SELECT action FROM auditevent ORDER BY id"))]
    assert actions[-2:] == ["batch.commit", "batch.undo"]


def test_undo_refuses_when_a_member_changed_since(engine, tmp_path):
    from partyledger.ledger.members import service

    res = run_import(engine, b.workbook(tmp_path / "a.xlsx", [HEADER] + [person_row(p) for p in PEOPLE[:3]]))
    with session_scope(engine) as s:
        service.edit_member(s, PEOPLE[1].iin, {"phone": "+77011234567"}, units=UNITS, as_of=AS_OF)
    with session_scope(engine) as s, pytest.raises(Conflict, match="1 member"):
        batch_records.undo_batch(s, res.batch_id)
    assert count(engine, "member") == 3


def test_cancel_mid_import_writes_nothing(engine, tmp_path):
    path = b.workbook(tmp_path / "a.xlsx", [HEADER] + [person_row(p) for p in PEOPLE])
    cancel = threading.Event()
    seen = []

    def rows_then_cancel():
        data, mapped = read_members(path)
        for r in mapped.rows:
            seen.append(r.row)
            if len(seen) == 15:
                cancel.set()
            yield r
    with pytest.raises(Cancelled):
        with session_scope(engine) as s:
            src = batches.BatchSource("a.xlsx", "x", None, {})
            batches.import_rows(s, rows_then_cancel(), src, units=UNITS, as_of=AS_OF, cancel=cancel, chunk_size=10)
    assert len(seen) < len(PEOPLE)                   # it stopped early ...
    assert count(engine, "member") == 0 and count(engine, "importbatch") == 0    # ... and kept nothing


def test_quarantine_fix_promotes_and_refuses_duplicates(engine, tmp_path):
    newcomer = make_people(1, seed=999, as_of=AS_OF)[0]
    rows = [HEADER, person_row(PEOPLE[0]), ["", "Без", "Иина", "Астана", ""], person_row(PEOPLE[0])]
    run_import(engine, b.workbook(tmp_path / "a.xlsx", rows))
    with session_scope(engine) as s:
        missing, dup = quarantine.list_quarantine(s)
        with pytest.raises(InvalidInput, match="iin.checksum"):
            quarantine.fix_row(s, missing["id"], {"iin": newcomer.iin[:11] + str((int(newcomer.iin[11]) + 1) % 10)}, units=UNITS, as_of=AS_OF)
        out = quarantine.fix_row(s, missing["id"], {"iin": newcomer.iin}, units=UNITS, as_of=AS_OF)
        with pytest.raises(Conflict, match="already in the ledger"):
            quarantine.fix_row(s, dup["id"], units=UNITS, as_of=AS_OF)
        quarantine.discard_row(s, dup["id"], reason="same person twice")
        assert quarantine.list_quarantine(s) == []
    with engine.connect() as c:
        row = c.execute(text("SELECT iin, surname, unit_code FROM member WHERE id = :i"), {"i": out["member_id"]}).one()
    assert tuple(row) == (newcomer.iin, "Без", "71")


def test_crash_safety_is_one_transaction(engine, tmp_path):
    """A failure after rows were inserted (here: a bad row object) rolls the whole batch back."""
    path = b.workbook(tmp_path / "a.xlsx", [HEADER] + [person_row(p) for p in PEOPLE[:20]])

    def rows_then_explode():
        data, mapped = read_members(path)
        yield from mapped.rows
        raise RuntimeError("disk unplugged")
    with pytest.raises(RuntimeError):
        with session_scope(engine) as s:
            batches.import_rows(s, rows_then_explode(), batches.BatchSource("a", "x"), units=UNITS, as_of=AS_OF,
                                chunk_size=5)
    assert count(engine, "member") == 0
    with engine.connect() as c:
        assert c.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"


def test_bulk_rows_are_stored_exactly_like_rows_added_through_the_orm(engine, tmp_path):
    """The driver fast path must write what SQLAlchemy's types would (enum names, ISO dates, microseconds)."""
    from partyledger.ledger.members import service
    from partyledger.ledger.cleaning.validate import draft_from_fields

    a, c = PEOPLE[0], PEOPLE[1]
    run_import(engine, b.workbook(tmp_path / "a.xlsx", [HEADER + ["Дата вступления"],
                                                        person_row(a) + [date(2026, 3, 1)]]))
    fields = {"iin": c.iin, "surname": c.surname, "given_name": c.given_name, "region": "Астана", "phone": c.phone,
              "joined_on": "01.03.2026"}
    with session_scope(engine) as s:
        service.add_member(s, draft_from_fields(fields, units=UNITS, as_of=AS_OF).draft)
    with engine.connect() as conn:
        cols = [r[1] for r in conn.execute(text("PRAGMA table_info(member)"))]
        fixed = ("birth_date", "joined_on", "created_at", "updated_at", "status", "sex", "unit_code")
        shape = ", ".join(f"typeof({col})" + (f", length({col})" if col in fixed else "")
                          for col in cols if col not in ("id", "batch_id", "source_row"))
        imported, added = conn.execute(text(f"SELECT {shape} FROM member ORDER BY id")).all()
        assert imported == added
        assert conn.execute(text("SELECT DISTINCT status FROM member")).scalars().all() == ["ACTIVE"]
    with session_scope(engine) as s:
        got = service.get_member(s, a.iin)
        assert (got.joined_on, got.birth_date, got.status.value) == (date(2026, 3, 1), a.birth_date, "active")


@pytest.mark.parametrize("dayfirst, expected", [(True, date(2026, 4, 3)), (False, date(2026, 3, 4))])
def test_day_first_setting_decides_ambiguous_dates(engine, tmp_path, dayfirst, expected):
    p = PEOPLE[0]
    path = tmp_path / "a.csv"
    path.write_bytes(b.csv_bytes([["ИИН", "ФИО", "Область", "Дата вступления"],
                                  [p.iin, f"{p.surname} {p.given_name}", "Астана", "03/04/2026"]]))
    with session_scope(engine) as s:
        data, mapped = read_members(path)
        batches.import_rows(s, mapped.rows, batches.BatchSource("a.csv", "x"), units=UNITS, as_of=AS_OF,
                            dayfirst=dayfirst)
    with engine.connect() as c:
        assert c.execute(text("SELECT joined_on FROM member")).scalar_one() == expected.isoformat()


def test_iin_set_answers_like_a_set_across_runs_and_merges():
    import random

    seen, reference = member_rows.IinSet(), set()
    seen.RUN = 50                                      # many runs and merges on a small sample
    rng = random.Random(3)
    for _ in range(5000):
        key = rng.randrange(10**11, 10**11 + 20000)
        assert (key in seen) == (key in reference)
        seen.add(key)
        reference.add(key)
    assert len(seen.runs) < 12 and all(list(r) == sorted(r) for r in seen.runs)
