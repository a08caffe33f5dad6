"""Member by member: who counts on a date and, for those who do not, every reason (primary first).

Only for outputs that must name people (the exclusions sheet, the filing lists), so it is a paged
keyset scan over the ledger, run only when asked; the readiness counts never come from here. The rules
are the Python form of ``ledger/cleaning/eligibility.py``, whose SQL form the counts run; tests check that both agree.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Iterator

from partyledger.ledger.cleaning import eligibility as el
from partyledger.ledger.dedupe.thresholds import HIGH_CONFIDENCE
from partyledger.ledger.members.reads import campaign_facts, dbapi_of
from partyledger.progress import ProgressCallback, check_cancel, report
from partyledger.report.counting import _duplicates, place, run

if TYPE_CHECKING:
    from partyledger.report.readiness import Source
    from partyledger.rules.model import RuleSet

_COLUMNS = ("id", "iin", "surname", "given_name", "patronymic", "birth_date", "unit_code", "locality", "address",
            "joined_on", "status", "status_on", "citizen", "not_in_other_party", "not_barred", "signed_on",
            "application_ref")
_PAGE_SQL = f"SELECT {', '.join(_COLUMNS)} FROM member WHERE id > :after ORDER BY id LIMIT :limit"


@dataclass(frozen=True)
class MemberVerdict:
    member_id: int
    iin: str
    full_name: str
    birth_date: date | None
    unit_code: str | None        # the unit in force on the date (None when it cannot be placed)
    stored_unit: str | None
    locality: str | None
    address: str | None
    joined_on: date | None
    reasons: tuple[str, ...]     # empty: counts
    # the name's parts and the signed application, for lists that print them in their own columns
    surname: str = ""
    given_name: str = ""
    patronymic: str | None = None
    application_ref: str | None = None
    signed_on: date | None = None

    @property
    def counts(self) -> bool:
        return not self.reasons

    @property
    def residence(self) -> str:
        return ", ".join(p for p in (self.locality, self.address) if p)


def _date(value: object) -> date | None:
    return None if value is None else (value if isinstance(value, date) else date.fromisoformat(str(value)))


def member_verdicts(source: Source, rules: RuleSet, *, as_of: date, require_consent: bool | None = None,
                    page: int = 2000, on_progress: ProgressCallback | None = None,
                    cancel: threading.Event | None = None) -> Iterator[MemberVerdict]:
    """Every member in id order with the reasons they do not count on ``as_of`` (none = counts).

    ``source``: a ``Session`` or a DB-API connection (``reads.dbapi_of``)."""
    snapshot = rules.at(as_of)
    conn = dbapi_of(source)
    campaign = campaign_facts(conn)
    consent = bool(campaign.require_consent if require_consent is None else require_consent)
    p = el.Params.of(snapshot, as_of, consent)
    duplicates, _ = _duplicates(conn, p.sql(), HIGH_CONFIDENCE)
    total = run(conn, "SELECT count(*) FROM member", {})[0][0]
    after, done = 0, 0
    while True:
        rows = run(conn, _PAGE_SQL, {"after": after, "limit": page})
        if not rows:
            break
        for values in rows:
            row = dict(zip(_COLUMNS, values))
            reasons = el.reasons(row, p)
            if not reasons and row["id"] in duplicates:
                reasons.append("duplicate.candidate")
            code, status = place(rules, row["unit_code"], row["locality"], as_of)
            if code is None:
                reasons.append(f"unit.{status}")
            name = " ".join(str(row[k]) for k in ("surname", "given_name", "patronymic") if row[k])
            yield MemberVerdict(row["id"], row["iin"], name, _date(row["birth_date"]), code, row["unit_code"],
                                row["locality"], row["address"], _date(row["joined_on"]), tuple(reasons),
                                row["surname"], row["given_name"], row["patronymic"], row["application_ref"],
                                _date(row["signed_on"]))
        after = rows[-1][0]
        done += len(rows)
        report(on_progress, done, total, "checking members one by one")
        check_cancel(cancel)
