"""How registry values look on a page: sizes, 亩产效益 classes, 万元, yes/no (Jinja filters)."""

from __future__ import annotations

from decimal import Decimal

from eloan.domain.money import format_wan
from eloan.domain.sme import SIZE_LABELS

_EMPTY = "—"


def size_label(code: str | None) -> str:
    return SIZE_LABELS.get(code, code) if code else _EMPTY


def mu_text(enterprise) -> str:
    """ "A（2023年度）", or 未评价."""
    if not getattr(enterprise, "mu_class", None):
        return "未评价"
    year = getattr(enterprise, "mu_year", None)
    return f"{enterprise.mu_class}（{year}年度）" if year else enterprise.mu_class


def wan(amount: Decimal | None) -> str:
    """An amount in yuan shown in 万元 ("300", "12.5")."""
    return _EMPTY if amount is None else format_wan(amount)


def yes_no(value: bool | None) -> str:
    return _EMPTY if value is None else ("是" if value else "否")


FILTERS = {"size_label": size_label, "mu_text": mu_text, "wan": wan, "yes_no": yes_no}
