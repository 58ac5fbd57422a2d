"""Failed web logins, kept for a short while so that password guessing can be slowed down."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from eloan.extensions import db
from eloan.models.base import timestamp_column


class LoginFailure(db.Model):
    """One wrong password (or unknown username) at the login page; rows older than the throttle's window are
    pruned as new ones arrive (services/login_throttle.py). In the database so every gunicorn worker sees them."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    # As typed, lower-cased: an unknown name is throttled like a real one, so throttling reveals no usernames.
    username: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = timestamp_column(nullable=False)

    __table_args__ = (
        Index("ix_login_failures_username_at", "username", "at"),
        Index("ix_login_failures_address_at", "address", "at"),
        Index("ix_login_failures_at", "at"),
    )
