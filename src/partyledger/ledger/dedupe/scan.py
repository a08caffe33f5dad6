"""Find candidate pairs in a ledger and keep the review queue (``MatchDecision`` rows) up to date.

Memory is flat in the ledger size, apart from the pairs found. One pass streams ``id, iin, surname,
given_name, phone`` with plain SQL in rowid order (a sequential read: under SQLCipher every page
read again is decrypted again), turns each chunk of rows into blocking keys and spreads them over
partitions sized to a fixed number of members (``spill``: in memory for one partition, otherwise an
encrypted scratch file with a throwaway key). Then each partition of each key kind is grouped on its
own (``blocking``), and the pairs are scored in batches: the full comparison columns of a batch's
members are fetched by id and dropped after. Measured with ``bench/dedupe_bench.py``: see
docs/architecture.md for the figures.
The pure ``find_candidates`` runs the same blocking over records in memory, for tests and small
lists, so both give the same pairs for the same members.

Decisions are sticky: a pair marked ``different`` (or ``same``) is never proposed again. A rescan
replaces the undecided rows, so the queue always reflects the ledger as it is now.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import delete, insert, select, text
from sqlmodel import Session

from partyledger.ledger.dedupe.blocking import KeyChunk, blocking_pairs, key_chunk
from partyledger.ledger.dedupe.records import PersonRecord, Prepared, prepare
from partyledger.ledger.dedupe.scoring import Reason, score_pair
from partyledger.ledger.dedupe.spill import PARTITION_SIZE, open_partitions, partition_count
from partyledger.ledger.dedupe.thresholds import DEFAULT_THRESHOLD, HIGH_CONFIDENCE
from partyledger.ledger.enums import Decision
from partyledger.ledger.models import MatchDecision
from partyledger.progress import ProgressCallback, check_cancel, report

_FETCH_CHUNK = 500
_STREAM_CHUNK = 20000
_SCAN_CACHE_KIB = 8192    # page cache during a scan (see _scan_page_cache)
_SCORE_BATCH = 5000       # pairs scored per fetch of their members: bounds the records held at once


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


def _score(pairs: Iterable[tuple[int, int]], prepared: dict[int, Prepared], threshold: int) -> list[Candidate]:
    out = []
    for a_id, b_id in pairs:
        a, b = prepared[a_id], prepared[b_id]
        score, reasons = score_pair(a, b)
        if score >= threshold:
            out.append(Candidate(a_id, b_id, a.iin, b.iin, score, tuple(reasons)))
    return out


def _ranked(candidates: list[Candidate]) -> list[Candidate]:
    candidates.sort(key=lambda c: (-c.score, c.a_id, c.b_id))
    return candidates


def find_candidates(records: Iterable[PersonRecord], *, threshold: int = DEFAULT_THRESHOLD,
                    skip: frozenset[tuple[int, int]] | set[tuple[int, int]] = frozenset(),
                    partition_size: int = PARTITION_SIZE) -> list[Candidate]:
    """Candidate pairs among records held in memory (same blocking and scoring as ``scan``)."""
    ordered = sorted(records, key=lambda r: r.id)
    chunk = key_chunk((r.id, r.iin, r.surname, r.given_name, r.phone) for r in ordered)
    store = open_partitions(partition_count(len(ordered), partition_size), in_memory=True)
    try:
        pairs = blocking_pairs([chunk], store)
    finally:
        store.close()
    by_id = {r.id: prepare(r) for r in ordered}
    return _ranked(_score(sorted(pairs - set(skip)), by_id, threshold))


def decided_pairs(session: Session) -> set[tuple[int, int]]:
    """Pairs the organizer already decided (``same`` or ``different``): never proposed again."""
    t = MatchDecision.__table__
    rows = session.execute(select(t.c.member_a_id, t.c.member_b_id).where(t.c.decision != Decision.UNDECIDED))
    return {(a, b) for a, b in rows}


def _key_chunks(session: Session, total: int, on_progress: ProgressCallback | None,
                cancel: threading.Event | None) -> Iterator[KeyChunk]:
    """The ledger pass: blocking keys of ``_STREAM_CHUNK`` members at a time, in rowid order."""
    cursor = _cursor(session)       # DBAPI rows are plain tuples: a third of the cost of Row objects
    cursor.execute("SELECT id, iin, surname, given_name, phone FROM member")
    done = 0
    try:
        while rows := cursor.fetchmany(_STREAM_CHUNK):
            check_cancel(cancel)
            done += len(rows)
            yield key_chunk(rows)
            report(on_progress, done, total, "reading members")
    finally:
        cursor.close()


@contextmanager
def _scan_page_cache(session: Session) -> Iterator[None]:
    """Shrink the connection's page cache for the scan and put it back after. The ledger pass reads
    every page once in order, so a big cache only fills with pages never read again (at 1M members
    it is 64 MiB of RSS); what stays hot, the interior pages of the id B-tree the fetches walk, fits
    in a few MiB."""
    cursor = _cursor(session)
    before = cursor.execute("PRAGMA cache_size").fetchone()[0]
    cursor.execute(f"PRAGMA cache_size = -{_SCAN_CACHE_KIB}")
    try:
        yield
    finally:
        cursor.execute(f"PRAGMA cache_size = {int(before)}")
        cursor.close()


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


def _score_in_batches(session: Session, pairs: list[tuple[int, int]], threshold: int,
                      on_progress: ProgressCallback | None, cancel: threading.Event | None) -> list[Candidate]:
    """Score ``pairs`` (sorted) a batch at a time, holding only one batch's members."""
    out: list[Candidate] = []
    for start in range(0, len(pairs), _SCORE_BATCH):
        batch = pairs[start:start + _SCORE_BATCH]
        prepared = _fetch(session, sorted({m for pair in batch for m in pair}), cancel)
        out.extend(_score(batch, prepared, threshold))
        report(on_progress, start + len(batch), len(pairs), "comparing pairs")
    return _ranked(out)


def scan(session: Session, *, threshold: int = DEFAULT_THRESHOLD, on_progress: ProgressCallback | None = None,
         cancel: threading.Event | None = None, partition_size: int = PARTITION_SIZE) -> ScanResult:
    """Find candidate pairs and refresh the review queue in the caller's transaction.

    ``partition_size`` (members per partition) bounds the memory used for blocking; the result does
    not depend on it."""
    with _scan_page_cache(session):
        return _scan(session, threshold, on_progress, cancel, partition_size)


def _scan(session: Session, threshold: int, on_progress: ProgressCallback | None, cancel: threading.Event | None,
          partition_size: int) -> ScanResult:
    total = session.execute(text("SELECT count(*) FROM member")).scalar_one()
    report(on_progress, 0, total, "reading members")
    store = open_partitions(partition_count(total, partition_size))
    members = 0

    def counted(chunks: Iterator[KeyChunk]) -> Iterator[KeyChunk]:
        nonlocal members
        for chunk in chunks:
            members += len(chunk.ids)
            yield chunk

    def grouped(part: int, parts: int) -> None:
        report(on_progress, part, parts, "grouping by blocking keys")

    try:
        pairs = blocking_pairs(counted(_key_chunks(session, total, on_progress, cancel)), store, cancel, grouped)
    finally:
        store.close()
    pairs -= decided_pairs(session)
    ordered = sorted(pairs)
    del pairs
    report(on_progress, 0, len(ordered), "comparing pairs")
    candidates = _score_in_batches(session, ordered, threshold, on_progress, cancel)
    new = _store(session, candidates)
    return ScanResult(members=members, compared=len(ordered), candidates=candidates, new=new)


def _store(session: Session, candidates: list[Candidate]) -> int:
    """Replace the undecided queue with ``candidates``; returns how many pairs were not queued before."""
    t = MatchDecision.__table__
    before = {(a, b) for a, b in session.execute(
        select(t.c.member_a_id, t.c.member_b_id).where(t.c.decision == Decision.UNDECIDED))}
    session.execute(delete(t).where(t.c.decision == Decision.UNDECIDED))
    for start in range(0, len(candidates), 5000):      # rows built per chunk: a queue of dicts is not held
        rows = [{"member_a_id": c.a_id, "member_b_id": c.b_id, "iin_a": c.iin_a, "iin_b": c.iin_b,
                 "score": float(c.score), "reasons": [r.as_dict() for r in c.reasons],
                 "decision": Decision.UNDECIDED, "decided_at": None} for c in candidates[start:start + 5000]]
        session.execute(insert(t), rows)
    session.flush()
    return sum(1 for c in candidates if (c.a_id, c.b_id) not in before)


def open_pairs(session: Session, min_score: float = HIGH_CONFIDENCE) -> list[tuple[int, int, float]]:
    """Undecided pairs scoring at least ``min_score``: (a_id, b_id, score), for the readiness report."""
    t = MatchDecision.__table__
    rows = session.execute(select(t.c.member_a_id, t.c.member_b_id, t.c.score)
                           .where(t.c.decision == Decision.UNDECIDED, t.c.score >= min_score)
                           .order_by(t.c.member_a_id, t.c.member_b_id))
    return [(a, b, s) for a, b, s in rows]
