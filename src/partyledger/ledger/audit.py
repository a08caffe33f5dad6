"""The append-only audit log: every change to the ledger, hash-chained.

Each event stores the hash of the one before it, and its own hash is
``sha256(prev_hash + canonical JSON of the event)``. Editing or deleting a past event with raw SQL
therefore breaks the chain at that point, and ``verify_chain`` names the first broken event.
Members have been pressured to leave parties; the log is how an organizer shows when, and by whom,
a record changed.

Known limit: deleting the newest events leaves a shorter chain that is still valid. Anyone holding
the passphrase can rewrite the whole chain; the log detects careless or partial tampering, it is not
a signature.

``before``/``after`` are made JSON-safe (dates as ISO text) before hashing, so the hash is computed
over exactly what is stored and read back.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlmodel import Session, col, select

from partyledger.ledger.models import AuditEvent


def plain(value: Any) -> Any:
    """A stored value as JSON and the outputs carry it: an enum's value, a date or moment in ISO form."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _jsonable(value: Any) -> Any:
    if value is None:
        return None

    def default(v: Any) -> Any:
        out = plain(v)
        return str(v) if out is v else out

    return json.loads(json.dumps(value, default=default, ensure_ascii=False))


def _canonical(event: AuditEvent) -> str:
    body = {
        "at": event.at.isoformat(),
        "actor": event.actor,
        "action": event.action,
        "entity": event.entity,
        "entity_id": event.entity_id,
        "before": event.before,
        "after": event.after,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def event_hash(prev_hash: str, event: AuditEvent) -> str:
    return hashlib.sha256((prev_hash + _canonical(event)).encode("utf-8")).hexdigest()


def _last_hash(session: Session) -> str:
    last = session.exec(select(AuditEvent.hash).order_by(col(AuditEvent.id).desc()).limit(1)).first()
    return last or ""


def record(session: Session, action: str, entity: str, entity_id: object = None,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
           actor: str = "") -> AuditEvent:
    """Append one event to the chain (in the caller's transaction, so it commits with the change)."""
    event = AuditEvent(actor=actor, action=action, entity=entity,
                       entity_id=None if entity_id is None else str(entity_id),
                       before=_jsonable(before), after=_jsonable(after))
    event.prev_hash = _last_hash(session)
    event.hash = event_hash(event.prev_hash, event)
    session.add(event)
    session.flush()
    return event


def verify_chain(session: Session) -> int | None:
    """The id of the first event whose link or hash is wrong, or None when the chain is intact."""
    prev = ""
    for event in session.exec(select(AuditEvent).order_by(col(AuditEvent.id))):
        if event.prev_hash != prev or event.hash != event_hash(prev, event):
            return event.id
        prev = event.hash
    return None


def history(session: Session, entity: str, entity_id: object) -> list[AuditEvent]:
    """Every event about one record, oldest first."""
    stmt = (select(AuditEvent).where(AuditEvent.entity == entity, AuditEvent.entity_id == str(entity_id))
            .order_by(col(AuditEvent.id)))
    return list(session.exec(stmt))


def event_dict(event: AuditEvent) -> dict[str, Any]:
    return {"id": event.id, "at": event.at.isoformat(), "actor": event.actor, "action": event.action,
            "entity": event.entity, "entity_id": event.entity_id, "before": event.before, "after": event.after}
