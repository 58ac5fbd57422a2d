"""audit log hash chain: seq, prev_hash and hash on every entry, one chain-head row; the entries already
present are chained in id order, so a freshly upgraded log verifies.

Revision ID: abe903634992
Revises: 9d39c3b4cd70
Create Date: 2026-12-02 13:38:54.823756

"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# The hash format is frozen in the domain module; the backfill must hash exactly as the application does.
from eloan.domain.audit_chain import GENESIS, entry_hash

# revision identifiers, used by Alembic.
revision = "abe903634992"
down_revision = "9d39c3b4cd70"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.Column("last_entry_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain_head")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seq", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_audit_log_seq"), ["seq"])

    _chain_existing_entries()


# The columns as the application reads them (typed, so SQLite's stored text comes back as datetime and dict).
_log = sa.table(
    "audit_log",
    sa.column("id", sa.Integer),
    sa.column("at", sa.DateTime(timezone=True)),
    sa.column("actor_id", sa.Integer),
    sa.column("actor_name", sa.String),
    sa.column("action", sa.String),
    sa.column("object_type", sa.String),
    sa.column("object_id", sa.String),
    sa.column("changes", sa.JSON),
    sa.column("channel", sa.String),
    sa.column("seq", sa.Integer),
    sa.column("prev_hash", sa.String),
    sa.column("hash", sa.String),
)
_head = sa.table(
    "audit_chain_head",
    sa.column("id", sa.Integer),
    sa.column("last_seq", sa.Integer),
    sa.column("last_hash", sa.String),
    sa.column("last_entry_id", sa.Integer),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)


def _chain_existing_entries(batch=5000):
    bind = op.get_bind()
    seq, prev, last_id = 0, GENESIS, 0
    while True:
        page = sa.select(_log).where(_log.c.id > last_id).order_by(_log.c.id).limit(batch)
        rows = bind.execute(page).mappings().all()
        if not rows:
            break
        links = []
        for row in rows:
            seq += 1
            digest = entry_hash(dict(row, seq=seq), prev)
            links.append({"b_id": row["id"], "b_seq": seq, "b_prev": prev, "b_hash": digest})
            prev, last_id = digest, row["id"]
        bind.execute(
            sa.update(_log)
            .where(_log.c.id == sa.bindparam("b_id"))
            .values(seq=sa.bindparam("b_seq"), prev_hash=sa.bindparam("b_prev"), hash=sa.bindparam("b_hash")),
            links,
        )
    if seq:
        bind.execute(
            sa.insert(_head).values(
                id=1, last_seq=seq, last_hash=prev, last_entry_id=last_id, updated_at=datetime.now(UTC)
            )
        )


def downgrade():
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_audit_log_seq"), type_="unique")
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")
        batch_op.drop_column("seq")

    op.drop_table("audit_chain_head")
