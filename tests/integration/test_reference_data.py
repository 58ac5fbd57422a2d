"""`eloan init`'s reference data and the lookups every rule uses."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from eloan.domain.errors import NoPolicyInForce, RuleViolation
from eloan.domain.policy import TZ_2023_9
from eloan.models import AuditEntry, CalendarDay, CalendarYear, LprRate, PolicyVersion
from eloan.services import calendar_year, reference


@pytest.fixture()
def loaded(reference):
    """Reference data loaded (the conftest fixture of the same name as the module)."""
    return reference


def _count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_loading_reference_data_twice_changes_nothing(db):
    calendar_year.load_reference_data()
    counts = [_count(db, m) for m in (PolicyVersion, LprRate, CalendarDay, CalendarYear)]
    second = calendar_year.load_reference_data()
    assert [_count(db, m) for m in (PolicyVersion, LprRate, CalendarDay, CalendarYear)] == counts
    assert second["policy_created"] is False and second["lpr_added"] == 0


def test_shipped_policy_is_in_force_from_2023_11_30_to_2025_11_29(loaded):
    from eloan.services.reference import policy_on

    assert policy_on(date(2023, 11, 30)) == TZ_2023_9
    assert policy_on(date(2025, 11, 29)).code == "TZ-2023-9"
    with pytest.raises(NoPolicyInForce):
        policy_on(date(2025, 11, 30))


def test_lpr_in_force_is_the_latest_published_on_or_before_the_date(loaded):
    assert reference.lpr_on(date(2024, 7, 21)).rate_1y_percent == Decimal("3.45")
    assert reference.lpr_on(date(2024, 7, 22)).rate_1y_percent == Decimal("3.35")
    assert reference.lpr_on(date(2025, 6, 1)).rate_1y_percent == Decimal("3.00")
    assert reference.lpr_on(date(2019, 8, 20)).rate_1y_percent == Decimal("4.25")


def test_no_lpr_before_the_2019_reform_is_a_clear_error(loaded):
    with pytest.raises(RuleViolation) as caught:
        reference.lpr_on(date(2019, 8, 19))
    assert caught.value.codes == ["no_lpr"]


def test_loaded_calendar_gives_the_policy_examples(loaded):
    assert reference.deadline(date(2024, 9, 27), working_days=5).date == date(2024, 10, 10)
    assert reference.deadline(date(2024, 9, 20), days=15).date == date(2024, 10, 8)


def test_a_year_without_an_arrangement_gives_a_provisional_deadline(loaded):
    result = reference.deadline(date(2026, 12, 28), working_days=5)
    assert result.provisional is True
    assert reference.deadline(date(2026, 3, 2), working_days=5).provisional is False


def test_typing_in_a_new_years_arrangement_moves_the_deadline_and_makes_it_final(loaded):
    before = reference.deadline(date(2026, 12, 31), working_days=1)
    assert before.date == date(2027, 1, 1) and before.provisional
    reference.set_calendar_day(None, date(2027, 1, 1), False, "元旦")
    calendar_year.mark_year_loaded(None, 2027, True, "国务院办公厅通知")
    after = reference.deadline(date(2026, 12, 31), working_days=1)
    assert after.date == date(2027, 1, 4) and after.provisional is False


def test_reloading_the_library_calendar_keeps_an_administrators_correction(loaded):
    reference.set_calendar_day(None, date(2024, 10, 8), False, "临时调整")
    calendar_year.load_library_calendar()
    assert db_day(date(2024, 10, 8)).is_workday is False


def db_day(day):
    from eloan.extensions import db

    return db.session.get(CalendarDay, day)


def test_overlapping_policy_version_is_refused(loaded):
    from dataclasses import replace

    overlapping = replace(TZ_2023_9, code="TZ-2025-X", effective_from=date(2025, 6, 1), effective_to=None)
    with pytest.raises(RuleViolation) as caught:
        reference.save_policy_version(None, overlapping)
    assert "policy_overlap" in caught.value.codes


def test_a_renewal_after_the_end_date_is_accepted_and_used(loaded):
    from dataclasses import replace

    renewal = replace(
        TZ_2023_9,
        code="TZ-2025-R",
        effective_from=date(2025, 11, 30),
        effective_to=date(2026, 11, 29),
        rate_spread_bp=50,
    )
    reference.save_policy_version(None, renewal, note="续期")
    assert reference.policy_on(date(2026, 6, 1)).rate_spread_bp == 50


def test_changing_reference_data_is_audited(loaded, make_user):
    from eloan.extensions import db

    admin = make_user("root", roles=("admin",))
    reference.save_lpr(admin, date(2025, 12, 22), Decimal("2.90"))
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "lpr.save")).one()
    assert entry.actor_name == "root" and entry.changes == {"rate_1y_percent": [None, "2.90"]}


def test_a_non_admin_cannot_change_the_lpr(loaded, make_user):
    from eloan.domain.errors import Forbidden

    clerk = make_user("clerk", roles=("finance",))
    with pytest.raises(Forbidden):
        reference.save_lpr(clerk, date(2025, 12, 22), Decimal("2.90"))


def test_an_lpr_with_more_than_four_decimals_is_refused(loaded):
    with pytest.raises(RuleViolation) as caught:
        reference.save_lpr(None, date(2025, 12, 22), Decimal("2.90001"))
    assert caught.value.codes == ["invalid_rate"]


def test_library_days_carry_the_holidays_chinese_name(loaded):
    assert db_day(date(2024, 10, 1)).note == "国庆节"
    assert db_day(date(2024, 9, 29)).note == "国庆节调休上班"
