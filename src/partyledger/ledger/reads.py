"""Read-only ledger queries in plain SQL on a DB-API connection: the campaign, role holders, congress
attendance and the review queues' sizes.

Why plain SQL: these are what the readiness report reads besides its counts (``report/counting.py``
already runs plain SQL), and the terminal app shows that report as its first screen. Written here
without SQLModel, the app unlocks and reads its dashboard while Textual starts, instead of first
spending ~0.35 s importing the ORM (``ledger/unlock.py``). They are the only implementation:
``roles.holders`` and ``congress.attendance`` call them with the session's own connection.

Every function takes a ``source``: a SQLAlchemy ``Session`` (its connection, same transaction) or a
DB-API connection. Stored forms are SQLAlchemy's: enums by name, dates as ISO text.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, fields
from datetime import date

from partyledger.errors import NotFound
from partyledger.ledger.enums import RoleKind


def dbapi_of(source):
    """The DB-API connection behind a ``Session``, or ``source`` itself when it already is one.

    A session is flushed first: plain SQL does not trigger the ORM's autoflush, and a role or member
    added but not yet flushed must be seen, as an ORM query would have seen it.
    """
    connection = getattr(source, "connection", None)
    if callable(connection):
        source.flush()
        return connection().connection.dbapi_connection
    return source


def _day(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


@dataclass(frozen=True)
class CampaignFacts:
    """The campaign row as the report reads it (the same names as ``models.Campaign``)."""

    id: int
    party_name: str
    jurisdiction: str
    safety_factor: float
    require_consent: bool
    initiative_group_formed_on: date | None
    notification_filed_on: date | None
    notification_confirmed_on: date | None
    congress_held_on: date | None
    documents_filed_on: date | None
    registered_on: date | None


_CAMPAIGN_COLUMNS = [f.name for f in fields(CampaignFacts)]


def campaign_facts(source) -> CampaignFacts:
    row = dbapi_of(source).execute(
        f"SELECT {', '.join(_CAMPAIGN_COLUMNS)} FROM campaign ORDER BY id LIMIT 1").fetchone()
    if row is None:
        raise NotFound("this ledger has no campaign record", "it was not made by partyledger init")
    values = dict(zip(_CAMPAIGN_COLUMNS, row))
    for name in _CAMPAIGN_COLUMNS:
        if name.endswith("_on"):
            values[name] = _day(values[name])
    values["party_name"] = values["party_name"] or ""
    values["jurisdiction"] = values["jurisdiction"] or "KZ"
    values["safety_factor"] = float(values["safety_factor"])
    values["require_consent"] = bool(values["require_consent"])
    return CampaignFacts(**values)


@dataclass(frozen=True)
class RoleHolder:
    member_id: int
    iin: str
    full_name: str
    unit_code: str | None
    locality: str | None
    kind: RoleKind
    since: date | None
    active_member: bool          # not withdrawn, deceased or excluded on the date


def holds_on(since: date | None, until: date | None, as_of: date | None) -> bool:
    """A role counts from ``since`` until the day before ``until``; ``as_of`` None means "now"."""
    if as_of is None:
        return until is None
    return (since is None or since <= as_of) and (until is None or until > as_of)


_HOLDERS_SQL = ("SELECT m.id, m.iin, m.surname, m.given_name, m.patronymic, m.unit_code, m.locality, m.status, "
                "m.status_on, r.kind, r.since, r.until FROM role AS r JOIN member AS m ON m.id = r.member_id")


def role_holders(source, kind: RoleKind | None = None, *, as_of: date | None = None) -> list[RoleHolder]:
    """Who holds a role on ``as_of`` (None: currently, i.e. not removed), ordered by kind and name."""
    sql, params = _HOLDERS_SQL, ()
    if kind is not None:
        sql, params = sql + " WHERE r.kind = ?", (kind.name,)
    out = []
    for (mid, iin, surname, given, patronymic, unit, locality, status, status_on, stored_kind, since,
         until) in dbapi_of(source).execute(sql, params):
        since, until, status_on = _day(since), _day(until), _day(status_on)
        if not holds_on(since, until, as_of):
            continue
        gone = status != "ACTIVE" and (as_of is None or status_on is None or status_on <= as_of)
        name = " ".join(p for p in (surname, given, patronymic) if p)
        out.append(RoleHolder(mid, iin, name, unit, locality, RoleKind[stored_kind], since, not gone))
    return sorted(out, key=lambda h: (h.kind.value, h.full_name, h.iin))


@dataclass
class Attendance:
    """In-person attendance of the initiative group, per stored unit code (placed by the caller)."""

    group_size: int
    attended: int
    by_unit: Counter          # (unit_code, locality) -> members attending in person
    group_by_unit: Counter    # (unit_code, locality) -> group members


def attendance(source, as_of: date | None = None, holders: list[RoleHolder] | None = None) -> Attendance:
    """``holders``: ``role_holders`` on the same ``as_of`` when the caller already has them (the report)."""
    conn = dbapi_of(source)
    if holders is None:
        holders = role_holders(conn, RoleKind.INITIATIVE_GROUP, as_of=as_of)
    group = [h for h in holders if h.kind is RoleKind.INITIATIVE_GROUP and h.active_member]
    present = {mid for (mid,) in conn.execute("SELECT member_id FROM congresscheckin WHERE in_person = 1")}
    by_unit: Counter = Counter()
    group_by_unit: Counter = Counter()
    for h in group:
        group_by_unit[(h.unit_code, h.locality)] += 1
        if h.member_id in present:
            by_unit[(h.unit_code, h.locality)] += 1
    return Attendance(len(group), sum(by_unit.values()), by_unit, group_by_unit)


def queue_sizes(source) -> dict[str, int]:
    """Open quarantine rows and undecided duplicate pairs: what the review screens list."""
    conn = dbapi_of(source)
    quarantine = conn.execute("SELECT count(*) FROM quarantinerow WHERE state = 'open'").fetchone()[0]
    duplicates = conn.execute("SELECT count(*) FROM matchdecision WHERE decision = 'UNDECIDED'").fetchone()[0]
    return {"quarantine": int(quarantine), "duplicates": int(duplicates)}
