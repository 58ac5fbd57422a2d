"""The one clock. Every rule that needs "today" asks here.

ELOAN_TODAY=YYYY-MM-DD fixes the date for demos, training and tests; it is read at every call so a
test can change it. Production never sets it.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from datetime import date, datetime, time

from eloan.domain.calendar import TZ


def today() -> date:
    fixed = os.environ.get("ELOAN_TODAY")
    if fixed:
        return date.fromisoformat(fixed.strip())
    return datetime.now(TZ).date()


def is_fixed() -> bool:
    """Whether ELOAN_TODAY fixes the date (a demo or training instance), so screens can say so."""
    return bool(os.environ.get("ELOAN_TODAY"))


def now() -> datetime:
    """Aware Asia/Shanghai datetime; with ELOAN_TODAY set, that date at the current wall time."""
    current = datetime.now(TZ)
    fixed = os.environ.get("ELOAN_TODAY")
    if fixed:
        return datetime.combine(date.fromisoformat(fixed.strip()), current.timetz())
    return current


def start_of(d: date) -> datetime:
    return datetime.combine(d, time(0, 0), tzinfo=TZ)


@contextmanager
def fixed_today(d: date):
    """Run a block as if today were `d` (seeding a demo whose story has dates), then restore."""
    previous = os.environ.get("ELOAN_TODAY")
    os.environ["ELOAN_TODAY"] = d.isoformat()
    try:
        yield
    finally:
        if previous is None:
            del os.environ["ELOAN_TODAY"]
        else:
            os.environ["ELOAN_TODAY"] = previous
