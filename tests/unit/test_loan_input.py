"""A loan registration read from a form, an API body or a spreadsheet row (第六、七条; POLICY.md §6)."""

from datetime import date, datetime
from decimal import Decimal

from eloan.domain.errors import Violation
from eloan.domain.loan_input import LoanInput, parse_loan_input

ROW = {
    "contract_no": "HT-2024-001",
    "enterprise_uscc": "91350100M000100Y43",
    "amount": "500000.00",
    "rate_percent": "3.60",
    "contract_date": "2024-06-03",
    "drawdown_date": "2024-06-05",
    "maturity_date": "2025-06-05",
    "guarantees": "法定代表人",
}


def parse(**changes):
    return parse_loan_input({**ROW, **changes})


def test_a_row_is_read_into_the_loan_to_register():
    assert parse() == (
        LoanInput(
            contract_no="HT-2024-001",
            enterprise_uscc="91350100M000100Y43",
            amount=Decimal("500000.00"),
            rate_percent=Decimal("3.60"),
            contract_date=date(2024, 6, 3),
            drawdown_date=date(2024, 6, 5),
            maturity_date=date(2025, 6, 5),
            guarantees=("legal_rep",),
        ),
        [],
    )


def test_dates_may_come_typed_or_as_a_date_and_time_text():
    data, _ = parse(
        contract_date=date(2024, 6, 3), drawdown_date=datetime(2024, 6, 5, 9, 0), maturity_date="2025-06-05 00:00:00"
    )
    assert (data.contract_date, data.drawdown_date, data.maturity_date) == (
        date(2024, 6, 3),
        date(2024, 6, 5),
        date(2025, 6, 5),
    )


def test_guarantees_may_be_a_list_of_labels_or_codes_and_unknown_ones_are_kept_to_be_refused():
    assert parse(guarantees=["法定代表人", "spouse"])[0].guarantees == ("legal_rep", "spouse")
    assert parse(guarantees="控股股东；抵押、")[0].guarantees == ("controlling_shareholder", "抵押")
    assert parse(guarantees=None)[0].guarantees == ()


def test_a_contract_number_is_at_most_sixty_characters():
    assert parse(contract_no="x" * 60)[1] == []
    assert parse(contract_no="x" * 61) == (
        None,
        [Violation("invalid_field", "合同编号：不能为空，且不超过 60 个字符", None, "contract_no")],
    )


def test_an_amount_of_less_than_one_yuan_is_still_an_amount():
    assert parse(amount="0.50")[0].amount == Decimal("0.50")
    assert parse(rate_percent="0.5")[0].rate_percent == Decimal("0.5")


def test_each_bad_field_is_refused_with_its_label_and_what_to_change():
    data, problems = parse_loan_input(
        {"contract_no": " ", "amount": "0", "rate_percent": "0", "contract_date": "2024-06-31", "drawdown_date": None}
    )
    assert data is None
    assert problems == [
        Violation("invalid_field", "合同编号：不能为空，且不超过 60 个字符", None, "contract_no"),
        Violation("invalid_field", "借款企业统一社会信用代码：不能为空", None, "enterprise_uscc"),
        Violation("invalid_field", "贷款金额（元）：须为大于零、最多两位小数的金额", None, "amount"),
        Violation("invalid_field", "年利率（%）：须大于 0", None, "rate_percent"),
        Violation("invalid_field", "合同签订日：请使用 YYYY-MM-DD 格式", None, "contract_date"),
        Violation("invalid_field", "提款日：请使用 YYYY-MM-DD 格式", None, "drawdown_date"),
        Violation("invalid_field", "到期日：请使用 YYYY-MM-DD 格式", None, "maturity_date"),
    ]


def test_the_parsers_reason_follows_the_fields_label():
    assert parse(amount="1.005")[1] == [
        Violation(
            "invalid_field",
            "贷款金额（元）：“1.005”最多 2 位小数，请改正后再提交（系统不会自动四舍五入）",
            None,
            "amount",
        )
    ]
    assert parse(amount=1.5)[1] == [
        Violation("invalid_field", "贷款金额（元）：请以字符串填写金额或利率，不接受浮点数", None, "amount")
    ]
