"""The duplicate finder on a real (in-memory SQLCipher) ledger: the queue, decisions, merge and unmerge."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import text
from sqlmodel import select

from dedupe_helpers import typo_pair
from partyledger.errors import Cancelled, Conflict, NotFound
from partyledger.ledger.dedupe.merge import decide, merge, unmerge
from partyledger.ledger.dedupe.scan import open_pairs, scan
from partyledger.ledger.dedupe.thresholds import HIGH_CONFIDENCE
from partyledger.ledger.cleaning.translit import MATCH_KEYS, match_keys
from partyledger.ledger.enums import Decision, RoleKind
from partyledger.ledger.members import service
from partyledger.ledger.models import AuditEvent, CongressCheckin, MatchDecision, Member, MemberDraft, Role
from partyledger.ledger.storage import audit
from partyledger.ledger.storage.db import memory_engine, session_scope


@pytest.fixture()
def engine():
    eng = memory_engine()
    yield eng
    eng.dispose()


def add(session, iin, surname, given, **extra) -> Member:
    return service.add_member(session, MemberDraft(iin=iin, surname=surname, given_name=given, unit_code="75", **extra))


@pytest.fixture()
def pair(engine):
    """Two records of one person (11th-digit typo, the second in Latin) and one unrelated member."""
    a_iin, b_iin = typo_pair("8505123", "digit11")
    with session_scope(engine) as s:
        a = add(s, a_iin, "Омаров", "Нұрлан", patronymic="Серікұлы", phone="+77011234567",
                joined_on=date(2026, 1, 10))
        b = add(s, b_iin, "Omarov", "Nurlan", address="ул. Абая, 12", email="n.omarov@example.org",
                phone="+77019998877", joined_on=date(2026, 3, 1))
        add(s, typo_pair("9107074", "digit11")[0], "Петрова", "Анна")
        return a.id, b.id, a_iin, b_iin


def test_scan_fills_the_queue_with_reasons(engine, pair) -> None:
    a_id, b_id, a_iin, b_iin = pair
    progress = []
    with session_scope(engine) as s:
        result = scan(s, on_progress=progress.append)
    assert result.members == 3 and result.new == 1
    assert [(c.a_id, c.b_id) for c in result.candidates] == [(a_id, b_id)]
    assert progress and progress[0].stage == "reading members"
    with session_scope(engine) as s:
        row = s.exec(select(MatchDecision)).one()
        assert (row.iin_a, row.iin_b, row.decision) == (a_iin, b_iin, Decision.UNDECIDED)
        assert {"iin.one_digit", "name.same"} <= {r["code"] for r in row.reasons}
        assert open_pairs(s) == [(a_id, b_id, row.score)] and row.score >= HIGH_CONFIDENCE


def test_rescan_keeps_one_row_per_pair(engine, pair) -> None:
    with session_scope(engine) as s:
        scan(s)
    with session_scope(engine) as s:
        assert scan(s).new == 0
        assert len(s.exec(select(MatchDecision)).all()) == 1


def test_a_pair_marked_different_is_never_proposed_again(engine, pair) -> None:
    a_id, b_id, *_ = pair
    with session_scope(engine) as s:
        scan(s)
        decide(s, b_id, a_id, Decision.DIFFERENT, actor="organizer")
    with session_scope(engine) as s:
        assert scan(s).candidates == []
        assert open_pairs(s, 0) == []
        row = s.exec(select(MatchDecision)).one()
        assert row.decision == Decision.DIFFERENT and row.decided_at is not None
        assert s.exec(select(AuditEvent).where(AuditEvent.action == "dedupe.different")).one().actor == "organizer"


def test_scan_can_be_cancelled_before_it_writes(engine, pair) -> None:
    stop = threading.Event()
    stop.set()
    with pytest.raises(Cancelled):
        with session_scope(engine) as s:
            scan(s, cancel=stop)
    with session_scope(engine) as s:
        assert s.exec(select(MatchDecision)).all() == []


def _content(session) -> dict[str, list]:
    """Everything a merge may touch, as plain rows (the audit log only grows and is checked apart)."""
    out = {}
    for table in ("member", "role", "congresscheckin", "matchdecision"):
        out[table] = [tuple(r) for r in session.execute(text(f"SELECT * FROM {table} ORDER BY id"))]
    return out


def test_merge_fills_moves_and_unmerge_restores_exactly(engine, pair) -> None:
    a_id, b_id, a_iin, b_iin = pair
    with session_scope(engine) as s:
        s.add(Role(member_id=b_id, kind=RoleKind.INITIATIVE_GROUP, since=date(2026, 2, 1)))
        s.add(CongressCheckin(member_id=b_id, checked_in_by="desk 1"))
        scan(s)
    with session_scope(engine) as s:
        before = _content(s)
    with session_scope(engine) as s:
        m = merge(s, a_id, b_id, actor="organizer")
        merge_id = m.id
    with session_scope(engine) as s:
        kept = s.get(Member, a_id)
        assert s.get(Member, b_id) is None
        assert kept.iin == a_iin and kept.surname == "Омаров"                 # kept values win
        assert (kept.address, kept.email) == ("ул. Абая, 12", "n.omarov@example.org")   # empty ones filled
        assert s.exec(select(Role)).one().member_id == a_id
        assert s.exec(select(CongressCheckin)).one().member_id == a_id
        conflicts = s.get(type(m), merge_id).conflicts["differs"]
        assert conflicts["phone"] == {"kept": "+77011234567", "absorbed": "+77019998877"}
        assert conflicts["iin"]["absorbed"] == b_iin
        assert open_pairs(s, 0) == []
        assert len(service.list_members(s).rows) == 2
    with session_scope(engine) as s:
        unmerge(s, merge_id, actor="organizer")
    with session_scope(engine) as s:
        assert _content(s) == before
        actions = [e.action for e in s.exec(select(AuditEvent).order_by(AuditEvent.id))]
        assert actions[-2:] == ["member.merged", "member.unmerged"]
        assert audit.verify_chain(s) is None
    with session_scope(engine) as s, pytest.raises(Conflict):
        unmerge(s, merge_id)


def test_merge_refreshes_every_match_key_and_a_later_scan_sees_the_ledger_as_it_is(engine, pair) -> None:
    """Keeping the Latin record fills its patronymic from the Cyrillic one: every stored match key follows
    (search finds the kept member by it, in either name order); a scan then proposes nothing, and after
    the unmerge the keys are back and the scan finds the pair again."""
    a_id, b_id, a_iin, b_iin = pair

    def keys_of(member: Member) -> dict[str, str]:
        return {column: getattr(member, column) for column in MATCH_KEYS}

    def found(session, text: str) -> set[str]:
        return {m.iin for m in service.list_members(session, search=text).rows}

    with session_scope(engine) as s:
        scan(s)
        before = keys_of(s.get(Member, b_id))
        assert found(s, "Omarov Nurlan Serik") == {a_iin} == found(s, "Nurlan Omarov Serik")   # only A has it
    with session_scope(engine) as s:
        merge_id = merge(s, b_id, a_id).id
    with session_scope(engine) as s:
        kept = s.get(Member, b_id)
        assert kept.patronymic == "Серікұлы"
        assert keys_of(kept) == match_keys("Omarov", "Nurlan", "Серікұлы") != before
        assert found(s, "Omarov Nurlan Serik") == {b_iin} == found(s, "Нұрлан Омаров Серік")
        assert scan(s).candidates == [] and open_pairs(s, 0) == []
    with session_scope(engine) as s:
        unmerge(s, merge_id)
    with session_scope(engine) as s:
        assert keys_of(s.get(Member, b_id)) == before == match_keys("Omarov", "Nurlan")
        assert found(s, "Omarov Nurlan Serik") == {a_iin} == found(s, "Nurlan Omarov Serik")
        assert [(c.a_id, c.b_id) for c in scan(s).candidates] == [(a_id, b_id)]


def test_merge_keeps_the_kept_members_own_roles(engine, pair) -> None:
    a_id, b_id, *_ = pair
    with session_scope(engine) as s:
        s.add(Role(member_id=a_id, kind=RoleKind.INITIATIVE_GROUP, since=date(2026, 1, 5)))
        s.add(Role(member_id=b_id, kind=RoleKind.INITIATIVE_GROUP, since=date(2026, 2, 1)))
        s.add(Role(member_id=b_id, kind=RoleKind.COMMITTEE, since=date(2026, 2, 2)))
    with session_scope(engine) as s:
        before = _content(s)
        merge_id = merge(s, a_id, b_id).id
    with session_scope(engine) as s:
        roles = {(r.kind, r.since) for r in s.exec(select(Role).where(Role.member_id == a_id))}
        assert roles == {(RoleKind.INITIATIVE_GROUP, date(2026, 1, 5)), (RoleKind.COMMITTEE, date(2026, 2, 2))}
    with session_scope(engine) as s:
        unmerge(s, merge_id)
    with session_scope(engine) as s:
        assert _content(s) == before


def test_merge_of_unknown_members_and_unknown_merge_are_clear_errors(engine, pair) -> None:
    a_id, *_ = pair
    with session_scope(engine) as s, pytest.raises(NotFound):
        merge(s, a_id, 999)
    with session_scope(engine) as s, pytest.raises(NotFound):
        unmerge(s, 42)
