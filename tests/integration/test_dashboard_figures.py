"""数据看板's figures (services/dashboard_figures.py) over the hand-worked programme of
tests/fixtures/dashboard.py."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import event

from eloan.domain.errors import Forbidden
from eloan.extensions import db
from eloan.services.dashboard_figures import figures
from tests.fixtures.monitoring import put_loan


def test_fund_figures(dashboard_programme):
    f = figures(dashboard_programme["finance"])
    assert f.as_of == date(2025, 3, 10)
    assert f.programme_start == date(2023, 11, 30)
    assert f.fund_scale == Decimal("100000000.00")  # TZ-2023-9, 第十四条
    assert f.appropriated == Decimal("10000000.00")
    assert f.balance == Decimal("9810000.00")  # 10,000,000 − 225,000 + 30,000 + 5,000
    assert f.utilisation == Decimal("0.0225")  # 225,000 ÷ 10,000,000
    # On the books: L1 500,000 (1,000,000 less two repayments) and L2 500,000 (NPL); ÷ 9,810,000 = 0.1019
    assert f.outstanding_loans == Decimal("1000000.00")
    assert f.leverage == Decimal("0.10")


def test_loan_figures_since_the_programme_began(dashboard_programme):
    f = figures(dashboard_programme["zone"])
    assert f.loans_count == 5
    assert f.loans_amount == Decimal("2800000.00")
    assert f.enterprises_served == 4  # e1 borrowed from B1 and B2: one enterprise
    # (1,000,000 × 0.20 + 1,800,000 × 0.45) ÷ 2,800,000 = 0.36071… points under LPR + 60bp
    assert f.mean_headroom == Decimal("0.3607")
    assert f.rate_spread_bp == 60


def test_compensation_figures(dashboard_programme):
    f = figures(dashboard_programme["auditor"])
    assert (f.claims_count, f.claims_amount) == (2, Decimal("575000.00"))
    assert (f.paid_out, f.returned, f.clawed_back) == (
        Decimal("225000.00"),
        Decimal("30000.00"),
        Decimal("5000.00"),
    )
    assert f.net_loss == Decimal("190000.00")


def test_ratio_trend_is_the_last_ninety_days(dashboard_programme):
    f = figures(dashboard_programme["fsc"])
    assert f.trend_start == date(2024, 12, 11)
    assert [s.on_date for s in f.trend] == [date(2025, 1, 15), date(2025, 3, 10)]
    assert f.latest.npl_ratio == Decimal("0.250000")
    assert (f.npl_threshold, f.overdue_threshold) == (Decimal("0.0300"), Decimal("0.0500"))  # 第十八条


def test_claim_cycle_times_against_the_stored_deadlines(dashboard_programme):
    filing, opinion, payout = figures(dashboard_programme["industry"]).cycles
    assert (filing.count, filing.median_days, filing.max_days, filing.on_time) == (2, Decimal("3.0"), 3, 1)
    assert filing.on_time_share == Decimal("0.5000")
    assert filing.limit == "5个工作日（第十五条）"
    assert (opinion.count, opinion.median_days, opinion.max_days, opinion.on_time_share) == (
        1,
        Decimal("10.0"),
        10,
        Decimal("1.0000"),
    )
    assert (payout.count, payout.median_days, payout.max_days, payout.on_time_share) == (
        1,
        Decimal("8.0"),
        8,
        Decimal("1.0000"),
    )


@pytest.mark.parametrize("who", ["teller", "admin"])
def test_banks_and_the_administrator_may_not_read_it(dashboard_programme, who):
    with pytest.raises(Forbidden):
        figures(dashboard_programme[who])


def _statements(fn) -> int:
    seen = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(seen)


def test_the_statement_count_does_not_grow_with_the_rows(dashboard_programme):
    finance = dashboard_programme["finance"]
    db.session.expire_all()
    before = _statements(lambda: figures(finance))
    for n in range(5):
        put_loan("B3", "10000.00", drawdown=date(2024, 5, 1 + n), maturity=date(2025, 4, 1), enterprise_no=2)
    db.session.expire_all()
    after = _statements(lambda: figures(finance))
    assert figures(finance).loans_count == 10
    assert before == after


def test_an_extension_moves_the_filing_deadline(dashboard_programme):
    from sqlalchemy import select

    from eloan.models import Claim

    c4 = db.session.scalars(select(Claim).where(Claim.npl_recognised_on == date(2024, 4, 15))).one()
    c4.extended_until = date(2024, 4, 19)  # 区财政局 extended the filing to 04-19; submitted 04-18
    db.session.commit()
    filing = figures(dashboard_programme["finance"]).cycles[0]
    assert (filing.on_time, filing.on_time_share) == (2, Decimal("1.0000"))
