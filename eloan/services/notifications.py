"""In-app notifications: one row per recipient; the same event never notifies a person twice."""
from __future__ import annotations

from typing import Iterable

from sqlalchemy import select

from eloan.extensions import db
from eloan.models import Notification, User, UserRole


def users_with_roles(*roles: str, bank_id: int | None = None) -> list[User]:
    stmt = select(User).join(UserRole).where(UserRole.role.in_(roles), User.active.is_(True))
    if bank_id is not None:
        stmt = stmt.where(User.bank_id == bank_id)
    return list(db.session.scalars(stmt.distinct()))


def notify(recipients: Iterable[User], kind: str, title: str, body: str | None = None, link: str | None = None,
           dedupe_key: str | None = None) -> int:
    """Add notifications in the caller's transaction; returns how many were new."""
    added = 0
    for user in {u.id: u for u in recipients}.values():
        if dedupe_key is not None:
            exists = db.session.scalars(select(Notification.id).where(
                Notification.user_id == user.id, Notification.dedupe_key == dedupe_key)).first()
            if exists is not None:
                continue
        db.session.add(Notification(user_id=user.id, kind=kind, title=title, body=body, link=link,
                                    dedupe_key=dedupe_key))
        added += 1
    return added
