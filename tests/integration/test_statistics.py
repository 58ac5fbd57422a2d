"""业务情况统计表 (附件4, POLICY.md §12.4) over the hand-computed programme of tests/fixtures/statistics.py:
every cell for three periods, worked out by hand from the loan histories listed there."""

from dataclasses import astuple, fields
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import event, select

from eloan.domain.errors import Forbidden, RuleViolation
from eloan.extensions import db
from eloan.services.statistics import Figures, statistics
from tests.fixtures.monitoring import put_loan

Q1 = (date(2024, 1, 1), date(2024, 3, 31))
Q2 = (date(2024, 4, 1), date(2024, 6, 30))
YEAR = (date(2024, 1, 1), date(2024, 12, 31))
NO_RATIO = None


def F(made, amount, served, lent, overdue, overdue_ratio, npl, npl_ratio, claims, claimed, paid, recovered, returned):
    """A row as the hand sums give it (amounts as strings, ratios to 6 places)."""

    def r(x):
        return None if x is None else Decimal(x)

    return Figures(
        made,
        Decimal(amount),
        served,
        Decimal(lent),
        Decimal(overdue),
        r(overdue_ratio),
        Decimal(npl),
        r(npl_ratio),
        claims,
        Decimal(claimed),
        Decimal(paid),
        Decimal(recovered),
        Decimal(returned),
    )


ZERO = F(0, "0", 0, "0", "0", NO_RATIO, "0", NO_RATIO, 0, "0", "0", "0", "0")

# Q1: L1 (800,000 after the 03-20 repayment), L2 drawn on the quarter's last day, L5 overdue on 03-31;
# L3 is drawn a day after the quarter, so it is not in it at all. L4 overdue on 03-31.
EXPECTED = {
    Q1: {
        "rows": {
            "B1": (F(2, "1500000", 2, "1500000", "200000", "0.133333", "0", "0", 0, "0", "0", "0", "0"), "active"),
            "B2": (F(1, "300000", 1, "300000", "300000", "1", "0", "0", 0, "0", "0", "0", "0"), "active"),
            "B3": (ZERO, "active"),
        },
        "total": F(3, "1800000", 3, "1800000", "500000", "0.277778", "0", "0", 0, "0", "0", "0", "0"),
        "industry": {
            "new_materials": F(1, "1000000", 1, "1000000", "200000", "0.2", "0", "0", 0, "0", "0", "0", "0"),
            "new_energy": F(1, "500000", 1, "500000", "0", "0", "0", "0", 0, "0", "0", "0", "0"),
            "next_gen_it": F(1, "300000", 1, "300000", "300000", "1", "0", "0", 0, "0", "0", "0", "0"),
        },
        "mu": {
            "A": F(1, "1000000", 1, "1000000", "200000", "0.2", "0", "0", 0, "0", "0", "0", "0"),
            "B": F(1, "500000", 1, "500000", "0", "0", "0", "0", 0, "0", "0", "0", "0"),
            None: F(1, "300000", 1, "300000", "300000", "1", "0", "0", 0, "0", "0", "0", "0"),
        },
    },
    # Q2 (as at 06-30): L1 500,000, L2 overdue 500,000, L5 cured 200,000; L3 drawn and repaid on 06-30;
    # L4 NPL 300,000 and its claim first submitted 04-18 (the resubmission of 07-02 is the same claim).
    # B2 suspended since 05-10.
    Q2: {
        "rows": {
            "B1": (F(0, "0", 0, "1200000", "500000", "0.416667", "0", "0", 0, "0", "0", "0", "0"), "active"),
            "B2": (F(1, "800000", 1, "300000", "300000", "1", "300000", "1", 1, "225000", "0", "0", "0"), "suspended"),
            "B3": (ZERO, "active"),
        },
        "total": F(1, "800000", 1, "1500000", "800000", "0.533333", "300000", "0.2", 1, "225000", "0", "0", "0"),
        "industry": {
            "new_materials": F(1, "800000", 1, "700000", "0", "0", "0", "0", 0, "0", "0", "0", "0"),
            "new_energy": F(0, "0", 0, "500000", "500000", "1", "0", "0", 0, "0", "0", "0", "0"),
            "next_gen_it": F(0, "0", 0, "300000", "300000", "1", "300000", "1", 1, "225000", "0", "0", "0"),
        },
        "mu": {
            "A": F(1, "800000", 1, "700000", "0", "0", "0", "0", 0, "0", "0", "0", "0"),
            "B": F(0, "0", 0, "500000", "500000", "1", "0", "0", 0, "0", "0", "0", "0"),
            None: F(0, "0", 0, "300000", "300000", "1", "300000", "1", 1, "225000", "0", "0", "0"),
        },
    },
    # 2024 (as at 12-31): L1 500,000, L2 NPL 500,000, L5 repaid on 12-31, L3 repaid, L4 written off.
    # e1 borrowed from B1 and B2: two in the rows, one in 合计. Paid 07-20, recovered 40,000 + 8,000
    # (12-31 is in the year), the fund's 30,000 remitted 10-08 (the 6,000 is not yet).
    YEAR: {
        "rows": {
            "B1": (
                F(2, "1500000", 2, "1000000", "500000", "0.5", "500000", "0.5", 1, "350000", "0", "0", "0"),
                "active",
            ),
            "B2": (
                F(2, "1100000", 2, "0", "0", NO_RATIO, "0", NO_RATIO, 1, "225000", "225000", "48000", "30000"),
                "active",
            ),
            "B3": (ZERO, "active"),
        },
        "total": F(
            4, "2600000", 3, "1000000", "500000", "0.5", "500000", "0.5", 2, "575000", "225000", "48000", "30000"
        ),
        "industry": {
            "new_materials": F(2, "1800000", 1, "500000", "0", "0", "0", "0", 0, "0", "0", "0", "0"),
            "new_energy": F(1, "500000", 1, "500000", "500000", "1", "500000", "1", 1, "350000", "0", "0", "0"),
            "next_gen_it": F(
                1, "300000", 1, "0", "0", NO_RATIO, "0", NO_RATIO, 1, "225000", "225000", "48000", "30000"
            ),
        },
        "mu": {
            "A": F(2, "1800000", 1, "500000", "0", "0", "0", "0", 0, "0", "0", "0", "0"),
            "B": F(1, "500000", 1, "500000", "500000", "1", "500000", "1", 1, "350000", "0", "0", "0"),
            None: F(1, "300000", 1, "0", "0", NO_RATIO, "0", NO_RATIO, 1, "225000", "225000", "48000", "30000"),
        },
    },
}


@pytest.mark.parametrize("period", [Q1, Q2, YEAR], ids=["2024Q1", "2024Q2", "2024"])
def test_every_cell_for_three_periods(stats_programme, period):
    report = statistics(stats_programme["finance"], *period)
    want = EXPECTED[period]
    assert [r.key for r in report.rows] == ["B1", "B2", "B3"]
    assert {r.key: (r.figures, r.status) for r in report.rows} == want["rows"]
    assert report.total.figures == want["total"]
    assert [r.key for r in report.by_industry][:5] == [
        "high_end_equipment",
        "new_materials",
        "new_energy",
        "new_medicine",
        "next_gen_it",
    ]
    assert {r.key: r.figures for r in report.by_industry} == {
        "high_end_equipment": ZERO,
        "new_medicine": ZERO,
        "other": ZERO,
        **want["industry"],
    }
    assert {r.key: r.figures for r in report.by_mu_class} == {"C": ZERO, "D": ZERO, **want["mu"]}


@pytest.mark.parametrize("period", [Q1, Q2, YEAR], ids=["2024Q1", "2024Q2", "2024"])
def test_total_is_the_sum_of_rows_except_enterprises_served(stats_programme, period):
    report = statistics(stats_programme["auditor"], *period)
    additive = [f.name for f in fields(Figures) if f.name not in ("enterprises_served", "overdue_ratio", "npl_ratio")]
    for rows in (report.rows, report.by_industry, report.by_mu_class):
        for name in additive:
            assert sum(getattr(r.figures, name) for r in rows) == getattr(report.total.figures, name), name
    # The breakdowns partition the enterprises, so they add up; the banks' rows need not.
    assert sum(r.figures.enterprises_served for r in report.by_industry) == report.total.figures.enterprises_served
    assert sum(r.figures.enterprises_served for r in report.by_mu_class) == report.total.figures.enterprises_served


def test_enterprise_served_by_two_banks_counts_once_in_the_total(stats_programme):
    report = statistics(stats_programme["finance"], *YEAR)
    assert sum(r.figures.enterprises_served for r in report.rows) == 4
    assert report.total.figures.enterprises_served == 3


def test_a_bank_sees_its_own_row_only(stats_programme):
    report = statistics(stats_programme["teller2"], *YEAR)
    assert [r.key for r in report.rows] == ["B2"]
    b2 = EXPECTED[YEAR]["rows"]["B2"][0]
    assert report.rows[0].figures == b2
    assert report.total.figures == b2
    # Its breakdowns are of its own loans: L3 (新材料, A) and L4 (新一代信息技术, unrated).
    by_industry = {r.key: r.figures.loans_made_amount for r in report.by_industry if r.figures.loans_made_count}
    assert by_industry == {"new_materials": Decimal("800000.00"), "next_gen_it": Decimal("300000.00")}


def test_a_past_period_is_not_changed_by_what_happened_since(stats_programme):
    # Run "today" (2025-03-10), Q1 still shows L1 at 800,000 and L5 overdue although L1 was repaid to
    # 500,000 in May and L5 cured in April and repaid in December (the EXPECTED Q1 figures above).
    assert statistics(stats_programme["fsc"], *Q1).rows[0].figures.outstanding == Decimal("1500000.00")


def test_a_year_with_no_data_gives_an_empty_valid_report(stats_programme):
    report = statistics(stats_programme["zone"], date(2022, 1, 1), date(2022, 12, 31))
    assert [(r.key, r.figures) for r in report.rows] == [("B1", ZERO), ("B2", ZERO), ("B3", ZERO)]
    assert report.total.figures == ZERO
    assert all(astuple(r.figures) == astuple(ZERO) for r in report.by_industry + report.by_mu_class)


def test_from_after_to_is_an_invalid_period(stats_programme):
    with pytest.raises(RuleViolation) as refused:
        statistics(stats_programme["finance"], date(2024, 4, 1), date(2024, 3, 31))
    assert refused.value.codes == ["invalid_period"]


def test_admin_may_not_read_the_statistics(stats_programme):
    with pytest.raises(Forbidden):
        statistics(stats_programme["admin"], *YEAR)


@pytest.mark.parametrize("day", [date(2024, 3, 31), date(2024, 6, 30), date(2024, 12, 31)])
def test_balances_and_ratios_at_the_end_equal_the_daily_jobs_snapshot(stats_programme, day):
    from eloan.jobs.daily import run_daily
    from eloan.models import Bank, RatioSnapshot
    from eloan.services.ratios import PROGRAMME

    report = statistics(stats_programme["finance"], date(2024, 1, 1), day)
    assert run_daily(day).outcome == "done"
    snaps = {
        s.scope: (s.outstanding, s.overdue_balance, s.overdue_ratio, s.npl_balance, s.npl_ratio)
        for s in db.session.scalars(select(RatioSnapshot).where(RatioSnapshot.on_date == day))
    }
    assert set(snaps) == {"B1", "B2", "B3", PROGRAMME}
    assert len(db.session.scalars(select(Bank)).all()) == 3

    def ours(r):
        f = r.figures
        return (f.outstanding, f.overdue_balance, f.overdue_ratio, f.npl_balance, f.npl_ratio)

    assert {r.key: ours(r) for r in report.rows} | {PROGRAMME: ours(report.total)} == snaps


def _count_statements(fn):
    seen = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(seen)


def test_the_statement_count_does_not_grow_with_the_rows(stats_programme):
    finance = stats_programme["finance"]
    before = _count_statements(lambda: statistics(finance, *YEAR))
    for n in range(5):  # five more loans and a bank: more rows, the same statements
        put_loan("B3", "10000.00", drawdown=date(2024, 5, 1 + n), maturity=date(2025, 4, 1), enterprise_no=2)
    db.session.expire_all()
    after = _count_statements(lambda: statistics(finance, *YEAR))
    assert statistics(finance, *YEAR).rows[2].figures.loans_made_count == 5
    assert before == after <= 14
