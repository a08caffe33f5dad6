"""drop member.surname_key, which no query reads

Revision ID: 0008
Revises: 0007

``surname_key`` held ``latin_key(surname)`` for a surname search, but search has always ranged over
``name_key`` (surname first, so a surname prefix is a prefix of it): no query read the column or its
index, and every write kept both up to date. Both go. What depended on the column is brought along in
the same transaction: every member row is resealed over the new column list (``seal.mac``, the one
definition of the hash, over this revision's frozen list), and the before/after copies an import kept
of the members it updated lose the key, so undoing an older batch restores only columns that exist.
The downgrade puts the column back, filled from the surname, and reseals over 0007's list (an undo of
an older batch on a downgraded ledger then leaves that one key as it is).
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

SEALED = ("id", "iin", "surname", "given_name", "patronymic", "birth_date", "sex", "unit_code", "region_text",
          "locality", "address", "phone", "email", "joined_on", "application_ref", "signed_on", "citizen",
          "not_in_other_party", "not_barred", "status", "status_on", "status_reason", "name_key", "given_key",
          "batch_id", "source_row", "created_at", "updated_at")
SEALED_0007 = ("id", "iin", "surname", "given_name", "patronymic", "birth_date", "sex", "unit_code", "region_text",
               "locality", "address", "phone", "email", "joined_on", "application_ref", "signed_on", "citizen",
               "not_in_other_party", "not_barred", "status", "status_on", "status_reason", "name_key",
               "surname_key", "given_key", "batch_id", "source_row", "created_at", "updated_at")


def _reseal(conn, columns: tuple[str, ...]) -> None:
    from partyledger.ledger.storage.seal import mac, secret_of

    key = secret_of(conn)
    if key is None:                 # no seal row: verify already reports that; nothing to reseal with
        return
    after = 0
    while True:
        rows = conn.exec_driver_sql(f"SELECT {', '.join(columns)} FROM member WHERE id > ? ORDER BY id LIMIT 5000",
                                    (after,)).all()
        if not rows:
            break
        conn.exec_driver_sql("UPDATE member SET row_hash = ? WHERE id = ?", [(mac(key, r), r[0]) for r in rows])
        after = rows[-1][0]


def upgrade() -> None:
    op.drop_index('ix_member_surname_key', table_name='member')
    op.drop_column('member', 'surname_key')
    op.execute("UPDATE batchchange SET \"before\" = json_remove(\"before\", '$.surname_key'), "
               "\"after\" = json_remove(\"after\", '$.surname_key') WHERE action = 'updated' "
               "AND (json_type(\"before\", '$.surname_key') IS NOT NULL "
               "OR json_type(\"after\", '$.surname_key') IS NOT NULL)")
    _reseal(op.get_bind(), SEALED)


def downgrade() -> None:
    from partyledger.ledger.cleaning.translit import latin_key

    op.add_column('member', sa.Column('surname_key', sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                                      server_default=''))
    conn = op.get_bind()
    after = 0
    while True:
        rows = conn.exec_driver_sql("SELECT id, surname FROM member WHERE id > ? ORDER BY id LIMIT 5000",
                                    (after,)).all()
        if not rows:
            break
        conn.exec_driver_sql("UPDATE member SET surname_key = ? WHERE id = ?", [(latin_key(s), i) for i, s in rows])
        after = rows[-1][0]
    op.create_index('ix_member_surname_key', 'member', ['surname_key', 'id'], unique=False)
    _reseal(conn, SEALED_0007)
