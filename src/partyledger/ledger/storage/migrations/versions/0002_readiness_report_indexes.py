"""readiness report indexes

Revision ID: 0002
Revises: 0001

The readiness report counts members from indexes alone (report/readiness.py, models.py): the unit
index now carries the locality (to re-place members whose unit changed by date), two date indexes
serve late joiners and minors, and a small partial covering index holds only the members who may be
out of the count. Its WHERE is a frozen copy of ``sqltext.REPORT_FLAG_SQL`` as of this revision: the
report repeats that exact text so SQLite's planner can use the partial index, and a migration must
not change meaning when models.py changes later (tests/unit/test_migrations.py checks they agree).
"""
from alembic import op
import sqlalchemy as sa

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

REPORT_FLAG_SQL = (
    "(status != 'ACTIVE' OR birth_date IS NULL OR citizen = 0 OR not_in_other_party = 0 OR not_barred"
    " = 0 OR (signed_on IS NULL AND (application_ref IS NULL OR application_ref = '')) OR "
    '(length(iin) != 12 OR (CASE WHEN (1 * CAST(substr(iin, 1, 1) AS INTEGER) + 2 * CAST(substr(iin, '
    '2, 1) AS INTEGER) + 3 * CAST(substr(iin, 3, 1) AS INTEGER) + 4 * CAST(substr(iin, 4, 1) AS '
    'INTEGER) + 5 * CAST(substr(iin, 5, 1) AS INTEGER) + 6 * CAST(substr(iin, 6, 1) AS INTEGER) + 7 *'
    ' CAST(substr(iin, 7, 1) AS INTEGER) + 8 * CAST(substr(iin, 8, 1) AS INTEGER) + 9 * '
    'CAST(substr(iin, 9, 1) AS INTEGER) + 10 * CAST(substr(iin, 10, 1) AS INTEGER) + 11 * '
    'CAST(substr(iin, 11, 1) AS INTEGER)) % 11 != 10 THEN (1 * CAST(substr(iin, 1, 1) AS INTEGER) + 2'
    ' * CAST(substr(iin, 2, 1) AS INTEGER) + 3 * CAST(substr(iin, 3, 1) AS INTEGER) + 4 * '
    'CAST(substr(iin, 4, 1) AS INTEGER) + 5 * CAST(substr(iin, 5, 1) AS INTEGER) + 6 * '
    'CAST(substr(iin, 6, 1) AS INTEGER) + 7 * CAST(substr(iin, 7, 1) AS INTEGER) + 8 * '
    'CAST(substr(iin, 8, 1) AS INTEGER) + 9 * CAST(substr(iin, 9, 1) AS INTEGER) + 10 * '
    'CAST(substr(iin, 10, 1) AS INTEGER) + 11 * CAST(substr(iin, 11, 1) AS INTEGER)) % 11 WHEN (3 * '
    'CAST(substr(iin, 1, 1) AS INTEGER) + 4 * CAST(substr(iin, 2, 1) AS INTEGER) + 5 * '
    'CAST(substr(iin, 3, 1) AS INTEGER) + 6 * CAST(substr(iin, 4, 1) AS INTEGER) + 7 * '
    'CAST(substr(iin, 5, 1) AS INTEGER) + 8 * CAST(substr(iin, 6, 1) AS INTEGER) + 9 * '
    'CAST(substr(iin, 7, 1) AS INTEGER) + 10 * CAST(substr(iin, 8, 1) AS INTEGER) + 11 * '
    'CAST(substr(iin, 9, 1) AS INTEGER) + 1 * CAST(substr(iin, 10, 1) AS INTEGER) + 2 * '
    'CAST(substr(iin, 11, 1) AS INTEGER)) % 11 != 10 THEN (3 * CAST(substr(iin, 1, 1) AS INTEGER) + 4'
    ' * CAST(substr(iin, 2, 1) AS INTEGER) + 5 * CAST(substr(iin, 3, 1) AS INTEGER) + 6 * '
    'CAST(substr(iin, 4, 1) AS INTEGER) + 7 * CAST(substr(iin, 5, 1) AS INTEGER) + 8 * '
    'CAST(substr(iin, 6, 1) AS INTEGER) + 9 * CAST(substr(iin, 7, 1) AS INTEGER) + 10 * '
    'CAST(substr(iin, 8, 1) AS INTEGER) + 11 * CAST(substr(iin, 9, 1) AS INTEGER) + 1 * '
    'CAST(substr(iin, 10, 1) AS INTEGER) + 2 * CAST(substr(iin, 11, 1) AS INTEGER)) % 11 ELSE -1 END)'
    ' != CAST(substr(iin, 12, 1) AS INTEGER)))'
)
REPORT_COLUMNS = ['unit_code', 'locality', 'status', 'status_on', 'birth_date', 'joined_on', 'citizen',
                  'not_in_other_party', 'not_barred', 'signed_on', 'application_ref', 'iin']


def upgrade() -> None:
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_index('ix_member_unit_status')
        batch_op.create_index('ix_member_unit_status', ['unit_code', 'locality', 'status'], unique=False)
        batch_op.create_index('ix_member_birth_date', ['birth_date'], unique=False)
        batch_op.create_index('ix_member_joined_on', ['joined_on'], unique=False)
        batch_op.create_index('ix_member_report_flagged', REPORT_COLUMNS, unique=False,
                              sqlite_where=sa.text(REPORT_FLAG_SQL), postgresql_where=sa.text(REPORT_FLAG_SQL))


def downgrade() -> None:
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_index('ix_member_report_flagged')
        batch_op.drop_index('ix_member_joined_on')
        batch_op.drop_index('ix_member_birth_date')
        batch_op.drop_index('ix_member_unit_status')
        batch_op.create_index('ix_member_unit_status', ['unit_code', 'status', 'birth_date', 'joined_on'],
                              unique=False)
