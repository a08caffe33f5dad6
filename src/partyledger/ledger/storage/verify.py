"""``verify``: everything the ledger can check about itself, as findings that name what differs.

Four checks, each on its own so one damaged part never hides the others (or crashes the rest):

1. storage: ``PRAGMA cipher_integrity_check`` (every page's HMAC: a flipped byte on disk) and
   ``PRAGMA integrity_check`` (SQLite's b-tree structure);
2. the audit chain (``audit.chain_problems``: unreadable events, broken links, changed content) and
   its stored head in ``ledger_seal`` (the newest events removed);
3. each member row against its seal (``seal.mac``): a row edited outside partyledger;
4. which member ids should exist, replayed from the audit log (added, promoted from quarantine,
   created by a committed import, removed by its undo, absorbed by a merge, restored by unmerge,
   in event order): a row deleted, or inserted, outside partyledger. A committed import's change
   records are counted against the number its audit event states.

Findings carry a stable ``kind``, the id of the page, event, member or batch, and a detail in words.
They name ids and field names, never a member's personal data: ``verify`` output gets pasted into
chats and issue trackers. Lists are capped per kind (``CAP``); ``counts`` is always complete.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from partyledger.ledger.storage import audit, seal
from partyledger.progress import ProgressCallback, report

CAP = 200                      # findings listed per kind; the count is complete
_CHUNK = 5000
_PAGE_RE = re.compile(r"page (\d+)")


@dataclass(frozen=True)
class Finding:
    kind: str
    id: int | None
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "detail": self.detail}


@dataclass
class Verdict:
    findings: list[Finding] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    checked: dict[str, int] = field(default_factory=lambda: {"events": 0, "members": 0})

    @property
    def ok(self) -> bool:
        return not self.counts

    def add(self, kind: str, id_: int | None, detail: str) -> None:
        self.counts[kind] += 1
        if self.counts[kind] <= CAP:
            self.findings.append(Finding(kind, id_, detail))

    def as_dict(self) -> dict[str, Any]:
        """The ``verify --json`` shape: ok, checked, counts by kind, findings (kind, id, detail)."""
        return {"ok": self.ok, "checked": dict(self.checked), "counts": dict(sorted(self.counts.items())),
                "findings": [f.as_dict() for f in self.findings]}


def verify_ledger(conn: Connection, *, on_progress: ProgressCallback | None = None) -> Verdict:
    """Run every check on an open ledger connection (read only; nothing is repaired)."""
    verdict = Verdict()
    replay = _Replay()
    failed: set[str] = set()

    def replay_check(c: Connection, v: Verdict) -> None:
        if not failed:                 # a partial read of the log or the rows would name false culprits
            replay.check(c, v)

    stages = (("pages", _storage), ("audit log", lambda c, v: _chain(c, v, replay)),
              ("member rows", lambda c, v: _rows(c, v, replay)), ("member ids", replay_check))
    for done, (stage, check) in enumerate(stages):
        report(on_progress, done, len(stages), f"verifying {stage}")
        try:
            check(conn, verdict)
        except (DBAPIError, sqlcipher.DatabaseError) as err:   # a damaged page can fail any read:
            conn.rollback()                                      # say where, and check the rest
            failed.add(stage)
            verdict.add("storage.unreadable", None, f"the {stage} could not be read: {getattr(err, 'orig', err)}")
    report(on_progress, len(stages), len(stages), "verified")
    return verdict


def _pragma_rows(conn: Connection, pragma: str) -> list[str]:
    cur = conn.connection.cursor()
    try:
        cur.execute(f"PRAGMA {pragma}")
        return [str(r[0]) for r in cur.fetchall()] if cur.description else []
    finally:
        cur.close()


def _storage(conn: Connection, verdict: Verdict) -> None:
    for line in _pragma_rows(conn, "cipher_integrity_check"):
        page = _PAGE_RE.search(line)
        verdict.add("storage.cipher", int(page.group(1)) if page else None,
                    f"{line}: the encrypted page was damaged or changed on disk")
    lines = [ln.strip() for row in _pragma_rows(conn, "integrity_check") for ln in row.splitlines()]
    problems = [ln for ln in lines if ln and ln != "ok" and not ln.startswith("***")]
    for line in problems:
        page = _PAGE_RE.search(line)
        verdict.add("storage.integrity", int(page.group(1)) if page else None, line)


def _chain(conn: Connection, verdict: Verdict, replay: _Replay) -> None:
    last: tuple[int, Any] | None = None

    def seen(row: Any, body: dict[str, Any] | None) -> None:
        nonlocal last
        verdict.checked["events"] += 1
        last = (row.id, row.hash)
        if body is not None:
            replay.note(row.id, row.action, row.entity_id, body)

    for problem in audit.chain_problems(conn, on_event=seen):
        verdict.add(f"audit.{problem.kind}", problem.event_id, problem.detail)
    stored = seal.head(conn)
    if stored is None:
        verdict.add("seal.missing", None, "the ledger's seal is missing: the last audit event and the member "
                                          "rows cannot be checked")
        return
    head_id, head_hash = stored
    if last is None and head_id is None:
        return
    if last is None or head_id is None or last[0] < head_id:
        verdict.add("audit.head", head_id, f"the audit log ends at event {last[0] if last else 'none'} but the "
                                           f"seal says it ends at event {head_id}: the newest events were removed")
    elif last[0] > head_id:
        verdict.add("audit.head", last[0], f"events after {head_id}, the last one the seal records, were added "
                                           "outside partyledger")
    elif last[1] != head_hash:
        verdict.add("audit.head", head_id, f"event {head_id} is not the event the seal records as the last one")


def _sealed_rows(conn: Connection) -> Iterator[Any]:
    after = -1 << 62
    sql = f"{seal.SELECT_SEALED.replace(' FROM', ', row_hash FROM')} WHERE id > ? ORDER BY id LIMIT {_CHUNK}"
    while rows := conn.exec_driver_sql(sql, (after,)).all():
        yield from rows
        after = rows[-1][0]


def _rows(conn: Connection, verdict: Verdict, replay: _Replay) -> None:
    key = seal.secret_of(conn)
    for row in _sealed_rows(conn):
        verdict.checked["members"] += 1
        replay.present.add(row[0])
        if key is None:
            continue
        stored = row[-1]
        if stored is None:
            verdict.add("member.altered", row[0], f"member {row[0]} has no seal: the row was written or changed "
                                                  "outside partyledger")
        elif stored != seal.mac(key, row[:-1]):
            verdict.add("member.altered", row[0], f"member {row[0]} does not match its seal: the row was changed "
                                                  f"outside partyledger ({_which_fields(row)})")


_AT = {name: i for i, name in enumerate(seal.SEALED)}


def _which_fields(row: Any) -> str:
    """Fields a changed row gives away (no copy of the row is kept, so only what it contradicts itself
    on): names that no longer give their stored search keys, an IIN that is no longer valid."""
    from partyledger.ledger.cleaning import translit
    from partyledger.ledger.cleaning.iin import parse_iin

    names = [row[_AT[f]] or "" for f in ("surname", "given_name", "patronymic")]
    suspects = []
    try:
        if any(row[_AT[column]] != key for column, key in translit.match_keys(*names).items()):
            suspects.append("surname, given_name or patronymic (they no longer give their search keys)")
        if parse_iin(row[_AT["iin"]]).issues:
            suspects.append("iin (no longer a valid IIN)")
    except (TypeError, ValueError, AttributeError):       # a value of the wrong type: the field is changed anyway
        suspects.append("a value of the wrong type")
    return "changed: " + "; ".join(suspects) if suspects else "which field cannot be told: no copy of the row is kept"


class _Replay:
    """Which member ids the audit log says exist, replayed in event order.

    Only (event, action, id, stated count) is kept per event, not the event's body: a ledger built
    by hand has a ``member.added`` event, with its whole snapshot, per member.
    """

    ADDS = ("member.added", "member.create")
    BATCH = ("batch.commit", "batch.undo")

    def __init__(self) -> None:
        self.steps: list[tuple[int, str, int | None, Any]] = []
        self.present: set[int] = set()

    def note(self, event_id: int, action: Any, entity_id: Any, body: dict[str, Any]) -> None:
        try:
            if action in self.ADDS or action in self.BATCH:
                stated = (body.get("after") or {}).get("created") if action == "batch.commit" else None
                self.steps.append((event_id, action, int(entity_id), stated))
            elif action == "member.merged":
                self.steps.append((event_id, action, int(body["before"]["absorbed"]["id"]), None))
            elif action == "member.unmerged":
                self.steps.append((event_id, action, int(body["after"]["restored"]["id"]), None))
        except (TypeError, ValueError, KeyError, AttributeError):
            self.steps.append((event_id, action, None, None))

    def check(self, conn: Connection, verdict: Verdict) -> None:
        expected: dict[int, int] = {}           # member id -> the event that made it exist
        for event_id, action, target, stated in self.steps:
            if target is None:
                verdict.add("audit.malformed", event_id, f"event {event_id} ({action}) does not say which member")
            elif action in self.BATCH:
                created = [r[0] for r in conn.exec_driver_sql(
                    "SELECT member_id FROM batchchange WHERE batch_id = ? AND action = 'created'", (target,))]
                if action == "batch.commit" and stated != len(created):
                    verdict.add("batch.changes", target, f"batch {target} records {len(created)} created members, "
                                                         f"its audit event {event_id} says {stated}")
                for member_id in created:
                    if action == "batch.commit":
                        expected[member_id] = event_id
                    else:
                        expected.pop(member_id, None)
            elif action == "member.merged":
                expected.pop(target, None)
            else:
                expected[target] = event_id
        for member_id in sorted(expected.keys() - self.present):
            verdict.add("member.missing", member_id, f"member {member_id}, added by event {expected[member_id]}, "
                                                     "is not in the ledger: the row was deleted outside partyledger")
        for member_id in sorted(self.present - expected.keys()):
            verdict.add("member.unrecorded", member_id, f"member {member_id} was not added by any recorded change: "
                                                        "the row was inserted outside partyledger")
