"""The ledger's seal: a keyed hash on every member row, and the stored head of the audit chain.

The audit log alone cannot see a member row edited or deleted with plain SQL (the row changes, the
log does not), nor the newest events deleted (a shorter chain is still a valid chain). So:

- ``member.row_hash`` is a keyed BLAKE2b MAC (RFC 7693 keyed mode, a MAC without HMAC's second
  pass) of the row's columns as stored, with a random per-ledger secret kept in ``ledger_seal``
  inside the encrypted file. Every write path calls ``reseal`` (or, in the bulk insert, ``mac``)
  in its own transaction; ``verify`` recomputes each one. An edit through anything but partyledger
  leaves a row whose hash does not match.
- ``ledger_seal.audit_head_id/hash`` name the last audit event; ``audit.record`` moves them in the
  same transaction as the append and chains the next event from them, so a removed last event
  is caught now and stays caught after later writes.

The MAC covers ``id`` too (moving a person's row to another id would hand their roles to someone
else) and is computed over the values exactly as SQLite returns them (text dates, enum names,
booleans as 0/1), read back from the row, so the ORM and the bulk writer cannot disagree.
Whoever holds the passphrase can read the secret and forge a seal: this catches careless or partial
tampering and damage, it is not a signature (the same limit as the audit chain).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from typing import Any

from sqlmodel import Session

# Every member column but row_hash, in a fixed order (tests/unit/test_seal.py checks it covers the
# table: a new column must be added here, with a migration that reseals every row).
SEALED = ("id", "iin", "surname", "given_name", "patronymic", "birth_date", "sex", "unit_code", "region_text",
          "locality", "address", "phone", "email", "joined_on", "application_ref", "signed_on", "citizen",
          "not_in_other_party", "not_barred", "status", "status_on", "status_reason", "name_key", "given_key",
          "batch_id", "source_row", "created_at", "updated_at")
SELECT_SEALED = f"SELECT {', '.join(SEALED)} FROM member"
_IN_CHUNK = 900                                    # below SQLite's default 999 bound parameters


def new_secret() -> str:
    return os.urandom(32).hex()


# JSON (ASCII escapes) is unambiguous for str/int/None, one C call per row (as fast as ``repr``), and,
# unlike ``repr``, does not depend on the Unicode tables of the Python that runs it (``repr`` escapes
# what ``str.isprintable`` says is not printable, which changes as characters are assigned).
_ENCODE = json.JSONEncoder(ensure_ascii=True, separators=(",", ":"), check_circular=False).encode


def mac(key: bytes, row: Sequence[Any]) -> str:
    """The seal of one row given as the ``SEALED`` values SQLite stores (booleans as 0/1)."""
    values = row if type(row) is list else list(row)
    return hashlib.blake2b(_ENCODE(values).encode("ascii"), key=key, digest_size=16).hexdigest()


def _conn(conn_or_session: Any) -> Any:
    return conn_or_session.connection() if isinstance(conn_or_session, Session) else conn_or_session


def secret_of(conn_or_session: Any) -> bytes | None:
    """The ledger's secret, or None when the seal row is missing (``verify`` says so)."""
    row = _conn(conn_or_session).exec_driver_sql("SELECT secret FROM ledger_seal WHERE id = 1").first()
    return None if row is None or not row[0] else bytes.fromhex(row[0])


def ensure(session: Session) -> None:
    """Create the seal row of a new ledger (migration 0007 creates it for files; this for ``create_all``)."""
    conn = session.connection()
    if conn.exec_driver_sql("SELECT 1 FROM ledger_seal WHERE id = 1").first() is None:
        conn.exec_driver_sql("INSERT INTO ledger_seal (id, secret, audit_head_hash) VALUES (1, ?, '')",
                             (new_secret(),))


def head(conn_or_session: Any) -> tuple[int | None, str] | None:
    """(id, hash) of the last audit event as stored in the seal; None when there is no seal row."""
    row = _conn(conn_or_session).exec_driver_sql(
        "SELECT audit_head_id, audit_head_hash FROM ledger_seal WHERE id = 1").first()
    return None if row is None else (row[0], row[1] or "")


def advance_head(session: Session, event_id: int, event_hash: str) -> None:
    session.connection().exec_driver_sql("UPDATE ledger_seal SET audit_head_id = ?, audit_head_hash = ? WHERE id = 1",
                                         (event_id, event_hash))


def reseal(session: Session, member_ids: Iterable[int | None]) -> None:
    """Recompute the seal of these members from their stored rows (call after the write is flushed).

    Deleted ids are simply absent. ORM instances in the session get the new value too, so a later
    flush of the same object cannot write a stale one back.
    """
    ids = sorted({i for i in member_ids if i is not None})
    if not ids:
        return
    session.flush()
    conn = session.connection()
    key = secret_of(conn)
    if key is None:
        return                                    # verify reports the missing seal; writes go on
    from sqlalchemy.orm import attributes
    from sqlalchemy.orm.util import identity_key

    from partyledger.ledger.models import Member

    for start in range(0, len(ids), _IN_CHUNK):
        part = ids[start:start + _IN_CHUNK]
        rows = conn.exec_driver_sql(f"{SELECT_SEALED} WHERE id IN ({', '.join('?' * len(part))})",
                                    tuple(part)).all()
        sealed = [(mac(key, row), row[0]) for row in rows]
        if sealed:
            conn.exec_driver_sql("UPDATE member SET row_hash = ? WHERE id = ?", sealed)
        for value, member_id in sealed:
            obj = session.identity_map.get(identity_key(Member, member_id))
            if obj is not None:
                attributes.set_committed_value(obj, "row_hash", value)
