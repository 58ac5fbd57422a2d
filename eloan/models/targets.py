"""年度目标 (POLICY.md §15): one row per line of a year's table, in 序号 order."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from eloan.extensions import db
from eloan.models.base import Timestamped, timestamp_column
from eloan.models.types import ExactDecimal


class TargetItem(Timestamped, db.Model):
    """A line of the year's table. `target` is in the metric's unit (元, a whole count, or a ratio 0–1)
    and null for a text item; 存在问题 and 下步打算 are the responsible unit's, kept when the year's
    targets are set again."""

    __tablename__ = "target_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)  # found through uq (year, position)
    position: Mapped[int] = mapped_column(Integer)  # 序号, from 1
    metric: Mapped[str] = mapped_column(String(30))
    target: Mapped[Decimal | None] = mapped_column(ExactDecimal(18, 4))
    goal_text: Mapped[str] = mapped_column(Text)  # 年度奋斗目标
    work_text: Mapped[str | None] = mapped_column(Text)  # 年度工作目标
    responsible: Mapped[str] = mapped_column(String(20))  # 责任单位: a government role
    problems: Mapped[str | None] = mapped_column(Text)  # 存在问题
    next_steps: Mapped[str | None] = mapped_column(Text)  # 下步打算
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[datetime | None] = timestamp_column()
    report_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    report_at: Mapped[datetime | None] = timestamp_column()

    __table_args__ = (
        UniqueConstraint("year", "position", name="uq_target_items_year_position"),
        CheckConstraint("position >= 1", name="position_positive"),
    )
