"""Duplicate members across scripts: candidates with reasons, a review queue, undoable merges.

The database already refuses a second live member with the same IIN. This package finds the pairs it
cannot see: records with *different* IINs that are probably one person (an IIN typo that still
passes the checksum, names in Cyrillic in one sheet and Latin in another, swapped names, a new
phone). Nothing is merged automatically: ``scan`` fills the queue, an organizer decides.

- ``records``: the columns read and their script-independent form (``translit`` keys);
- ``blocking``: which pairs to compare (IIN neighbourhood, birth date + name, phone);
- ``spill``: the partitions blocking keys wait in, sized so memory stays flat (encrypted when on disk);
- ``scoring``: points per piece of evidence, each listed as a ``Reason``;
- ``thresholds``: the scores that queue a pair and that make the report count it once;
- ``scan``: the ledger pass, filling the queue (``MatchDecision``), and ``open_pairs`` for the report;
- ``queue``: the queue and the merge history as both front ends list them (one query each);
- ``merge``: ``merge``/``unmerge`` and ``decide`` (``different`` is never proposed again).

Nothing is re-exported here: each name has one import path, its submodule, and importing this
package costs nothing, so ``report`` can read ``thresholds.HIGH_CONFIDENCE`` on the app's start-up
path without pulling in SQLAlchemy (``merge``, ``scan``) or the scorer's libraries.
"""

