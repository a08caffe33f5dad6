"""Undoing an import never makes a merged person disappear (dedupe + import interplay)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from partyledger.errors import Conflict
from partyledger.ledger.dedupe.merge import merge, unmerge
from partyledger.ledger.dedupe.queue import review_queue
from partyledger.ledger.dedupe.scan import scan
from partyledger.ledger.intake import batch_records, batches
from partyledger.ledger.storage import db
from partyledger.ledger.models import Member
from partyledger.rules import load_rules
from partyledger.synthetic import make_people


def _import(session, person, name: str, surname: str, given: str):
    rows = [batches.RowIn(row=2, fields={"iin": person.iin, "surname": surname, "given_name": given,
                                         "region": "Алматы"}, raw={})]
    return batches.import_rows(session, rows, batches.BatchSource(name, name), units=load_rules("KZ").units,
                               as_of=person.joined_on).batch_id


@pytest.mark.parametrize("undo_which", ["kept", "absorbed"])
def test_undo_of_a_batch_in_a_merge_is_refused_until_unmerged(undo_which):
    engine = db.memory_engine()
    a, b = make_people(2, seed=21)
    with db.session_scope(engine) as s:
        batch_a = _import(s, a, "a.xlsx", "Омаров", "Ерлан")
        batch_b = _import(s, b, "b.csv", "Omarov", "Yerlan")
    with db.session_scope(engine) as s:
        keep = s.exec(select(Member).where(Member.iin == a.iin)).one()
        other = s.exec(select(Member).where(Member.iin == b.iin)).one()
        merge_id = merge(s, keep.id, other.id).id
    target = batch_a if undo_which == "kept" else batch_b
    with pytest.raises(Conflict, match="unmerge first"):
        with db.session_scope(engine) as s:
            batch_records.undo_batch(s, target)
    with db.session_scope(engine) as s:
        assert len(s.exec(select(Member).where(Member.iin == a.iin)).all()) == 1     # nobody was lost
        unmerge(s, merge_id)
    with db.session_scope(engine) as s:
        batch_records.undo_batch(s, target)
    with db.session_scope(engine) as s:
        left = {m.iin for m in s.exec(select(Member))}
    assert left == ({b.iin} if undo_which == "kept" else {a.iin})


def test_undo_takes_the_batchs_duplicate_pairs_out_of_the_review_queue():
    """A pair with a member the undo removed would be a ghost in the queue and in the dashboard's count."""
    from datetime import date

    from partyledger.ledger.cleaning.iin import make_iin
    from partyledger.ledger.models import MatchDecision

    engine = db.memory_engine()
    units = load_rules("KZ").units
    born = date(1988, 4, 12)

    def one(name: str, iin: str, surname: str, given: str) -> int:
        rows = [batches.RowIn(row=2, fields={"iin": iin, "surname": surname, "given_name": given,
                                             "region": "Алматы", "phone": "+7 701 555 1234"}, raw={})]
        return batches.import_rows(s, rows, batches.BatchSource(name, name), units=units, as_of=date(2026, 1, 1)).batch_id

    with db.session_scope(engine) as s:
        one("rally.xlsx", make_iin(born, "M", 4321), "Нұрсұлтанұлы", "Әлібек")
        online = one("online.csv", make_iin(born, "M", 4312), "Nursultanuly", "Alibek")
        assert len(scan(s).candidates) == 1
    with db.session_scope(engine) as s:
        counts = batch_records.undo_batch(s, online)
    assert counts["deleted"] == 1 and counts["duplicate_pairs_dropped"] == 1
    with db.session_scope(engine) as s:
        assert review_queue(s) == [] and s.exec(select(MatchDecision)).all() == []
