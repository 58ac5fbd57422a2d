"""Cooperating banks: admission (第五条), ranking (第十四条), status history (第十八、十九条)."""

from __future__ import annotations

from datetime import date

import pytest

from eloan.domain.errors import Forbidden, NotFound, RuleViolation, StateConflict
from eloan.models import Notification
from eloan.services import banks


def bank_data(code="RCB", share="0.3000", **overrides):
    values = {
        "code": code,
        "name": f"{code}台儿庄支行",
        "branch_in_district": True,
        "loss_share": share,
        "agreement_no": f"协议-{code}",
        "agreement_from": "2024-01-01",
        "agreement_to": "2025-11-29",
        "product_name": "园区E贷",
        "product_recognised": True,
    }
    values.update(overrides)
    return values


@pytest.fixture()
def fsc(reference, today, make_user):
    today("2024-06-03")
    return make_user("fsc", roles=("fsc",))


def test_a_bank_meeting_the_conditions_is_admitted_and_its_history_starts(fsc):
    bank = banks.admit(fsc, bank_data())
    assert bank.status == "active"
    assert [(c.to_status, c.source) for c in banks.history(fsc, "RCB")] == [("active", "admission")]


def test_a_loss_share_below_twenty_percent_is_refused(fsc):
    with pytest.raises(RuleViolation) as caught:
        banks.admit(fsc, bank_data(share="0.1999"))
    assert caught.value.codes == ["loss_share_too_low"]
    assert "19.99%" in caught.value.violations[0].message and "20.00%" in caught.value.violations[0].message


def test_exactly_twenty_percent_is_accepted(fsc):
    assert banks.admit(fsc, bank_data(share="0.2000")).loss_share == __import__("decimal").Decimal("0.2000")


def test_no_branch_and_no_recognised_product_are_both_reported(fsc):
    with pytest.raises(RuleViolation) as caught:
        banks.admit(fsc, bank_data(branch_in_district=False, product_recognised=False))
    assert set(caught.value.codes) == {"branch_not_in_district", "product_not_recognised"}


def test_ranking_puts_the_highest_share_first_and_marks_ties(fsc):
    banks.admit(fsc, bank_data("A", "0.2500"))
    banks.admit(fsc, bank_data("B", "0.3000"))
    banks.admit(fsc, bank_data("C", "0.2500"))
    banks.admit(fsc, bank_data("D", "0.2000"))
    ranked = [(r["rank"], r["bank"].code, r["tied"]) for r in banks.ranking(fsc)]
    assert ranked == [(1, "B", False), (2, "A", True), (2, "C", True), (4, "D", False)]


def test_finance_suspends_and_resumes_with_a_reason_and_everyone_concerned_is_told(fsc, make_user, db):
    finance = make_user("finance", roles=("finance",))
    banks.admit(fsc, bank_data())
    teller = make_user("teller", roles=("bank",), bank_code="RCB")
    banks.change_status(finance, "RCB", "suspended", "人工暂停：材料核查")
    banks.change_status(finance, "RCB", "active", "核查完毕")
    history = banks.history(fsc, "RCB")
    assert [(c.from_status, c.to_status, c.reason) for c in history[:2]] == [
        ("suspended", "active", "核查完毕"),
        ("active", "suspended", "人工暂停：材料核查"),
    ]
    assert db.session.query(Notification).filter_by(user_id=teller.id, kind="bank_status").count() == 2
    assert db.session.query(Notification).filter_by(user_id=fsc.id, kind="bank_status").count() == 2


def test_a_disqualified_bank_cannot_come_back(fsc, make_user):
    finance = make_user("finance", roles=("finance",))
    banks.admit(fsc, bank_data())
    banks.change_status(finance, "RCB", "disqualified", "骗取补偿资金（第十九条）")
    with pytest.raises(StateConflict):
        banks.change_status(finance, "RCB", "active", "申请恢复")


def test_a_status_change_needs_a_reason_and_the_finance_role(fsc, make_user):
    finance = make_user("finance", roles=("finance",))
    banks.admit(fsc, bank_data())
    with pytest.raises(RuleViolation):
        banks.change_status(finance, "RCB", "suspended", "")
    with pytest.raises(Forbidden):
        banks.change_status(fsc, "RCB", "suspended", "理由")


def test_a_bank_user_sees_their_own_bank_only(fsc, make_user):
    banks.admit(fsc, bank_data("RCB"))
    banks.admit(fsc, bank_data("ICBC"))
    teller = make_user("teller", roles=("bank",), bank_code="RCB")
    assert [b.code for b in banks.all_banks(teller)] == ["RCB"]
    with pytest.raises(NotFound):
        banks.get(teller, "ICBC")


def test_an_agreement_ending_before_it_starts_is_refused(fsc):
    with pytest.raises(RuleViolation) as caught:
        banks.admit(fsc, bank_data(agreement_from="2024-06-01", agreement_to="2024-05-01"))
    assert "invalid_dates" in caught.value.codes


def test_can_lend_only_within_the_agreement(fsc):
    bank = banks.admit(fsc, bank_data())
    assert banks.can_lend(bank, date(2024, 6, 3)) == []
    assert [v.code for v in banks.can_lend(bank, date(2025, 11, 30))] == ["bank_not_active"]
