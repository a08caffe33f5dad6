"""members per unit kept by triggers

Revision ID: 0006
Revises: 0005

The readiness report read its totals per (unit code, locality) from the whole ``ix_member_report_units``
index: ~125 ms on 1M members with a cold page cache (SQLCipher decrypts every page), the largest part of
the terminal app's first dashboard. ``member_tally`` keeps those counts, maintained by triggers on
``member`` so that no write path can skip them, and filled here from the members already stored.
The trigger texts are frozen copies of ``ledger/sqltext.py``'s; tests/unit/test_migrations.py checks
that a migrated ledger has the current ones.
"""
from alembic import op
import sqlalchemy as sa

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

TALLY_TRIGGERS = (
    "CREATE TRIGGER member_tally_insert AFTER INSERT ON member BEGIN INSERT INTO member_tally (unit_code, locality, n) VALUES (coalesce(new.unit_code, ''), coalesce(new.locality, ''), 1) ON CONFLICT (unit_code, locality) DO UPDATE SET n = n + 1; END",
    "CREATE TRIGGER member_tally_delete AFTER DELETE ON member BEGIN UPDATE member_tally SET n = n - 1 WHERE unit_code = coalesce(old.unit_code, '') AND locality = coalesce(old.locality, ''); END",
    "CREATE TRIGGER member_tally_update AFTER UPDATE OF unit_code, locality ON member WHEN old.unit_code IS NOT new.unit_code OR old.locality IS NOT new.locality BEGIN UPDATE member_tally SET n = n - 1 WHERE unit_code = coalesce(old.unit_code, '') AND locality = coalesce(old.locality, ''); INSERT INTO member_tally (unit_code, locality, n) VALUES (coalesce(new.unit_code, ''), coalesce(new.locality, ''), 1) ON CONFLICT (unit_code, locality) DO UPDATE SET n = n + 1; END",
)
TALLY_FILL_SQL = ("INSERT INTO member_tally (unit_code, locality, n) SELECT coalesce(unit_code, ''), coalesce(locality, ''), count(*) FROM member GROUP BY 1, 2")


def upgrade() -> None:
    op.create_table(
        'member_tally',
        sa.Column('unit_code', sa.String(), nullable=False),
        sa.Column('locality', sa.String(), nullable=False),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('unit_code', 'locality'),
    )
    op.execute(TALLY_FILL_SQL)
    for statement in TALLY_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    for name in ('member_tally_update', 'member_tally_delete', 'member_tally_insert'):
        op.execute(f'DROP TRIGGER IF EXISTS {name}')
    op.drop_table('member_tally')
