"""Row locks where money or caps are at stake.

PostgreSQL: SELECT … FOR UPDATE. SQLite has no row locks; a no-op UPDATE takes the database write
lock at once, so a second writer waits (busy timeout) before it reads, which serialises them too.
"""

from __future__ import annotations

from sqlalchemy import select, update

from eloan.extensions import db


def lock_row(model, ident):
    """Lock the row and return it (None if it does not exist)."""
    if db.engine.dialect.name == "sqlite":
        db.session.execute(
            update(model).where(model.id == ident).values(id=model.id).execution_options(synchronize_session=False)
        )
        return db.session.get(model, ident, populate_existing=True)
    return db.session.scalars(select(model).where(model.id == ident).with_for_update()).first()
