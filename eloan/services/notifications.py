"""In-app notifications: one row per recipient; the same event never notifies a person twice."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select, update

from eloan import clock
from eloan.domain.errors import NotFound
from eloan.extensions import db
from eloan.models import Notification, User, UserRole


def users_with_roles(*roles: str, bank_id: int | None = None) -> list[User]:
    stmt = select(User).join(UserRole).where(UserRole.role.in_(roles), User.active.is_(True))
    if bank_id is not None:
        stmt = stmt.where(User.bank_id == bank_id)
    return list(db.session.scalars(stmt.distinct()))


def notify(
    recipients: Iterable[User],
    kind: str,
    title: str,
    body: str | None = None,
    link: str | None = None,
    dedupe_key: str | None = None,
) -> int:
    """Add notifications in the caller's transaction; returns how many were new."""
    people = {u.id: u for u in recipients}
    told = set()
    if dedupe_key is not None and people:
        told = set(
            db.session.scalars(
                select(Notification.user_id).where(
                    Notification.user_id.in_(list(people)), Notification.dedupe_key == dedupe_key
                )
            )
        )
    added = 0
    for user_id in people.keys() - told:
        db.session.add(
            Notification(user_id=user_id, kind=kind, title=title, body=body, link=link, dedupe_key=dedupe_key)
        )
        added += 1
    return added


def inbox(actor, *, page: int = 1, per_page: int = 50, unread_only: bool = False) -> tuple[list[Notification], int]:
    """The actor's own notifications, newest first."""
    stmt = select(Notification).where(Notification.user_id == actor.id)
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    items = db.session.scalars(
        stmt.order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return list(items), total


def unread_count(actor) -> int:
    return db.session.scalar(
        select(func.count(Notification.id)).where(Notification.user_id == actor.id, Notification.read_at.is_(None))
    )


def mark_read(actor, notification_id: int) -> Notification:
    """Mark one of the actor's notifications read; someone else's is NotFound, as if it did not exist."""
    notice = db.session.scalars(
        select(Notification).where(Notification.id == notification_id, Notification.user_id == actor.id)
    ).first()
    if notice is None:
        raise NotFound("通知不存在。")
    if notice.read_at is None:
        notice.read_at = clock.now()
        db.session.commit()
    return notice


def mark_all_read(actor) -> int:
    done = db.session.execute(
        update(Notification)
        .where(Notification.user_id == actor.id, Notification.read_at.is_(None))
        .values(read_at=clock.now())
    )
    db.session.commit()
    return done.rowcount
