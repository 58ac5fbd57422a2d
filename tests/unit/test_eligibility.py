from dataclasses import replace
from datetime import date
from decimal import Decimal

from eloan.domain.eligibility import (
    ALLOWED_GUARANTEES,
    BankFacts,
    EnterpriseFacts,
    LoanFacts,
    bank_status_on,
    check_bank_admission,
    check_bank_can_lend,
    check_enterprise,
    check_loan,
)
from eloan.domain.errors import Violation
from eloan.domain.policy import TZ_2023_9

ENTERPRISE = EnterpriseFacts(
    uscc="91350100M000100Y43",
    name="台儿庄精工机械有限公司",
    industry="high_end_equipment",
    size_class="small",
    in_zone=True,
    special_approval_note=None,
    mu_class="B",
    sanctioned=False,
)
BANK = BankFacts(
    code="RCB",
    name="台儿庄农商银行",
    status="active",
    loss_share=Decimal("0.3000"),
    agreement_from=date(2023, 12, 1),
    agreement_to=date(2025, 11, 29),
    branch_in_district=True,
    product_recognised=True,
)
LOAN = LoanFacts(
    contract_no="HT-2025-001",
    amount=Decimal("1000000.00"),
    rate_percent=Decimal("3.50"),
    contract_date=date(2025, 6, 3),
    drawdown_date=date(2025, 6, 5),
    maturity_date=date(2026, 6, 5),
    guarantees=("legal_rep", "spouse"),
)
LPR = Decimal("3.00")


def check(loan=LOAN, *, on_list=True, enterprise=ENTERPRISE, bank=BANK, outstanding=Decimal("0.00"), lpr=LPR):
    return check_loan(
        loan,
        policy=TZ_2023_9,
        lpr_percent=lpr,
        on_list=on_list,
        enterprise=enterprise,
        bank=bank,
        outstanding_at_all_banks=outstanding,
    )


def codes(violations):
    return [v.code for v in violations]


# enterprises (第三、四条, 第十四、十七条)


def test_eligible_enterprise_has_no_violations():
    assert check_enterprise(ENTERPRISE, TZ_2023_9) == []


def test_sanctioned_enterprise_is_ineligible():
    (v,) = check_enterprise(replace(ENTERPRISE, sanctioned=True), TZ_2023_9)
    assert (v.code, v.article) == ("enterprise_ineligible", "第十四条、第十七条")


def test_d_class_enterprise_is_ineligible():
    (v,) = check_enterprise(replace(ENTERPRISE, mu_class="D"), TZ_2023_9)
    assert v.code == "enterprise_ineligible" and "D类" in v.message


def test_large_enterprise_is_ineligible():
    (v,) = check_enterprise(replace(ENTERPRISE, size_class="large"), TZ_2023_9)
    assert (v.code, v.article, v.field) == ("enterprise_ineligible", "第三条", "size_class")


def test_industry_outside_the_five_is_ineligible():
    (v,) = check_enterprise(replace(ENTERPRISE, industry="other"), TZ_2023_9)
    assert (v.code, v.article, v.field) == ("enterprise_ineligible", "第四条", "industry")
    assert "其他" in v.message


def test_outside_the_zone_without_special_approval_is_ineligible():
    (v,) = check_enterprise(replace(ENTERPRISE, in_zone=False), TZ_2023_9)
    assert v.code == "enterprise_ineligible" and "特别优质" in v.message


def test_outside_the_zone_with_special_approval_is_eligible():
    outside = replace(ENTERPRISE, in_zone=False, special_approval_note="区政府认定为特别优质企业")
    assert check_enterprise(outside, TZ_2023_9) == []


def test_every_reason_is_reported_at_once():
    bad = replace(ENTERPRISE, sanctioned=True, mu_class="D", size_class="large", industry="other")
    assert len(check_enterprise(bad, TZ_2023_9)) == 4


# banks (第五、十二、十八、十九条)


def test_admissible_bank_has_no_violations():
    assert check_bank_admission(BANK, TZ_2023_9) == []


def test_loss_share_under_twenty_percent_is_refused_with_the_numbers():
    (v,) = check_bank_admission(replace(BANK, loss_share=Decimal("0.1500")), TZ_2023_9)
    assert (v.code, v.article, v.field) == ("loss_share_too_low", "第五条（三）", "loss_share")
    assert "15.00%" in v.message and "20.00%" in v.message


def test_loss_share_of_exactly_twenty_percent_is_accepted():
    assert check_bank_admission(replace(BANK, loss_share=Decimal("0.2000")), TZ_2023_9) == []


def test_bank_without_a_branch_in_the_district_is_refused():
    bank = replace(BANK, branch_in_district=False)
    assert codes(check_bank_admission(bank, TZ_2023_9)) == ["branch_not_in_district"]


def test_bank_whose_product_is_not_recognised_is_refused():
    bank = replace(BANK, product_recognised=False)
    assert codes(check_bank_admission(bank, TZ_2023_9)) == ["product_not_recognised"]


def test_active_bank_with_an_agreement_can_lend():
    assert check_bank_can_lend(BANK, date(2025, 6, 5)) == []


def test_suspended_bank_cannot_lend():
    (v,) = check_bank_can_lend(replace(BANK, status="suspended"), date(2025, 6, 5))
    assert (v.code, v.article) == ("bank_not_active", "第十八条")


def test_disqualified_bank_cannot_lend():
    (v,) = check_bank_can_lend(replace(BANK, status="disqualified"), date(2025, 6, 5))
    assert (v.code, v.article) == ("bank_not_active", "第十九条")


def test_bank_cannot_lend_outside_its_agreement():
    assert codes(check_bank_can_lend(BANK, date(2025, 11, 30))) == ["bank_not_active"]
    assert codes(check_bank_can_lend(replace(BANK, agreement_from=None), date(2025, 6, 5))) == ["bank_not_active"]


def test_the_refusal_after_the_agreement_ended_says_when_it_ended():
    (v,) = check_bank_can_lend(BANK, date(2025, 11, 30))
    assert (v.code, v.article) == ("bank_not_active", "第十二条")
    assert "合作协议已于 2025-11-29 到期" in v.message and "续签" in v.message
    assert "合作状态" not in v.message  # not worded as a suspension


def test_the_refusal_before_the_agreement_begins_says_when_it_begins():
    (v,) = check_bank_can_lend(BANK, date(2023, 11, 30))
    assert "合作协议自 2023-12-01 起生效" in v.message and "尚未生效" in v.message
    (missing,) = check_bank_can_lend(replace(BANK, agreement_from=None), date(2025, 6, 5))
    assert "没有填写合作协议期限" in missing.message


def test_a_suspended_bank_with_an_expired_agreement_is_refused_for_both_reasons():
    found = check_bank_can_lend(replace(BANK, status="suspended"), date(2025, 11, 30))
    assert [v.article for v in found] == ["第十八条", "第十二条"]
    assert "“暂停”" in found[0].message and "已于 2025-11-29 到期" in found[1].message


# loans (第五至八条, POLICY.md §6)


def test_good_loan_has_no_violations():
    assert check() == []


def test_enterprise_not_on_the_list_is_refused():
    (v,) = check(on_list=False)
    assert (v.code, v.article) == ("not_on_list", "第十条")


def test_loan_to_an_ineligible_enterprise_is_refused():
    assert codes(check(enterprise=replace(ENTERPRISE, mu_class="D"))) == ["enterprise_ineligible"]


def test_loan_drawn_while_the_bank_is_suspended_is_refused():
    assert codes(check(bank=replace(BANK, status="suspended"))) == ["bank_not_active"]


def test_maturity_twelve_months_after_drawdown_is_accepted():
    assert check(replace(LOAN, maturity_date=date(2026, 6, 5))) == []


def test_maturity_one_day_past_twelve_months_is_refused():
    (v,) = check(replace(LOAN, maturity_date=date(2026, 6, 6)))
    assert (v.code, v.article, v.field) == ("term_too_long", "第六条", "maturity_date")


def test_leap_day_drawdown_may_mature_on_feb_28_but_not_march_1():
    loan = replace(
        LOAN, contract_date=date(2024, 2, 29), drawdown_date=date(2024, 2, 29), maturity_date=date(2025, 2, 28)
    )
    assert check(loan) == []
    assert codes(check(replace(loan, maturity_date=date(2025, 3, 1)))) == ["term_too_long"]


def test_enterprise_balance_exactly_at_five_million_is_accepted():
    assert check(outstanding=Decimal("4000000.00")) == []


def test_enterprise_balance_one_fen_over_five_million_is_refused():
    (v,) = check(outstanding=Decimal("4000000.01"))
    assert (v.code, v.article, v.field) == ("enterprise_cap_exceeded", "第六条", "amount")
    assert "上限为 ¥5,000,000.00" in v.message and "本笔 ¥1,000,000.00 超出目前可用额度 ¥999,999.99" in v.message


def test_the_cap_refusal_names_the_cap_and_the_headroom_but_not_the_balance_at_all_banks():
    # The balance sums other banks' loans: the refused bank learns at most what is left under the cap.
    (v,) = check(outstanding=Decimal("4200000.00"))
    assert "可用额度 ¥800,000.00" in v.message
    assert "4,200,000.00" not in v.message and "5,200,000.00" not in v.message
    (over,) = check(outstanding=Decimal("6000000.00"))
    assert "可用额度 ¥0.00" in over.message and "6,000,000.00" not in over.message


def test_rate_exactly_at_lpr_plus_sixty_basis_points_is_accepted():
    assert check(replace(LOAN, rate_percent=Decimal("3.60"))) == []


def test_rate_above_lpr_plus_sixty_basis_points_is_refused_with_the_numbers():
    (v,) = check(replace(LOAN, rate_percent=Decimal("3.80")))
    assert v.code == "rate_above_cap"
    assert v.message == "贷款利率 3.80% 超过上限 3.60%（LPR 3.00% + 60个基点）"
    assert (v.field, v.article) == ("rate_percent", "第五条")


def test_rate_one_hundredth_of_a_basis_point_over_is_refused():
    assert codes(check(replace(LOAN, rate_percent=Decimal("3.6001")))) == ["rate_above_cap"]


def test_guarantees_of_the_allowed_persons_are_accepted():
    loan = replace(LOAN, guarantees=tuple(ALLOWED_GUARANTEES))
    assert check(loan) == []


def test_loan_without_any_guarantee_is_accepted():
    assert check(replace(LOAN, guarantees=())) == []


def test_collateral_is_not_an_allowed_guarantee():
    (v,) = check(replace(LOAN, guarantees=("legal_rep", "mortgage")))
    assert (v.code, v.article, v.field) == ("guarantee_not_allowed", "第七条", "guarantees")
    assert "mortgage" in v.message


def test_non_positive_amount_is_refused():
    assert codes(check(replace(LOAN, amount=Decimal("0.00")))) == ["invalid_amount"]


def test_maturity_not_after_drawdown_is_refused():
    (v,) = check(replace(LOAN, maturity_date=date(2025, 6, 5)))
    assert (v.code, v.field) == ("invalid_dates", "maturity_date")


def test_drawdown_before_the_contract_is_refused():
    (v,) = check(replace(LOAN, contract_date=date(2025, 6, 6)))
    assert (v.code, v.field) == ("invalid_dates", "drawdown_date")


def test_every_violated_rule_is_reported_at_once():
    loan = replace(LOAN, rate_percent=Decimal("4.00"), maturity_date=date(2026, 12, 5), guarantees=("mortgage",))
    found = check(
        loan,
        on_list=False,
        enterprise=replace(ENTERPRISE, sanctioned=True),
        bank=replace(BANK, status="suspended"),
        outstanding=Decimal("4500000.00"),
    )
    assert set(codes(found)) == {
        "not_on_list",
        "enterprise_ineligible",
        "bank_not_active",
        "term_too_long",
        "enterprise_cap_exceeded",
        "rate_above_cap",
        "guarantee_not_allowed",
    }
    assert all(v.article for v in found)


# ---- each refusal as the bank or the zone reads it: code, message, article, field -------------------------------


def test_each_reason_an_enterprise_is_ineligible_reads_as_the_policy_says():
    code = "enterprise_ineligible"
    name = ENTERPRISE.name
    assert check_enterprise(replace(ENTERPRISE, sanctioned=True, mu_class="D"), TZ_2023_9) == [
        Violation(code, f"企业“{name}”因“园区E贷”违约正受惩戒，暂停享受优惠政策", "第十四条、第十七条"),
        Violation(code, f"企业“{name}”亩产效益评价为D类（限制发展类），不予推荐", "第九条"),
    ]
    assert check_enterprise(replace(ENTERPRISE, size_class="large"), TZ_2023_9) == [
        Violation(code, f"企业“{name}”为大型企业，“园区E贷”只支持中小微企业", "第三条", "size_class")
    ]
    assert check_enterprise(replace(ENTERPRISE, size_class="giant"), TZ_2023_9) == [
        Violation(code, f"企业“{name}”的企业规模未知：giant", "第三条", "size_class")
    ]
    allowed = "高端装备、新材料、新能源、新医药、新一代信息技术"
    assert check_enterprise(replace(ENTERPRISE, industry="other"), TZ_2023_9) == [
        Violation(code, f"企业“{name}”所属行业“其他”不在支持范围（{allowed}）", "第四条", "industry")
    ]
    assert check_enterprise(replace(ENTERPRISE, in_zone=False, special_approval_note=" "), TZ_2023_9) == [
        Violation(code, f"企业“{name}”不在经济开发区内，且没有“特别优质”认定意见", "第三条", "special_approval_note")
    ]


def test_an_industry_code_no_one_knows_is_named_as_it_is():
    policy = replace(TZ_2023_9, eligible_industries=("new_energy", "hydrogen"))
    (v,) = check_enterprise(replace(ENTERPRISE, industry="steel"), policy)
    assert v.message == f"企业“{ENTERPRISE.name}”所属行业“steel”不在支持范围（新能源、hydrogen）"


def test_a_loss_share_of_one_hundred_percent_is_the_most_a_bank_may_bear():
    assert check_bank_admission(replace(BANK, loss_share=Decimal("1.0000")), TZ_2023_9) == []
    assert check_bank_admission(replace(BANK, loss_share=Decimal("1.0001")), TZ_2023_9) == [
        Violation("invalid_loss_share", "银行损失承担比例 100.01% 超过 100%", "第五条（三）", "loss_share")
    ]


def test_each_admission_refusal_names_the_bank_and_the_field():
    bank = replace(BANK, branch_in_district=False, product_recognised=False)
    assert check_bank_admission(bank, TZ_2023_9) == [
        Violation(
            "branch_not_in_district", "“台儿庄农商银行”在台儿庄区没有分支机构", "第五条（一）", "branch_in_district"
        ),
        Violation(
            "product_not_recognised",
            "“台儿庄农商银行”的“园区E贷”产品尚未经四部门联合认定",
            "第十二条",
            "product_recognised",
        ),
    ]


def test_an_agreement_ending_before_it_starts_is_refused_but_one_day_is_enough():
    one_day = replace(BANK, agreement_from=date(2024, 1, 1), agreement_to=date(2024, 1, 1))
    assert check_bank_admission(one_day, TZ_2023_9) == []
    backwards = replace(BANK, agreement_from=date(2024, 1, 2), agreement_to=date(2024, 1, 1))
    assert check_bank_admission(backwards, TZ_2023_9) == [
        Violation("invalid_dates", "合作协议截止日 2024-01-01 早于起始日 2024-01-02", "第十二条", "agreement_to")
    ]
    # Without both dates there is nothing to compare (a missing agreement stops lending elsewhere).
    assert check_bank_admission(replace(BANK, agreement_from=None), TZ_2023_9) == []
    assert check_bank_admission(replace(BANK, agreement_to=None), TZ_2023_9) == []


def test_a_bank_may_lend_on_the_first_and_the_last_day_of_its_agreement():
    assert check_bank_can_lend(BANK, date(2023, 12, 1)) == []
    assert check_bank_can_lend(BANK, date(2025, 11, 29)) == []
    assert codes(check_bank_can_lend(BANK, date(2023, 11, 30))) == ["bank_not_active"]
    assert codes(check_bank_can_lend(BANK, date(2025, 11, 30))) == ["bank_not_active"]


def test_the_refusals_to_lend_read_as_the_bank_needs_them():
    assert check_bank_can_lend(replace(BANK, status="suspended"), date(2025, 6, 5)) == [
        Violation("bank_not_active", "“台儿庄农商银行”在 2025-06-05 的合作状态为“暂停”，不得发放“园区E贷”", "第十八条")
    ]
    assert check_bank_can_lend(BANK, date(2025, 11, 30)) == [
        Violation(
            "bank_not_active",
            "“台儿庄农商银行”的合作协议已于 2025-11-29 到期，2025-11-30 不得发放“园区E贷”；续签协议并更新协议期限后方可登记",
            "第十二条",
        )
    ]
    assert check_bank_can_lend(BANK, date(2023, 11, 30)) == [
        Violation(
            "bank_not_active",
            "“台儿庄农商银行”的合作协议自 2023-12-01 起生效，2023-11-30 尚未生效，不得发放“园区E贷”",
            "第十二条",
        )
    ]
    assert check_bank_can_lend(replace(BANK, agreement_from=None), date(2025, 6, 5)) == [
        Violation(
            "bank_not_active",
            "“台儿庄农商银行”没有填写合作协议期限，不得发放“园区E贷”；请先补充合作协议信息",
            "第十二条",
        )
    ]


def test_a_status_without_a_label_is_shown_by_its_code():
    (v,) = check_bank_can_lend(replace(BANK, status="pending"), date(2025, 6, 5))
    assert (v.message, v.article) == (
        "“台儿庄农商银行”在 2025-06-05 的合作状态为“pending”，不得发放“园区E贷”",
        "第十八条",
    )


# 第十八条: a loan is judged by the bank's status on its drawdown date (effective_on, order, to, from).
SUSPENDED_IN_MARCH = [(date(2024, 3, 1), 1, "suspended", "active"), (date(2024, 6, 1), 2, "active", "suspended")]


def test_the_status_on_a_date_is_the_last_change_made_by_then():
    assert bank_status_on(SUSPENDED_IN_MARCH, date(2024, 3, 1), "active") == "suspended"
    assert bank_status_on(SUSPENDED_IN_MARCH, date(2024, 5, 31), "active") == "suspended"
    assert bank_status_on(SUSPENDED_IN_MARCH, date(2024, 6, 1), "active") == "active"
    assert bank_status_on(list(reversed(SUSPENDED_IN_MARCH)), date(2024, 4, 1), "active") == "suspended"


def test_before_the_first_change_the_status_is_the_one_it_changed_from():
    assert bank_status_on(SUSPENDED_IN_MARCH, date(2024, 2, 29), "suspended") == "active"
    assert bank_status_on([(date(2024, 3, 1), 1, "suspended", None)], date(2024, 2, 1), "suspended") == "suspended"
    assert bank_status_on([], date(2024, 2, 1), "suspended") == "suspended"


def test_two_changes_on_one_day_are_taken_in_their_order():
    same_day = [(date(2024, 3, 1), 2, "active", "suspended"), (date(2024, 3, 1), 1, "suspended", "active")]
    assert bank_status_on(same_day, date(2024, 3, 1), "active") == "active"
    assert bank_status_on(same_day, date(2024, 2, 1), "active") == "active"


def test_a_disqualified_bank_is_disqualified_on_every_date():
    assert bank_status_on(SUSPENDED_IN_MARCH, date(2024, 4, 1), "disqualified") == "disqualified"
    assert bank_status_on([], date(2020, 1, 1), "disqualified") == "disqualified"


def test_the_enterprise_and_list_refusals_of_a_loan_point_at_the_enterprise():
    found = check(on_list=False, enterprise=replace(ENTERPRISE, mu_class="D"))
    assert found == [
        Violation(
            "not_on_list", f"企业“{ENTERPRISE.name}”不在 2025-06-03 有效的推荐企业名单内", "第十条", "enterprise_uscc"
        ),
        Violation(
            "enterprise_ineligible",
            f"企业“{ENTERPRISE.name}”亩产效益评价为D类（限制发展类），不予推荐",
            "第九条",
            "enterprise_uscc",
        ),
    ]


def test_an_amount_of_one_fen_is_a_loan_and_one_with_three_decimals_is_not():
    assert check(replace(LOAN, amount=Decimal("0.01"))) == []
    assert check(replace(LOAN, amount=Decimal("1000.005"))) == [
        Violation("invalid_amount", "贷款金额 1000.005 无效：须为大于零、最多两位小数的金额", None, "amount")
    ]


def test_the_cap_is_checked_for_any_positive_amount_and_not_for_a_refused_one():
    assert codes(check(replace(LOAN, amount=Decimal("0.50")), outstanding=Decimal("4999999.60"))) == [
        "enterprise_cap_exceeded"
    ]
    assert codes(check(replace(LOAN, amount=Decimal("0.00")), outstanding=Decimal("6000000.00"))) == ["invalid_amount"]


def test_the_guarantee_refusal_lists_what_is_allowed():
    (v,) = check(replace(LOAN, guarantees=("mortgage", "pledge")))
    assert (
        v.message
        == "不允许的担保方式：mortgage、pledge（只限法定代表人、控股股东、配偶、实际控制人提供的连带责任保证）"
    )
