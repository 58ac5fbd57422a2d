"""An enterprise record read from a form, an API body or a spreadsheet row (第三、四条; POLICY.md §4)."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from eloan.domain.errors import Violation
from eloan.domain.registry import MAX_EMPLOYEES, EnterpriseData, mu_label, parse_enterprise_data

USCC = "91350100M000100Y43"
# A row as the development zone's spreadsheet gives it: every cell text, enumerations by their Chinese labels.
ROW = {
    "uscc": " 91350100m000100y43 ",
    "name": " 台儿庄精工机械有限公司 ",
    "industry": "高端装备",
    "size_class": "小型",
    "in_zone": "是",
    "special_approval_note": None,
    "established_on": "2018/03/15",
    "employees": "1,200",
    "revenue": "35,000,000.00",
    "tax_sales": "30000000",
    "mu_class": "a类",
    "mu_year": "2024",
    "legal_rep": "王强",
    "phone": "0632-6611234",
    "address": "台儿庄经济开发区纬二路 8 号",
}


def parse(**changes):
    return parse_enterprise_data({**ROW, **changes})


def refused(**changes):
    data, problems = parse(**changes)
    assert data is None
    return problems


def test_a_spreadsheet_row_is_read_into_a_clean_record():
    assert parse() == (
        EnterpriseData(
            uscc=USCC,
            name="台儿庄精工机械有限公司",
            industry="high_end_equipment",
            size_class="small",
            size_class_given=True,
            in_zone=True,
            special_approval_note=None,
            established_on=date(2018, 3, 15),
            employees=1200,
            revenue=Decimal("35000000.00"),
            tax_sales=Decimal("30000000.00"),
            mu_class="A",
            mu_year=2024,
            legal_rep="王强",
            phone="0632-6611234",
            address="台儿庄经济开发区纬二路 8 号",
        ),
        [],
    )


def test_an_api_body_with_typed_values_is_read_alike():
    data, problems = parse_enterprise_data(
        {
            "uscc": USCC,
            "name": "甲公司",
            "industry": "new_energy",
            "size_class": "medium",
            "in_zone": False,
            "special_approval_note": 2024,
            "established_on": date(2018, 3, 15),
            "employees": 350,
            "revenue": Decimal("25000000.00"),
            "mu_year": Decimal("2024"),
        }
    )
    assert problems == []
    assert (data.industry, data.size_class, data.in_zone, data.special_approval_note) == (
        "new_energy",
        "medium",
        False,
        "2024",
    )
    assert (data.established_on, data.employees, data.revenue, data.mu_year) == (
        date(2018, 3, 15),
        350,
        Decimal("25000000.00"),
        2024,
    )
    assert (data.tax_sales, data.mu_class, data.legal_rep, data.phone, data.address) == (None,) * 5


def test_a_spreadsheet_date_cell_may_be_a_datetime_or_a_date_and_time_text():
    assert parse(established_on=datetime(2018, 3, 15, 9, 30))[0].established_on == date(2018, 3, 15)
    assert parse(established_on="2018-03-15 00:00:00")[0].established_on == date(2018, 3, 15)


def test_the_size_class_label_may_carry_the_word_enterprise():
    assert parse(size_class="中型企业")[0].size_class == "medium"
    assert parse(size_class="micro")[0].size_class == "micro"


def test_without_a_size_class_it_is_computed_from_employees_and_revenue():
    data, _ = parse(size_class=None, employees="350", revenue="25000000")
    assert (data.size_class, data.size_class_given) == ("medium", False)
    data, _ = parse(size_class=" ", employees=None)
    assert (data.size_class, data.size_class_given) == (None, False)
    assert parse(size_class=None, revenue=None)[0].size_class is None


@pytest.mark.parametrize(
    "typed, in_zone",
    [
        ("是", True),
        ("区内", True),
        ("Yes", True),
        ("1", True),
        ("否", False),
        ("区外", False),
        ("N", False),
        ("0", False),
        (None, True),
        (True, True),
        (False, False),
    ],
)
def test_in_the_zone_is_read_from_yes_or_no_and_defaults_to_yes(typed, in_zone):
    assert parse(in_zone=typed)[0].in_zone is in_zone


def test_in_the_zone_must_be_yes_or_no():
    assert refused(in_zone="也许") == [Violation("invalid_field", "是否在开发区内：请填写“是”或“否”", None, "in_zone")]


def test_an_empty_row_names_every_required_field():
    data, problems = parse_enterprise_data({})
    assert data is None
    assert problems == [
        Violation("invalid_uscc", "统一社会信用代码“”无效：不能为空", "第三条", "uscc"),
        Violation("invalid_field", "企业名称：不能为空", None, "name"),
        Violation(
            "invalid_field",
            "所属行业：请选择：高端装备、新材料、新能源、新医药、新一代信息技术、其他",
            None,
            "industry",
        ),
    ]


def test_a_wrong_credit_code_is_refused_with_the_reason():
    assert refused(uscc="91350100M000100Y44") == [
        Violation(
            "invalid_uscc",
            "统一社会信用代码“91350100M000100Y44”无效：统一社会信用代码校验码错误：第18位应为“3”，实际为“4”",
            "第三条",
            "uscc",
        )
    ]


def test_a_float_anywhere_is_refused_before_anything_else():
    assert parse(revenue=1.5) == (None, [Violation("invalid_field", "数值不能是浮点数，请用字符串或整数", None, None)])


@pytest.mark.parametrize(
    "field, limit, label",
    [("name", 200, "企业名称"), ("legal_rep", 50, "法定代表人"), ("phone", 30, "联系电话"), ("address", 200, "地址")],
)
def test_text_fields_fit_their_columns(field, limit, label):
    assert parse(**{field: "x" * limit})[1] == []
    assert refused(**{field: "x" * (limit + 1)}) == [
        Violation("invalid_field", f"{label}：不超过 {limit} 个字符", None, field)
    ]


def test_an_unknown_industry_or_size_is_refused():
    assert [v.field for v in refused(industry="钢铁")] == ["industry"]
    assert refused(size_class="巨型") == [
        Violation("invalid_field", "企业规模：请填写 大型、中型、小型 或 微型", None, "size_class")
    ]


def test_the_number_of_employees_is_a_whole_number_from_zero_up():
    assert parse(employees="0")[0].employees == 0
    assert parse(employees=MAX_EMPLOYEES)[0].employees == MAX_EMPLOYEES
    assert parse(employees=Decimal("12"))[0].employees == 12
    problem = [Violation("invalid_field", "从业人员（人）：须为不小于零的整数", None, "employees")]
    for bad in ("-1", MAX_EMPLOYEES + 1, Decimal("12.5"), True, "十二"):
        assert refused(employees=bad) == problem, bad


def test_amounts_are_yuan_to_the_fen_and_too_large_ones_say_so():
    assert refused(revenue="12.345") == [
        Violation("invalid_field", "营业收入（元）：须为不小于零、最多两位小数的金额（元）", None, "revenue")
    ]
    assert refused(tax_sales="1" * 16) == [
        Violation("invalid_field", "纳税销售收入（元）：金额超出范围", None, "tax_sales")
    ]


def test_a_date_must_be_written_year_month_day():
    assert refused(established_on="15.03.2018") == [
        Violation("invalid_field", "成立日期：请使用 YYYY-MM-DD 格式", None, "established_on")
    ]


def test_the_mu_class_is_a_to_d_with_its_evaluation_year_from_2000_to_2100():
    assert parse(mu_class="D", mu_year="2000")[0].mu_class == "D"
    assert parse(mu_class="b", mu_year="2100")[0].mu_year == 2100
    year = [Violation("invalid_field", "亩产效益评价年度：须为年份，如 2024", None, "mu_year")]
    assert refused(mu_year="1999") == year
    assert refused(mu_year="2101") == year
    assert refused(mu_class="E") == [Violation("invalid_field", "亩产效益类别：请填写 A、B、C 或 D", None, "mu_class")]
    assert refused(mu_year=None) == [
        Violation("invalid_field", "亩产效益评价年度：填写亩产效益类别时须注明评价年度", None, "mu_year")
    ]
    assert parse(mu_class=None, mu_year=None)[0].mu_class is None


def test_every_problem_is_reported_at_once():
    problems = refused(name="", industry="钢铁", employees="-1", mu_class="E", phone="1" * 31)
    assert [v.field for v in problems] == ["name", "phone", "industry", "employees", "mu_class"]


def test_the_forms_print_the_mu_class_with_its_year():
    assert mu_label("A", 2024) == "A（2024）"
    assert mu_label("B", None) == "B"
    assert mu_label(None, 2024) == ""
    assert mu_label("", None) == ""
