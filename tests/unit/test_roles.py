from eloan.domain.roles import GOVERNMENT_ROLES, REVIEW_ROLES, ROLES, validate_roles


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
    assert GOVERNMENT_ROLES == {"zone", "industry", "fsc", "finance"}
    assert REVIEW_ROLES == {"zone", "industry", "fsc"}


def test_a_person_may_hold_several_government_roles():
    assert validate_roles(["zone", "fsc"], None) == []


def test_bank_user_with_a_bank_is_fine():
    assert validate_roles(["bank"], "RCB") == []


def test_bank_user_needs_a_bank():
    (v,) = validate_roles(["bank"], None)
    assert v.field == "bank"


def test_bank_user_holds_no_other_role():
    (v,) = validate_roles(["bank", "finance"], "RCB")
    assert "区财政局" in v.message


def test_government_user_has_no_bank():
    (v,) = validate_roles(["finance"], "RCB")
    assert v.field == "bank"


def test_unknown_role_is_refused():
    (v,) = validate_roles(["ceo"], None)
    assert "ceo" in v.message


def test_at_least_one_role():
    (v,) = validate_roles([], None)
    assert v.code == "invalid_roles"
