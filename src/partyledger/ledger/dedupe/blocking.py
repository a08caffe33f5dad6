"""Which pairs of members are worth comparing: blocking keys that keep the work near-linear.

Comparing every member with every other is 5 * 10^11 pairs for a million members; the finder only
compares pairs that share a blocking key:

- **IIN neighbourhood.** Two IINs one substituted digit or one swapped pair of neighbours apart
  agree everywhere except inside a window of two adjacent positions. For each of the 11 windows we
  group the IINs with that window cut out; equal keys are candidates, kept only if the IINs really
  are one typo apart. This is the dictionary form of the masked-digit sorts that found every
  one-digit typo in a million rows in 1.65 s (research/perf-limits.md item 6), extended to
  transpositions, and needs no numpy.
- **Birth date + name**: the birth date from the IIN and the folded surname/given name as an
  unordered pair, so swapped and transliterated names still meet.
- **Phone**: the same E.164 number.

Groups bigger than ``cap`` (an office phone, the most common name on one day) are skipped whole, not
truncated, so which pairs are compared never depends on the order the records came in.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable, Sequence

from partyledger.ledger.dedupe.scoring import iin_relation
from partyledger.progress import check_cancel

GROUP_CAP = 12


def _group_pairs(keys: Sequence[Hashable | None], cap: int, out: set[tuple[int, int]]) -> None:
    """Add (i, j), i < j, for every two positions with the same non-empty key, groups <= cap."""
    groups: dict[Hashable, int | list[int]] = {}
    for i, key in enumerate(keys):
        if not key:
            continue
        seen = groups.get(key)
        if seen is None:
            groups[key] = i
        elif type(seen) is int:
            groups[key] = [seen, i]
        else:
            seen.append(i)
    for members in groups.values():
        if type(members) is list and len(members) <= cap:
            for x, i in enumerate(members):
                for j in members[x + 1:]:
                    out.add((i, j))


def iin_neighbour_pairs(iins: Sequence[str], cancel: threading.Event | None = None) -> set[tuple[int, int]]:
    """Positions (i, j), i < j, whose IINs are one digit or one adjacent transposition apart."""
    found: set[tuple[int, int]] = set()
    for p in range(11):
        check_cancel(cancel)
        q = p + 2
        _group_pairs([s[:p] + s[q:] for s in iins], GROUP_CAP, found)
    return {(i, j) for i, j in found if iin_relation(iins[i], iins[j]) is not None}


def key_pairs(keys: Sequence[Hashable | None], cap: int = GROUP_CAP) -> set[tuple[int, int]]:
    """Positions (i, j), i < j, sharing a non-empty key, from groups of at most ``cap``."""
    found: set[tuple[int, int]] = set()
    _group_pairs(keys, cap, found)
    return found


def name_block(birth: str, surname: str, given: str) -> tuple[str, str, str] | None:
    """Birth date plus the two folded names in a fixed order (swap-proof); None without a date."""
    if not birth or not (surname or given):
        return None
    return (birth, surname, given) if surname <= given else (birth, given, surname)
