"""given-name search key

Revision ID: 0004
Revises: 0003

Organizers search for members by given name too ("Әлібек", "alibek"), and ``name_key`` starts with
the surname, so a prefix range on it cannot find them. ``given_key`` holds the same
script-independent key with the given name first, indexed with ``id``. Existing rows are filled in
here with ``translit.given_first_key`` (the one place where the key is defined), in chunks.
"""
from alembic import op
import sqlalchemy as sa

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    from partyledger.ledger.cleaning.translit import given_first_key

    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('given_key', sa.String(), nullable=False, server_default=''))
    conn = op.get_bind()
    last = 0
    while True:
        rows = conn.execute(sa.text("SELECT id, surname, given_name, patronymic FROM member WHERE id > :last "
                                    "ORDER BY id LIMIT 5000"), {"last": last}).all()
        if not rows:
            break
        conn.execute(sa.text("UPDATE member SET given_key = :k WHERE id = :id"),
                     [{"k": given_first_key(s, g, p), "id": i} for i, s, g, p in rows])
        last = rows[-1][0]
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.create_index('ix_member_given_key', ['given_key', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_index('ix_member_given_key')
        batch_op.drop_column('given_key')
