"""report covering indexes

Revision ID: 0003
Revises: 0002

The readiness report reads 1M members from indexes alone (models.py, report/readiness.py): the two
single-column date indexes become covering indexes (a rowid lookup per row cost ~30 us under
encryption), the unit index is narrowed to (unit, locality), and a new partial index holds only rows
whose IIN check digit is wrong (normally none). Its WHERE is a frozen copy of ``sqltext.IIN_BAD_SQL``
at this revision; the report repeats that exact text so SQLite uses the index, and
tests/unit/test_migrations.py checks the two still agree.
"""
from alembic import op
import sqlalchemy as sa

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

IIN_BAD_SQL = (
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
    ' != CAST(substr(iin, 12, 1) AS INTEGER))'
)
BAD_IIN_COLUMNS = ['unit_code', 'locality', 'status', 'status_on', 'birth_date', 'joined_on', 'citizen',
                   'not_in_other_party', 'not_barred', 'signed_on', 'application_ref']


def upgrade() -> None:
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_index('ix_member_birth_date')
        batch_op.drop_index('ix_member_joined_on')
        batch_op.drop_index('ix_member_unit_status')
        batch_op.create_index('ix_member_report_units', ['unit_code', 'locality'], unique=False)
        batch_op.create_index('ix_member_report_joined',
                              ['joined_on', 'unit_code', 'locality', 'status', 'status_on', 'birth_date'], unique=False)
        batch_op.create_index('ix_member_report_birth',
                              ['birth_date', 'unit_code', 'locality', 'status', 'status_on', 'joined_on'], unique=False)
        batch_op.create_index('ix_member_report_bad_iin', BAD_IIN_COLUMNS, unique=False,
                              sqlite_where=sa.text(IIN_BAD_SQL), postgresql_where=sa.text(IIN_BAD_SQL))


def downgrade() -> None:
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_index('ix_member_report_bad_iin')
        batch_op.drop_index('ix_member_report_birth')
        batch_op.drop_index('ix_member_report_joined')
        batch_op.drop_index('ix_member_report_units')
        batch_op.create_index('ix_member_unit_status', ['unit_code', 'locality', 'status'], unique=False)
        batch_op.create_index('ix_member_joined_on', ['joined_on'], unique=False)
        batch_op.create_index('ix_member_birth_date', ['birth_date'], unique=False)
