"""附件1 推荐企业名单 (第十条; POLICY.md §12.1): what an official reading the printed list checks."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from eloan.pdf.attachment1 import BLANK_DATE, attachment1_context, render_attachment1
from tests.fixtures.forms import beijing
from tests.fixtures.registry import uscc

THREE = [
    (
        "台儿庄新材料科技有限公司",
        "1234000.00",
        {
            "industry": "new_materials",
            "size_class": "small",
            "mu_class": "A",
            "mu_year": 2023,
            "legal_rep": "王建国",
            "phone": "0632-6612345",
        },
    ),
    ("枣庄储能装备有限公司", "865000.00", {"industry": "new_energy", "size_class": "micro"}),
    (
        "鲁南医药股份有限公司",
        "2345678.90",
        {"industry": "next_gen_it", "size_class": "medium", "mu_class": "B", "mu_year": 2022},
    ),
]
LONG_NAME = "台儿庄经济开发区高端装备与新一代信息技术产业融合发展研究院科技成果转化股份有限公司"


def _issued(make_batch, entries=THREE, **fields):
    fields = {"effective_from": date(2024, 3, 5), "issued_at": beijing("2024-03-04 16:00"), **fields}
    return make_batch(entries, **fields)


def _flat(text):
    """Text without line breaks: a header such as 推荐额度（万元） wraps inside its cell."""
    return re.sub(r"\s+", "", text)


def _many(n):
    return [(f"第{i}号测试企业有限公司", "1000000.00") for i in range(1, n + 1)]


# --- the context --------------------------------------------------------------------------


def test_total_is_the_exact_sum_of_the_recommended_amounts(make_batch):
    context = attachment1_context(_issued(make_batch))

    assert context["count"] == 3
    assert context["total"] == Decimal("4444678.90")
    assert isinstance(context["total"], Decimal)
    assert context["total_wan"] == "444.4679"
    assert [row.amount_wan for row in context["rows"]] == ["123.4", "86.5", "234.5679"]


def test_rows_follow_the_list_order_numbered_from_one(make_batch):
    rows = attachment1_context(_issued(make_batch))["rows"]

    assert [row.number for row in rows] == [1, 2, 3]
    assert [row.name for row in rows] == [name for name, *_ in THREE]


def test_rows_carry_chinese_labels_and_blanks_for_unknowns(make_batch):
    first, second, third = attachment1_context(_issued(make_batch))["rows"]

    assert (first.industry, first.size, first.mu) == ("新材料", "小型", "A（2023）")
    # make_batch stores entries last-first, so the first row's enterprise was made third.
    assert (first.legal_rep, first.phone, first.uscc) == ("王建国", "0632-6612345", uscc(3))
    assert (second.industry, second.size, second.mu, second.legal_rep, second.phone) == ("新能源", "微型", "", "", "")
    assert (third.industry, third.size, third.mu) == ("新一代信息技术", "中型", "B（2022）")


def test_a_confirmation_is_dated_by_the_beijing_day(make_batch, confirm):
    batch = _issued(make_batch)
    confirm(batch, "zone", at="2024-03-01 07:30")  # 2024-02-29 23:30 UTC

    zone, industry, fsc = attachment1_context(batch)["units"]

    assert (zone.name, zone.confirmed_on, zone.date_text) == ("经济开发区", date(2024, 3, 1), "2024年3月1日")
    assert (industry.name, fsc.name) == ("行业主管部门", "区金融服务中心")
    assert industry.confirmed_on is None and fsc.date_text == BLANK_DATE


def test_a_confirmation_cleared_by_a_return_leaves_the_unit_blank(make_batch, confirm):
    batch = make_batch(THREE, status="draft")
    confirm(batch, "industry", at="2024-02-20 10:00", cleared_at="2024-02-21 09:00")
    confirm(batch, "fsc", at="2024-02-21 09:00", action="return")
    confirm(batch, "fsc", at="2024-02-26 15:00")

    _, industry, fsc = attachment1_context(batch)["units"]

    assert industry.confirmed_on is None
    assert fsc.confirmed_on == date(2024, 2, 26)


def test_a_draft_has_no_effective_date_and_carries_the_draft_mark(make_batch):
    batch = make_batch(THREE, status="draft", effective_from=date(2024, 3, 5))

    context = attachment1_context(batch)

    assert context["effective_text"] == "（未发布）"
    assert context["watermark"] == "草稿"
    assert context["banner"].startswith("草稿")
    assert context["issued_text"] == BLANK_DATE


def test_an_issued_list_has_its_effective_and_issue_dates_and_no_draft_mark(make_batch):
    context = attachment1_context(_issued(make_batch))

    assert context["effective_text"] == "2024年3月5日"
    assert context["issued_text"] == "2024年3月4日"
    assert context["expiry_text"] == ""
    assert context["watermark"] == "" and context["banner"] == ""


def test_a_superseded_list_shows_when_it_ceased(make_batch):
    context = attachment1_context(_issued(make_batch, status="superseded", effective_to=date(2024, 9, 30)))

    assert context["expiry_text"] == "2024年9月30日"


# --- the printed form -------------------------------------------------------------------


def test_printed_list_shows_title_batch_enterprises_codes_and_amounts(make_batch, pdf):
    batch = _issued(make_batch, title="2024年第一批", note="额度为推荐额度，由合作银行独立审贷。")

    text = pdf.text(render_attachment1(batch))

    for expected in (
        "附件1",
        "台儿庄区“园区E贷”",
        "推荐企业名单",
        "（2024年第一批）",
        "批次编号：2024-第1批",
        "生效日期：2024年3月5日",
        "A（2023）",
        "新一代信息技术",
        "说明：额度为推荐额度，由合作银行独立审贷。",
    ):
        assert expected in text
    for number, (name, *_) in enumerate(THREE, start=1):
        assert name in text
        assert uscc(number) in text
    assert "推荐额度（万元）" in _flat(text)
    for amount in ("123.4", "86.5", "234.5679"):
        assert amount in text
    assert "合计：企业 3 户，推荐额度合计 444.4679 万元" in text
    assert "草稿" not in text


def test_each_amount_prints_on_its_enterprises_row(make_batch, pdf):
    words = pdf.words(render_attachment1(_issued(make_batch)))

    def row_of(text):
        (word,) = [w for w in words if w[4] == text]
        return word[1], word[3]

    for name, amount in (("枣庄储能装备有限公司", "86.5"), ("鲁南医药股份有限公司", "234.5679")):
        (name_top, name_bottom), (amount_top, amount_bottom) = row_of(name), row_of(amount)
        assert amount_top < name_bottom and name_top < amount_bottom


def test_printed_list_names_the_confirming_units_with_their_dates(make_batch, confirm, pdf):
    batch = _issued(make_batch)
    confirm(batch, "zone", at="2024-03-01 09:00")
    confirm(batch, "industry", at="2024-03-02 10:00")

    text = pdf.text(render_attachment1(batch))

    assert "确认单位" in text
    for unit in ("经济开发区", "行业主管部门", "区金融服务中心"):
        assert unit in text
    assert "2024年3月1日" in text and "2024年3月2日" in text
    assert text.count("（盖章）") == 3
    assert "印发日期：2024年3月4日" in text


def test_a_short_list_fits_on_one_page_with_its_seals(make_batch, pdf):
    printed = render_attachment1(_issued(make_batch))

    assert pdf.pages(printed) == 1
    assert "第 1 页 共 1 页" in pdf.text(printed)


def test_a_long_list_numbers_its_pages_and_repeats_the_header_on_each(make_batch, pdf):
    printed = render_attachment1(_issued(make_batch, _many(40)))

    pages = pdf.pages(printed)
    assert pages >= 2
    for page in range(1, pages + 1):
        text = pdf.text(printed, page=page)
        assert f"第 {page} 页 共 {pages} 页" in text
        assert "统一社会信用代码" in text and "推荐额度（万元）" in _flat(text)
    last = pdf.text(printed, page=pages)
    assert "第40号测试企业有限公司" in last and "（盖章）" in last  # seals never stand alone


def test_the_seals_share_their_page_with_the_end_of_the_list(make_batch, pdf):
    crowded = [(LONG_NAME, "500000.00"), *THREE[1:]]
    batch = _issued(make_batch, crowded, title="2024年第一批", note="推荐额度为参考额度，合作银行独立审贷。")

    printed = render_attachment1(batch)

    last = pdf.text(printed, page=pdf.pages(printed))
    assert "（盖章）" in last and "鲁南医药股份有限公司" in last


def test_a_draft_is_marked_on_every_page(make_batch, pdf):
    printed = render_attachment1(make_batch(_many(40), status="draft"))

    assert "草稿：" in pdf.text(printed, page=1)
    assert "生效日期：（未发布）" in pdf.text(printed, page=1)
    for page in range(1, pdf.pages(printed) + 1):
        big = {w[4] for w in pdf.words(printed, page=page) if w[3] - w[1] > 100}
        assert {"草", "稿"} <= big


def test_a_long_name_wraps_inside_its_cell(make_batch, pdf):
    batch = _issued(make_batch, [(LONG_NAME, "500000.00")])

    words = pdf.words(render_attachment1(batch))

    (code,) = [w for w in words if w[4] == uscc(1)]
    (total,) = [w for w in words if w[4].startswith("合计")]
    name_lines = [w for w in words if w[4] in LONG_NAME and len(w[4]) > 1 and w[3] < total[1]]
    assert "".join(w[4] for w in name_lines) == LONG_NAME
    assert len({w[1] for w in name_lines}) >= 2
    assert all(w[2] < code[0] for w in name_lines)


def test_markup_in_a_name_prints_as_typed(make_batch, pdf):
    name = "<b>台儿庄</b>&科技有限公司"

    text = pdf.text(render_attachment1(_issued(make_batch, [(name, "100000.00")])))

    assert name in text


def test_an_empty_batch_prints_a_zero_total(make_batch, pdf):
    text = pdf.text(render_attachment1(make_batch([], status="draft")))

    assert "本批次尚无推荐企业" in text
    assert "合计：企业 0 户，推荐额度合计 0 万元" in text


def test_plain_objects_render_without_an_app(pdf):
    enterprise = SimpleNamespace(
        name="独立渲染测试有限公司",
        uscc=uscc(9),
        industry="new_energy",
        size_class=None,
        mu_class=None,
        mu_year=None,
        legal_rep=None,
        phone=None,
    )
    batch = SimpleNamespace(
        number="2025-第2批",
        title="",
        status="issued",
        effective_from=date(2025, 1, 2),
        effective_to=None,
        issued_at=None,
        note="",
        confirmations=[],
        entries=[
            SimpleNamespace(position=0, enterprise=enterprise, note=None, recommended_amount=Decimal("3000000.00"))
        ],
    )

    text = pdf.text(render_attachment1(batch))

    assert "独立渲染测试有限公司" in text and "批次编号：2025-第2批" in text
    assert "推荐额度合计 300 万元" in text
