"""The readiness report read over a bare SQLCipher connection (the app's start-up path) is the same
report as through the ORM session, and that path never loads SQLAlchemy."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import asdict

import pytest

from partyledger.errors import WrongPassphrase
from partyledger.ledger.members import reads
from partyledger.ledger.members.campaign import get_campaign
from partyledger.ledger.members.reads import attendance
from partyledger.ledger.storage import db, unlock
from partyledger.report import assess_readiness
from partyledger.rules import load_rules

from report.sample_ledger import AS_OF, PASSPHRASE


@pytest.fixture(scope="module")
def sample(sample_ledger_per_module):
    return sample_ledger_per_module


def test_report_over_a_bare_connection_equals_the_report_over_a_session(sample):
    rules = load_rules("KZ")
    engine = db.open_ledger(sample, PASSPHRASE)
    with db.session_scope(engine) as session:
        through_orm = assess_readiness(session, rules, as_of=AS_OF)
        orm_campaign = get_campaign(session)
        orm_attendance = attendance(session, AS_OF)
    engine.dispose()
    opened = unlock.unlock(sample, PASSPHRASE)
    try:
        bare = assess_readiness(opened.conn, rules, as_of=AS_OF)
        facts = reads.campaign_facts(opened.conn)
        bare_attendance = reads.attendance(opened.conn, AS_OF)
    finally:
        opened.close()
    assert asdict(bare) == asdict(through_orm)
    assert bare.duplicate_pairs == 1 and bare.initiative_group.congress_attended == 2   # the sample's facts
    assert {k: getattr(orm_campaign, k) for k in asdict(facts)} == asdict(facts)
    assert bare_attendance == orm_attendance


def test_a_wrong_passphrase_is_refused_before_any_read(sample):
    with pytest.raises(WrongPassphrase, match="wrong passphrase"):
        unlock.unlock(sample, "not the passphrase")


def test_the_start_up_path_imports_no_orm():
    """Importing SQLAlchemy and SQLModel costs ~0.35 s: the dashboard's first numbers must not wait for it."""
    code = ("import sys, partyledger.tui.prefetch, partyledger.ledger.storage.unlock, "
            "partyledger.ledger.members.reads, partyledger.report, partyledger.rules; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'sqlmodel', 'pydantic', 'alembic', 'textual'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_reads_through_a_session_see_what_it_has_not_flushed_yet():
    """Plain SQL skips the ORM's autoflush; a role added a moment ago must still count."""
    from datetime import date

    from partyledger.ledger.models import Role
    from partyledger.ledger.enums import RoleKind

    from report.builder import insert_members, member_row

    engine = db.memory_engine()
    with db.session_scope(engine) as session:
        (mid,) = insert_members(session, [member_row(born=date(1980, 5, 5))])
        session.add(Role(member_id=mid, kind=RoleKind.INITIATIVE_GROUP, since=date(2024, 1, 1)))
        assert [h.member_id for h in reads.role_holders(session, as_of=date(2024, 6, 1))] == [mid]
    engine.dispose()
