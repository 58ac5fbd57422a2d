"""附件1 《台儿庄区“园区E贷”推荐企业名单》 (第十条; POLICY.md §4, §12.1).

The zone, the industry departments and the financial service centre confirm the list together
and issue it to every cooperating bank; this module prints it. The context is built from the
batch alone (its entries, their enterprises, its confirmations), so it reads only what is already
loaded or lazily related, and works as well on plain objects of the same shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from eloan.domain.calendar import chinese_date, in_shanghai
from eloan.domain.money import format_wan, to_money
from eloan.domain.policy import INDUSTRIES
from eloan.domain.registry import mu_label
from eloan.domain.roles import REVIEWING_UNITS, ROLES
from eloan.domain.sme import SIZE_LABELS
from eloan.pdf.render import render_pdf

TEMPLATE = "attachment1.html"
# 第十条 names the three units that confirm the list, in this order.
# Left blank for a pen: an unconfirmed unit or an unissued list still prints as a usable form.
BLANK_DATE = "　　　　年　　月　　日"
NOT_PUBLISHED = "（未发布）"
DRAFT_BANNER = "草稿：本名单尚未经三方确认并印发，不得作为“园区E贷”贷款准入依据"


@dataclass(frozen=True)
class ListRow:
    number: int  # 序号, 1.. in list order
    name: str
    uscc: str
    industry: str
    size: str
    mu: str
    legal_rep: str
    phone: str
    amount: Decimal
    amount_wan: str
    note: str


@dataclass(frozen=True)
class ConfirmingUnit:
    role: str
    name: str
    confirmed_on: date | None
    date_text: str


def shanghai_date(value: date | datetime) -> date:
    """The Beijing calendar day of a stored time.

    SQLite hands back naive values that are already Shanghai wall time; PostgreSQL aware ones.
    """
    if not isinstance(value, datetime):
        return value
    return in_shanghai(value).date()


def _label(labels: dict[str, str], code: str | None) -> str:
    """The Chinese label of a code; an unknown code prints as itself rather than vanish."""
    return labels.get(code, code) if code else ""


def _mu_text(enterprise) -> str:
    return mu_label(enterprise.mu_class, enterprise.mu_year)


def _row(number: int, entry) -> ListRow:
    enterprise = entry.enterprise
    amount = to_money(entry.recommended_amount)
    return ListRow(
        number=number,
        name=enterprise.name,
        uscc=enterprise.uscc,
        industry=_label(INDUSTRIES, enterprise.industry),
        size=_label(SIZE_LABELS, enterprise.size_class),
        mu=_mu_text(enterprise),
        legal_rep=enterprise.legal_rep or "",
        phone=enterprise.phone or "",
        amount=amount,
        amount_wan=format_wan(amount),
        note=entry.note or "",
    )


def _confirmed_on(batch, role: str) -> date | None:
    """Day of the role's standing confirmation; a return clears earlier ones (cleared_at)."""
    standing = [
        c.created_at
        for c in batch.confirmations
        if c.role == role and c.action == "confirm" and c.cleared_at is None and c.created_at
    ]
    return shanghai_date(max(standing)) if standing else None


def _units(batch) -> list[ConfirmingUnit]:
    units = []
    for role in REVIEWING_UNITS:
        day = _confirmed_on(batch, role)
        date_text = chinese_date(day) if day else BLANK_DATE
        units.append(ConfirmingUnit(role, ROLES[role], day, date_text))
    return units


def attachment1_context(batch) -> dict:
    """Everything templates/pdf/attachment1.html prints, from a ListBatch (or its likeness)."""
    entries = sorted(batch.entries, key=lambda e: e.position)
    rows = [_row(number, entry) for number, entry in enumerate(entries, start=1)]
    total = sum((row.amount for row in rows), Decimal("0.00"))
    is_draft = batch.status == "draft"

    effective_text = NOT_PUBLISHED if is_draft or batch.effective_from is None else chinese_date(batch.effective_from)
    # Only a superseded batch has an end; printing it keeps an old list from passing as current.
    expiry_text = chinese_date(batch.effective_to) if batch.effective_to and not is_draft else ""
    issued_text = chinese_date(shanghai_date(batch.issued_at)) if batch.issued_at else BLANK_DATE

    return {
        "attachment_label": "附件1",
        "doc_title": f"台儿庄区“园区E贷”推荐企业名单（{batch.number}）",
        "kicker": "台儿庄区“园区E贷”",
        "title": "推荐企业名单",
        "subtitle": batch.title or "",
        "batch_number": batch.number,
        "status": batch.status,
        "is_draft": is_draft,
        "watermark": "草稿" if is_draft else "",
        "banner": DRAFT_BANNER if is_draft else "",
        "effective_text": effective_text,
        "expiry_text": expiry_text,
        "issued_text": issued_text,
        "rows": rows,
        "count": len(rows),
        "total": total,
        "total_wan": format_wan(total),
        "units": _units(batch),
        "note": batch.note or "",
    }


def render_attachment1(batch) -> bytes:
    """附件1 as PDF bytes."""
    return render_pdf(TEMPLATE, **attachment1_context(batch))
