"""年度目标 (POLICY.md §15): the year's targets, set by finance or fsc, measured as at a date, and the
responsible unit's 存在问题 / 下步打算.

Measuring a year runs a fixed number of statements whatever the rows: 附件4's (services/statistics.py,
for 1 January to the as-at date) gives new loans, enterprises served, the NPL ratio and each bank's status;
one statement each gives the banks' agreements, the year's appropriations and the claims decided in the
year. The comparison and the 完成情况 sentence are domain/targets.py's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, case, func, select, type_coerce
from sqlalchemy.orm import aliased

from eloan import clock
from eloan.domain.errors import Forbidden, NotFound, RuleViolation, Violation
from eloan.domain.roles import GOVERNMENT_ROLES, ROLES
from eloan.domain.targets import TEXT, achieved, parse_target, progress_text
from eloan.extensions import db
from eloan.models import Bank, Claim, FundEntry, TargetItem
from eloan.models.types import Money
from eloan.services import audit, statistics
from eloan.services.access import require

FIRST_YEAR, LAST_YEAR = 2023, 2100  # the programme began on 2023-11-30 (台政办发〔2023〕9号)
TEXT_LIMIT = 2000  # characters of 年度奋斗目标, 年度工作目标, 存在问题 or 下步打算
RESPONSIBLE_UNITS: tuple[str, ...] = tuple(r for r in ROLES if r in GOVERNMENT_ROLES)
_ITEM_FIELDS = ("position", "metric", "target", "goal_text", "work_text", "responsible")


@dataclass(frozen=True)
class Measures:
    """The measured figures for 1 January to `as_of` (None: not measurable, e.g. no loans outstanding)."""

    new_loan_amount: Decimal
    new_loan_count: int
    enterprises_served: int
    npl_ratio_max: Decimal | None
    active_banks: int
    fund_appropriated: Decimal
    claims_on_time_share: Decimal | None
    claims_decided: int
    claims_on_time: int

    def of(self, metric: str) -> Decimal | int | None:
        return None if metric == TEXT else getattr(self, metric)


@dataclass(frozen=True)
class Line:
    """A line of the table as at a date."""

    item: TargetItem
    actual: Decimal | int | None
    achieved: bool | None
    progress: str  # 完成情况

    @property
    def responsible_label(self) -> str:
        return ROLES.get(self.item.responsible, self.item.responsible)


@dataclass(frozen=True)
class YearTargets:
    year: int
    as_of: date
    lines: list[Line]
    measures: Measures | None  # None when the year has no measured item


def check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise RuleViolation([Violation("invalid_year", f"年度须在 {FIRST_YEAR} 至 {LAST_YEAR} 之间。", None, "year")])


def default_as_of(year: int) -> date:
    """Today within the year; its last day for a past year; its first day for a future one."""
    return min(max(clock.today(), date(year, 1, 1)), date(year, 12, 31))


def _check_as_of(year: int, as_of: date) -> None:
    if not date(year, 1, 1) <= as_of <= date(year, 12, 31):
        raise RuleViolation(
            [
                Violation(
                    "invalid_as_of",
                    f"截至日期须在{year}年内（{year}-01-01 至 {year}-12-31），“{as_of.isoformat()}”不在其中。",
                    None,
                    "as_of",
                )
            ]
        )


def _fund_appropriated(start: date, end: date) -> Decimal:
    """Appropriations entered in [start, end], net of corrections in that period reversing one (第十四条)."""
    reversed_entry = aliased(FundEntry)
    signed = case(
        (FundEntry.kind == "appropriation", FundEntry.amount),
        (and_(FundEntry.kind == "correction", reversed_entry.kind == "appropriation"), -FundEntry.amount),
        else_=0,
    )
    stmt = (
        select(type_coerce(func.coalesce(func.sum(signed), 0), Money()))
        .select_from(FundEntry)
        .outerjoin(reversed_entry, reversed_entry.id == FundEntry.reverses_entry_id)
        .where(FundEntry.entry_date.between(start, end))
    )
    return db.session.scalar(stmt) or Decimal("0.00")


def _claims_on_time(start: date, end: date) -> tuple[int, int]:
    """(decided, on time): claims whose opinion (同意、核减或不予补偿) is dated in [start, end], and those among
    them given by their opinion deadline — 第十六条: 15 days after acceptance, the clock restarting when a
    returned claim is resubmitted (Claim.opinion_deadline). A claim counts in the year its opinion is given."""
    on_time = func.sum(case((Claim.opinion_on <= Claim.opinion_deadline, 1), else_=0))
    decided, timely = db.session.execute(
        select(func.count(Claim.id), on_time).where(
            Claim.opinion_on.between(start, end),
            Claim.opinion_decision.is_not(None),
            Claim.opinion_deadline.is_not(None),
        )
    ).one()
    return int(decided or 0), int(timely or 0)


def measure(actor, year: int, as_of: date) -> Measures:
    """The year's figures from 1 January to `as_of` (inclusive)."""
    start = date(year, 1, 1)
    report = statistics.statistics(actor, start, as_of)
    total = report.total.figures
    # In cooperation at as_of: 正常合作 that day (the status history 附件4 reads) within its agreement.
    agreements = {
        code: (since, until)
        for code, since, until in db.session.execute(select(Bank.code, Bank.agreement_from, Bank.agreement_to))
    }
    active = 0
    for row in report.rows:
        since, until = agreements.get(row.key, (None, None))
        if row.status == "active" and (since is None or since <= as_of) and (until is None or as_of <= until):
            active += 1
    decided, timely = _claims_on_time(start, as_of)
    share = (Decimal(timely) / Decimal(decided)).quantize(Decimal("0.000001")) if decided else None
    return Measures(
        new_loan_amount=total.loans_made_amount,
        new_loan_count=total.loans_made_count,
        enterprises_served=total.enterprises_served,
        npl_ratio_max=total.npl_ratio,
        active_banks=active,
        fund_appropriated=_fund_appropriated(start, as_of),
        claims_on_time_share=share,
        claims_decided=decided,
        claims_on_time=timely,
    )


def _items(year: int) -> list[TargetItem]:
    return list(db.session.scalars(select(TargetItem).where(TargetItem.year == year).order_by(TargetItem.position)))


def year_targets(actor, year: int, as_of: date | None = None) -> YearTargets:
    """The year's table with 完成情况 as at `as_of` (default: today within the year)."""
    require(actor, "targets.read")
    check_year(year)
    as_of = as_of or default_as_of(year)
    _check_as_of(year, as_of)
    items = _items(year)
    measured = any(i.metric != TEXT for i in items)
    measures = measure(actor, year, as_of) if measured else None
    lines = []
    for item in items:
        actual = measures.of(item.metric) if measures else None
        lines.append(
            Line(
                item,
                actual,
                achieved(item.metric, actual, item.target),
                progress_text(item.metric, actual, item.target, as_of),
            )
        )
    return YearTargets(year, as_of, lines, measures)


def _text(value: Any, label: str, field: str, required: bool, found: list[Violation]) -> str | None:
    text = ("" if value is None else str(value)).strip()
    if required and not text:
        found.append(Violation("text_required", f"请填写{label}。", None, field))
    elif len(text) > TEXT_LIMIT:
        found.append(Violation("text_too_long", f"{label}不超过 {TEXT_LIMIT} 字（现 {len(text)} 字）。", None, field))
    return text or None


def _checked(year: int, rows: list[dict], existing: dict[int, TargetItem]) -> list[dict]:
    """The rows as column values, or RuleViolation listing every problem (field items.N.name, N from 0)."""
    found: list[Violation] = []
    clean: list[dict] = []
    seen: set[int] = set()
    for n, row in enumerate(rows):
        at = f"items.{n}."
        metric = str(row.get("metric") or "").strip()
        target, problems = parse_target(metric, row.get("target"), row.get("unit"))
        for v in problems:
            found.append(Violation(v.code, f"第{n + 1}行：{v.message}", v.article, at + (v.field or "target")))
        responsible = str(row.get("responsible") or "").strip()
        if responsible not in RESPONSIBLE_UNITS:
            units = "、".join(f"{r}（{ROLES[r]}）" for r in RESPONSIBLE_UNITS)
            found.append(
                Violation("invalid_responsible", f"第{n + 1}行：责任单位须为 {units} 之一。", None, at + "responsible")
            )
        item_id = row.get("id")
        if item_id not in (None, ""):
            try:
                item_id = int(item_id)
            except (TypeError, ValueError):
                item_id = -1
            if item_id not in existing or item_id in seen:
                found.append(
                    Violation(
                        "unknown_item",
                        f"第{n + 1}行：{year}年度没有编号为 {row.get('id')} 的目标（或重复）。",
                        None,
                        at + "id",
                    )
                )
            seen.add(item_id)
        else:
            item_id = None
        inner: list[Violation] = []
        goal = _text(row.get("goal_text"), "年度奋斗目标", at + "goal_text", True, inner)
        work = _text(row.get("work_text"), "年度工作目标", at + "work_text", False, inner)
        found += [Violation(v.code, f"第{n + 1}行：{v.message}", None, v.field) for v in inner]
        clean.append(
            {
                "id": item_id,
                "position": n + 1,
                "metric": metric,
                "target": target,
                "goal_text": goal,
                "work_text": work,
                "responsible": responsible,
            }
        )
    if found:
        raise RuleViolation(found)
    return clean


def set_targets(actor, year: int, rows: list[dict]) -> list[TargetItem]:
    """Replace the year's table by `rows` in 序号 order. A row carrying the `id` of one of the year's items
    updates it and keeps its 存在问题 / 下步打算; the year's items not listed are removed. All or nothing."""
    require(actor, "targets.set")
    check_year(year)
    existing = {i.id: i for i in _items(year)}
    clean = _checked(year, rows, existing)
    before = [audit.snapshot(i, ("id", *_ITEM_FIELDS)) for i in existing.values()]
    kept = {row["id"] for row in clean if row["id"] is not None}
    for item_id, item in existing.items():
        if item_id not in kept:
            db.session.delete(item)
    # Kept items move out of the way first so (year, 序号) stays unique while lines are reordered.
    for item_id in kept:
        existing[item_id].position += 10_000
    db.session.flush()
    now = clock.now()
    items = []
    for row in clean:
        item = existing[row["id"]] if row["id"] is not None else TargetItem(year=year)
        for name in _ITEM_FIELDS:
            setattr(item, name, row[name])
        item.set_by_id, item.set_at = actor.id, now
        db.session.add(item)
        items.append(item)
    db.session.flush()
    after = [audit.snapshot(i, ("id", *_ITEM_FIELDS)) for i in items]
    audit.record(actor, "targets.set", None, {"before": before, "after": after}, object_type="targets", object_id=year)
    db.session.commit()
    return items


def report_progress(actor, year: int, item_id: int, problems: str | None, next_steps: str | None) -> TargetItem:
    """The responsible unit's 存在问题 and 下步打算 of one item; refused for any other unit."""
    require(actor, "targets.report")
    item = db.session.get(TargetItem, item_id)
    if item is None or item.year != year:
        raise NotFound(f"{year}年度没有编号为 {item_id} 的目标。")
    if not actor.has_role(item.responsible):
        unit = ROLES.get(item.responsible, item.responsible)
        raise Forbidden(
            f"本项目标的责任单位是{unit}，只有{unit}的用户可以填写存在问题和下步打算。", "not_responsible_unit"
        )
    found: list[Violation] = []
    problems = _text(problems, "存在问题", "problems", False, found)
    next_steps = _text(next_steps, "下步打算", "next_steps", False, found)
    if found:
        raise RuleViolation(found)
    before = audit.snapshot(item, ("problems", "next_steps"))
    item.problems, item.next_steps = problems, next_steps
    item.report_by_id, item.report_at = actor.id, clock.now()
    audit.record(actor, "targets.report", item, audit.diff(before, audit.snapshot(item, ("problems", "next_steps"))))
    db.session.commit()
    return item
