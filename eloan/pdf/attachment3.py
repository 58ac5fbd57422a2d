"""附件3 《台儿庄区“园区E贷”贷款损失承担比例确认单》 (第五条（三）、第十四条; POLICY.md §5, §12.3).

Banks compete on the share of each bad loan's loss they will bear (第十四条); the share agreed in the
cooperation agreement is what every claim of the bank is computed with, so this form records it with
the fund's resulting ratio, the cooperation period and the policy version it rests on. The context is
built from the bank and the policy version alone, so plain objects of the same shape print as well.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from eloan.domain.calendar import chinese_date
from eloan.domain.compensation import fund_ratio
from eloan.domain.money import CENT
from eloan.pdf.render import render_pdf

TEMPLATE = "attachment3.html"
ARTICLES = "第五条（三）、第十四条"
# 区金融服务中心 signs the agreement with the bank; 区财政局 manages the fund's special account (第十四条).
GOVERNMENT_UNITS = ("区金融服务中心", "区财政局")
BLANK_DATE = "　　　　年　　月　　日"
BLANK_PERIOD = f"{BLANK_DATE}至{BLANK_DATE}"
_HUNDRED = Decimal(100)


def exact_percent(ratio: Decimal) -> str:
    """A share as a percentage, never rounded: 0.3 → "30.00%", 0.301234 → "30.1234%".

    The share is what the bank signs up to; printing a rounded figure would confirm a different one.
    """
    percent = Decimal(ratio) * _HUNDRED
    if percent == percent.quantize(CENT):
        return f"{percent.quantize(CENT):f}%"
    return f"{percent.normalize():f}%"


def document_number(bank) -> str:
    """The agreement's own number when it has one; otherwise one made from the bank's code."""
    agreement_no = (getattr(bank, "agreement_no", None) or "").strip()
    return agreement_no or f"园区E贷合作协议-{bank.code}"


def _period(start: date | None, end: date | None) -> str:
    if start is None and end is None:
        return BLANK_PERIOD
    first = chinese_date(start) if start else BLANK_DATE
    if end is None:
        return f"自{first}起（未约定截止日）"
    return f"{first}至{chinese_date(end)}"


def _policy_period(policy) -> str:
    if policy.effective_to is None:
        return f"自{chinese_date(policy.effective_from)}起"
    return f"{chinese_date(policy.effective_from)}至{chinese_date(policy.effective_to)}"


def _statement(bank_name: str, share: str, fund: str, cap: str, bank_bears_more: str | None) -> str:
    # No blanks around the figures: a justified Chinese line would stretch them into gaps.
    text = (
        f"经竞争性申报，{bank_name}承担“园区E贷”贷款损失的比例确认为{share}。合作期内，该行发放的“园区E贷”贷款"
        f"被认定为不良贷款的，每笔贷款的不良贷款本金损失由该行承担{share}，其余部分由区风险补偿资金按{fund}"
        f"的比例予以补偿，补偿额最高不超过该笔不良贷款本金的{cap}。"
    )
    if bank_bears_more:
        text += f"超出补偿上限的部分亦由该行承担，该行实际承担{bank_bears_more}。"
    return text + "补偿以不良认定时的贷款本金余额为基数，不含利息、罚息。"


def attachment3_context(bank, policy, *, dated: date | None = None) -> dict:
    """Everything templates/pdf/attachment3.html prints, from a Bank and a PolicyParams (or likenesses).

    `dated` is the form's date; by default the day the agreement takes effect, so a reprint of the
    same agreement is the same form.
    """
    share = Decimal(bank.loss_share)
    fund = fund_ratio(share, policy.max_compensation_ratio)
    share_text, fund_text = exact_percent(share), exact_percent(fund)
    cap_text = exact_percent(policy.max_compensation_ratio)
    min_text = exact_percent(policy.min_bank_share)
    # Only when a share is below 1 − cap (below today's minimum) does the bank bear more than its share.
    bears = Decimal(1) - fund
    bears_more = exact_percent(bears) if bears != share else None
    too_low = share < policy.min_bank_share
    day = dated or getattr(bank, "agreement_from", None)
    return {
        "attachment_label": "附件3",
        "doc_title": f"台儿庄区“园区E贷”贷款损失承担比例确认单（{bank.name}）",
        "kicker": "台儿庄区“园区E贷”",
        "title": "贷款损失承担比例确认单",
        "document_number": document_number(bank),
        "date_text": chinese_date(day) if day else BLANK_DATE,
        "watermark": "",
        "banner": (
            f"注意：该行损失承担比例{share_text}低于政策规定的最低比例{min_text}（第五条（三）），"
            "本确认单不能作为合作依据"
            if too_low
            else ""
        ),
        "bank_name": bank.name,
        "product_name": (getattr(bank, "product_name", None) or "").strip(),
        "loss_share": share,
        "loss_share_text": share_text,
        "fund_ratio": fund,
        "fund_ratio_text": fund_text,
        "max_ratio_text": cap_text,
        "min_share_text": min_text,
        "share_too_low": too_low,
        "period_text": _period(getattr(bank, "agreement_from", None), getattr(bank, "agreement_to", None)),
        "policy_code": policy.code,
        "policy_name": policy.name,
        "policy_period_text": _policy_period(policy),
        "articles": ARTICLES,
        "statement": _statement(bank.name, share_text, fund_text, cap_text, bears_more),
        "government_units": GOVERNMENT_UNITS,
        "blank_date": BLANK_DATE,
    }


def render_attachment3(bank, policy, *, dated: date | None = None) -> bytes:
    """附件3 as PDF bytes."""
    return render_pdf(TEMPLATE, **attachment3_context(bank, policy, dated=dated))
