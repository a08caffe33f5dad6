"""The two reads behind unlocking: open the ledger with its rules, and the dashboard's numbers.

Kept free of textual so that ``prefetch`` can run them in a thread before textual is imported.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any


def open_and_load(db_path: Path, passphrase: str, rules_dir: Path | None):
    """Open the ledger and load the rules of its jurisdiction (runs in a worker thread)."""
    from sqlmodel import select

    from partyledger.ledger.db import open_ledger, session_scope
    from partyledger.ledger.models import Campaign

    engine = open_ledger(db_path, passphrase)
    try:
        from partyledger.rules import load_rules

        with session_scope(engine) as session:
            campaign = session.exec(select(Campaign)).first()
            jurisdiction = (campaign.jurisdiction if campaign else None) or "KZ"
        return engine, load_rules(jurisdiction, rules_dir)
    except BaseException:
        engine.dispose()
        raise


def gather(ledger, as_of: date) -> tuple[Any, dict[str, int]]:
    """The readiness assessment and the review queues' sizes, in one session (worker thread).

    The duplicate count is the whole undecided queue (what the review screen lists); the report's
    ``duplicate_pairs`` counts only the high-confidence pairs that change the numbers.
    """
    from sqlalchemy import func
    from sqlmodel import select

    from partyledger.ledger.models import Decision, MatchDecision, QuarantineRow
    from partyledger.report import assess_readiness

    with ledger.session() as session:
        readiness = assess_readiness(session, ledger.rules, as_of=as_of)
        queues = {
            "quarantine": int(session.exec(select(func.count()).select_from(QuarantineRow)
                                           .where(QuarantineRow.state == "open")).one()),
            "duplicates": int(session.exec(select(func.count()).select_from(MatchDecision)
                                           .where(MatchDecision.decision == Decision.UNDECIDED)).one()),
        }
    return readiness, queues
