"""Read-only ledger queries in plain SQL on a DB-API connection: the campaign, role holders, congress
attendance and the review queues' sizes.

Why plain SQL: these are what the readiness report reads besides its counts (``report/counting.py``
already runs plain SQL), and the terminal app shows that report as its first screen. Written here
without SQLModel, the app unlocks and reads its dashboard while Textual starts, instead of first
spending ~0.35 s importing the ORM (``ledger/storage/unlock.py``). They are the only implementation:
``roles.holders`` calls them with the session's own connection.

Every function takes a ``source``: a SQLAlchemy ``Session`` (its connection, same transaction) or a
DB-API connection. Stored forms are SQLAlchemy's: enums by name, dates as ISO text.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, fields
from datetime import date, datetime

from partyledger.errors import NotFound
from partyledger.ledger.cleaning import eligibility
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


def rules_for_ledger(source, rules_dir=None):
    """The rule set of the ledger's own jurisdiction (its campaign row), from ``rules_dir`` or the
    shipped rules: the one place that decides which country's law and units apply to an open ledger.

    ``source`` is a ``Session`` or a DB-API connection, as for every function here.
    """
    from partyledger.rules import load_rules

    return load_rules(campaign_facts(source).jurisdiction, rules_dir)


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
    # why the holder does not count on the date (``ledger/cleaning/eligibility``), primary first; without the rules
    # only the status is known: None for an active member
    reasons: tuple[str, ...] | None = None

    @property
    def eligible(self) -> bool:
        """Counts on the date: no eligibility reason (or, when none was asked for, an active member)."""
        return self.active_member if self.reasons is None else not self.reasons


def holds_on(since: date | None, until: date | None, as_of: date | None) -> bool:
    """A role counts from ``since`` until the day before ``until``; ``as_of`` None means "now"."""
    if as_of is None:
        return until is None
    return (since is None or since <= as_of) and (until is None or until > as_of)


_HOLDER_COLUMNS = ("id", "iin", "surname", "given_name", "patronymic", "unit_code", "locality", "status",
                   "status_on", "birth_date", "joined_on", "citizen", "not_in_other_party", "not_barred",
                   "signed_on", "application_ref")
_HOLDERS_SQL = (f"SELECT {', '.join('m.' + c for c in _HOLDER_COLUMNS)}, r.kind, r.since, r.until "
                "FROM role AS r JOIN member AS m ON m.id = r.member_id")


def role_holders(source, kind: RoleKind | None = None, *, as_of: date | None = None,
                 rules: eligibility.Params | None = None) -> list[RoleHolder]:
    """Who holds a role on ``as_of`` (None: currently, i.e. not removed), ordered by kind and name.

    With ``rules`` (the eligibility parameters for ``as_of``) each holder carries the reasons they do
    not count: a role is held by a person, but only an eligible person counts toward the law's minimums.
    """
    sql, params = _HOLDERS_SQL, ()
    if kind is not None:
        sql, params = sql + " WHERE r.kind = ?", (kind.name,)
    out = []
    for values in dbapi_of(source).execute(sql, params):
        m = dict(zip(_HOLDER_COLUMNS, values))
        stored_kind, since, until = values[len(_HOLDER_COLUMNS):]
        since, until, status_on = _day(since), _day(until), _day(m["status_on"])
        if not holds_on(since, until, as_of):
            continue
        gone = m["status"] != "ACTIVE" and (as_of is None or status_on is None or status_on <= as_of)
        name = " ".join(p for p in (m["surname"], m["given_name"], m["patronymic"]) if p)
        if rules is not None:
            why = tuple(eligibility.role_reasons(m, since, rules))
        else:                      # the status alone, so that a former member is never counted
            why = (f"status.{m['status'].lower()}",) if gone else None
        out.append(RoleHolder(m["id"], m["iin"], name, m["unit_code"], m["locality"], RoleKind[stored_kind], since,
                              not gone, why))
    return sorted(out, key=lambda h: (h.kind.value, h.full_name, h.iin))


@dataclass
class Attendance:
    """In-person attendance of the initiative group, per stored unit code (placed by the caller).

    Only group members who count (``RoleHolder.eligible``) are in ``attended`` and the per-unit counts;
    those checked in who do not count are in ``ineligible`` by primary reason.
    """

    group_size: int
    attended: int
    by_unit: Counter          # (unit_code, locality) -> eligible members attending in person
    group_by_unit: Counter    # (unit_code, locality) -> eligible group members
    checked_in: int = 0       # group members checked in, in person, eligible or not
    ineligible: Counter = field(default_factory=Counter)   # primary reason -> checked in but not counted


def attendance(source, as_of: date | None = None, holders: list[RoleHolder] | None = None) -> Attendance:
    """``holders``: ``role_holders`` on the same ``as_of`` when the caller already has them (the report)."""
    conn = dbapi_of(source)
    if holders is None:
        holders = role_holders(conn, RoleKind.INITIATIVE_GROUP, as_of=as_of)
    present = {mid for (mid,) in conn.execute("SELECT member_id FROM congresscheckin WHERE in_person = 1")}
    by_unit: Counter = Counter()
    group_by_unit: Counter = Counter()
    ineligible: Counter = Counter()
    checked_in = 0
    for h in holders:
        if h.kind is not RoleKind.INITIATIVE_GROUP:
            continue
        here = h.member_id in present
        checked_in += here
        if not h.eligible:
            if here:
                ineligible[h.reasons[0]] += 1
            continue
        group_by_unit[(h.unit_code, h.locality)] += 1
        if here:
            by_unit[(h.unit_code, h.locality)] += 1
    return Attendance(sum(group_by_unit.values()), sum(by_unit.values()), by_unit, group_by_unit, checked_in,
                      ineligible)


def checkin_times(source) -> dict[int, datetime]:
    """When each member checked in at the congress in person (member id -> time), for the attendance list."""
    rows = dbapi_of(source).execute("SELECT member_id, checked_in_at FROM congresscheckin WHERE in_person = 1")
    return {mid: at if isinstance(at, datetime) else datetime.fromisoformat(str(at)) for mid, at in rows}


def queue_sizes(source) -> dict[str, int]:
    """Open quarantine rows and undecided duplicate pairs: what the review screens list."""
    conn = dbapi_of(source)
    quarantine = conn.execute("SELECT count(*) FROM quarantinerow WHERE state = 'open'").fetchone()[0]
    duplicates = conn.execute("SELECT count(*) FROM matchdecision WHERE decision = 'UNDECIDED'").fetchone()[0]
    return {"quarantine": int(quarantine), "duplicates": int(duplicates)}


def active_per_stored_unit(source) -> list[tuple[str | None, int]]:
    """Active members per unit code as stored at entry, in code order (``partyledger demo`` prints it).

    Not the report's count: no eligibility, no re-placing of old codes on a date; what the ledger holds.
    """
    conn = dbapi_of(source)
    rows = conn.execute("SELECT unit_code, count(*) FROM member WHERE status = 'ACTIVE' "
                        "GROUP BY unit_code ORDER BY unit_code").fetchall()
    return [(code, int(count)) for code, count in rows]
