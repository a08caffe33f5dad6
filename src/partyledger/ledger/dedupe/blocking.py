"""Which pairs of members are worth comparing: blocking keys that keep the work near-linear.

Comparing every member with every other is 5 * 10^11 pairs for a million members; the finder only
compares pairs that share a blocking key (a *kind* of key each):

- **IIN neighbourhood** (kinds 0-5). Two IINs one substituted digit or one swapped pair of
  neighbours apart agree everywhere except inside a window of two adjacent positions. We group the
  IINs with a 3-digit span cut out, for 6 overlapping spans that cover every such window; equal keys
  are candidates, kept only if the IINs really are one typo apart. This is the dictionary form of
  the masked-digit sorts that found every one-digit typo in a million rows in 1.65 s
  (research/perf-limits.md item 6), extended to transpositions, and needs no numpy.
- **Birth date + name** (kind 6): the birth date from the IIN and the folded surname/given name as
  an unordered pair, so swapped and transliterated names still meet. Kept as Python's ``hash`` of
  that triple (8 bytes instead of three strings); a 64-bit collision only adds a pair to compare.
- **Phone** (kind 7): the same E.164 number, hashed the same way.

Groups bigger than their cap (an office phone, the most common name on one day) are skipped whole,
not truncated, so which pairs are compared never depends on the order the records came in.

Keys go through partitions (``spill``): each chunk of members is spread by ``key % parts``, then
each partition of each kind is grouped on its own. Equal keys always share a partition, so the pairs
are the same for any number of partitions; only the memory held at once changes.
"""

from __future__ import annotations

import threading
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from operator import add, is_not

from partyledger.ledger.dedupe.records import birth_from_iin, fold_name
from partyledger.ledger.dedupe.scoring import iin_relation
from partyledger.ledger.dedupe.spill import EncryptedPartitions, MemoryPartitions
from partyledger.progress import check_cancel

GROUP_CAP = 12
PHONE_CAP = 6            # a family shares a phone; a bigger group is an office or a call centre
# Every window of two adjacent positions lies inside one of these (start, end) spans, so two IINs one
# substitution or one adjacent swap apart agree everywhere outside at least one span: 6 passes
# instead of 11. Spans are 3 digits, so the groups stay tiny (the serial is random).
SPANS = ((0, 3), (2, 5), (4, 7), (6, 9), (8, 11), (10, 12))
NAME_KIND, PHONE_KIND = len(SPANS), len(SPANS) + 1
KINDS = range(len(SPANS) + 2)


@dataclass(frozen=True, slots=True)
class KeyChunk:
    """Blocking keys of some members, position by position: ids, IINs as numbers, and the name-block
    and phone keys (None where a member has none)."""

    ids: Sequence[int]
    iins: Sequence[int]
    names: Sequence[int | None]
    phones: Sequence[int | None]


def name_block(birth: str, surname: str, given: str) -> tuple[str, str, str] | None:
    """Birth date plus the two folded names in a fixed order (swap-proof); None without a date."""
    if not birth or not (surname or given):
        return None
    return (birth, surname, given) if surname <= given else (birth, given, surname)


def name_block_hash(birth: str, surname: str, given: str) -> int | None:
    """The name block as one number (see the module docstring), None without one. Not the stored
    ``name_key`` search column (``translit.match_keys``): a hash that lives only during a scan."""
    block = name_block(birth, surname, given)
    return None if block is None else hash(block)


def phone_key(phone: str | None) -> int | None:
    phone = (phone or "").strip()
    return hash(phone) if phone else None


def key_chunk(rows: Iterable[tuple[int, str, str | None, str | None, str | None]]) -> KeyChunk:
    """The blocking keys of members given as ``(id, iin, surname, given_name, phone)`` rows: the one
    derivation the ledger scan and the in-memory ``find_candidates`` share, so both pair the same
    members. The IIN neighbourhood keys are cut from ``iins`` as the chunk is spread."""
    ids: list[int] = []
    iins: list[int] = []
    names: list[int | None] = []
    phones: list[int | None] = []
    for mid, iin, surname, given, phone in rows:
        ids.append(mid)
        iins.append(int(iin))
        names.append(name_block_hash(birth_from_iin(iin), fold_name(surname or ""), fold_name(given or "")))
        phones.append(phone_key(phone))
    return KeyChunk(ids, iins, names, phones)


def _span_keys(vals: Sequence[int], start: int, end: int) -> list[int]:
    """The IINs as numbers with digits ``start``..``end``-1 cut out (C-level maps, no Python loop)."""
    high, low = 10 ** (12 - start), 10 ** (12 - end)
    if start == 0:
        return list(map(low.__rmod__, vals))
    if end == 12:
        return list(map(high.__rfloordiv__, vals))
    return list(map(add, map(low.__mul__, map(high.__rfloordiv__, vals)), map(low.__rmod__, vals)))


Partitions = MemoryPartitions | EncryptedPartitions


def _spread(store: Partitions, kind: int, keys: Sequence[int | None], ids: Sequence[int],
            iins: Sequence[int] | None) -> None:
    """Add one kind's entries of a chunk to their partitions (None keys are left out). One plain
    loop into per-partition arrays: measured faster than sorting by partition or one filter per
    partition (3.2 ms per 20,000 entries and 10 partitions, against 5.7 and 12.4 ms)."""
    parts = store.parts
    if parts == 1:          # no spreading: C-level copies
        if iins is None:
            present = list(map(is_not, keys, repeat(None)))
            keys, ids = list(compress(keys, present)), list(compress(ids, present))
        store.add(0, kind, array("q", keys), array("q", ids), None if iins is None else array("q", iins))
        return
    k_out, i_out = [array("q") for _ in range(parts)], [array("q") for _ in range(parts)]
    if iins is None:
        for key, mid in zip(keys, ids):
            if key is not None:
                part = key % parts
                k_out[part].append(key)
                i_out[part].append(mid)
        n_out: list[array] | None = None
    else:
        n_out = [array("q") for _ in range(parts)]
        for key, mid, iin in zip(keys, ids, iins):
            part = key % parts
            k_out[part].append(key)
            i_out[part].append(mid)
            n_out[part].append(iin)
    for part in range(parts):
        if k_out[part]:
            store.add(part, kind, k_out[part], i_out[part], None if n_out is None else n_out[part])


def spread_chunk(store: Partitions, chunk: KeyChunk) -> None:
    """All eight kinds of key of a chunk of members into the partitions."""
    for kind, (start, end) in enumerate(SPANS):
        _spread(store, kind, _span_keys(chunk.iins, start, end), chunk.ids, chunk.iins)
    _spread(store, NAME_KIND, chunk.names, chunk.ids, None)
    _spread(store, PHONE_KIND, chunk.phones, chunk.ids, None)


def _repeated(keys: Sequence[int]) -> list[int]:
    """Positions whose key occurs more than once. Counting and filtering run in C (Counter,
    compress, map), so the common case, a key seen once, never reaches a Python loop."""
    counts = Counter(keys)
    if len(counts) == len(keys):
        return []
    dup = set(compress(counts.keys(), map((1).__lt__, counts.values())))
    return list(compress(range(len(keys)), map(dup.__contains__, keys)))


def _pairs_in(kind: int, keys: Sequence[int], ids: Sequence[int], iins: Sequence[int] | None,
              out: set[tuple[int, int]]) -> None:
    """Add (a_id, b_id), a_id < b_id, for members sharing a key in one partition of one kind."""
    groups: dict[int, list[int]] = {}
    for i in _repeated(keys):
        groups.setdefault(keys[i], []).append(i)
    cap = PHONE_CAP if kind == PHONE_KIND else GROUP_CAP
    for members in groups.values():
        if not 2 <= len(members) <= cap:
            continue
        for x, i in enumerate(members):
            for j in members[x + 1:]:
                if iins is not None and iin_relation(f"{iins[i]:012d}", f"{iins[j]:012d}") is None:
                    continue
                a, b = ids[i], ids[j]
                out.add((a, b) if a < b else (b, a))


def blocking_pairs(chunks: Iterable[KeyChunk], store: Partitions, cancel: threading.Event | None = None,
                   on_partition: Callable[[int, int], None] | None = None) -> set[tuple[int, int]]:
    """Member id pairs (a, b), a < b, that share a blocking key: spread every chunk over ``store``'s
    partitions, then group one partition of one kind at a time."""
    for chunk in chunks:
        check_cancel(cancel)
        spread_chunk(store, chunk)
    found: set[tuple[int, int]] = set()
    for part in range(store.parts):
        for kind in KINDS:
            check_cancel(cancel)
            _pairs_in(kind, *store.take(part, kind), found)
        if on_partition is not None:
            on_partition(part + 1, store.parts)
    return found
