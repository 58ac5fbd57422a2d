"""The annual evaluation of the cooperating banks (第二十条; POLICY.md §11) — the default method.

The policy names four areas (贷款规模、风险防控、利率优惠、服务质量) but no method, so POLICY.md §11
defines one. Pure calculation: the services gather each bank's indicators in set-based queries and
hand them here; adjustments by hand replace an area's computed score (with a reason, kept by the
service).

Weights and cut-offs live in `METHOD` below, the one place to change them: they are not yet columns
of the policy version. The thresholds (第十八条) and the spread (第五条（四）) come from the policy version.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

AREAS: dict[str, str] = {
    "volume": "贷款规模",
    "risk": "风险防控",
    "rate": "利率优惠",
    "service": "服务质量",
}

OUTCOMES: dict[str, str] = {
    "continue": "继续合作",
    "conditional": "限期整改",
    "end": "终止合作",
}

_ZERO = Decimal(0)
_ONE = Decimal(1)
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class Method:
    """Weights per area and the cut-offs of the suggested outcome (POLICY.md §11's defaults)."""

    weights: Mapping[str, Decimal] = field(
        default_factory=lambda: {
            "volume": Decimal(30),
            "risk": Decimal(30),
            "rate": Decimal(20),
            "service": Decimal(20),
        }
    )
    continue_at: Decimal = Decimal(60)  # total ≥ 60: 继续合作
    conditional_at: Decimal = Decimal(40)  # 40 ≤ total < 60: 限期整改; below: 终止合作


METHOD = Method()


@dataclass(frozen=True)
class Thresholds:
    """From the policy version: 第十八条's thresholds and 第五条（四）'s spread over the LPR."""

    npl_ratio: Decimal
    overdue_ratio: Decimal
    spread_bp: int

    @property
    def spread_percent(self) -> Decimal:
        return Decimal(self.spread_bp) / 100


@dataclass(frozen=True)
class Indicators:
    """One bank's figures for year Y. None where the figure does not exist (no loans, no claims)."""

    bank_id: int
    drawn: Decimal  # programme loans drawn in Y
    outstanding: Decimal  # outstanding balance on 31 Dec Y (§9's L)
    npl_ratio: Decimal | None  # on 31 Dec Y; None when L = 0
    overdue_ratio: Decimal | None
    mean_margin_percent: Decimal | None  # amount-weighted mean (cap − rate) over loans drawn in Y
    claims: int = 0  # claims first submitted in Y
    on_time_share: Decimal | None = None  # None when no claims
    never_returned_share: Decimal | None = None


@dataclass(frozen=True)
class Scored:
    bank_id: int
    computed: dict[str, Decimal]  # the method's scores per area, 2 places
    scores: dict[str, Decimal]  # after adjustments by hand
    total: Decimal
    rank: int
    suggested: str


def round2(value: Decimal) -> Decimal:
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def volume_score(drawn: Decimal, largest: Decimal, weight: Decimal) -> Decimal:
    """weight × amount ÷ the largest amount of any bank; 0 for all when nobody lent in Y."""
    if largest <= 0:
        return round2(_ZERO)
    return round2(weight * drawn / largest)


def risk_score(ind: Indicators, th: Thresholds, weight: Decimal) -> Decimal:
    """weight × max(0, 1 − max(NPL ÷ threshold, overdue ÷ threshold)); 0 with nothing outstanding."""
    if ind.outstanding <= 0 or ind.npl_ratio is None or ind.overdue_ratio is None:
        return round2(_ZERO)
    worst = max(ind.npl_ratio / th.npl_ratio, ind.overdue_ratio / th.overdue_ratio)
    return round2(weight * max(_ZERO, _ONE - worst))


def rate_score(ind: Indicators, th: Thresholds, weight: Decimal) -> Decimal:
    """weight × min(1, mean margin ÷ spread). No loans drawn in Y: no discount was given, 0."""
    if ind.mean_margin_percent is None or th.spread_bp <= 0:
        return round2(_ZERO)
    share = min(_ONE, max(_ZERO, ind.mean_margin_percent / th.spread_percent))
    return round2(weight * share)


def service_score(ind: Indicators, weight: Decimal) -> Decimal:
    """Half for filing on time, half for never being returned; the full weight without claims."""
    if ind.claims == 0 or ind.on_time_share is None or ind.never_returned_share is None:
        return round2(weight)
    half = weight / 2
    return round2(half * ind.on_time_share + half * ind.never_returned_share)


def suggest(total: Decimal, method: Method = METHOD) -> str:
    if total >= method.continue_at:
        return "continue"
    if total >= method.conditional_at:
        return "conditional"
    return "end"


def compute_scores(
    ind: Indicators, largest_drawn: Decimal, th: Thresholds, method: Method = METHOD
) -> dict[str, Decimal]:
    w = method.weights
    return {
        "volume": volume_score(ind.drawn, largest_drawn, w["volume"]),
        "risk": risk_score(ind, th, w["risk"]),
        "rate": rate_score(ind, th, w["rate"]),
        "service": service_score(ind, w["service"]),
    }


def evaluate(
    indicators: Iterable[Indicators],
    th: Thresholds,
    adjustments: Mapping[int, Mapping[str, Decimal]] | None = None,
    method: Method = METHOD,
) -> list[Scored]:
    """Every bank scored and ranked, best first (see `ranked`)."""
    rows = list(indicators)
    largest = max((r.drawn for r in rows), default=_ZERO)
    return ranked(
        [(ind.bank_id, compute_scores(ind, largest, th, method), ind.drawn) for ind in rows],
        adjustments,
        method,
    )


def ranked(
    computed: Iterable[tuple[int, Mapping[str, Decimal], Decimal]],
    adjustments: Mapping[int, Mapping[str, Decimal]] | None = None,
    method: Method = METHOD,
) -> list[Scored]:
    """(bank, computed scores, amount drawn) with the adjustments by hand → totals, ranks, suggestions.

    An adjustment replaces the area's computed score. Rank by total, ties by the amount drawn (贷款规模);
    banks equal on both share a rank (1, 1, 3 …) and keep the order given (the service: by bank code).
    """
    adjustments = adjustments or {}
    items = []
    for bank_id, scores_in, drawn in computed:
        scores = {**scores_in, **{a: round2(v) for a, v in adjustments.get(bank_id, {}).items()}}
        items.append((bank_id, dict(scores_in), scores, sum(scores.values(), _ZERO), drawn))
    order = sorted(range(len(items)), key=lambda i: (-items[i][3], -items[i][4], i))
    result: list[Scored] = []
    previous: tuple[Decimal, Decimal] | None = None
    rank = 0
    for position, i in enumerate(order, start=1):
        bank_id, computed_scores, scores, total, drawn = items[i]
        if (total, drawn) != previous:
            rank, previous = position, (total, drawn)
        result.append(Scored(bank_id, computed_scores, scores, total, rank, suggest(total, method)))
    return result


def adjustment_problem(area: str, score: Decimal, reason: str, method: Method = METHOD) -> str | None:
    """Why a hand adjustment is refused, in Chinese; None when it is acceptable."""
    if area not in AREAS:
        return f"未知的评价项目：{area}（可选：{'、'.join(AREAS)}）"
    if not score.is_finite() or score < 0 or score > method.weights[area]:
        return f"{AREAS[area]}得分必须在 0 与 {method.weights[area]} 之间"
    if not reason.strip():
        return "手工调整必须填写理由"
    return None
