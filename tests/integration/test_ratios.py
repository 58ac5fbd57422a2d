"""第十八条's ratios from the database, per bank and for the programme, at any date (POLICY.md §9)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eloan.domain.loans import EventFact, RepaymentFact, derive_state
from eloan.domain.ratios import LoanPosition, compute_ratios
from eloan.extensions import db
from eloan.models import Bank
from eloan.services import ratios
from tests.fixtures.monitoring import put_loan


def _bank_id(code):
    return db.session.query(Bank).filter_by(code=code).one().id


def test_ratios_follow_the_policy_definitions(monitored):
    put_loan("B1", "6000000.00")
    put_loan("B1", "3000000.00", events=(("overdue", date(2025, 3, 2)),), enterprise_no=2)
    put_loan("B1", "1000000.00", events=(("overdue", date(2025, 2, 1)), ("npl", date(2025, 3, 3))), enterprise_no=2)
    put_loan("B1", "500000.00", events=(("written_off", date(2025, 3, 4)),))
    put_loan("B2", "2000000.00", repayments=((date(2025, 3, 1), "2000000.00"),))
    by_bank, programme = ratios.all_ratios_on(date(2025, 3, 10))
    b1 = by_bank[_bank_id("B1")]
    assert (b1.outstanding, b1.npl_balance, b1.overdue_balance) == (
        Decimal("10000000.00"),
        Decimal("1000000.00"),
        Decimal("4000000.00"),
    )  # written off: off the books
    assert (b1.npl_ratio, b1.overdue_ratio) == (Decimal("0.100000"), Decimal("0.400000"))
    b2 = by_bank[_bank_id("B2")]
    assert b2.outstanding == 0 and b2.npl_ratio is None  # repaid: nothing outstanding, ratio undefined
    assert programme.outstanding == Decimal("10000000.00") and programme.npl_ratio == Decimal("0.100000")


def test_ratios_on_a_past_date_use_the_history_as_it_stood(monitored):
    put_loan("B1", "900000.00")
    put_loan(
        "B1",
        "100000.00",
        events=(("overdue", date(2025, 2, 1)), ("npl", date(2025, 3, 3))),
        repayments=((date(2025, 3, 5), "40000.00"),),
    )
    b1 = _bank_id("B1")
    before = ratios.all_ratios_on(date(2025, 1, 31))[0][b1]
    assert before.npl_balance == 0 and before.overdue_balance == 0 and before.outstanding == Decimal("1000000.00")
    overdue = ratios.all_ratios_on(date(2025, 2, 15))[0][b1]
    assert overdue.overdue_balance == Decimal("100000.00") and overdue.npl_balance == 0
    npl = ratios.all_ratios_on(date(2025, 3, 4))[0][b1]
    assert npl.npl_balance == Decimal("100000.00")
    after_repayment = ratios.all_ratios_on(date(2025, 3, 5))[0][b1]
    assert after_repayment.npl_balance == Decimal("60000.00") and after_repayment.outstanding == Decimal("960000.00")


def test_a_loan_not_yet_drawn_down_is_not_outstanding(monitored):
    put_loan("B1", "1000000.00", drawdown=date(2025, 3, 20), maturity=date(2026, 3, 20))
    assert ratios.all_ratios_on(date(2025, 3, 10))[0][_bank_id("B1")].outstanding == 0
    assert ratios.all_ratios_on(date(2025, 3, 20))[0][_bank_id("B1")].outstanding == Decimal("1000000.00")


def test_a_cured_overdue_no_longer_counts(monitored):
    put_loan("B1", "100000.00", events=(("overdue", date(2025, 2, 1)), ("cured", date(2025, 2, 10))))
    assert ratios.all_ratios_on(date(2025, 2, 5))[0][_bank_id("B1")].overdue_balance == Decimal("100000.00")
    assert ratios.all_ratios_on(date(2025, 2, 10))[0][_bank_id("B1")].overdue_balance == 0


_START = date(2024, 3, 1)
_histories = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=500_000_00),  # amount in fen
        st.lists(st.integers(min_value=0, max_value=60), max_size=3),  # event day offsets (sorted below)
        st.sampled_from(["", "o", "oc", "on", "onw", "ocon", "n", "nw", "w"]),  # event paths the service allows
        st.lists(
            st.tuples(st.integers(min_value=0, max_value=60), st.integers(min_value=1, max_value=100)), max_size=3
        ),
    ),
    min_size=1,
    max_size=5,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(histories=_histories, probe=st.integers(min_value=-1, max_value=61))
def test_database_ratios_equal_replaying_each_history(monitored, histories, probe):
    """The set-based query gives, for any date, what replaying every loan's history up to it gives."""
    from eloan.models import Loan, LoanEvent, Repayment

    db.session.query(LoanEvent).delete()
    db.session.query(Repayment).delete()
    db.session.query(Loan).delete()
    db.session.commit()
    kinds = {"o": "overdue", "c": "cured", "n": "npl", "w": "written_off"}
    facts = []
    for fen, offsets, path, pays in histories:
        amount = Decimal(fen) / 100
        days = sorted((offsets + [0, 0, 0, 0])[: len(path)])
        events = tuple((kinds[k], _START + timedelta(days=d)) for k, d in zip(path, days, strict=False))
        repayments, left = [], amount
        for d, percent in sorted(pays):
            part = min(left, (amount * percent / 100).quantize(Decimal("0.01")))
            if part > 0:
                repayments.append((_START + timedelta(days=d), str(part)))
                left -= part
        put_loan(
            "B1",
            str(amount),
            drawdown=_START,
            maturity=_START + timedelta(days=30),
            events=events,
            repayments=tuple(repayments),
        )
        facts.append((amount, events, repayments))
    day = _START + timedelta(days=probe)
    expected_positions = []
    for amount, events, repayments in facts:
        if day < _START:
            continue
        state = derive_state(
            amount,
            [RepaymentFact(d, Decimal(p)) for d, p in repayments if d <= day],
            [EventFact(t, d) for t, d in events if d <= day],
        )
        expected_positions.append(LoanPosition(state.outstanding, state.status))
    expected = compute_ratios(expected_positions)
    got = ratios.all_ratios_on(day)[0][_bank_id("B1")]
    assert (got.outstanding, got.npl_balance, got.overdue_balance) == (
        expected.outstanding,
        expected.npl_balance,
        expected.overdue_balance,
    )


def test_after_the_last_record_the_stored_state_gives_the_same_sums_as_the_history(monitored):
    from eloan.services.ratios import _as_of, _as_recorded_now, _recorded_after

    put_loan("B1", "900000.00", repayments=((date(2025, 1, 10), "100000.00"),))
    put_loan("B1", "300000.00", events=(("overdue", date(2025, 2, 1)), ("npl", date(2025, 3, 3))))
    put_loan("B2", "200000.00", events=(("overdue", date(2025, 2, 1)), ("cured", date(2025, 2, 9))), enterprise_no=2)
    put_loan(
        "B2",
        "100000.00",
        events=(("overdue", date(2025, 2, 1)), ("npl", date(2025, 2, 20)), ("written_off", date(2025, 3, 1))),
        enterprise_no=2,
    )
    put_loan("B2", "50000.00", repayments=((date(2025, 3, 5), "50000.00"),), enterprise_no=2)
    day = date(2025, 3, 10)
    assert not _recorded_after(day) and _recorded_after(date(2025, 3, 4))
    assert sorted(db.session.execute(_as_recorded_now(day, None)).all()) == sorted(
        db.session.execute(_as_of(day, None)).all()
    )


def test_one_banks_ratios_equal_its_row_among_all(monitored):
    put_loan("B1", "900000.00")
    put_loan("B1", "100000.00", events=(("overdue", date(2025, 2, 1)),))
    put_loan("B2", "500000.00", enterprise_no=2)
    from eloan.services import ratios as service

    _, one = service.bank_ratios(monitored["finance"], "B1", date(2025, 3, 10))
    assert one == service.all_ratios_on(date(2025, 3, 10))[0][_bank_id("B1")]
    assert one.overdue_ratio == Decimal("0.100000")
