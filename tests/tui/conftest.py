"""Real encrypted ledgers for the terminal-app tests (fast KDF from tests/conftest.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from partyledger.ledger.storage.db import create_ledger, session_scope
from partyledger.synthetic import Person, make_people

PASSPHRASE = "correct horse battery"
TODAY = date(2026, 11, 25)


def add_people(engine, people: list[Person]) -> None:
    """Store synthetic people through the member service, as the form would."""
    from partyledger.ledger.members import service
    from partyledger.ledger.models import MemberDraft

    with session_scope(engine) as session:
        for p in people:
            service.add_member(session, MemberDraft(
                iin=p.iin, surname=p.surname, given_name=p.given_name, patronymic=p.patronymic,
                birth_date=p.birth_date, sex=p.sex, unit_code=p.unit_code, locality=p.locality,
                phone=p.phone, joined_on=p.joined_on, citizen=True, not_in_other_party=True, not_barred=True))


@pytest.fixture
def ledger_path(tmp_path: Path) -> Path:
    path = tmp_path / "ledger.db"
    create_ledger(path, PASSPHRASE, party_name="Test party", fast_kdf=True).dispose()
    return path


@pytest.fixture
def people() -> list[Person]:
    return make_people(60, seed=7, as_of=date(2026, 11, 1))


@pytest.fixture
def filled_ledger(tmp_path: Path, people: list[Person]) -> Path:
    path = tmp_path / "filled.db"
    engine = create_ledger(path, PASSPHRASE, party_name="Test party", fast_kdf=True)
    try:
        add_people(engine, people)
    finally:
        engine.dispose()
    return path
