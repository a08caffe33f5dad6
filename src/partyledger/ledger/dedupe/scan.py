"""Find candidate pairs in a ledger and keep the review queue (``MatchDecision`` rows) up to date.

Two passes, so memory stays small per member. The first streams ``id, iin, surname, given_name,
phone`` with plain SQL in rowid order (a sequential read: under SQLCipher every page read again is
decrypted again) and keeps four 8-byte numbers per member (id, IIN, name-block and phone hashes)
for blocking. The second fetches the full comparison columns for the members that ended up in some
candidate pair, in id order, and scores those pairs. Memory is therefore not flat: 32 bytes per
member held, plus about 150 more while one blocking key is counted (measured at 1M members: 345 MB
peak including SQLCipher's 64 MiB page cache; a bare ``SELECT`` of three columns peaks at 550 MB).
The pure ``find_candidates`` does the same over records in memory, for tests and small lists.

Decisions are sticky: a pair marked ``different`` (or ``same``) is never proposed again. A rescan
replaces the undecided rows, so the queue always reflects the ledger as it is now.
"""

from __future__ import annotations

import threading
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import delete, insert, select, text
from sqlmodel import Session

from partyledger.ledger.dedupe.blocking import iin_neighbour_pairs, key_pairs, name_block
from partyledger.ledger.dedupe.records import PersonRecord, Prepared, birth_from_iin, fold_name, prepare
from partyledger.ledger.dedupe.scoring import DEFAULT_THRESHOLD, HIGH_CONFIDENCE, Reason, score_pair
from partyledger.ledger.models import Decision, MatchDecision
from partyledger.progress import ProgressCallback, check_cancel, report

_FETCH_CHUNK = 500
_STREAM_CHUNK = 20000


@dataclass(frozen=True)
class Candidate:
    """A pair to review: ids with ``a_id < b_id``, their IINs, the score and the reasons."""

    a_id: int
    b_id: int
    iin_a: str
    iin_b: str
    score: int
    reasons: tuple[Reason, ...]


@dataclass
class ScanResult:
    members: int
    compared: int
    candidates: list[Candidate] = field(default_factory=list)
    new: int = 0


def _blocking_pairs(iins, names: Iterable[object], phones: Iterable[object],
                    cancel: threading.Event | None) -> set[tuple[int, int]]:
    pairs = iin_neighbour_pairs(iins, cancel)
    check_cancel(cancel)
    pairs |= key_pairs(names)
    pairs |= key_pairs(phones, cap=6)
    return pairs


def _score(pairs: Iterable[tuple[int, int]], prepared: dict[int, Prepared], threshold: int) -> list[Candidate]:
    out = []
    for a_id, b_id in pairs:
        a, b = prepared[a_id], prepared[b_id]
        score, reasons = score_pair(a, b)
        if score >= threshold:
            out.append(Candidate(a_id, b_id, a.iin, b.iin, score, tuple(reasons)))
    out.sort(key=lambda c: (-c.score, c.a_id, c.b_id))
    return out


def find_candidates(records: Iterable[PersonRecord], *, threshold: int = DEFAULT_THRESHOLD,
                    skip: frozenset[tuple[int, int]] | set[tuple[int, int]] = frozenset()) -> list[Candidate]:
    """Candidate pairs among records held in memory (same blocking and scoring as ``scan``)."""
    prepared = sorted((prepare(r) for r in records), key=lambda p: p.id)
    iins = [p.iin for p in prepared]
    names = [name_block(p.birth, p.surname, p.given) for p in prepared]
    phones = [p.phone or None for p in prepared]
    pairs = {(prepared[i].id, prepared[j].id) for i, j in _blocking_pairs(iins, names, phones, None)}
    by_id = {p.id: p for p in prepared}
    return _score((pair for pair in pairs if pair not in skip), by_id, threshold)


def decided_pairs(session: Session) -> set[tuple[int, int]]:
    """Pairs the organizer already decided (``same`` or ``different``): never proposed again."""
    t = MatchDecision.__table__
    rows = session.execute(select(t.c.member_a_id, t.c.member_b_id).where(t.c.decision != Decision.UNDECIDED))
    return {(a, b) for a, b in rows}


def _stream_keys(session: Session, on_progress: ProgressCallback | None, cancel: threading.Event | None):
    total = session.execute(text("SELECT count(*) FROM member")).scalar_one()
    ids, iins = array("q"), array("q")     # IINs as numbers: 8 bytes each instead of a 61-byte str
    names, phones = array("q"), array("q")
    cursor = _cursor(session)       # DBAPI rows are plain tuples: a third of the cost of Row objects
    cursor.execute("SELECT id, iin, surname, given_name, phone FROM member")
    done = 0
    while rows := cursor.fetchmany(_STREAM_CHUNK):
        check_cancel(cancel)
        for mid, iin, surname, given, phone in rows:
            ids.append(mid)
            iins.append(int(iin))
            block = name_block(birth_from_iin(iin), fold_name(surname or ""), fold_name(given or ""))
            names.append(hash(block) if block else 0)
            phones.append(hash(phone) if phone else 0)
        done += len(rows)
        report(on_progress, done, total, "reading members")
    cursor.close()
    return ids, iins, names, phones


def _cursor(session: Session):
    """A DBAPI cursor on the session's own connection (same transaction, same unlocked key)."""
    return session.connection().connection.cursor()


def _fetch(session: Session, ids: list[int], cancel: threading.Event | None) -> dict[int, Prepared]:
    out: dict[int, Prepared] = {}
    sql = "SELECT id, iin, surname, given_name, patronymic, phone, address FROM member WHERE id IN ({})"
    cursor = _cursor(session)
    for start in range(0, len(ids), _FETCH_CHUNK):
        check_cancel(cancel)
        chunk = ids[start:start + _FETCH_CHUNK]
        cursor.execute(sql.format(",".join(str(int(i)) for i in chunk)))
        for row in cursor.fetchall():
            out[row[0]] = prepare(PersonRecord(*row))
    cursor.close()
    return out


def scan(session: Session, *, threshold: int = DEFAULT_THRESHOLD, on_progress: ProgressCallback | None = None,
         cancel: threading.Event | None = None) -> ScanResult:
    """Find candidate pairs and refresh the review queue in the caller's transaction."""
    ids, iins, names, phones = _stream_keys(session, on_progress, cancel)
    members = len(ids)
    report(on_progress, 0, None, "grouping by blocking keys")
    index_pairs = _blocking_pairs(iins, names, phones, cancel)
    del iins, names, phones
    skip = decided_pairs(session)
    pairs = {(min(ids[i], ids[j]), max(ids[i], ids[j])) for i, j in index_pairs}
    pairs -= skip
    del ids, index_pairs
    report(on_progress, 0, len(pairs), "comparing pairs")
    needed = sorted({m for pair in pairs for m in pair})
    prepared = _fetch(session, needed, cancel)
    candidates = _score(pairs, prepared, threshold)
    report(on_progress, len(pairs), len(pairs), "comparing pairs")
    new = _store(session, candidates)
    return ScanResult(members=members, compared=len(pairs), candidates=candidates, new=new)


def _store(session: Session, candidates: list[Candidate]) -> int:
    """Replace the undecided queue with ``candidates``; returns how many pairs were not queued before."""
    t = MatchDecision.__table__
    before = {(a, b) for a, b in session.execute(
        select(t.c.member_a_id, t.c.member_b_id).where(t.c.decision == Decision.UNDECIDED))}
    session.execute(delete(t).where(t.c.decision == Decision.UNDECIDED))
    rows = [{"member_a_id": c.a_id, "member_b_id": c.b_id, "iin_a": c.iin_a, "iin_b": c.iin_b, "score": float(c.score),
             "reasons": [r.as_dict() for r in c.reasons], "decision": Decision.UNDECIDED, "decided_at": None}
            for c in candidates]
    for start in range(0, len(rows), 5000):
        session.execute(insert(t), rows[start:start + 5000])
    session.flush()
    return sum(1 for c in candidates if (c.a_id, c.b_id) not in before)


def open_pairs(session: Session, min_score: float = HIGH_CONFIDENCE) -> list[tuple[int, int, float]]:
    """Undecided pairs scoring at least ``min_score``: (a_id, b_id, score), for the readiness report."""
    t = MatchDecision.__table__
    rows = session.execute(select(t.c.member_a_id, t.c.member_b_id, t.c.score)
                           .where(t.c.decision == Decision.UNDECIDED, t.c.score >= min_score)
                           .order_by(t.c.member_a_id, t.c.member_b_id))
    return [(a, b, s) for a, b, s in rows]


def review_queue(session: Session, *, include_decided: bool = False, min_score: float = 0.0) -> list[MatchDecision]:
    """The queue as the organizer walks it: highest score first (for ``dedupe review`` and the TUI)."""
    t = MatchDecision
    stmt = select(t).where(t.score >= min_score)
    if not include_decided:
        stmt = stmt.where(t.decision == Decision.UNDECIDED)
    return list(session.scalars(stmt.order_by(t.score.desc(), t.member_a_id, t.member_b_id)))
