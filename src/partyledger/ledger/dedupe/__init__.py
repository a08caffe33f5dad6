"""Duplicate members across scripts: candidates with reasons, a review queue, undoable merges.

The database already refuses a second live member with the same IIN. This package finds the pairs it
cannot see: records with *different* IINs that are probably one person (an IIN typo that still
passes the checksum, names in Cyrillic in one sheet and Latin in another, swapped names, a new
phone). Nothing is merged automatically: ``scan`` fills the queue, an organizer decides.

- ``records``: the columns read and their script-independent form (``translit`` keys);
- ``blocking``: which pairs to compare (IIN neighbourhood, birth date + name, phone);
- ``spill``: the partitions blocking keys wait in, sized so memory stays flat (encrypted when on disk);
- ``scoring``: points per piece of evidence, each listed as a ``Reason``;
- ``scan``: the ledger pass, the queue (``MatchDecision``) and ``open_pairs`` for the report;
- ``merge``: ``merge``/``unmerge`` and ``decide`` (``different`` is never proposed again).
"""

from partyledger.ledger.dedupe.merge import decide, merge, unmerge
from partyledger.ledger.dedupe.records import PersonRecord, prepare
from partyledger.ledger.dedupe.scan import (DEFAULT_THRESHOLD, HIGH_CONFIDENCE, Candidate, ScanResult,
                                            decided_pairs, find_candidates, open_pairs, review_queue, scan)
from partyledger.ledger.dedupe.scoring import Reason, iin_relation, score_pair

__all__ = ["DEFAULT_THRESHOLD", "HIGH_CONFIDENCE", "Candidate", "PersonRecord", "Reason", "ScanResult", "decide",
           "decided_pairs", "find_candidates", "iin_relation", "merge", "open_pairs", "prepare", "review_queue", "scan",
           "score_pair", "unmerge"]
