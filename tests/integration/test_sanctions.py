"""Sanctions on defaulting enterprises (第十四条, 第十七条; POLICY.md §10)."""

from __future__ import annotations

from datetime import date

import pytest

from eloan.domain.errors import Forbidden, RuleViolation, StateConflict
from eloan.extensions import db as _db
from eloan.services import enterprises, sanctions
from tests.fixtures.registry import data, uscc


@pytest.fixture()
def flagged(db, today, make_user):
    today("2024-07-01")
    zone = make_user("zone", roles=("zone",))
    enterprise = enterprises.create(zone, data(1))
    sanctions.flag(None, enterprise, "园区E贷贷款逾期", date(2024, 6, 20))
    _db.session.commit()
    return zone, enterprise


def test_a_flagged_enterprise_is_listed_with_reason_and_date(flagged, make_user):
    finance = make_user("finance", roles=("finance",))
    items, total = sanctions.list_sanctions(finance)
    assert total == 1 and items[0].reason == "园区E贷贷款逾期" and items[0].flagged_on == date(2024, 6, 20)
    assert items[0].enterprise.sanctioned is True


def test_a_second_default_keeps_the_first_sanction_date(flagged):
    _, enterprise = flagged
    assert sanctions.flag(None, enterprise, "另一笔逾期", date(2024, 6, 25)) is None


def test_clearing_needs_a_reason(flagged, make_user):
    finance = make_user("finance", roles=("finance",))
    with pytest.raises(RuleViolation) as caught:
        sanctions.clear(finance, uscc(1), " ")
    assert caught.value.codes == ["reason_required"]


def test_finance_clears_with_a_reason_and_the_enterprise_is_eligible_again(flagged, make_user):
    finance = make_user("finance", roles=("finance",))
    cleared = sanctions.clear(finance, uscc(1), "逾期贷款已全部结清")
    assert cleared.cleared_on == date(2024, 7, 1) and cleared.clear_reason == "逾期贷款已全部结清"
    assert cleared.enterprise.sanctioned is False
    assert sanctions.list_sanctions(finance)[1] == 0
    assert sanctions.list_sanctions(finance, include_cleared=True)[1] == 1


def test_clearing_an_enterprise_that_is_not_flagged_is_a_conflict(flagged, make_user):
    finance = make_user("finance", roles=("finance",))
    sanctions.clear(finance, uscc(1), "已结清")
    with pytest.raises(StateConflict):
        sanctions.clear(finance, uscc(1), "再次")


def test_industry_departments_read_but_cannot_clear(flagged, make_user):
    industry = make_user("industry", roles=("industry",))
    assert sanctions.list_sanctions(industry)[1] == 1
    with pytest.raises(Forbidden):
        sanctions.clear(industry, uscc(1), "理由")
