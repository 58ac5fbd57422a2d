"""The annual evaluation from the data, and its workflow (第二十条; POLICY.md §11)."""

from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from eloan.domain.errors import Forbidden, NotFound, RuleViolation, StateConflict
from eloan.extensions import db
from eloan.models import AuditEntry, Bank, Notification
from eloan.services import evaluations


def rows(ev):
    return {r.bank.code: r for r in ev.rows}


def confirm_all(people, year=2024):
    for role in ("zone", "industry", "fsc"):
        evaluations.confirm(people[role], year)


def test_the_worked_example_from_the_data(year_2024):
    ev = evaluations.compute(year_2024["finance"], 2024)
    r = rows(ev)
    b1, b2 = r["B1"], r["B2"]
    assert b1.indicators["drawn"] == "1000000.00" and b2.indicators["drawn"] == "800000.00"
    assert b1.scores == {"volume": "30.00", "risk": "30.00", "rate": "15.00", "service": "20.00"}
    assert b2.indicators["npl_ratio"] == "0.015000" and b2.indicators["overdue_ratio"] == "0.020000"
    assert b2.indicators["claims"] == 1
    assert b2.scores == {"volume": "24.00", "risk": "15.00", "rate": "0.00", "service": "10.00"}
    assert (b1.total, b1.rank, b1.suggested) == (D("95.00"), 1, "continue")
    assert (b2.total, b2.rank, b2.suggested) == (D("49.00"), 2, "conditional")
    assert ev.status == "draft" and ev.policy_code == "TZ-2023-9"


def test_a_bank_with_no_loans_and_no_claims(year_2024, make_bank):
    make_bank("B3", name="B3银行", loss_share="0.3000")
    r = rows(evaluations.compute(year_2024["finance"], 2024))
    assert r["B3"].scores == {"volume": "0.00", "risk": "0.00", "rate": "0.00", "service": "20.00"}
    assert (r["B3"].total, r["B3"].rank, r["B3"].suggested) == (D("20.00"), 3, "end")


def test_only_finance_computes_and_a_bank_sees_nothing(year_2024):
    with pytest.raises(Forbidden):
        evaluations.compute(year_2024["fsc"], 2024)
    evaluations.compute(year_2024["finance"], 2024)
    with pytest.raises(NotFound):
        evaluations.get(year_2024["teller"], 2024)
    assert evaluations.get(year_2024["auditor"], 2024).year == 2024


def test_the_current_year_cannot_be_evaluated(year_2024):
    with pytest.raises(RuleViolation) as e:
        evaluations.compute(year_2024["finance"], 2025)
    assert e.value.codes == ["year_not_over"]


def test_an_adjustment_needs_a_reason_and_moves_the_total_and_rank(year_2024):
    finance = year_2024["finance"]
    evaluations.compute(finance, 2024)
    with pytest.raises(RuleViolation) as e:
        evaluations.adjust(finance, 2024, "B2", "rate", "20", " ")
    assert e.value.codes == ["reason_required"]
    with pytest.raises(RuleViolation) as e:
        evaluations.adjust(finance, 2024, "B2", "rate", "21", "外部评估")
    assert e.value.codes == ["invalid_adjustment"]
    row = evaluations.adjust(finance, 2024, "B2", "rate", "20", "外部评估报告认定利率优惠充分")
    assert row.scores["rate"] == "20.00" and row.computed["rate"] == "0.00"
    assert row.total == D("69.00") and row.suggested == "continue"
    # recomputing keeps the adjustment
    assert rows(evaluations.compute(finance, 2024))["B2"].total == D("69.00")
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-3:] == ["evaluation.compute", "evaluation.adjust", "evaluation.recompute"]


def test_confirmations_then_decisions_notify_the_bank_and_end_sets_the_agreement(year_2024):
    people = year_2024
    finance = people["finance"]
    evaluations.compute(finance, 2024)
    evaluations.confirm(people["zone"], 2024, "同意")
    with pytest.raises(StateConflict) as e:
        evaluations.decide(finance, 2024, "B1", "continue")
    assert e.value.code == "evaluation_not_confirmed"
    with pytest.raises(StateConflict):
        evaluations.confirm(people["zone"], 2024)
    evaluations.confirm(people["industry"], 2024)
    evaluations.confirm(people["fsc"], 2024, "建议B2限期整改")
    ev = evaluations.get(finance, 2024)
    assert ev.status == "confirmed"
    with pytest.raises(StateConflict):
        evaluations.compute(finance, 2024)
    evaluations.decide(finance, 2024, "B1", "continue")
    with pytest.raises(RuleViolation) as e:
        evaluations.decide(finance, 2024, "B2", "end")
    assert e.value.codes == ["reason_required", "agreement_end_required"]
    b2 = db.session.scalars(select(Bank).where(Bank.code == "B2")).one()
    assert b2.agreement_to == date(2025, 11, 29)  # the refused decision changed nothing
    evaluations.decide(finance, 2024, "B2", "end", "连续两年风险超标", date(2025, 3, 31))
    db.session.expire_all()
    assert b2.agreement_to == date(2025, 3, 31)
    assert evaluations.get(finance, 2024).status == "decided"
    told = db.session.scalars(
        select(Notification.title).where(
            Notification.user_id == people["teller2"].id, Notification.kind == "evaluation_decision"
        )
    ).all()
    assert told == ["2024 年度绩效评价结果：终止合作"]
    assert db.session.scalars(
        select(Notification.title).where(
            Notification.user_id == people["teller"].id, Notification.kind == "evaluation_decision"
        )
    ).all() == ["2024 年度绩效评价结果：继续合作"]


def test_an_adjustment_after_a_confirmation_makes_it_lapse(year_2024):
    people = year_2024
    evaluations.compute(people["finance"], 2024)
    evaluations.confirm(people["zone"], 2024)
    evaluations.adjust(people["finance"], 2024, "B1", "service", "18", "外部评估扣分")
    assert evaluations.get(people["finance"], 2024).confirmations == []


def test_the_outside_evaluators_report_is_attached_audited_and_only_a_document(year_2024):
    finance = year_2024["finance"]
    evaluations.compute(finance, 2024)
    with pytest.raises(RuleViolation) as e:
        evaluations.attach_report(finance, 2024, b"MZ not a document", "report.exe")
    assert e.value.codes == ["file_type_not_allowed"]
    assert evaluations.get(finance, 2024).report_file_id is None
    with pytest.raises(Forbidden):
        evaluations.attach_report(year_2024["fsc"], 2024, b"%PDF-1.4 report", "report.pdf")
    ev = evaluations.attach_report(finance, 2024, b"%PDF-1.4 report", "第三方评估报告.pdf")
    assert ev.report_file.filename == "第三方评估报告.pdf"
    last = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert last.action == "evaluation.attach_report" and last.changes["filename"] == "第三方评估报告.pdf"
