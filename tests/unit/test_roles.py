import pytest

from eloan.domain.errors import Violation
from eloan.domain.roles import GOVERNMENT_ROLES, PERMISSIONS, REVIEWING_UNITS, ROLES, may, validate_roles, who_may


def test_the_seven_roles():
    assert ROLES == {
        "zone": "经济开发区",
        "industry": "行业主管部门",
        "fsc": "区金融服务中心",
        "finance": "区财政局",
        "bank": "合作银行",
        "admin": "系统管理员",
        "auditor": "审计监督",
    }


def test_government_and_review_roles():
    assert {"zone", "industry", "fsc", "finance"} == GOVERNMENT_ROLES


def test_the_three_reviewing_units_in_the_order_of_article_16():
    # 第十六条: 开发区、行业主管部门、区金融服务中心 — every page, PDF and notice lists them so.
    assert [ROLES[r] for r in REVIEWING_UNITS] == ["经济开发区", "行业主管部门", "区金融服务中心"]


def test_every_permission_names_known_roles_only():
    for action, roles in PERMISSIONS.items():
        assert roles and roles <= set(ROLES), action


def test_the_reviewing_units_confirm_lists_and_review_claims_and_nobody_else():
    assert PERMISSIONS["lists.confirm"] == PERMISSIONS["claims.review"] == set(REVIEWING_UNITS)


def test_finance_alone_decides_claims_and_moves_money():
    assert PERMISSIONS["claims.decide"] == PERMISSIONS["fund.appropriate"] == {"finance"}


def test_only_banks_file_claims_and_register_loans():
    assert PERMISSIONS["claims.file"] == PERMISSIONS["loans.register"] == {"bank"}


def test_a_bank_reads_its_loans_and_claims_but_not_the_registry_fund_or_drafts():
    assert may(["bank"], "loans.read") and may(["bank"], "claims.read") and may(["bank"], "lists.read_current")
    for action in ("enterprises.read", "fund.read", "lists.read", "sanctions.read", "monitoring.read", "audit.read"):
        assert not may(["bank"], action), action


def test_the_auditor_reads_everything_and_changes_nothing():
    reads = {a for a in PERMISSIONS if a.endswith((".read", ".read_current", ".read_runs"))} | {"ratios.programme"}
    for action in reads:
        assert may(["auditor"], action), action
    for action in set(PERMISSIONS) - reads:
        assert not may(["auditor"], action), action


def test_holding_one_allowed_role_is_enough():
    assert may(["auditor", "zone"], "enterprises.write")
    assert not may([], "enterprises.read")


def test_who_may_lists_roles_in_the_order_of_the_roles_table():
    assert who_may("loans.mark") == ("zone", "industry", "fsc", "finance")
    assert who_may("audit.read") == ("admin", "auditor")


def test_an_unknown_action_is_a_programming_error_not_a_refusal():
    with pytest.raises(KeyError):
        may(["admin"], "loans.delete")


def test_a_person_may_hold_several_government_roles():
    assert validate_roles(["zone", "fsc"], None) == []


def test_bank_user_with_a_bank_is_fine():
    assert validate_roles(["bank"], "RCB") == []


def test_bank_user_needs_a_bank():
    assert validate_roles(["bank"], None) == [Violation("invalid_roles", "合作银行用户必须指定所属银行", None, "bank")]
    assert validate_roles(["bank"], "  ") == [Violation("invalid_roles", "合作银行用户必须指定所属银行", None, "bank")]


def test_bank_user_holds_no_other_role():
    assert validate_roles(["bank", "finance", "zone"], "RCB") == [
        Violation("invalid_roles", "合作银行用户不能同时担任其他角色（区财政局、经济开发区）", None, "roles")
    ]


def test_government_user_has_no_bank():
    assert validate_roles(["finance"], "RCB") == [
        Violation("invalid_roles", "只有合作银行用户可以指定所属银行", None, "bank")
    ]


def test_unknown_role_is_refused():
    assert validate_roles(["ceo", "zone"], None) == [Violation("invalid_roles", "未知角色：ceo", None, "roles")]


def test_a_role_given_twice_counts_once():
    assert validate_roles(["zone", "zone"], None) == []


def test_at_least_one_role():
    assert validate_roles([], None) == [Violation("invalid_roles", "至少需要一个角色", None, "roles")]


def test_a_bank_user_given_an_unknown_role_too_hears_both_problems():
    assert validate_roles(["bank", "ceo"], "RCB") == [
        Violation("invalid_roles", "未知角色：ceo", None, "roles"),
        Violation("invalid_roles", "合作银行用户不能同时担任其他角色（ceo）", None, "roles"),
    ]
