"""initial schema: every table and index of models.py as of the first release

Generated with ``alembic revision --autogenerate`` against ``SQLModel.metadata`` and checked by hand
(tables in foreign-key order, every index of ``Member.__table_args__`` present). Enum columns store
the member names ('ACTIVE', 'WITHDRAWN', ...), as SQLAlchemy's ``Enum`` does by default.
tests/unit/test_migrations.py asserts that the migrated schema equals the models.

Revision ID: 0001
Revises: 
Create Date: 2026-11-25 17:38:28.488974
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('auditevent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('entity', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('entity_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('prev_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('hash', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('auditevent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_auditevent_entity_id'), ['entity_id'], unique=False)

    op.create_table('campaign',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('party_name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('jurisdiction', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('safety_factor', sa.Float(), nullable=False),
    sa.Column('require_consent', sa.Boolean(), nullable=False),
    sa.Column('initiative_group_formed_on', sa.Date(), nullable=True),
    sa.Column('notification_filed_on', sa.Date(), nullable=True),
    sa.Column('notification_confirmed_on', sa.Date(), nullable=True),
    sa.Column('congress_held_on', sa.Date(), nullable=True),
    sa.Column('documents_filed_on', sa.Date(), nullable=True),
    sa.Column('registered_on', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('importbatch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('file_name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('sheet', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('mapping', sa.JSON(), nullable=True),
    sa.Column('options', sa.JSON(), nullable=True),
    sa.Column('counts', sa.JSON(), nullable=True),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('state', sa.Enum('PREVIEWED', 'COMMITTED', 'UNDONE', name='batchstate'), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('importbatch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_importbatch_sha256'), ['sha256'], unique=False)

    op.create_table('matchdecision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_a_id', sa.Integer(), nullable=False),
    sa.Column('member_b_id', sa.Integer(), nullable=False),
    sa.Column('iin_a', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('iin_b', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=True),
    sa.Column('decision', sa.Enum('SAME', 'DIFFERENT', 'UNDECIDED', name='decision'), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('member_a_id', 'member_b_id')
    )
    with op.batch_alter_table('matchdecision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_matchdecision_member_a_id'), ['member_a_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_matchdecision_member_b_id'), ['member_b_id'], unique=False)

    op.create_table('merge',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kept_member_id', sa.Integer(), nullable=False),
    sa.Column('absorbed', sa.JSON(), nullable=True),
    sa.Column('kept_before', sa.JSON(), nullable=True),
    sa.Column('conflicts', sa.JSON(), nullable=True),
    sa.Column('merged_at', sa.DateTime(), nullable=False),
    sa.Column('undone_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('merge', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_merge_kept_member_id'), ['kept_member_id'], unique=False)

    op.create_table('setting',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('value', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('sourcemapping',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('header_signature', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('mapping', sa.JSON(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('sourcemapping', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sourcemapping_header_signature'), ['header_signature'], unique=True)

    op.create_table('batchchange',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['importbatch.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('batchchange', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_batchchange_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_batchchange_member_id'), ['member_id'], unique=False)

    op.create_table('importconflict',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('field', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('current_value', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('incoming_value', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['importbatch.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('importconflict', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_importconflict_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_importconflict_member_id'), ['member_id'], unique=False)

    op.create_table('member',
    sa.Column('surname', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('given_name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('patronymic', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('sex', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('unit_code', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('region_text', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('locality', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('joined_on', sa.Date(), nullable=True),
    sa.Column('application_ref', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('signed_on', sa.Date(), nullable=True),
    sa.Column('citizen', sa.Boolean(), nullable=True),
    sa.Column('not_in_other_party', sa.Boolean(), nullable=True),
    sa.Column('not_barred', sa.Boolean(), nullable=True),
    sa.Column('status', sa.Enum('ACTIVE', 'WITHDRAWN', 'DECEASED', 'EXCLUDED', name='memberstatus'), nullable=False),
    sa.Column('status_on', sa.Date(), nullable=True),
    sa.Column('status_reason', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('iin', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('name_key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('surname_key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('source_row', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['importbatch.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_member_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_member_iin'), ['iin'], unique=True)
        batch_op.create_index('ix_member_name_key', ['name_key', 'id'], unique=False)
        batch_op.create_index('ix_member_surname_key', ['surname_key', 'id'], unique=False)
        batch_op.create_index('ix_member_unit_status', ['unit_code', 'status', 'birth_date', 'joined_on'], unique=False)

    op.create_table('quarantinerow',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('row_number', sa.Integer(), nullable=False),
    sa.Column('raw', sa.JSON(), nullable=True),
    sa.Column('issue_codes', sa.JSON(), nullable=True),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('promoted_member_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['importbatch.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('quarantinerow', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quarantinerow_batch_id'), ['batch_id'], unique=False)

    op.create_table('congresscheckin',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('checked_in_at', sa.DateTime(), nullable=False),
    sa.Column('checked_in_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('in_person', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('congresscheckin', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_congresscheckin_member_id'), ['member_id'], unique=True)

    op.create_table('role',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('INITIATIVE_GROUP', 'COMMITTEE', name='rolekind'), nullable=False),
    sa.Column('since', sa.Date(), nullable=True),
    sa.Column('until', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('member_id', 'kind')
    )
    with op.batch_alter_table('role', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_role_member_id'), ['member_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('role', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_role_member_id'))

    op.drop_table('role')
    with op.batch_alter_table('congresscheckin', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_congresscheckin_member_id'))

    op.drop_table('congresscheckin')
    with op.batch_alter_table('quarantinerow', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quarantinerow_batch_id'))

    op.drop_table('quarantinerow')
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_index('ix_member_unit_status')
        batch_op.drop_index('ix_member_surname_key')
        batch_op.drop_index('ix_member_name_key')
        batch_op.drop_index(batch_op.f('ix_member_iin'))
        batch_op.drop_index(batch_op.f('ix_member_batch_id'))

    op.drop_table('member')
    with op.batch_alter_table('importconflict', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_importconflict_member_id'))
        batch_op.drop_index(batch_op.f('ix_importconflict_batch_id'))

    op.drop_table('importconflict')
    with op.batch_alter_table('batchchange', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_batchchange_member_id'))
        batch_op.drop_index(batch_op.f('ix_batchchange_batch_id'))

    op.drop_table('batchchange')
    with op.batch_alter_table('sourcemapping', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sourcemapping_header_signature'))

    op.drop_table('sourcemapping')
    op.drop_table('setting')
    with op.batch_alter_table('merge', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_merge_kept_member_id'))

    op.drop_table('merge')
    with op.batch_alter_table('matchdecision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_matchdecision_member_b_id'))
        batch_op.drop_index(batch_op.f('ix_matchdecision_member_a_id'))

    op.drop_table('matchdecision')
    with op.batch_alter_table('importbatch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_importbatch_sha256'))

    op.drop_table('importbatch')
    op.drop_table('campaign')
    with op.batch_alter_table('auditevent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_auditevent_entity_id'))

    op.drop_table('auditevent')
