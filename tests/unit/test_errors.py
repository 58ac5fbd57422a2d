from datetime import date

from eloan.domain.errors import (
    DomainError,
    Forbidden,
    NoPolicyInForce,
    NotFound,
    RuleViolation,
    StateConflict,
    Violation,
)


def test_rule_violation_carries_every_violation_and_joins_the_messages():
    err = RuleViolation([Violation("a", "甲"), Violation("b", "乙", "第六条", "amount")])
    assert [v.code for v in err.violations] == ["a", "b"]
    assert "甲" in str(err) and "乙" in str(err)
    assert isinstance(err, DomainError)


def test_state_conflict_has_code_and_message():
    err = StateConflict("already_paid", "已拨付")
    assert (err.code, err.message, str(err)) == ("already_paid", "已拨付", "已拨付")


def test_forbidden_defaults_its_code():
    err = Forbidden("仅区财政局可以拨付")
    assert err.code == "forbidden"
    assert err.message == "仅区财政局可以拨付"
    assert Forbidden(code="four_eyes").code == "four_eyes"


def test_not_found_message_is_optional():
    assert isinstance(NotFound(), DomainError)
    assert NotFound("无此贷款").message == "无此贷款"


def test_no_policy_in_force_says_the_date():
    err = NoPolicyInForce(date(2026, 1, 5))
    (v,) = err.violations
    assert v == Violation(
        "no_policy_in_force",
        "2026-01-05 没有有效的政策版本（no policy in force on 2026-01-05）",
        None,
    )
