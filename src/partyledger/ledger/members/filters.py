"""How the members list applies a unit or status filter: through the filter's index, or checked row by
row while the page's own order is walked.

A page is ``limit`` rows in an index order (entry order, name, IIN, or a search range). A filter can
be served two ways, and on a big ledger the wrong one freezes the members screen:

- **through its index** (``id IN (SELECT id ... INDEXED BY ...)`` over ``ix_member_report_units``, or
  over the partial ``ix_member_report_flagged`` for a non-active status; the subquery names the index
  because the planner would otherwise walk the rowid order to spare a sort): every matching member is
  read, then sorted for the page.
  Cheap when few match; 0.4-1.0 s on 1M members for a unit of 50,000 or 40,000 withdrawn members.
- **walked** (``+unit_code = ?``: the unary plus keeps SQLite from using an index for it): the order's
  index is read in order and each row checked, about ``limit x members / matches`` rows. 1-30 ms for a
  big unit; a walk of the whole ledger (9 s on 1M) for a unit with no members.

SQLite has no statistics to choose (without them it took the unit index even for a 50,000-member
unit), so the choice is made here from exact counts: ``member_tally`` per unit, and a count over the
small flagged index for non-active statuses. A filter is walked when its matches exceed
``sqrt(limit x members)``, where walking reads fewer rows than sorting the matches. Two filters
together are estimated as independent; the smaller one is indexed when the estimate is small.
"""

from __future__ import annotations

import math

from sqlalchemy import text

from partyledger.ledger.enums import MemberStatus
from partyledger.ledger.sqltext import REPORT_FLAG_SQL


def _count(session, sql: str, **params) -> int:
    return int(session.execute(text(sql), params).scalar() or 0)


def _members(session) -> int:
    return _count(session, "SELECT sum(n) FROM member_tally")


def _unit_members(session, unit: str) -> int:
    return _count(session, "SELECT sum(n) FROM member_tally WHERE unit_code = :unit", unit=unit)


def _status_members(session, status: MemberStatus, total: int) -> int:
    """Exact, from the partial index that holds every non-active member (a few ms on 1M)."""
    if status is MemberStatus.ACTIVE:
        return total - _count(session, f"SELECT count(*) FROM member WHERE status != 'ACTIVE' AND {REPORT_FLAG_SQL}")
    return _count(session, f"SELECT count(*) FROM member WHERE status = :status AND {REPORT_FLAG_SQL}",
                  status=status.name)


def _unit_condition(unit: str, indexed: bool):
    if indexed:
        return text("member.id IN (SELECT id FROM member INDEXED BY ix_member_report_units "
                    "WHERE unit_code = :filter_unit)").bindparams(filter_unit=unit)
    return text("+member.unit_code = :filter_unit").bindparams(filter_unit=unit)


def _status_condition(status: MemberStatus, indexed: bool):
    if indexed and status is not MemberStatus.ACTIVE:     # every non-active member is in the partial index
        return text("member.id IN (SELECT id FROM member INDEXED BY ix_member_report_flagged "
                    f"WHERE status = :filter_status AND {REPORT_FLAG_SQL})").bindparams(filter_status=status.name)
    return text("+member.status = :filter_status").bindparams(filter_status=status.name)


def filter_conditions(session, *, unit: str | None, status: MemberStatus | None, limit: int) -> list:
    """WHERE conditions for the unit and status filters, each indexed or walked (see the module docstring)."""
    if not unit and status is None:
        return []
    total = _members(session)
    walk_above = math.sqrt(max(1, limit) * max(1, total))
    unit_n = _unit_members(session, unit) if unit else None
    status_n = _status_members(session, status, total) if status is not None else None
    if unit_n is not None and status_n is not None:
        together = unit_n * status_n / max(1, total)
        if together > walk_above:
            return [_unit_condition(unit, False), _status_condition(status, False)]
        by_unit = unit_n <= status_n or status is MemberStatus.ACTIVE
        return [_unit_condition(unit, by_unit), _status_condition(status, not by_unit)]
    if unit_n is not None:
        return [_unit_condition(unit, unit_n <= walk_above)]
    return [_status_condition(status, status_n <= walk_above)]
