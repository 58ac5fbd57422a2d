"""A year's working-day arrangement loaded, and what follows from it (POLICY.md §3): the deadlines computed
through that year while it was missing were provisional, Monday to Friday, and are recomputed in the same
transaction. The use case stands above services.reference (the calendar) and services.deadlines (the
claims' dates), so that neither has to know the other.
"""

from __future__ import annotations

from eloan.extensions import db
from eloan.services import deadlines, reference


def mark_year_loaded(actor, year: int, loaded: bool, note: str | None = None) -> None:
    """Declare a year's arrangement complete (deadlines in it stop being provisional), or not."""
    reference.set_year_loaded(actor, year, loaded, note)
    if loaded:
        _recompute_provisional_deadlines(actor)
    db.session.commit()


def load_library_calendar() -> tuple[int, int]:
    """Load every year the chinesecalendar library covers; admin overrides are kept.

    Returns (years loaded, days written). Safe to run again.
    """
    years, days, new_year = reference.write_library_calendar()
    if new_year:
        _recompute_provisional_deadlines(None)
    db.session.commit()
    return years, days


def load_reference_data() -> dict:
    """`eloan init`: policy TZ-2023-9, the LPR history and the library calendar; existing rows are kept."""
    result = reference.load_policy_and_lpr()
    years, days = load_library_calendar()
    return {**result, "calendar_years": years, "calendar_days": days}


def _recompute_provisional_deadlines(actor) -> None:
    db.session.flush()  # the calendar just written is the one the deadlines are recomputed with
    deadlines.recompute_provisional(actor)
