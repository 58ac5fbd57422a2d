"""The ratio history as an inline SVG drawn on the server (no script, no library): the coordinates of the NPL
and overdue lines, the dashed thresholds and the axes. templates/monitoring/_chart.html draws them.

Positions are pixels in the SVG's own coordinate system; a day without a ratio (nothing outstanding) breaks
its line rather than dropping to zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, Decimal

from eloan.domain.money import format_percent

WIDTH, HEIGHT = 760, 260
LEFT, RIGHT, TOP, BOTTOM = 58, 118, 14, 30
_STEPS = [Decimal(s) for s in ("0.001", "0.002", "0.005", "0.01", "0.02", "0.025", "0.05", "0.1", "0.2", "0.25", "0.5")]
_MAX_TICKS = 6


@dataclass(frozen=True)
class Series:
    key: str  # npl | overdue
    label: str
    segments: list[str]  # "x,y x,y …" for each unbroken stretch
    markers: list[tuple[str, str, str]]  # (x, y, tooltip) for the points drawn as dots


@dataclass(frozen=True)
class Threshold:
    key: str
    label: str
    y: str


@dataclass(frozen=True)
class Tick:
    at: str
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    right_edge: int
    top: int
    bottom_edge: int
    series: list[Series]
    thresholds: list[Threshold]
    y_ticks: list[Tick]
    x_ticks: list[Tick]


def _px(value: Decimal) -> str:
    return format(value.quantize(Decimal("0.1")), "f")


def _y_max(values: list[Decimal]) -> Decimal:
    top = max(values, default=Decimal(0)) * Decimal("1.15")
    for step in _STEPS:
        if top <= step * _MAX_TICKS:
            return max(step * ((top / step).to_integral_value(rounding=ROUND_CEILING)), step)
    return Decimal(1)


def _step_for(y_max: Decimal) -> Decimal:
    return next(s for s in _STEPS + [Decimal(1)] if y_max / s <= _MAX_TICKS)


def _x_ticks(start: date, end: date, x_of) -> list[Tick]:
    span = max((end - start).days, 1)
    every = max(span // 5, 1)
    days = list(range(0, span + 1, every))
    if span - days[-1] < every / 2 and len(days) > 1:
        days[-1] = span
    else:
        days.append(span)
    seen, ticks = set(), []
    for n in days:
        d = date.fromordinal(start.toordinal() + n)
        if d not in seen:
            seen.add(d)
            ticks.append(Tick(x_of(d), f"{d.month}月{d.day}日"))
    return ticks


def ratio_chart(
    snapshots, start: date, end: date, npl_threshold: Decimal | None, overdue_threshold: Decimal | None
) -> Chart | None:
    """The chart of `snapshots` (objects with on_date, npl_ratio, overdue_ratio) over [start, end]; None if empty."""
    if not snapshots:
        return None
    right_edge, bottom_edge = WIDTH - RIGHT, HEIGHT - BOTTOM
    values = [v for s in snapshots for v in (s.npl_ratio, s.overdue_ratio) if v is not None]
    values += [t for t in (npl_threshold, overdue_threshold) if t is not None]
    y_max = _y_max(values)
    span = Decimal(max((end - start).days, 1))

    def x_of(d: date) -> str:
        return _px(Decimal(LEFT) + Decimal((d - start).days) / span * (right_edge - LEFT))

    def y_of(r: Decimal) -> str:
        return _px(Decimal(bottom_edge) - r / y_max * (bottom_edge - TOP))

    series = []
    # The overdue line first: the NPL line is drawn over it where the two coincide.
    for key, label, attr in (("overdue", "逾期率", "overdue_ratio"), ("npl", "不良率", "npl_ratio")):
        runs: list[list[tuple[str, str, str]]] = [[]]
        for s in snapshots:
            r = getattr(s, attr)
            if r is None:
                runs.append([])
            else:
                runs[-1].append((x_of(s.on_date), y_of(r), f"{s.on_date.isoformat()} {label} {format_percent(r)}"))
        runs = [run for run in runs if run]
        segments = [" ".join(f"{x},{y}" for x, y, _ in run) for run in runs if len(run) > 1]
        # Dots: every day while they are few; otherwise the latest day and any day standing alone between gaps.
        points = [p for run in runs for p in run]
        markers = (
            points if len(points) <= 31 else list(dict.fromkeys([r[0] for r in runs if len(r) == 1] + points[-1:]))
        )
        series.append(Series(key, label, segments, markers))
    thresholds = [
        Threshold(key, f"{label}阈值 {format_percent(t)}", y_of(t))
        for key, label, t in (("npl", "不良率", npl_threshold), ("overdue", "逾期率", overdue_threshold))
        if t is not None
    ]
    step = _step_for(y_max)
    y_ticks = [
        Tick(y_of(step * n), format_percent(step * n).replace(".00%", "%")) for n in range(int(y_max / step) + 1)
    ]
    return Chart(
        WIDTH, HEIGHT, LEFT, right_edge, TOP, bottom_edge, series, thresholds, y_ticks, _x_ticks(start, end, x_of)
    )


@dataclass(frozen=True)
class Extremes:
    """For the text summary beside the chart: the latest figures and the highest of the period."""

    first: date
    latest: object
    npl_peak: object | None
    overdue_peak: object | None
    days: int


def _first_highest(snapshots, attr: str):
    """The first day the highest value of the period was reached (a plateau is dated from its start)."""
    return max(snapshots, key=lambda s: (getattr(s, attr), -s.on_date.toordinal())) if snapshots else None


def extremes(snapshots) -> Extremes | None:
    if not snapshots:
        return None
    npl = [s for s in snapshots if s.npl_ratio is not None]
    overdue = [s for s in snapshots if s.overdue_ratio is not None]
    return Extremes(
        first=snapshots[0].on_date,
        latest=snapshots[-1],
        npl_peak=_first_highest(npl, "npl_ratio"),
        overdue_peak=_first_highest(overdue, "overdue_ratio"),
        days=len(snapshots),
    )
