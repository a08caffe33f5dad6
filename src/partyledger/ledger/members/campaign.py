"""The campaign: the party being formed, its jurisdiction and the dates that start the legal clocks.

A ledger holds exactly one ``Campaign`` row, written by ``db.create_ledger``; reports read the key
dates from it. Changes go through ``update_campaign`` so each one lands in the audit log.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from partyledger.errors import InvalidInput, NotFound
from partyledger.ledger.storage import audit
from partyledger.ledger.models import Campaign
from partyledger.ledger.cleaning.text import check_text

_EDITABLE = frozenset(Campaign.model_fields) - {"id"}


def get_campaign(session: Session) -> Campaign:
    campaign = session.exec(select(Campaign).order_by(col(Campaign.id)).limit(1)).first()
    if campaign is None:
        raise NotFound("this ledger has no campaign record", "it was not made by partyledger init")
    return campaign


def update_campaign(session: Session, *, actor: str = "", **fields: Any) -> Campaign:
    """Set the given fields (party_name, jurisdiction, key dates, safety_factor, ...)."""
    unknown = sorted(set(fields) - _EDITABLE)
    if unknown:
        raise InvalidInput(f"unknown campaign field(s): {', '.join(unknown)}",
                           f"known fields: {', '.join(sorted(_EDITABLE))}")
    for name, value in fields.items():
        if isinstance(value, str):
            check_text(value, name)          # the party name is printed in every report and export
    campaign = get_campaign(session)
    before = {k: getattr(campaign, k) for k in fields}
    changed = {k: v for k, v in fields.items() if before[k] != v}
    if not changed:
        return campaign
    for name, value in changed.items():
        setattr(campaign, name, value)
    session.add(campaign)
    session.flush()
    audit.record(session, "campaign.updated", "campaign", campaign.id,
                 before={k: before[k] for k in changed}, after=changed, actor=actor)
    return campaign
