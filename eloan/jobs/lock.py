"""The daily job's lock: held by the live process for the whole run, gone the moment it dies.

PostgreSQL: a session advisory lock taken on a connection of its own and kept for the run. When the
process is killed the server closes that connection and drops the lock, so the next trigger can
retry the date at once — a `running` row without the lock belongs to a dead process.

SQLite: the run's own write transaction is the lock (one writer at a time; if the process dies the
OS releases its file lock and the journal undoes its work). The `running` row is written inside that
transaction and never committed, so a `running` row anyone can read belongs to a dead process.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text

from eloan.extensions import db

log = logging.getLogger(__name__)

# pg_try_advisory_lock(int, int): one key for "a daily run is in progress" (ASCII "EL", 1). One run
# at a time whatever its date, so catch-up and an operator cannot run two dates out of order.
_CLASS, _OBJECT = 0x454C, 1


def separate_lock() -> bool:
    """Whether the lock lives outside the run's transaction (PostgreSQL) — then `running` can be committed."""
    return db.engine.dialect.name == "postgresql"


@contextmanager
def daily_run_lock() -> Iterator[bool]:
    """Yields True if this process now holds the lock (until the block ends), False if another live one does."""
    if not separate_lock():
        yield True  # SQLite: taken by the run's first write (jobs/daily.py), released by its commit or rollback
        return
    conn = db.engine.connect()
    held = False
    try:
        held = bool(conn.execute(text("SELECT pg_try_advisory_lock(:c, :o)"), {"c": _CLASS, "o": _OBJECT}).scalar())
        conn.commit()  # the lock is the session's, not the transaction's: it outlives this commit
        yield held
    finally:
        try:
            if held:
                conn.execute(text("SELECT pg_advisory_unlock(:c, :o)"), {"c": _CLASS, "o": _OBJECT})
                conn.commit()
            conn.close()
        except Exception:  # a broken connection: dropping it for good releases the lock on the server
            log.warning("could not release the daily-run lock cleanly; closing its connection", exc_info=True)
            conn.invalidate()
            conn.close()


def lock_is_held() -> bool:
    """Whether a live process is running the daily job now (PostgreSQL; on SQLite nobody else can tell)."""
    if not separate_lock():
        return False
    return bool(
        db.session.scalar(
            text(
                "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
                " AND classid = CAST(:c AS oid) AND objid = CAST(:o AS oid) AND objsubid = 2)"
            ),
            {"c": _CLASS, "o": _OBJECT},
        )
    )
