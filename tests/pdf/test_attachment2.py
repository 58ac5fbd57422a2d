"""附件2 风险补偿资金申请表 and 区财政局's written opinion (第十五、十六条; POLICY.md §7, §12.2):
what an official reading the printed pages checks. The claim is POLICY.md §7's example: P ¥1,234,567.89,
bank share 30 %, f 70 %, C ¥864,197.52."""

from __future__ import annotations

import re

import pytest

from eloan.pdf.attachment2 import attachment2_context, render_attachment2, render_opinion
from eloan.services import claims
from tests.fixtures.claims import approved_claim, complete, reviewed

C_FIGURES, C_CAPITALS = "¥864,197.52", "捌拾陆万肆仟壹佰玖拾柒元伍角贰分"
P_FIGURES, P_CAPITALS = "¥1,234,567.89", "壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分"


def _flat(text):
    """Text without line breaks and spaces: a cell wraps its text where the column ends."""
    return re.sub(r"\s+", "", text)


def _lines(words):
    """Words read as a person reads them: line by line (tops within 3 pt), left to right."""
    ordered, line, top = [], [], None
    for word in sorted(words, key=lambda w: w[1]):
        if top is not None and word[1] - top > 3:
            ordered += sorted(line, key=lambda w: w[0])
            line = []
        top = word[1] if not line else top
        line.append(word)
    ordered += sorted(line, key=lambda w: w[0])
    return "".join(w[4] for w in ordered)


def _beside(words, label):
    """What prints on the label's line to its right: the value cells of a row of the form."""
    (head,) = [w for w in words if w[4] == label]
    return _lines([w for w in words if w[0] > head[2] and w[1] < head[3] and w[3] > head[1]])


def _box(words, unit):
    """The text of one opinion box: under its heading, in its column, down to the next heading."""
    (head,) = [w for w in words if w[4] == f"{unit}意见："]
    column = [w for w in words if head[0] - 2 <= w[0] < head[0] + 230 and w[1] >= head[1] - 1]
    ends = [w[1] for w in column if w[4].endswith("意见：") and w[1] > head[1] + 1]
    footer = [w[1] for w in words if w[4] == "第"]
    bottom = min(ends + footer)
    return _lines([w for w in column if w[1] < bottom])


def _submitted(people, measures=None):
    claim = claims.open_claim(people["teller"], people["loan"].id)
    complete(people["teller"], claim)
    claims.submit(people["teller"], claim.id, measures)
    return claim


def _opinion(people, decision, amount=None, reason=None):
    claim = reviewed(people, _submitted(people))
    claims.give_opinion(people["finance"], claim.id, decision, amount, reason)
    return claim


# --- the application form ----------------------------------------------------------------


def test_amounts_print_in_figures_and_in_capitals(npl, pdf):
    printed = render_attachment2(approved_claim(npl))

    words = pdf.words(printed)
    assert _beside(words, "申请补偿金额") == f"{C_FIGURES}（大写）人民币{C_CAPITALS}"
    assert _beside(words, "不良贷款本金") == f"{P_FIGURES}（大写）人民币{P_CAPITALS}"
    assert _beside(words, "银行承担比例") == "30.00%风险补偿资金补偿比例70.00%"


def test_the_form_names_the_bank_the_enterprise_and_the_loan(npl, pdf):
    claim = approved_claim(npl)

    text = pdf.text(render_attachment2(claim))

    for expected in (
        "附件2",
        "台儿庄区“园区E贷”风险补偿资金申请表",
        f"编号：补偿申请第{claim.id}号",
        "申请日期：2024年9月30日",
        "B1银行台儿庄支行",
        "枣庄测试1号科技有限公司",
        npl["loan"].enterprise.uscc,
        "HT-NPL-1",
        "3.60%",
        "2024年6月5日",
        "2025年6月5日",
    ):
        assert expected in text
    flat = _flat(text)
    assert "逾期日2024年9月2日" in flat and "不良认定日2024年9月27日" in flat
    assert "草稿" not in text


def test_uploaded_materials_are_ticked_and_the_list_always_is(npl, pdf):
    text = _flat(pdf.text(render_attachment2(approved_claim(npl))))

    for ticked in ("☑①推荐企业名单", "☑②申请表", "☑③借款合同", "☑④不良贷款认定证明"):
        assert ticked in text
    assert "☐⑤其他相关证明材料" in text


def test_the_three_reviews_and_the_finance_opinion_fill_their_boxes(npl, pdf):
    printed = render_attachment2(approved_claim(npl))

    words = pdf.words(printed)
    for unit, reviewer in (("经济开发区", "zone"), ("行业主管部门", "industry"), ("区金融服务中心", "fsc")):
        assert _box(words, unit) == f"{unit}意见：同意。经办人：{reviewer}（盖章）2024年9月30日"
    assert _box(words, "区财政局") == (
        f"区财政局意见：同意补偿{C_FIGURES}（人民币{C_CAPITALS}）。经办人：finance（盖章）2024年9月30日"
    )
    assert pdf.text(printed).count("（盖章）") == 5  # the bank and the four units


def test_a_review_comment_prints_in_its_units_box(npl, pdf):
    claim = _submitted(npl)
    claims.review(npl["zone"], claim.id, "approve", "经核实，企业在园区内。")

    words = pdf.words(render_attachment2(claim))

    assert _box(words, "经济开发区") == "经济开发区意见：同意。经核实，企业在园区内。经办人：zone（盖章）2024年9月30日"
    assert _box(words, "行业主管部门") == "行业主管部门意见：负责人（签字）：（盖章）年月日"  # left for a pen


def test_collection_measures_print_as_written(npl, pdf):
    written = _submitted(npl, "9月3日起电话催收3次；9月20日申请诉前财产保全。")
    assert "9月3日起电话催收3次；9月20日申请诉前财产保全。" in _flat(pdf.text(render_attachment2(written)))


def test_an_empty_collection_measures_field_is_left_for_a_pen(npl, pdf):
    context = attachment2_context(claims.open_claim(npl["teller"], npl["loan"].id))

    assert context["collection_measures"] == ""


def test_a_reduced_opinion_shows_the_reduced_amount_and_the_reason(npl, pdf):
    claim = _opinion(npl, "reduce", "800000.00", "部分保证合同未落实，核减相应金额。")

    text = _flat(pdf.text(render_attachment2(claim)))

    assert "核减至¥800,000.00（人民币捌拾万元整），核减¥64,197.52。理由：部分保证合同未落实，核减相应金额。" in text
    assert f"{C_FIGURES}（大写）人民币{C_CAPITALS}" in text  # what the bank asked for stays on the form


def test_a_rejection_shows_the_reason(npl, pdf):
    claim = _opinion(npl, "reject", reason="贷款发放时企业不在推荐名单内。")

    text = _flat(pdf.text(render_attachment2(claim)))

    assert "区财政局意见：不予补偿。理由：贷款发放时企业不在推荐名单内。" in text


def test_a_draft_is_marked_and_leaves_date_and_opinions_blank(npl, pdf):
    claim = claims.open_claim(npl["teller"], npl["loan"].id)

    printed = render_attachment2(claim)

    text = pdf.text(printed)
    assert "草稿：本申请尚未提交受理" in text
    big = {w[4] for w in pdf.words(printed) if w[3] - w[1] > 100}
    assert {"草", "稿"} <= big
    assert _beside(pdf.words(printed), "申请日期：") == "年月日"
    flat = _flat(text)
    assert "☑①推荐企业名单" in flat and "☐②申请表" in flat and "☐④不良贷款认定证明" in flat
    assert "同意" not in flat and "经办人：zone" not in flat


def test_the_copy_for_signature_carries_no_draft_mark(npl, pdf):
    claim = claims.open_claim(npl["teller"], npl["loan"].id)

    text = pdf.text(render_attachment2(claim, for_signature=True))

    assert "草稿" not in text
    assert C_FIGURES in text and "申请单位（盖章）" in text


def test_a_returned_claim_prints_only_the_new_rounds_reviews(npl, pdf):
    claim = _submitted(npl)
    claims.review(npl["zone"], claim.id, "approve", "第一轮同意。")
    claims.review(npl["industry"], claim.id, "return", "请补充还款凭证。")
    claims.submit(npl["teller"], claim.id)
    claims.review(npl["fsc"], claim.id, "approve", "第二轮同意。")

    printed = render_attachment2(claim)

    text = pdf.text(printed)
    assert "第一轮同意。" not in text and "请补充还款凭证。" not in text
    words = pdf.words(printed)
    assert _box(words, "区金融服务中心") == "区金融服务中心意见：同意。第二轮同意。经办人：fsc（盖章）2024年9月30日"
    assert _box(words, "经济开发区") == "经济开发区意见：负责人（签字）：（盖章）年月日"


def test_the_form_fits_on_one_page(npl, pdf):
    printed = render_attachment2(_opinion(npl, "reduce", "800000.00", "部分保证合同未落实，核减相应金额。" * 3))

    assert pdf.pages(printed) == 1
    assert "第 1 页 共 1 页" in pdf.text(printed)


def test_long_comments_take_a_second_page_that_names_the_application(npl, pdf):
    claim = _submitted(npl)
    for role in ("zone", "industry", "fsc"):
        claims.review(npl[role], claim.id, "approve", "经核实，材料齐全，情况属实。" * 18)
    claims.give_opinion(npl["finance"], claim.id, "reject", reason="贷款发放时企业不在推荐名单内。" * 8)

    printed = render_attachment2(claim)

    assert pdf.pages(printed) == 2
    second = pdf.text(printed, page=2)
    assert f"补偿申请第{claim.id}号（续）" in second and "第 2 页 共 2 页" in second
    assert "（盖章）" in second


def test_markup_typed_into_a_comment_prints_as_typed(npl, pdf):
    claim = _submitted(npl)
    claims.review(npl["zone"], claim.id, "approve", "<b>已核实</b>&无异议")

    assert "<b>已核实</b>&无异议" in pdf.text(render_attachment2(claim))


# --- the finance bureau's opinion --------------------------------------------------------


def test_the_opinion_states_the_decision_amounts_and_payout_deadline(npl, pdf):
    claim = approved_claim(npl)

    printed = render_opinion(claim)

    text = _flat(pdf.text(printed))
    for expected in (
        "台儿庄区财政局关于B1银行台儿庄支行",
        "“园区E贷”风险补偿资金申请的审核意见",
        f"编号：补偿意见第{claim.id}号",
        "B1银行台儿庄支行：",
        "于2024年9月30日受理",
        "审核结论同意补偿",
        f"核定补偿金额{C_FIGURES}（大写）人民币{C_CAPITALS}",
        "区财政局于2024年10月15日前将上述补偿资金从风险补偿资金专户拨付你行",
        "追偿所得按风险补偿资金补偿比例70.00%返还",
        "台儿庄区财政局（盖章）2024年9月30日",
        "抄送：经济开发区、行业主管部门、区金融服务中心。",
    ):
        assert expected in text
    assert pdf.pages(printed) == 1


def test_a_reduced_opinion_gives_the_reduction_and_its_reason(npl, pdf):
    claim = _opinion(npl, "reduce", "800000.00", "部分保证合同未落实，核减相应金额。")

    text = _flat(pdf.text(render_opinion(claim)))

    assert "审核结论核减后同意补偿" in text
    assert "核定补偿金额¥800,000.00（大写）人民币捌拾万元整" in text and "核减金额¥64,197.52" in text
    assert "核减理由：部分保证合同未落实，核减相应金额。" in text
    assert "2024年10月15日前" in text


def test_a_rejection_gives_the_reason_and_no_payout(npl, pdf):
    claim = _opinion(npl, "reject", reason="贷款发放时企业不在推荐名单内。")

    text = _flat(pdf.text(render_opinion(claim)))

    assert "审核结论不予补偿" in text and "不予补偿。理由：贷款发放时企业不在推荐名单内。" in text
    assert "拨付" not in text and "核定补偿金额" not in text


def test_there_is_no_opinion_to_print_before_finance_gives_one(npl):
    claim = reviewed(npl, _submitted(npl))

    with pytest.raises(ValueError, match="尚未出具"):
        render_opinion(claim)
