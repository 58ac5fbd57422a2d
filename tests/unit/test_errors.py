from datetime import date

from eloan.domain.errors import (
    DomainError,
    FileMissing,
    Forbidden,
    NoPolicyInForce,
    NotFound,
    RuleViolation,
    StateConflict,
    StorageFull,
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


def test_not_found_and_forbidden_read_as_their_message():
    assert str(NotFound()) == "未找到（not found）"
    assert str(NotFound("无此贷款")) == "无此贷款"
    assert str(Forbidden()) == "无权执行此操作（forbidden）"
    assert str(Forbidden("仅区财政局可以拨付")) == "仅区财政局可以拨付"


def test_no_policy_in_force_keeps_the_date():
    assert NoPolicyInForce(date(2026, 1, 5)).date == date(2026, 1, 5)


def test_a_full_disk_is_said_beside_the_upload_field():
    assert StorageFull().violations == [
        Violation("storage_full", "存储空间不足，文件未保存，请联系系统管理员。", None, "file")
    ]
    assert StorageFull(field="proof").violations[0].field == "proof"
    assert isinstance(StorageFull(), RuleViolation)


def test_a_file_gone_from_the_disk_is_named_and_told_to_the_administrator():
    err = FileMissing("合同.pdf")
    assert (err.code, err.message) == (
        "file_missing",
        "文件“合同.pdf”在服务器上已找不到，无法下载。请联系系统管理员从备份恢复该文件。",
    )
    assert isinstance(err, NotFound)
