"""Enterprise size class under the MIIT SME standard for industry (工信部联企业〔2011〕300号).

第三条 admits 中小微 enterprises only, so the size class decides eligibility.
The thresholds are data: a new standard is a new table, not new code.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

SIZE_LABELS: dict[str, str] = {
    "large": "大型",
    "medium": "中型",
    "small": "小型",
    "micro": "微型",
}


@dataclass(frozen=True)
class SizeBand:
    """A class is reached when BOTH employees and revenue (营业收入, yuan) reach its minimum."""

    code: str
    min_employees: int
    min_revenue: Decimal


@dataclass(frozen=True)
class SizeStandard:
    name: str
    bands: tuple[SizeBand, ...]  # largest first
    fallback: str  # the class when no band is reached


INDUSTRY_2011 = SizeStandard(
    name="工信部联企业〔2011〕300号·工业",
    bands=(
        SizeBand("large", 1000, Decimal("400000000.00")),  # 1000人 且 40000万元
        SizeBand("medium", 300, Decimal("20000000.00")),  # 300人 且 2000万元
        SizeBand("small", 20, Decimal("3000000.00")),  # 20人 且 300万元
    ),
    fallback="micro",
)


def size_class(employees: int, revenue: Decimal, standard: SizeStandard = INDUSTRY_2011) -> str:
    """large | medium | small | micro for an industrial enterprise."""
    if isinstance(employees, bool) or not isinstance(employees, int):
        raise TypeError("employees must be an int")
    if not isinstance(revenue, (Decimal, int)) or isinstance(revenue, bool):
        raise TypeError("revenue must be a Decimal (yuan)")
    if employees < 0 or revenue < 0:
        raise ValueError("employees and revenue must not be negative")
    for band in standard.bands:
        if employees >= band.min_employees and revenue >= band.min_revenue:
            return band.code
    return standard.fallback
