"""The append-only audit log: every change to the ledger, hash-chained.

Each event stores the hash of the one before it, and its own hash is
``sha256(prev_hash + canonical JSON of the event)``. Editing or deleting a past event with raw SQL
therefore breaks the chain at that point, and ``verify_chain`` names the first broken event.
Members have been pressured to leave parties; the log is how an organizer shows when, and by whom,
a record changed.

The id and hash of the last event are also kept in ``ledger_seal`` (ledger/storage/seal.py), moved in the
same transaction as each append, and the next event chains from them: deleting the newest events is
caught (``verify``), and stays caught after later writes. Anyone holding the passphrase can rewrite
the whole chain; the log detects careless or partial tampering, it is not a signature.

``before``/``after`` are made JSON-safe (dates as ISO text) before hashing, so the hash is computed
over exactly what is stored and read back.
"""

from __future__ import annotations

import functools
import getpass
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlmodel import Session, col, select

from partyledger.ledger.storage import seal
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


def _hash(prev_hash: str, body: dict[str, Any]) -> str:
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + canonical).encode("utf-8")).hexdigest()


def event_hash(prev_hash: str, event: AuditEvent) -> str:
    return _hash(prev_hash, {"at": event.at.isoformat(), "actor": event.actor, "action": event.action,
                             "entity": event.entity, "entity_id": event.entity_id, "before": event.before,
                             "after": event.after})


def _last_hash(session: Session) -> str:
    """The hash the next event links to: the stored head (so a deleted last event is never papered
    over), or the last event's own for a ledger without a seal row (``create_all`` before seeding)."""
    stored = seal.head(session)
    if stored is not None:
        return stored[1]
    last = session.exec(select(AuditEvent.hash).order_by(col(AuditEvent.id).desc()).limit(1)).first()
    return last or ""


@functools.cache
def login_name() -> str:
    """The operating-system user running this process, read once ("unknown" when the system has none
    to give, e.g. a container without a passwd entry: no user name is no reason to refuse a change)."""
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - getpass raises OSError, KeyError or ImportError depending on the system
        return "unknown"


def actor(front_end: str, user: str | None = None) -> str:
    """Who made a change, as the audit log records it: the front end and the person, ``"cli:alice"``.

    ``user`` defaults to ``login_name()``; every front end names its changes through this one function,
    so the log's "who" has one form whichever door the change came through.
    """
    return f"{front_end}:{login_name() if user is None else user}"


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
    seal.advance_head(session, event.id, event.hash)
    return event


CHAIN_SQL = ("SELECT id, at, actor, action, entity, entity_id, before, after, prev_hash, hash FROM auditevent "
             "ORDER BY id")


@dataclass(frozen=True)
class ChainProblem:
    """One event that does not fit the chain: ``kind`` is malformed, link or hash."""

    event_id: int
    kind: str
    detail: str


def _body(row: Any) -> dict[str, Any]:
    """The hashed fields of a raw event row; ValueError naming the field that cannot be read."""
    try:
        at = datetime.fromisoformat(row.at) if isinstance(row.at, str) else None
    except ValueError:
        at = None
    if at is None:
        raise ValueError("its time is not a date and time")
    body = {"at": at.isoformat(), "actor": row.actor, "action": row.action, "entity": row.entity,
            "entity_id": row.entity_id}
    for name in ("actor", "action", "entity", "prev_hash", "hash"):
        if not isinstance(getattr(row, name), str):
            raise ValueError(f"its {name} is not text")
    for name in ("before", "after"):
        text = getattr(row, name)
        try:
            body[name] = None if text is None else json.loads(text)
        except (TypeError, ValueError):
            raise ValueError(f"its {name} is not JSON") from None
    return body


def chain_problems(conn: Any, on_event: Callable[[Any, dict[str, Any] | None], None] | None = None
                   ) -> Iterator[ChainProblem]:
    """Every event whose fields cannot be read, whose link to the one before is broken (an event
    removed or replaced), or whose content no longer matches its hash. Reads raw rows, so a
    damaged value is a finding, not a crash. ``on_event(row, body)`` sees each event (body None
    when unreadable): ``verify`` replays who was added and removed from the same pass."""
    prev: str | None = ""
    for row in conn.exec_driver_sql(CHAIN_SQL):
        try:
            body = _body(row)
        except ValueError as err:
            body = None
            yield ChainProblem(row.id, "malformed", f"event {row.id} cannot be read: {err}")
        if on_event is not None:
            on_event(row, body)
        if prev is not None and row.prev_hash != prev:
            yield ChainProblem(row.id, "link", f"event {row.id} does not match the chain: the event before it "
                                               "was removed or replaced")
        if body is not None and row.hash != _hash(row.prev_hash, body):
            yield ChainProblem(row.id, "hash", f"event {row.id} does not match the chain: it was changed "
                                               "after it was written")
        prev = row.hash if isinstance(row.hash, str) else None


def verify_chain(session: Session) -> int | None:
    """The id of the first event that is unreadable or whose link or hash is wrong; None when intact."""
    session.flush()
    return next((p.event_id for p in chain_problems(session.connection())), None)


def history(session: Session, entity: str, entity_id: object) -> list[AuditEvent]:
    """Every event about one record, oldest first."""
    stmt = (select(AuditEvent).where(AuditEvent.entity == entity, AuditEvent.entity_id == str(entity_id))
            .order_by(col(AuditEvent.id)))
    return list(session.exec(stmt))


def event_dict(event: AuditEvent) -> dict[str, Any]:
    return {"id": event.id, "at": event.at.isoformat(), "actor": event.actor, "action": event.action,
            "entity": event.entity, "entity_id": event.entity_id, "before": event.before, "after": event.after}
