"""The dashboard's numbers on a refresh: the readiness assessment and the review queues' sizes.

Kept free of textual so that it can run in a worker thread. The first numbers after unlocking come
from ``tui/prefetch.py`` instead, read before the ORM is even imported.
"""

from __future__ import annotations

from datetime import date
from typing import Any


def gather(ledger, as_of: date) -> tuple[Any, dict[str, int]]:
    """The readiness assessment and the review queues' sizes, in one session (worker thread).

    The duplicate count is the whole undecided queue (what the review screen lists); the report's
    ``duplicate_pairs`` counts only the high-confidence pairs that change the numbers.
    """
    from partyledger.ledger.members.reads import queue_sizes
    from partyledger.report import assess_readiness

    with ledger.session() as session:
        return assess_readiness(session, ledger.rules, as_of=as_of), queue_sizes(session)
