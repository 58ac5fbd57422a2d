"""People who log in, their roles, and the API tokens they hold."""
from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eloan.extensions import db
from eloan.models.base import Timestamped, timestamp_column


class User(UserMixin, Timestamped, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # A bank user belongs to exactly one bank and sees nothing of the others (POLICY.md §1).
    bank_id: Mapped[int | None] = mapped_column(ForeignKey("banks.id"), index=True)
    # Notifications are also e-mailed here when SMTP is configured (services/mail.py).
    email: Mapped[str | None] = mapped_column(String(200))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    last_login_at: Mapped[datetime | None] = timestamp_column()

    roles_rel: Mapped[list["UserRole"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    bank: Mapped["Bank | None"] = relationship(lazy="joined")  # noqa: F821

    @property
    def roles(self) -> list[str]:
        return sorted(r.role for r in self.roles_rel)

    def has_role(self, *roles: str) -> bool:
        return any(r.role in roles for r in self.roles_rel)

    @property
    def is_bank_user(self) -> bool:
        return self.has_role("bank")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses disabled users
        return bool(self.active)


class UserRole(db.Model):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)

    user: Mapped[User] = relationship(back_populates="roles_rel")


class ApiToken(Timestamped, db.Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    # Only a SHA-256 of the token is kept; the token itself is shown once at creation.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    last_used_at: Mapped[datetime | None] = timestamp_column()
    revoked_at: Mapped[datetime | None] = timestamp_column()

    user: Mapped[User] = relationship()

    __table_args__ = (UniqueConstraint("user_id", "name", name="uq_api_tokens_user_name"),)
