"""year targets (年度目标, POLICY §15): one row per line of the year's table — metric, target, 年度奋斗目标,
年度工作目标, 责任单位, and the unit's 存在问题 / 下步打算

Revision ID: f21009dcf7fc
Revises: abe903634992
Create Date: 2026-12-02 18:55:50.596299

"""

import sqlalchemy as sa
from alembic import op

import eloan.models.types

# revision identifiers, used by Alembic.
revision = "f21009dcf7fc"
down_revision = "abe903634992"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "target_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("metric", sa.String(length=30), nullable=False),
        sa.Column("target", eloan.models.types.ExactDecimal(precision=18, scale=4), nullable=True),
        sa.Column("goal_text", sa.Text(), nullable=False),
        sa.Column("work_text", sa.Text(), nullable=True),
        sa.Column("responsible", sa.String(length=20), nullable=False),
        sa.Column("problems", sa.Text(), nullable=True),
        sa.Column("next_steps", sa.Text(), nullable=True),
        sa.Column("set_by_id", sa.Integer(), nullable=True),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("report_by_id", sa.Integer(), nullable=True),
        sa.Column("report_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("position >= 1", name=op.f("ck_target_items_position_positive")),
        sa.ForeignKeyConstraint(["report_by_id"], ["users.id"], name=op.f("fk_target_items_report_by_id_users")),
        sa.ForeignKeyConstraint(["set_by_id"], ["users.id"], name=op.f("fk_target_items_set_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target_items")),
        sa.UniqueConstraint("year", "position", name="uq_target_items_year_position"),
    )


def downgrade():
    op.drop_table("target_items")
