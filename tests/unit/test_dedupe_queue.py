"""The review queue and the merge history as both front ends list them (ledger/dedupe/queue.py): one
statement however long the queue, both members loaded, the order the organizer walks."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from dedupe_helpers import typo_pair
from partyledger.ledger.dedupe.merge import decide, merge, unmerge
from partyledger.ledger.dedupe.queue import merge_history, review_queue
from partyledger.ledger.dedupe.scan import scan
from partyledger.ledger.enums import Decision
from partyledger.ledger.members import service
from partyledger.ledger.models import MemberDraft
from partyledger.ledger.storage.db import memory_engine, session_scope

BORN = ("8505123", "9107074", "7702013", "6612304", "0303035")


@pytest.fixture()
def engine():
    """Five people each entered twice (an 11th-digit typo, the second record in Latin), queued by a scan."""
    eng = memory_engine()
    with session_scope(eng) as s:
        for first7, (cyrillic, latin) in zip(BORN, [("Омаров", "Omarov"), ("Петрова", "Petrova"),
                                                    ("Сейтқали", "Seitkali"), ("Ким", "Kim"), ("Ахметов", "Akhmetov")]):
            iin, typo = typo_pair(first7, "digit11")
            sex_given = ("Нұрлан", "Nurlan") if int(first7[6]) % 2 else ("Анна", "Anna")
            service.add_member(s, MemberDraft(iin=iin, surname=cyrillic, given_name=sex_given[0], unit_code="75"))
            service.add_member(s, MemberDraft(iin=typo, surname=latin, given_name=sex_given[1], unit_code="75",
                                              phone="+77011234567" if first7 == BORN[0] else None))
        assert len(scan(s).candidates) == 5
    yield eng
    eng.dispose()


def _statements(engine) -> list[str]:
    seen: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: seen.append(args[2]))
    return seen


def test_the_whole_queue_with_both_members_is_one_statement(engine):
    with session_scope(engine) as s:
        seen = _statements(engine)
        queue = review_queue(s)
        names = [(a.surname, b.surname, a.iin, b.iin) for _, a, b in queue]   # members already loaded
        assert len(seen) == 1, seen
    assert len(queue) == 5 and all(a.id < b.id for _, a, b in queue)
    assert [(row.iin_a, row.iin_b) for row, *_ in queue] == [(a_iin, b_iin) for *_, a_iin, b_iin in names]
    ranks = [(-row.score, row.member_a_id, row.member_b_id) for row, *_ in queue]
    assert ranks == sorted(ranks)                         # highest score first, ties by member ids


def test_limit_min_score_and_decided_pairs(engine):
    with session_scope(engine) as s:
        everything = review_queue(s)
        row, a, b = everything[0]
        decide(s, a.id, b.id, Decision.DIFFERENT)
    with session_scope(engine) as s:
        assert [p.decision.id for p in review_queue(s)] == [p.decision.id for p in everything[1:]]
        assert [p.decision.id for p in review_queue(s, limit=2)] == [p.decision.id for p in everything[1:3]]
        assert len(review_queue(s, include_decided=True)) == 5
        top = everything[0].decision.score
        assert all(p.decision.score >= top for p in review_queue(s, include_decided=True, min_score=top))


def test_merge_history_names_who_was_kept_and_absorbed(engine):
    with session_scope(engine) as s:
        first, second = review_queue(s)[:2]
        m1 = merge(s, first.a.id, first.b.id).id
        m2 = merge(s, second.a.id, second.b.id).id
        unmerge(s, m1)
    with session_scope(engine) as s:
        seen = _statements(engine)
        history = merge_history(s)
        assert len(seen) == 1
        active = merge_history(s, include_undone=False, newest_first=True, limit=100)
    assert [(m.merge_id, m.kept_iin, m.absorbed_iin) for m in history] == [
        (m1, first.a.iin, first.b.iin), (m2, second.a.iin, second.b.iin)]
    assert history[0].undone_at is not None and history[1].undone_at is None
    assert history[1].absorbed_name == f"{second.b.surname} {second.b.given_name}"
    assert [m.merge_id for m in active] == [m2]
