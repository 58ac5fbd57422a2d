"""附件3 贷款损失承担比例确认单 (第五条（三）、第十四条; POLICY.md §12.3): what the signatories confirm."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from eloan.domain.policy import TZ_2023_9
from eloan.pdf.attachment3 import BLANK_DATE, attachment3_context, exact_percent, render_attachment3

LONG_NAME = "中国农业银行股份有限公司枣庄台儿庄经济开发区运河大道科技金融特色支行营业部"


def bank(**fields):
    values = {
        "code": "B1",
        "name": "中国农业银行股份有限公司枣庄台儿庄支行",
        "loss_share": Decimal("0.3000"),
        "agreement_no": "TZYQ-2023-01",
        "agreement_from": date(2023, 12, 1),
        "agreement_to": date(2025, 11, 29),
        "product_name": "园区E贷",
    }
    values.update(fields)
    return SimpleNamespace(**values)


def _flat(text):
    return re.sub(r"\s+", "", text)


# --- the context --------------------------------------------------------------------------


def test_the_fund_covers_what_the_bank_does_not():
    context = attachment3_context(bank(), TZ_2023_9)

    assert context["loss_share_text"] == "30.00%"
    assert context["fund_ratio"] == Decimal("0.7000") and context["fund_ratio_text"] == "70.00%"
    assert "由该行承担30.00%" in context["statement"] and "按70.00%的比例" in context["statement"]
    assert "不良贷款本金的80.00%" in context["statement"]


def test_the_share_prints_exactly_never_rounded():
    assert exact_percent(Decimal("0.301234")) == "30.1234%"
    assert exact_percent(Decimal("0.25")) == "25.00%"
    assert attachment3_context(bank(loss_share=Decimal("0.333333")), TZ_2023_9)["loss_share_text"] == "33.3333%"


def test_the_fund_ratio_never_passes_the_cap_and_a_share_below_the_minimum_is_flagged():
    context = attachment3_context(bank(loss_share=Decimal("0.15")), TZ_2023_9)

    assert context["fund_ratio_text"] == "80.00%"  # min(85 %, 80 %), 第十四条
    assert "该行实际承担20.00%" in context["statement"]
    assert context["share_too_low"] and "低于政策规定的最低比例20.00%" in context["banner"]
    assert attachment3_context(bank(), TZ_2023_9)["banner"] == ""


def test_the_ratios_follow_the_policy_version_given():
    policy = dataclasses.replace(TZ_2023_9, code="TZ-2025-X", max_compensation_ratio=Decimal("0.6000"))

    context = attachment3_context(bank(), policy)

    assert context["fund_ratio_text"] == "60.00%" and context["policy_code"] == "TZ-2025-X"


def test_the_number_is_the_agreements_or_else_made_from_the_bank_code():
    assert attachment3_context(bank(), TZ_2023_9)["document_number"] == "TZYQ-2023-01"
    assert attachment3_context(bank(agreement_no=None), TZ_2023_9)["document_number"] == "园区E贷合作协议-B1"


def test_the_form_is_dated_by_the_agreement_unless_told_otherwise():
    assert attachment3_context(bank(), TZ_2023_9)["date_text"] == "2023年12月1日"
    assert attachment3_context(bank(), TZ_2023_9, dated=date(2024, 1, 5))["date_text"] == "2024年1月5日"
    assert attachment3_context(bank(agreement_from=None, agreement_to=None), TZ_2023_9)["date_text"] == BLANK_DATE


def test_the_period_is_the_agreements_in_chinese_dates():
    assert attachment3_context(bank(), TZ_2023_9)["period_text"] == "2023年12月1日至2025年11月29日"
    assert attachment3_context(bank(agreement_to=None), TZ_2023_9)["period_text"].startswith("自2023年12月1日起")


# --- the printed form -------------------------------------------------------------------


def test_printed_form_shows_bank_ratios_period_policy_and_articles(pdf):
    printed = render_attachment3(bank(), TZ_2023_9)
    text = pdf.text(printed)
    flat = _flat(text)

    for expected in (
        "附件3",
        "台儿庄区“园区E贷”",
        "贷款损失承担比例确认单",
        "编号：TZYQ-2023-01",
        "日期：2023年12月1日",
        "中国农业银行股份有限公司枣庄台儿庄支行",
        "30.00%",
        "70.00%",
        "2023年12月1日至2025年11月29日",
    ):
        assert expected in flat
    assert "TZ-2023-9" in flat and "第五条（三）、第十四条" in flat
    assert "《台儿庄区“园区E贷”实施办法（试行）》" in flat
    assert "由该行承担30.00%" in flat


def test_printed_form_has_seal_boxes_for_the_bank_and_both_departments(pdf):
    text = pdf.text(render_attachment3(bank(), TZ_2023_9))

    for unit in ("合作银行", "区金融服务中心", "区财政局"):
        assert unit in text
    assert text.count("（盖章）") == 3 and text.count("负责人（签字）") == 3
    assert text.count("年") >= 3 and "草稿" not in text


def test_the_form_is_one_numbered_page_even_with_a_long_name_and_a_warning(pdf):
    for printed in (
        render_attachment3(bank(), TZ_2023_9),
        render_attachment3(
            bank(name=LONG_NAME, loss_share=Decimal("0.15"), agreement_no=None, agreement_from=None, agreement_to=None),
            TZ_2023_9,
        ),
    ):
        assert pdf.pages(printed) == 1
        assert "第 1 页 共 1 页" in pdf.text(printed)


def test_markup_in_a_bank_name_prints_as_typed(pdf):
    name = "<b>台儿庄</b>&农商银行"

    assert name in pdf.text(render_attachment3(bank(name=name), TZ_2023_9))


def test_a_stored_bank_prints_with_the_policy_in_force(reference, make_bank, pdf):
    from eloan.services.reference import policy_on

    stored = make_bank(
        "B2",
        name="枣庄农村商业银行台儿庄支行",
        loss_share="0.2500",
        agreement_from=date(2023, 12, 1),
        agreement_to=date(2025, 11, 29),
    )

    text = _flat(pdf.text(render_attachment3(stored, policy_on(stored.agreement_from))))

    assert "25.00%" in text and "75.00%" in text and "编号：园区E贷合作协议-B2" in text


def test_a_share_above_one_is_not_printed():
    with pytest.raises(ValueError):
        attachment3_context(bank(loss_share=Decimal("1.2")), TZ_2023_9)
