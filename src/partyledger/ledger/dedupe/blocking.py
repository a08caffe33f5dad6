"""Which pairs of members are worth comparing: blocking keys that keep the work near-linear.

Comparing every member with every other is 5 * 10^11 pairs for a million members; the finder only
compares pairs that share a blocking key:

- **IIN neighbourhood.** Two IINs one substituted digit or one swapped pair of neighbours apart
  agree everywhere except inside a window of two adjacent positions. We group the IINs with a
  3-digit span cut out, for 6 overlapping spans that cover every such window; equal keys are
  candidates, kept only if the IINs really are one typo apart. This is the dictionary form of the
  masked-digit sorts that found every one-digit typo in a million rows in 1.65 s
  (research/perf-limits.md item 6), extended to transpositions, and needs no numpy.
- **Birth date + name**: the birth date from the IIN and the folded surname/given name as an
  unordered pair, so swapped and transliterated names still meet.
- **Phone**: the same E.164 number.

Groups bigger than ``cap`` (an office phone, the most common name on one day) are skipped whole, not
truncated, so which pairs are compared never depends on the order the records came in.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Hashable, Sequence
from itertools import compress
from operator import add

from partyledger.ledger.dedupe.scoring import iin_relation
from partyledger.progress import check_cancel

GROUP_CAP = 12
# Every window of two adjacent positions lies inside one of these (start, end) spans, so two IINs one
# substitution or one adjacent swap apart agree everywhere outside at least one span: 6 passes
# instead of 11. Spans are 3 digits, so the groups stay tiny (the serial is random).
SPANS = ((0, 3), (2, 5), (4, 7), (6, 9), (8, 11), (10, 12))


def _repeated(keys: Sequence, *, skip_empty: bool) -> list[int]:
    """Positions whose key occurs more than once. Counting and filtering run in C (Counter,
    compress, map), so the common case, a key seen once, never reaches a Python loop. ``keys`` may
    be an ``array``: no list of a million key objects is built."""
    counts = Counter(keys)
    if len(counts) == len(keys):
        return []
    dup = set(compress(counts.keys(), map((1).__lt__, counts.values())))
    if skip_empty:
        dup.difference_update((0, None, ""))
    if not dup:
        return []
    return list(compress(range(len(keys)), map(dup.__contains__, keys)))


def _add_groups(keys: Sequence, positions: list[int], cap: int, out: set[tuple[int, int]]) -> None:
    """Add (i, j), i < j, for positions sharing a key, from groups of at most ``cap``."""
    groups: dict[Hashable, list[int]] = {}
    for i in positions:
        groups.setdefault(keys[i], []).append(i)
    for members in groups.values():
        if 2 <= len(members) <= cap:
            for x, i in enumerate(members):
                for j in members[x + 1:]:
                    out.add((i, j))


def _span_keys(vals: Sequence[int], start: int, end: int) -> list[int]:
    """The IINs as numbers with digits ``start``..``end``-1 cut out (C-level maps, no Python loop)."""
    high, low = 10 ** (12 - start), 10 ** (12 - end)
    if start == 0:
        return list(map(low.__rmod__, vals))
    if end == 12:
        return list(map(high.__rfloordiv__, vals))
    return list(map(add, map(low.__mul__, map(high.__rfloordiv__, vals)), map(low.__rmod__, vals)))


def iin_neighbour_pairs(iins: Sequence[int] | Sequence[str],
                        cancel: threading.Event | None = None) -> set[tuple[int, int]]:
    """Positions (i, j), i < j, whose IINs (12-digit strings or their numbers) are one digit or one
    adjacent transposition apart."""
    vals = iins if not iins or isinstance(iins[0], int) else list(map(int, iins))
    found: set[tuple[int, int]] = set()
    for start, end in SPANS:
        check_cancel(cancel)
        keys = _span_keys(vals, start, end)
        _add_groups(keys, _repeated(keys, skip_empty=False), GROUP_CAP, found)
    return {(i, j) for i, j in found if iin_relation(f"{vals[i]:012d}", f"{vals[j]:012d}") is not None}


def key_pairs(keys: Sequence[Hashable | None], cap: int = GROUP_CAP) -> set[tuple[int, int]]:
    """Positions (i, j), i < j, sharing a non-empty key, from groups of at most ``cap``."""
    found: set[tuple[int, int]] = set()
    _add_groups(keys, _repeated(keys, skip_empty=True), cap, found)
    return found


def name_block(birth: str, surname: str, given: str) -> tuple[str, str, str] | None:
    """Birth date plus the two folded names in a fixed order (swap-proof); None without a date."""
    if not birth or not (surname or given):
        return None
    return (birth, surname, given) if surname <= given else (birth, given, surname)
