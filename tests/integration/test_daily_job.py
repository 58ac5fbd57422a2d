"""The daily job: suspension and resumption on 第十八条's thresholds, once per date (POLICY.md §9)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from eloan.domain.errors import RuleViolation, StateConflict
from eloan.extensions import db
from eloan.jobs.daily import catch_up, run_daily
from eloan.models import Bank, BankStatusChange, DailyRun, Loan, LoanEvent, Notification, RatioSnapshot, User
from eloan.services import banks
from tests.fixtures.monitoring import put_loan

DAY = date(2025, 3, 10)


def _bank(code):
    db.session.expire_all()
    return db.session.query(Bank).filter_by(code=code).one()


def _changes(code):
    return (
        db.session.query(BankStatusChange)
        .filter_by(bank_id=_bank(code).id, source="daily_job")
        .order_by(BankStatusChange.id)
        .all()
    )


def _notices(username, kind):
    user = db.session.query(User).filter_by(username=username).one()
    return db.session.query(Notification).filter_by(user_id=user.id, kind=kind).all()


def _book(code, *, npl="0.00", overdue="0.00", total="10000000.00", enterprise_no=1):
    """A book of `total` with `npl` recognised NPL and `overdue` more overdue (not NPL)."""
    rest = Decimal(total) - Decimal(npl) - Decimal(overdue)
    put_loan(code, str(rest), enterprise_no=enterprise_no)
    if Decimal(npl):
        put_loan(
            code, npl, events=(("overdue", date(2025, 2, 3)), ("npl", date(2025, 3, 3))), enterprise_no=enterprise_no
        )
    if Decimal(overdue):
        put_loan(code, overdue, events=(("overdue", date(2025, 2, 3)),), enterprise_no=enterprise_no)


def test_an_npl_ratio_of_exactly_three_percent_stays_active(monitored):
    _book("B1", npl="300000.00")
    run_daily(DAY)
    assert _bank("B1").status == "active" and _changes("B1") == []


def test_an_npl_ratio_one_fen_above_three_percent_suspends_with_the_figures(monitored):
    _book("B1", npl="300000.01")
    _book("B2", enterprise_no=2)  # clean, and keeps the programme as a whole under the thresholds
    result = run_daily(DAY)
    assert result.summary["suspended"] == ["B1"]
    assert _bank("B1").status == "suspended" and _bank("B2").status == "active"
    [change] = _changes("B1")
    assert change.effective_on == DAY and change.actor_id is None and change.job_date == DAY
    assert (change.outstanding, change.npl_balance) == (Decimal("10000000.00"), Decimal("300000.01"))
    assert change.npl_ratio == Decimal("0.030000")  # shown rounded; the decision used the exact fraction
    assert "不良率 3.0000%，超过 3.00%" in change.reason
    for who in ("finance", "finance2", "fsc", "teller"):
        assert len(_notices(who, "bank_status")) == 1, who
    assert _notices("teller2", "bank_status") == [] and _notices("zone", "bank_status") == []


def test_an_overdue_ratio_of_exactly_five_percent_stays_active_and_above_suspends(monitored):
    _book("B1", overdue="500000.00")
    _book("B2", overdue="500000.01", enterprise_no=2)
    put_loan("B1", "30000000.00")  # the programme stays under 5 %
    run_daily(DAY)
    assert _bank("B1").status == "active"
    assert _bank("B2").status == "suspended" and "逾期率" in _changes("B2")[0].reason


def test_a_bank_suspended_by_the_job_is_resumed_when_back_under_both(monitored, today):
    _book("B1", npl="400000.00")
    _book("B2", enterprise_no=2)
    run_daily(DAY)
    assert _bank("B1").status == "suspended"
    # the bank writes the NPL loan off: off the books, the ratios fall to 0
    npl_loan = db.session.query(Loan).filter_by(status="npl").one()
    npl_loan.events.append(LoanEvent(type="written_off", event_date=date(2025, 3, 11)))
    npl_loan.status = "written_off"
    db.session.commit()
    today("2025-03-11")
    result = run_daily(date(2025, 3, 11))
    assert result.summary["resumed"] == ["B1"] and _bank("B1").status == "active"
    resumed = _changes("B1")[-1]
    assert resumed.to_status == "active" and resumed.effective_on == date(2025, 3, 11)
    assert resumed.npl_ratio == Decimal("0.000000")


def test_programme_excess_suspends_every_bank_and_both_resume_when_it_is_back(monitored, today):
    _book("B1", overdue="2000000.00")  # B1 20 % overdue
    _book("B2", total="20000000.00", enterprise_no=2)  # B2 0 %; programme 2M/30M = 6.67 % overdue
    run_daily(DAY)
    [change] = _changes("B2")
    assert _bank("B1").status == "suspended" and _bank("B2").status == "suspended"
    assert "全区“园区E贷”整体逾期率" in change.reason
    assert change.overdue_ratio == Decimal("0.000000")  # the bank's own figures are kept with it
    for loan in db.session.query(Loan).filter_by(status="overdue"):  # B1's overdue loan is cured
        loan.events.append(LoanEvent(type="cured", event_date=date(2025, 3, 11)))
        loan.status = "normal"
    db.session.commit()
    today("2025-03-11")
    assert sorted(run_daily(date(2025, 3, 11)).summary["resumed"]) == ["B1", "B2"]


def test_a_manual_suspension_is_not_lifted_and_finance_is_told_once(monitored, today):
    _book("B1")
    banks.change_status(monitored["finance"], "B1", "suspended", "贷后管理检查发现问题，暂停整改")
    run_daily(DAY)
    today("2025-03-11")
    result = run_daily(date(2025, 3, 11))
    assert _bank("B1").status == "suspended" and _changes("B1") == []
    assert result.summary["manual_hold"] == ["B1"]
    [notice] = _notices("finance", "bank_manual_hold")
    assert "人工暂停" in notice.body and "系统不自动恢复" in notice.body


def test_a_manual_resumption_while_over_is_suspended_again_and_says_so(monitored):
    _book("B1", npl="500000.00")
    _book("B2", total="40000000.00", enterprise_no=2)
    banks.change_status(monitored["finance"], "B1", "suspended", "预先暂停")
    banks.change_status(monitored["finance"], "B1", "active", "银行承诺整改")
    run_daily(DAY)
    [change] = _changes("B1")
    assert _bank("B1").status == "suspended" and "人工恢复合作" in change.reason


def test_a_disqualified_bank_is_never_touched(monitored):
    _book("B1", npl="5000000.00")
    banks.change_status(monitored["finance"], "B1", "disqualified", "骗取补偿资金")
    run_daily(DAY)
    assert _bank("B1").status == "disqualified" and _changes("B1") == []


def test_running_twice_for_a_date_changes_nothing_the_second_time(monitored):
    _book("B1", npl="1000000.00")
    _book("B2", total="40000000.00", enterprise_no=2)
    first = run_daily(DAY)
    notices = db.session.query(Notification).count()
    second = run_daily(DAY)
    assert (first.outcome, second.outcome) == ("done", "already_done")
    assert len(_changes("B1")) == 1 and db.session.query(Notification).count() == notices
    assert db.session.query(RatioSnapshot).filter_by(on_date=DAY).count() == 3  # B1, B2 and the programme


def test_the_job_stores_every_banks_and_the_programmes_figures(monitored):
    _book("B1", npl="200000.00")
    run_daily(DAY)
    rows = {r.scope: r for r in db.session.query(RatioSnapshot).filter_by(on_date=DAY)}
    assert set(rows) == {"B1", "B2", "programme"}
    assert rows["B1"].npl_ratio == Decimal("0.020000") and rows["B2"].npl_ratio is None
    assert rows["programme"].outstanding == Decimal("10000000.00")


def test_a_future_date_or_an_earlier_date_than_the_last_run_is_refused(monitored, today):
    with pytest.raises(RuleViolation) as refused:
        run_daily(date(2025, 3, 11))
    assert refused.value.violations[0].code == "date_in_future"
    run_daily(DAY)
    with pytest.raises(StateConflict) as conflict:
        run_daily(date(2025, 3, 9))
    assert conflict.value.code == "daily_run_out_of_order"


def test_days_missed_while_down_are_caught_up_in_order(monitored, today):
    _book("B1", npl="1000000.00")
    today("2025-03-07")
    run_daily(date(2025, 3, 7))
    today("2025-03-10")
    results = catch_up()
    assert [r.run_date for r in results.runs] == [date(2025, 3, 8), date(2025, 3, 9), date(2025, 3, 10)]
    assert db.session.query(DailyRun).filter_by(status="done").count() == 4
    assert catch_up().runs == []  # nothing left to do today


def test_a_failed_run_changes_nothing_and_the_next_attempt_runs_it(monitored, monkeypatch):
    _book("B1", npl="1000000.00")
    from eloan.services import sanctions

    def broken(day):
        raise RuntimeError("disk full")

    monkeypatch.setattr(sanctions, "sweep", broken)
    with pytest.raises(RuntimeError):
        run_daily(DAY)
    assert _bank("B1").status == "active" and db.session.query(RatioSnapshot).count() == 0
    assert db.session.get(DailyRun, DAY).status == "failed"
    monkeypatch.undo()
    assert run_daily(DAY).outcome == "done" and _bank("B1").status == "suspended"


def test_with_no_policy_in_force_the_figures_are_kept_but_nobody_is_suspended(monitored, today):
    _book("B1", npl="1000000.00")
    today("2026-06-01")
    result = run_daily(date(2026, 6, 1))
    assert result.summary["policy"] is None and _bank("B1").status == "active"
    assert db.session.query(RatioSnapshot).filter_by(on_date=date(2026, 6, 1)).count() == 3


def test_the_sweep_flags_an_enterprise_with_an_overdue_loan_nobody_flagged(monitored):
    from eloan.models import Enterprise, Sanction

    loan = put_loan("B1", "100000.00", events=(("overdue", date(2025, 3, 3)),))
    run_daily(DAY)
    sanction = db.session.query(Sanction).filter_by(loan_id=loan.id).one()
    assert sanction.flagged_on == DAY and db.session.get(Enterprise, loan.enterprise_id).sanctioned
