"""People who log in, their roles, and the API tokens they hold."""

from __future__ import annotations

from datetime import datetime

from flask_login import AnonymousUserMixin, UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
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
    # Flask's session lives in the browser's cookie, so logging out cannot delete a copy of it. Each session
    # carries the version it was opened under (get_id); raising the version ends every session opened before.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    roles_rel: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    bank: Mapped[Bank | None] = relationship(lazy="joined")  # noqa: F821

    def get_id(self) -> str:
        """What Flask-Login keeps in the session (and a remember-me cookie): the id and the session version."""
        return f"{self.id}:{self.session_version}"

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


class AnonymousUser(AnonymousUserMixin):
    """Nobody logged in: holds no role, so menus, page contexts and error pages can ask it like a user."""

    roles: tuple[str, ...] = ()
    bank = None
    is_bank_user = False
    must_change_password = False

    def has_role(self, *roles: str) -> bool:
        return False


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
