"""Build small real ledgers for report tests from plain descriptions (no mocks: the real tables).

``add_member`` writes a row the way the services would leave it (birth date and sex from a real,
checksum-valid IIN made with ``ledger.iin.make_iin`` from made-up dates), with switches to write the
broken rows that only a hand-edited or legacy ledger can hold (bad check digit, no birth date).
"""

from __future__ import annotations

import itertools
from datetime import date, datetime

from sqlalchemy import insert, select

from partyledger.ledger.cleaning import translit
from partyledger.ledger.cleaning.iin import make_iin
from partyledger.ledger.models import CongressCheckin, MatchDecision, Member, Role
from partyledger.ledger.enums import Decision, MemberStatus, RoleKind

_serial = itertools.count(1)


def new_iin(born: date, sex: str = "M") -> str:
    while True:
        try:
            return make_iin(born, sex, next(_serial) % 9000 + 1)
        except ValueError:
            continue


def _bad_checksum(iin: str) -> str:
    return iin[:11] + str((int(iin[11]) + 1) % 10)


def member_row(*, born: date, unit: str | None = "75", locality: str | None = None, joined: date | None = date(2023, 1, 1),
               status: str = "active", status_on: date | None = None, citizen: bool | None = True,
               other_party: bool | None = None, barred: bool | None = None, consent: bool = True,
               bad_checksum: bool = False, no_birth_date: bool = False, surname: str = "Тестов",
               given_name: str = "Арман", patronymic: str | None = None, sex: str = "M",
               address: str | None = None, iin: str | None = None) -> dict:
    """Column values for one ``member`` row; ``other_party``/``barred`` True mean the member declared it."""
    iin = iin or new_iin(born, sex)
    if bad_checksum:
        iin = _bad_checksum(iin)
    return dict(iin=iin, surname=surname, given_name=given_name, patronymic=patronymic,
                birth_date=None if no_birth_date else born, sex=sex, unit_code=unit, locality=locality,
                address=address, joined_on=joined, citizen=citizen,
                not_in_other_party=None if other_party is None else not other_party,
                not_barred=None if barred is None else not barred,
                signed_on=joined if consent else None, application_ref=f"A-{iin[-6:]}" if consent else None,
                status=MemberStatus(status), status_on=status_on,
                **translit.match_keys(surname, given_name, patronymic),
                created_at=datetime(2024, 1, 1), updated_at=datetime(2024, 1, 1))


def insert_members(session, rows: list[dict]) -> list[int]:
    """Insert through Core (as the importer does) and return the new ids in order."""
    for start in range(0, len(rows), 5000):
        session.execute(insert(Member), rows[start:start + 5000])
    session.flush()
    by_iin = {iin: mid for mid, iin in session.execute(select(Member.id, Member.iin))}
    return [by_iin[r["iin"]] for r in rows]


def give_role(session, member_id: int, kind: str, since: date | None = date(2023, 1, 1)) -> None:
    session.add(Role(member_id=member_id, kind=RoleKind(kind), since=since))


def check_in(session, member_id: int, at: datetime = datetime(2024, 3, 1, 10, 0), by: str = "test") -> None:
    session.add(CongressCheckin(member_id=member_id, checked_in_at=at, checked_in_by=by, in_person=True))


def pair(session, a: int, b: int, score: float = 95.0, decision: str = "undecided") -> None:
    lo, hi = min(a, b), max(a, b)
    session.add(MatchDecision(member_a_id=lo, member_b_id=hi, score=score, decision=Decision(decision)))
