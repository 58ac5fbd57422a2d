"""Shared column helpers for the mapped classes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime
from sqlalchemy.orm import Mapped, mapped_column

from eloan import clock


def _now() -> datetime:
    return clock.now()


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


def timestamp_column(nullable: bool = True):
    return mapped_column(DateTime(timezone=True), nullable=nullable)
