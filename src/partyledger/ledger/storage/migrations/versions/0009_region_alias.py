"""the organizer's region aliases (region text -> unit), made by ``quarantine map``

Revision ID: 0009
Revises: 0008

A new table only: no existing row changes, so nothing is resealed. The folded key is unique, so one
spelling names one unit; the downgrade drops the table (the aliases' audit events stay in the chain).
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'regionalias',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('unit_code', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_regionalias_key'), 'regionalias', ['key'], unique=True)


def downgrade() -> None:
    op.drop_index(op.f('ix_regionalias_key'), table_name='regionalias')
    op.drop_table('regionalias')
