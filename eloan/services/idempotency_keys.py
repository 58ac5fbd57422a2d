"""How long an API Idempotency-Key is remembered (API.md): long enough for any client's retries."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete

from eloan import clock
from eloan.extensions import db
from eloan.models import IdempotencyRecord

KEEP_FOR = timedelta(days=7)


def prune_expired() -> int:
    """Forget keys older than KEEP_FOR, in the caller's transaction (the daily job's); returns how many."""
    done = db.session.execute(
        delete(IdempotencyRecord)
        .where(IdempotencyRecord.created_at < clock.now() - KEEP_FOR)
        .execution_options(synchronize_session=False)
    )
    return done.rowcount
