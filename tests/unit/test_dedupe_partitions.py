"""Blocking through partitions: the same pairs for any partition count, and nothing readable on disk.

``scan`` keeps memory flat by spreading blocking keys over partitions, spilled to an encrypted
scratch file when there is more than one. What a user relies on: the queue is the same whatever the
partition count (and the same as ``find_candidates`` gives for the same people), a crowd sharing
one key is still skipped whole, and no IIN or name, nor a number derived from one, lands on disk in
clear while the scan runs or after it.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import threading
from array import array
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from dedupe_helpers import rec, typo_pair, valid_iin
from partyledger.errors import Cancelled
from partyledger.ledger.dedupe.scan import find_candidates, scan
from partyledger.ledger.members import service
from partyledger.ledger.storage.db import memory_engine, session_scope
from partyledger.ledger.dedupe.blocking import GROUP_CAP, PHONE_CAP, SPANS, KeyChunk, blocking_pairs, phone_key
from partyledger.ledger.dedupe.spill import MemoryPartitions
from partyledger.ledger.models import MemberDraft

NAMES = [(("Омаров", "Нұрлан"), ("Omarov", "Nurlan")), (("Ахметова", "Айгүл"), ("Akhmetova", "Aigul")),
         (("Ким", "Юлия"), ("Kim", "Yuliya")), (("Сәтбаев", "Асқар"), ("Satbayev", "Askar")),
         (("Жұмабаева", "Мөлдір"), ("Zhumabayeva", "Moldir"))]


def _people() -> list:
    """Planted duplicates of four kinds, siblings that stay apart, and unrelated members."""
    rng = random.Random(11)
    out = []
    for i in range(24):
        (surname, given), (lat_surname, lat_given) = NAMES[i % len(NAMES)]
        first7 = f"{rng.randrange(60, 99)}0{rng.randrange(1, 10)}1{rng.randrange(1, 9)}{rng.choice('34')}"
        a, b = typo_pair(first7, rng.choice(["digit11", "serial_swap", "date_digit"]), start=rng.randrange(9000))
        phone = f"+7701{i:07d}"
        out.append(rec(2 * i + 1, a, surname, given, phone=phone))
        kind = i % 4
        if kind == 0:
            out.append(rec(2 * i + 2, b, lat_surname, lat_given))                     # Latin, IIN typo
        elif kind == 1:
            out.append(rec(2 * i + 2, b, given, surname))                             # swapped, IIN typo
        elif kind == 2:
            far = valid_iin(a[:7] + f"{(int(a[7:11]) + 5000) % 10000:04d}")
            out.append(rec(2 * i + 2, far, lat_surname, lat_given, phone=phone))      # same day, name, phone
        else:
            out.append(rec(2 * i + 2, b, surname, "Другое"))                          # sibling: stays apart
    return out


PEOPLE = _people()
EXPECTED = find_candidates(PEOPLE)


def test_the_population_has_planted_pairs_and_siblings_stay_apart() -> None:
    found = {(c.a_id, c.b_id) for c in EXPECTED}
    assert found == {(2 * i + 1, 2 * i + 2) for i in range(24) if i % 4 != 3}


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=1, max_value=60), st.permutations(PEOPLE))
def test_any_partition_count_and_input_order_gives_the_same_candidates(size, records) -> None:
    assert find_candidates(records, partition_size=size) == EXPECTED


def _chunk(phones: list[str]) -> KeyChunk:
    """Members with unrelated IINs and no name key, only the phones given."""
    ids = list(range(1, len(phones) + 1))
    iins = [int(valid_iin(f"{70 + i:02d}0101300{i:02d}")) for i in ids]
    return KeyChunk(ids, iins, [None] * len(ids), [phone_key(p) for p in phones])


def test_a_crowd_bigger_than_the_cap_is_skipped_whole_in_any_partitioning() -> None:
    office = ["+77010000001"] * (PHONE_CAP + 1)
    family = ["+77010000002"] * PHONE_CAP
    for parts in (1, 2, 5):
        pairs = blocking_pairs([_chunk(office + family)], MemoryPartitions(parts))
        family_ids = range(len(office) + 1, len(office) + len(family) + 1)
        assert pairs == {(a, b) for a in family_ids for b in family_ids if a < b}
    assert GROUP_CAP >= PHONE_CAP


def _ledger_with(records):
    engine = memory_engine()
    with session_scope(engine) as s:
        for r in records:
            service.add_member(s, MemberDraft(iin=r.iin, surname=r.surname, given_name=r.given_name,
                                              phone=r.phone, unit_code="75"))
    return engine


def _as_found(candidates) -> set:
    return {(c.iin_a, c.iin_b, c.score, c.reasons) for c in candidates}


def test_scan_spilling_to_many_partitions_queues_what_find_candidates_finds() -> None:
    engine = _ledger_with(PEOPLE)
    try:
        for size in (7, 50_000):           # 7 partitions through the encrypted scratch file; then one, in memory
            with session_scope(engine) as s:
                result = scan(s, partition_size=size)
            assert result.members == len(PEOPLE)
            assert _as_found(result.candidates) == _as_found(EXPECTED)
    finally:
        engine.dispose()


def test_a_cancelled_scan_leaves_no_scratch_file_and_the_page_cache_as_it_was(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    engine = _ledger_with(PEOPLE)
    stop = threading.Event()
    seen = []

    def cancel_once_spilled(progress) -> None:
        if progress.stage == "reading members" and progress.done:
            seen.extend(p.name for p in tmp_path.rglob("*.db"))
            stop.set()

    try:
        with session_scope(engine) as s:
            before = s.execute(text("PRAGMA cache_size")).scalar_one()
            with pytest.raises(Cancelled):
                scan(s, partition_size=7, on_progress=cancel_once_spilled, cancel=stop)
            assert s.execute(text("PRAGMA cache_size")).scalar_one() == before
    finally:
        engine.dispose()
    assert seen == ["spill.db"] and list(tmp_path.iterdir()) == []


# What the child process runs: a scan spilling to disk, with every temporary directory pointed at
# one folder, copying every file there (and any SQLite temp file, which is unlinked on open and only
# reachable through /proc/self/fd) while the partitions are on disk.
_SPY = r"""
import json, os, sys
from pathlib import Path
from partyledger.ledger.dedupe.scan import scan
from partyledger.ledger.members import service
from partyledger.ledger.storage.db import memory_engine, session_scope
from partyledger.ledger.dedupe.blocking import name_block_hash
from partyledger.ledger.dedupe.records import birth_from_iin, fold_name
from partyledger.ledger.models import MemberDraft

watched = Path(os.environ["SQLITE_TMPDIR"])
people = json.loads(sys.argv[1])
seen = {}

def spy(progress):
    if progress.stage != "grouping by blocking keys":
        return
    for path in watched.rglob("*"):
        if path.is_file():
            seen[str(path)] = path.read_bytes().hex()
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(str(watched)) or "etilqs" in target:
            seen[target] = Path(f"/proc/self/fd/{fd}").read_bytes().hex()

engine = memory_engine()
with session_scope(engine) as s:
    for iin, surname, given, phone in people:
        service.add_member(s, MemberDraft(iin=iin, surname=surname, given_name=given, phone=phone, unit_code="75"))
with session_scope(engine) as s:
    result = scan(s, partition_size=5, on_progress=spy)
hashes = [name_block_hash(birth_from_iin(iin), fold_name(sn), fold_name(gn)) for iin, sn, gn, _ in people]
print(json.dumps({"files": seen, "left": [str(p) for p in watched.rglob("*")], "queued": len(result.candidates),
                  "name_keys": [h for h in hashes if h is not None]}))
"""


def _int64(value: int) -> bytes:
    return array("q", [value]).tobytes()


def test_partitions_on_disk_hold_no_iin_name_or_key_in_clear(tmp_path) -> None:
    watched = tmp_path / "tmp"
    watched.mkdir()
    people = [(r.iin, r.surname, r.given_name, r.phone) for r in PEOPLE]
    env = {**os.environ, "TMPDIR": str(watched), "SQLITE_TMPDIR": str(watched)}
    done = subprocess.run([sys.executable, "-c", _SPY, json.dumps(people)], env=env, capture_output=True,
                          text=True, check=True)
    out = json.loads(done.stdout)
    assert out["queued"] == len(EXPECTED)
    spilled = {path: bytes.fromhex(blob) for path, blob in out["files"].items()}
    assert [Path(p).name for p in spilled] == ["spill.db"]      # the scratch file, and no SQLite temp file
    blob = next(iter(spilled.values()))
    assert len(blob) >= len(PEOPLE) * 8 * 16                      # it really holds the entries (8 keys x key, id)
    assert not blob.startswith(b"SQLite format 3")
    needles = []
    for iin, surname, given, phone in people:
        number = int(iin)
        needles += [iin.encode(), _int64(number), surname.encode(), given.encode()]
        needles += [_int64(number // 10 ** (12 - start) * 10 ** (12 - end) + number % 10 ** (12 - end))
                    for start, end in SPANS]                                # the IIN with each span cut out
    needles += [_int64(h) for h in out["name_keys"]]
    assert [n for n in needles if n in blob] == []
    assert out["left"] == []                                     # deleted when the scan ends
