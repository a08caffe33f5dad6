"""SQLModel models of the ledger (DESIGN.md section 3).

Data models validate, table models store: ``MemberBase`` holds the shared member fields,
``MemberDraft`` is what importers and forms produce, and rows are built with
``Member.model_validate(draft)``. Table models are never subclassed.

Dates are ``date``; moments are naive UTC ``datetime``, annotated ``NaiveDatetime`` because
SQLModel >= 0.0.50 maps a bare ``datetime`` to ``UTCDateTime``, which refuses naive values. JSON columns hold small dicts/lists
(raw cells, before/after snapshots) as text so the schema stays portable to PostgreSQL.
Indexes that reports and searches depend on are declared here, so the migration carries them.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any, Optional

from pydantic import NaiveDatetime
from sqlalchemy import JSON, Column, Index, UniqueConstraint, event, text
from sqlmodel import Field, SQLModel

# The enums and the report's index texts live in modules without SQLModel (the app's start-up path reads
# the dashboard without the ORM: ledger/members/reads.py); import them from there, not from here.
from partyledger.ledger.enums import Decision, MemberStatus, RoleKind
from partyledger.ledger.sqltext import IIN_BAD_SQL, REPORT_COLUMNS, REPORT_FLAG_SQL, TALLY_TRIGGERS


class MemberBase(SQLModel):
    """Fields shared by drafts and stored members. Names are kept as written."""

    iin: str = Field(min_length=12, max_length=12)
    surname: str
    given_name: str
    patronymic: Optional[str] = None
    birth_date: Optional[date] = None          # derived from the IIN, cross-checked with the sheet
    sex: Optional[str] = None                  # "M" / "F", derived from the IIN
    unit_code: Optional[str] = None            # ISO 3166-2:KZ numeric code ("75"), resolved at entry
    region_text: Optional[str] = None          # the region as written, to re-resolve by date
    locality: Optional[str] = None
    address: Optional[str] = None
    phone: Optional[str] = None                # E.164
    email: Optional[str] = None
    joined_on: Optional[date] = None
    application_ref: Optional[str] = None      # consent evidence: signed application number
    signed_on: Optional[date] = None
    citizen: Optional[bool] = None             # declarations; None = not stated
    not_in_other_party: Optional[bool] = None
    not_barred: Optional[bool] = None
    status: MemberStatus = MemberStatus.ACTIVE
    status_on: Optional[date] = None
    status_reason: Optional[str] = None


class MemberDraft(MemberBase):
    """What a form or an importer hands to the service layer, already normalised."""


class Member(MemberBase, table=True):
    # The readiness report (report/readiness.py) counts 1M members within 3x a bare GROUP BY by reading
    # only indexes: totals from ix_member_report_units (unit, locality), reasons from the small partial
    # index ix_member_report_flagged, late joiners, minors and recent sign-ups through the two covering
    # date indexes (a rowid lookup per row cost ~30 us on 1M encrypted members).
    __table_args__ = (
        Index("ix_member_name_key", "name_key", "id"),
        Index("ix_member_given_key", "given_key", "id"),
        Index("ix_member_report_units", "unit_code", "locality"),
        Index("ix_member_report_joined", "joined_on", "unit_code", "locality", "status", "status_on", "birth_date"),
        Index("ix_member_report_birth", "birth_date", "unit_code", "locality", "status", "status_on", "joined_on"),
        Index("ix_member_report_flagged", *REPORT_COLUMNS,
              sqlite_where=text(REPORT_FLAG_SQL), postgresql_where=text(REPORT_FLAG_SQL)),
        # rows with a broken IIN (normally none: the services refuse them), so the report never evaluates
        # the check digit over the flagged rows (measured ~90 ms on 1M members)
        Index("ix_member_report_bad_iin", *REPORT_COLUMNS[:-1],
              sqlite_where=text(IIN_BAD_SQL), postgresql_where=text(IIN_BAD_SQL)),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    iin: str = Field(min_length=12, max_length=12, unique=True, index=True)
    name_key: str = ""        # match keys from translit.match_keys: "surname given patronymic" in Latin,
    given_key: str = ""       # and given name first ("given surname patronymic") to search by given name
    batch_id: Optional[int] = Field(default=None, foreign_key="importbatch.id", index=True)
    source_row: Optional[int] = None
    created_at: NaiveDatetime = Field(default_factory=datetime.utcnow)
    updated_at: NaiveDatetime = Field(default_factory=datetime.utcnow)
    row_hash: Optional[str] = None   # keyed hash of the row as stored (ledger/storage/seal.py); verify recomputes it


class MemberTally(SQLModel, table=True):
    """Members per stored (unit code, locality), kept by the triggers in ``sqltext.TALLY_TRIGGERS``.

    The readiness report's totals come from here (see sqltext.py for why); NULL is stored as ''.
    """

    __tablename__ = "member_tally"
    unit_code: str = Field(default="", primary_key=True)
    locality: str = Field(default="", primary_key=True)
    n: int = 0


def _create_tally_triggers(target, connection, **kw) -> None:   # noqa: ANN001 - SQLAlchemy DDL event
    """``create_all`` (memory ledgers in tests) gets the same triggers as migration 0006 (the body's
    ``member_tally`` may be created after ``member``: SQLite resolves it when the trigger fires)."""
    for statement in TALLY_TRIGGERS:
        connection.exec_driver_sql(statement)


event.listen(Member.__table__, "after_create", _create_tally_triggers)


class Role(SQLModel, table=True):
    """Membership of the initiative group or the organising committee, from a date."""

    __table_args__ = (UniqueConstraint("member_id", "kind"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    kind: RoleKind
    since: Optional[date] = None
    until: Optional[date] = None


class CongressCheckin(SQLModel, table=True):
    """Personal attendance at the founding congress (proxies are not allowed by law)."""

    id: Optional[int] = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", unique=True, index=True)
    checked_in_at: NaiveDatetime = Field(default_factory=datetime.utcnow)
    checked_in_by: str = ""
    in_person: bool = True


class Campaign(SQLModel, table=True):
    """The party being formed and the key dates that start the legal clocks."""

    id: Optional[int] = Field(default=None, primary_key=True)
    party_name: str = ""
    jurisdiction: str = "KZ"
    safety_factor: float = 1.2
    require_consent: bool = False
    initiative_group_formed_on: Optional[date] = None
    notification_filed_on: Optional[date] = None
    notification_confirmed_on: Optional[date] = None
    congress_held_on: Optional[date] = None
    documents_filed_on: Optional[date] = None
    registered_on: Optional[date] = None


class BatchState(str, Enum):
    PREVIEWED = "previewed"
    COMMITTED = "committed"
    UNDONE = "undone"


class ImportBatch(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    file_name: str
    sha256: str = Field(index=True)
    sheet: Optional[str] = None
    mapping: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    options: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    counts: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    started_at: NaiveDatetime = Field(default_factory=datetime.utcnow)
    finished_at: Optional[NaiveDatetime] = None
    state: BatchState = BatchState.PREVIEWED


class BatchChange(SQLModel, table=True):
    """What a batch did to one member, with before/after so ``undo`` restores it exactly."""

    id: Optional[int] = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="importbatch.id", index=True)
    member_id: Optional[int] = Field(default=None, index=True)
    action: str                                   # "created" | "updated"
    before: Optional[dict[str, Any]] = Field(default=None, sa_column=Column(JSON))
    after: Optional[dict[str, Any]] = Field(default=None, sa_column=Column(JSON))


class ImportConflict(SQLModel, table=True):
    """An incoming value that differs from the stored one for an existing IIN: never overwritten silently."""

    id: Optional[int] = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="importbatch.id", index=True)
    member_id: int = Field(index=True)
    field: str
    current_value: Optional[str] = None
    incoming_value: Optional[str] = None
    state: str = "open"                           # "open" | "accepted" | "rejected"


class QuarantineRow(SQLModel, table=True):
    """A row that could not become a member, kept whole with its reasons until fixed."""

    id: Optional[int] = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="importbatch.id", index=True)
    row_number: int
    raw: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    issue_codes: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    state: str = "open"                           # "open" | "promoted" | "discarded"
    promoted_member_id: Optional[int] = None


class RegionAlias(SQLModel, table=True):
    """The organizer's own name for a unit: region text as their sheets write it (folded) -> unit code.

    Kept apart from the catalogue in ``rules/`` (the law's names): it is this party's spelling, made by
    ``partyledger quarantine map`` and read by every later import of this ledger."""

    id: Optional[int] = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)      # rules.textkey.place_key of the text
    text: str                                      # the text as the organizer first mapped it
    unit_code: str
    created_at: NaiveDatetime = Field(default_factory=datetime.utcnow)
    updated_at: NaiveDatetime = Field(default_factory=datetime.utcnow)


class SourceMapping(SQLModel, table=True):
    """A column mapping remembered per source, keyed by its normalised header names."""

    id: Optional[int] = Field(default=None, primary_key=True)
    header_signature: str = Field(unique=True, index=True)
    mapping: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    updated_at: NaiveDatetime = Field(default_factory=datetime.utcnow)


class MatchDecision(SQLModel, table=True):
    """A candidate duplicate pair (member_a_id < member_b_id) and the organizer's decision."""

    __table_args__ = (UniqueConstraint("member_a_id", "member_b_id"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    member_a_id: int = Field(index=True)
    member_b_id: int = Field(index=True)
    iin_a: str = ""
    iin_b: str = ""
    score: float = 0.0
    reasons: list[Any] = Field(default_factory=list, sa_column=Column(JSON))
    decision: Decision = Decision.UNDECIDED
    decided_at: Optional[NaiveDatetime] = None


class Merge(SQLModel, table=True):
    """A merge of two members; ``absorbed`` holds the absorbed record whole so it can be undone."""

    id: Optional[int] = Field(default=None, primary_key=True)
    kept_member_id: int = Field(index=True)
    absorbed: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    kept_before: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    conflicts: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    merged_at: NaiveDatetime = Field(default_factory=datetime.utcnow)
    undone_at: Optional[NaiveDatetime] = None


class AuditEvent(SQLModel, table=True):
    """Append-only, hash-chained log of every change: tampering breaks the chain."""

    id: Optional[int] = Field(default=None, primary_key=True)
    at: NaiveDatetime = Field(default_factory=datetime.utcnow)
    actor: str = ""
    action: str
    entity: str
    entity_id: Optional[str] = Field(default=None, index=True)
    before: Optional[dict[str, Any]] = Field(default=None, sa_column=Column(JSON))
    after: Optional[dict[str, Any]] = Field(default=None, sa_column=Column(JSON))
    prev_hash: str = ""
    hash: str = ""


class LedgerSeal(SQLModel, table=True):
    """One row: the secret that keys ``member.row_hash``, and the last audit event (ledger/storage/seal.py)."""

    __tablename__ = "ledger_seal"
    id: Optional[int] = Field(default=None, primary_key=True)
    secret: str = ""
    audit_head_id: Optional[int] = None
    audit_head_hash: str = ""


class Setting(SQLModel, table=True):
    """Small key/value settings stored inside the encrypted ledger (idle lock minutes, ...)."""

    key: str = Field(primary_key=True)
    value: str = ""
