"""The claim cycle times as horizontal bars drawn on the server (like web/monitoring/chart.py): for each
step the median and the longest days, and a dashed mark at the legal limit. templates/dashboard/
_cycle_chart.html draws them; positions are pixels in the SVG's own coordinates."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

WIDTH = 760
LEFT, RIGHT, TOP = 150, 40, 12
ROW = 70  # height of one step's band: the limit's label on top, then the two bars
BAR = 16
BOTTOM = 30
_STEPS = (1, 2, 5, 10, 20, 50, 100, 200, 500)


@dataclass(frozen=True)
class Bar:
    key: str  # median | max
    y: str
    width: str
    label: str  # e.g. "中位 3.0 日"
    label_x: str


@dataclass(frozen=True)
class StepRow:
    label: str
    label_y: str
    bars: list[Bar]
    limit_x: str
    limit_label: str
    band_top: str  # the dashed limit runs from here down; its label sits just above
    band_bottom: str


@dataclass(frozen=True)
class Tick:
    at: str
    label: str


@dataclass(frozen=True)
class CycleChart:
    width: int
    height: int
    left: int
    right_edge: int
    bottom_edge: int
    rows: list[StepRow]
    x_ticks: list[Tick]


def _px(value) -> str:
    return format(Decimal(value).quantize(Decimal("0.1")), "f")


def _scale_max(longest: int) -> tuple[int, int]:
    """(axis end, tick step): a round number of days a little past the longest bar or limit."""
    top = max(longest * 1.1, 1)
    for step in _STEPS:
        if top / step <= 6:
            return int(-(-top // step) * step), step
    return int(-(-top // 1000) * 1000), 1000


def cycle_chart(cycles) -> CycleChart | None:
    """The chart of `cycles` (domain.oversight.StepTimes); None while no claim has completed any step."""
    if not any(c.count for c in cycles):
        return None
    right_edge = WIDTH - RIGHT
    end, step = _scale_max(max([c.max_days or 0 for c in cycles] + [c.limit_days for c in cycles]))

    def x_of(days) -> Decimal:
        return Decimal(LEFT) + Decimal(days) / Decimal(end) * (right_edge - LEFT)

    rows = []
    for i, c in enumerate(cycles):
        top = TOP + i * ROW
        bars = []
        if c.count:
            for n, (key, days, words) in enumerate(
                (("median", c.median_days, f"中位 {c.median_days} 日"), ("max", c.max_days, f"最长 {c.max_days} 日"))
            ):
                y = top + 20 + n * (BAR + 4)
                width = x_of(days) - LEFT
                bars.append(Bar(key, _px(y), _px(max(width, Decimal(1))), words, _px(LEFT + max(width, 1) + 6)))
        rows.append(
            StepRow(
                label=c.label,
                label_y=_px(top + 38),
                bars=bars,
                limit_x=_px(x_of(c.limit_days)),
                limit_label=f"时限 {c.limit_days}" + ("个工作日" if "工作日" in c.limit else "日"),
                band_top=_px(top + 14),
                band_bottom=_px(top + ROW - 6),
            )
        )
    bottom_edge = TOP + len(cycles) * ROW
    ticks = [Tick(_px(x_of(d)), f"{d}日") for d in range(0, end + 1, step)]
    return CycleChart(WIDTH, bottom_edge + BOTTOM, LEFT, right_edge, bottom_edge, rows, ticks)
