"""The enterprise registry (第三、四条): kept by the development zone, read by the departments.

A bank user sees nothing of the registry beyond the batch in force (services/lists.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from sqlalchemy import Select, func, or_, select

from eloan import clock
from eloan.domain.eligibility import EnterpriseFacts, check_enterprise
from eloan.domain.errors import NotFound, RuleViolation, Violation
from eloan.domain.policy import PolicyParams
from eloan.domain.registry import ENTERPRISE_FIELDS, EnterpriseData, parse_enterprise_data
from eloan.domain.uscc import normalise_uscc
from eloan.extensions import db
from eloan.models import Enterprise, MuRating
from eloan.services import audit
from eloan.services.access import require

AUDITED = ENTERPRISE_FIELDS + ("size_class_given",)


def facts(enterprise: Enterprise) -> EnterpriseFacts:
    return EnterpriseFacts(
        uscc=enterprise.uscc,
        name=enterprise.name,
        industry=enterprise.industry,
        size_class=enterprise.size_class or "unknown",
        in_zone=enterprise.in_zone,
        special_approval_note=enterprise.special_approval_note,
        mu_class=enterprise.mu_class,
        sanctioned=enterprise.sanctioned,
    )


def ineligibility(enterprise: Enterprise, policy: PolicyParams) -> list[Violation]:
    return check_enterprise(facts(enterprise), policy)


def as_input(enterprise: Enterprise) -> dict[str, Any]:
    """The record as parse_enterprise_data accepts it (a computed size class is not 'given')."""
    values = {name: getattr(enterprise, name) for name in ENTERPRISE_FIELDS}
    if not enterprise.size_class_given:
        values["size_class"] = None
    return values


def get(actor, uscc: str) -> Enterprise:
    require(actor, "enterprises.read")
    enterprise = db.session.scalars(select(Enterprise).where(Enterprise.uscc == normalise_uscc(uscc))).first()
    if enterprise is None:
        raise NotFound(f"统一社会信用代码为 {uscc} 的企业不存在。")
    return enterprise


def _parse(raw: Mapping[str, Any]) -> EnterpriseData:
    data, problems = parse_enterprise_data(raw)
    if problems:
        raise RuleViolation(problems)
    return data


def _apply(enterprise: Enterprise, data: EnterpriseData) -> None:
    for name, value in asdict(data).items():
        setattr(enterprise, name, value)
    if data.mu_class and data.mu_year:
        rating = next((r for r in enterprise.mu_ratings if r.year == data.mu_year), None)
        if rating is None:
            enterprise.mu_ratings.append(MuRating(year=data.mu_year, mu_class=data.mu_class))
        else:
            rating.mu_class = data.mu_class
        _refresh_current_mu(enterprise)


def _refresh_current_mu(enterprise: Enterprise) -> None:
    """The enterprise's class is its latest year's evaluation."""
    latest = max(enterprise.mu_ratings, key=lambda r: r.year, default=None)
    enterprise.mu_class, enterprise.mu_year = (latest.mu_class, latest.year) if latest else (None, None)


def uscc_taken(uscc: str) -> bool:
    return db.session.scalar(select(func.count()).select_from(Enterprise).where(Enterprise.uscc == uscc)) > 0


def create(actor, raw: Mapping[str, Any]) -> Enterprise:
    require(actor, "enterprises.write")
    data = _parse(raw)
    if uscc_taken(data.uscc):
        raise RuleViolation(
            [Violation("duplicate_uscc", f"统一社会信用代码 {data.uscc} 已登记，不能重复登记。", None, "uscc")]
        )
    enterprise = Enterprise(created_at=clock.now())
    _apply(enterprise, data)
    db.session.add(enterprise)
    audit.record(actor, "enterprise.create", enterprise, audit.diff({}, audit.snapshot(enterprise, AUDITED)))
    db.session.commit()
    return enterprise


def update(actor, uscc: str, changes: Mapping[str, Any]) -> Enterprise:
    """Change some fields; the credit code itself is the identity and does not change."""
    require(actor, "enterprises.write")
    enterprise = get(actor, uscc)
    if "uscc" in changes and normalise_uscc(str(changes["uscc"] or "")) != enterprise.uscc:
        raise RuleViolation(
            [
                Violation(
                    "uscc_immutable", "统一社会信用代码是企业的标识，不能修改；如登记有误请联系管理员。", None, "uscc"
                )
            ]
        )
    merged = {**as_input(enterprise), **dict(changes), "uscc": enterprise.uscc}
    data = _parse(merged)
    before = audit.snapshot(enterprise, AUDITED)
    _apply(enterprise, data)
    enterprise.updated_at = clock.now()
    changed = audit.diff(before, audit.snapshot(enterprise, AUDITED))
    if changed:
        audit.record(actor, "enterprise.update", enterprise, changed)
    db.session.commit()
    return enterprise


def set_mu_rating(actor, uscc: str, year: int, mu_class: str, note: str | None = None) -> Enterprise:
    """Record one year's 亩产效益 class (a new year's evaluation, or a correction)."""
    require(actor, "enterprises.write")
    enterprise = get(actor, uscc)
    mu_class = (mu_class or "").strip().upper()
    problems = []
    if mu_class not in ("A", "B", "C", "D"):
        problems.append(Violation("invalid_field", "亩产效益类别须为 A、B、C 或 D。", None, "mu_class"))
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        problems.append(Violation("invalid_field", "评价年度无效。", None, "mu_year"))
    if problems:
        raise RuleViolation(problems)
    rating = next((r for r in enterprise.mu_ratings if r.year == year), None)
    old = rating.mu_class if rating else None
    if rating is None:
        enterprise.mu_ratings.append(MuRating(year=year, mu_class=mu_class, note=note))
    else:
        rating.mu_class, rating.note = mu_class, note
    _refresh_current_mu(enterprise)
    audit.record(actor, "enterprise.mu_rating", enterprise, {f"mu_class_{year}": [old, mu_class]})
    db.session.commit()
    return enterprise


def search_statement(
    actor,
    *,
    q: str | None = None,
    industry: str | None = None,
    size_class: str | None = None,
    mu_class: str | None = None,
    in_zone: bool | None = None,
    sanctioned: bool | None = None,
) -> Select:
    require(actor, "enterprises.read")
    stmt = select(Enterprise)
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(
            or_(Enterprise.name.like(like), Enterprise.uscc.like(like.upper()), Enterprise.legal_rep.like(like))
        )
    if industry:
        stmt = stmt.where(Enterprise.industry == industry)
    if size_class:
        stmt = stmt.where(Enterprise.size_class == size_class)
    if mu_class:
        stmt = stmt.where(Enterprise.mu_class == mu_class)
    if in_zone is not None:
        stmt = stmt.where(Enterprise.in_zone.is_(in_zone))
    if sanctioned is not None:
        stmt = stmt.where(Enterprise.sanctioned.is_(sanctioned))
    return stmt


def search(actor, *, page: int = 1, per_page: int = 50, **filters) -> tuple[list[Enterprise], int]:
    stmt = search_statement(actor, **filters)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    items = db.session.scalars(
        stmt.order_by(Enterprise.name, Enterprise.id).limit(per_page).offset((page - 1) * per_page)
    ).all()
    return items, total


def history(actor, uscc: str):
    """The enterprise's audit trail: every change, who made it and when."""
    enterprise = get(actor, uscc)
    from eloan.models import AuditEntry

    return db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.object_type == "enterprises", AuditEntry.object_id == str(enterprise.id))
        .order_by(AuditEntry.id.desc())
    ).all()
