"""The default method of the annual bank evaluation (第二十条; POLICY.md §11)."""

from decimal import Decimal as D

from eloan.domain.evaluation import (
    Indicators,
    Thresholds,
    adjustment_problem,
    evaluate,
    suggest,
)

TH = Thresholds(npl_ratio=D("0.03"), overdue_ratio=D("0.05"), spread_bp=60)


def ind(bank_id, drawn, **kw):
    defaults = {"outstanding": D(0), "npl_ratio": None, "overdue_ratio": None, "mean_margin_percent": None}
    defaults.update(kw)
    return Indicators(bank_id=bank_id, drawn=D(drawn), **defaults)


def by_bank(result):
    return {s.bank_id: s for s in result}


def test_the_worked_example_of_policy_section_11():
    a = ind(1, "10000000.00", mean_margin_percent=D("0.45"))
    b = ind(
        2,
        "8000000.00",
        outstanding=D("8000000.00"),
        npl_ratio=D("0.015"),
        overdue_ratio=D("0.02"),
    )
    s = by_bank(evaluate([a, b], TH))
    assert s[1].scores["volume"] == D("30.00")
    assert s[2].scores["volume"] == D("24.00")
    assert s[2].scores["risk"] == D("15.00")  # 30 × (1 − max(1.5/3, 2/5))
    assert s[1].scores["rate"] == D("15.00")  # 20 × 0.45/0.60
    # A: no outstanding on 31 Dec → risk 0; no claims → service 20: 30 + 0 + 15 + 20 = 65
    assert s[1].total == D("65.00") and s[1].suggested == "continue" and s[1].rank == 1
    # B: 24 + 15 + 0 (no margin given) + 20 = 59 → 限期整改
    assert s[2].total == D("59.00") and s[2].suggested == "conditional" and s[2].rank == 2


def test_scores_round_half_up_to_two_places():
    # 30 × 1/3 = 9.999… → 10.00; 30 × 2/3 = 19.999…8 → 20.00; 20 × 0.0075/0.6 = 0.25
    a = ind(1, "3.00")
    b = ind(2, "1.00", mean_margin_percent=D("0.0075"))
    s = by_bank(evaluate([a, b], TH))
    assert s[2].scores["volume"] == D("10.00")
    assert s[2].scores["rate"] == D("0.25")
    # 20 × 0.001 / 0.6 = 0.0333… → 0.03 ; 20 × 0.0015/0.6 = 0.05 exactly
    c = ind(3, "1.00", mean_margin_percent=D("0.00165"))  # 0.055 → 0.06 (half up)
    assert by_bank(evaluate([a, c], TH))[3].scores["rate"] == D("0.06")


def test_a_bank_with_no_loans_scores_no_volume_no_risk_no_rate():
    lender = ind(1, "500.00", outstanding=D("500.00"), npl_ratio=D(0), overdue_ratio=D(0), mean_margin_percent=D("0.6"))
    idle = ind(2, "0.00")
    s = by_bank(evaluate([lender, idle], TH))
    assert s[2].scores == {"volume": D("0.00"), "risk": D("0.00"), "rate": D("0.00"), "service": D("20.00")}
    assert s[2].total == D("20.00") and s[2].suggested == "end"
    assert s[1].total == D("100.00")


def test_nobody_lent_in_the_year_gives_volume_zero_for_all():
    s = evaluate([ind(1, "0.00"), ind(2, "0.00")], TH)
    assert [x.scores["volume"] for x in s] == [D("0.00"), D("0.00")]


def test_service_without_claims_is_full_and_with_claims_is_half_each():
    none = ind(1, "1.00")
    some = ind(2, "1.00", claims=4, on_time_share=D("0.75"), never_returned_share=D("0.5"))
    s = by_bank(evaluate([none, some], TH))
    assert s[1].scores["service"] == D("20.00")
    assert s[2].scores["service"] == D("12.50")  # 10 × 0.75 + 10 × 0.5


def test_risk_is_zero_past_a_threshold_and_uses_the_worse_ratio():
    over = ind(1, "1.00", outstanding=D(100), npl_ratio=D("0.031"), overdue_ratio=D("0.031"))
    worse_overdue = ind(2, "1.00", outstanding=D(100), npl_ratio=D("0.003"), overdue_ratio=D("0.04"))
    s = by_bank(evaluate([over, worse_overdue], TH))
    assert s[1].scores["risk"] == D("0.00")
    assert s[2].scores["risk"] == D("6.00")  # 30 × (1 − max(0.1, 0.8))


def test_a_margin_above_the_spread_is_capped_at_the_weight():
    s = evaluate([ind(1, "1.00", mean_margin_percent=D("0.9"))], TH)
    assert s[0].scores["rate"] == D("20.00")


def test_equal_totals_are_ranked_by_volume():
    # both total 50: A = 30 volume + 20 service; B = 15 volume + 15 rate + 20 service
    a = ind(1, "100.00", mean_margin_percent=None)
    b = ind(2, "50.00", mean_margin_percent=D("0.45"))
    s = evaluate([b, a], TH)
    assert [(x.bank_id, x.total, x.rank) for x in s] == [(1, D("50.00"), 1), (2, D("50.00"), 2)]


def test_a_full_tie_shares_the_rank_and_keeps_the_given_order():
    s = evaluate([ind(7, "10.00"), ind(3, "10.00"), ind(5, "1.00")], TH)
    assert [(x.bank_id, x.rank) for x in s] == [(7, 1), (3, 1), (5, 3)]


def test_cut_offs_at_exactly_60_and_exactly_40():
    assert suggest(D("60.00")) == "continue"
    assert suggest(D("59.99")) == "conditional"
    assert suggest(D("40.00")) == "conditional"
    assert suggest(D("39.99")) == "end"


def test_an_adjustment_replaces_the_area_score_and_moves_the_outcome():
    a = ind(1, "10.00")  # 30 + 0 + 0 + 20 = 50
    s = evaluate([a], TH, {1: {"risk": D("10")}})[0]
    assert s.computed["risk"] == D("0.00")
    assert s.scores["risk"] == D("10.00")
    assert s.total == D("60.00") and s.suggested == "continue"


def test_adjustments_are_refused_outside_the_weight_or_without_a_reason():
    assert adjustment_problem("risk", D("31"), "因") == "风险防控得分必须在 0 与 30 之间"
    assert adjustment_problem("risk", D("-1"), "因") is not None
    assert adjustment_problem("risk", D("30"), "  ") == "手工调整必须填写理由"
    assert adjustment_problem("speed", D("1"), "因").startswith("未知的评价项目")
    assert adjustment_problem("service", D("20"), "外部评估报告") is None
