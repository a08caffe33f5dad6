"""member row seal and stored audit head

Revision ID: 0007
Revises: 0006

``verify`` could see only the audit log: a member row edited or deleted with plain SQL, or the last
audit events deleted, passed. ``member.row_hash`` is a keyed hash of each row as stored, and
``ledger_seal`` holds the per-ledger secret that keys it and the (id, hash) of the last audit event
(ledger/storage/seal.py says why). Existing ledgers get a new secret, every member row sealed here in chunks
(with ``seal.mac``, the one definition of the hash, over this revision's frozen column list), and
the current last event as the head: from now on, what they hold is what ``verify`` checks against.
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

SEALED = ("id", "iin", "surname", "given_name", "patronymic", "birth_date", "sex", "unit_code", "region_text",
          "locality", "address", "phone", "email", "joined_on", "application_ref", "signed_on", "citizen",
          "not_in_other_party", "not_barred", "status", "status_on", "status_reason", "name_key", "surname_key",
          "given_key", "batch_id", "source_row", "created_at", "updated_at")


def upgrade() -> None:
    from partyledger.ledger.storage.seal import mac, new_secret

    op.add_column('member', sa.Column('row_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    op.create_table(
        'ledger_seal',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('secret', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('audit_head_id', sa.Integer(), nullable=True),
        sa.Column('audit_head_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    conn = op.get_bind()
    secret = new_secret()
    last = conn.exec_driver_sql("SELECT id, hash FROM auditevent ORDER BY id DESC LIMIT 1").first()
    conn.exec_driver_sql("INSERT INTO ledger_seal (id, secret, audit_head_id, audit_head_hash) VALUES (1, ?, ?, ?)",
                         (secret, last[0] if last else None, last[1] if last else ""))
    key = bytes.fromhex(secret)
    after = 0
    while True:
        rows = conn.exec_driver_sql(f"SELECT {', '.join(SEALED)} FROM member WHERE id > ? ORDER BY id LIMIT 5000",
                                    (after,)).all()
        if not rows:
            break
        conn.exec_driver_sql("UPDATE member SET row_hash = ? WHERE id = ?", [(mac(key, r), r[0]) for r in rows])
        after = rows[-1][0]


def downgrade() -> None:
    op.drop_table('ledger_seal')
    op.drop_column('member', 'row_hash')
