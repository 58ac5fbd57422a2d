"""The dashboard's calculations (数据看板, issue 12): pure functions over figures already read.

Kept apart from the queries so each rule is tested on POLICY.md's numbers without a database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

SHARE_PLACES = Decimal("0.0001")


def share(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    """part ÷ whole to 4 places (half up); None when there is no whole to divide by."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(SHARE_PLACES, rounding=ROUND_HALF_UP)


def net_loss(paid: Decimal, returned: Decimal, clawed_back: Decimal) -> Decimal:
    """What the fund has lost for good so far: paid out − recovered parts returned − clawbacks received
    (第十六、十七、十九条)."""
    return paid - returned - clawed_back


def mean_headroom(weighted_sum: Decimal | None, amount: Decimal | None) -> Decimal | None:
    """Amount-weighted mean of (LPR + policy spread − contract rate), in percentage points to 4 places:
    how far under the 第五条（四） cap the programme's loans are priced on average."""
    if not amount:
        return None
    return (Decimal(weighted_sum) / Decimal(amount)).quantize(SHARE_PLACES, rounding=ROUND_HALF_UP)


def median_days(days: list[int]) -> Decimal | None:
    """The middle value (the mean of the two middle ones for an even count), to one place.

    Written out rather than taken from the standard library's `statistics`: the bench scripts run with
    bench/ first on the path, where bench/statistics.py would be imported in its place."""
    if not days:
        return None
    ordered = sorted(days)
    mid = len(ordered) // 2
    middle = Decimal(ordered[mid]) if len(ordered) % 2 else Decimal(ordered[mid - 1] + ordered[mid]) / 2
    return middle.quantize(Decimal("0.1"))


@dataclass(frozen=True)
class StepTimes:
    """One step of a claim (e.g. 受理→出具意见): days each claim took, against its stored deadline."""

    key: str
    label: str
    limit: str  # the legal limit in words, e.g. "5个工作日（第十五条）"
    limit_days: int
    count: int  # claims that completed the step
    median_days: Decimal | None
    max_days: int | None
    on_time: int
    on_time_share: Decimal | None


def step_times(key: str, label: str, limit: str, limit_days: int, spans) -> StepTimes:
    """`spans`: (start, end, deadline) of each claim; a step without its end is not yet counted.
    On time = ended on or before the stored deadline (the deadline the claim was told of)."""
    done = [(s, e, d) for s, e, d in spans if s is not None and e is not None]
    days = [(e - s).days for s, e, _ in done]
    on_time = sum(1 for _, e, d in done if d is not None and e <= d)
    return StepTimes(
        key=key,
        label=label,
        limit=limit,
        limit_days=limit_days,
        count=len(done),
        median_days=median_days(days),
        max_days=max(days) if days else None,
        on_time=on_time,
        on_time_share=share(on_time, len(done)),
    )


def trend_start(programme_start: date | None, today: date, days: int = 90) -> date:
    """The ratio trend's first day: the last `days` days, or since the programme began if later."""
    earliest = date.fromordinal(today.toordinal() - days + 1)
    return max(earliest, programme_start) if programme_start else earliest
