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


def gather(ledger, as_of: date) -> tuple[Any, int]:
    """The readiness assessment and the open quarantine count, in one session (worker thread)."""
    from sqlalchemy import func
    from sqlmodel import select

    from partyledger.ledger.models import QuarantineRow
    from partyledger.report import assess_readiness

    with ledger.session() as session:
        readiness = assess_readiness(session, ledger.rules, as_of=as_of)
        quarantine = int(session.exec(select(func.count()).select_from(QuarantineRow)
                                      .where(QuarantineRow.state == "open")).one())
    return readiness, quarantine
