"""The recommended list (名单制) in batches: draft → confirmed by zone, industry and fsc → issued →
superseded (第九、十条; POLICY.md §4). Issued batches are frozen."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import case, func, nulls_last, or_, select

from eloan import clock
from eloan.domain.errors import NotFound, RuleViolation, StateConflict, Violation
from eloan.domain.money import AmountError, format_money, parse_amount
from eloan.domain.roles import REVIEWING_UNITS, ROLES
from eloan.domain.states import BATCHES_OPEN, BATCHES_PUBLISHED, require_transition
from eloan.domain.uscc import normalise_uscc
from eloan.extensions import db
from eloan.models import Enterprise, ListBatch, ListConfirmation, ListEntry
from eloan.services import audit, enterprises, notifications
from eloan.services.access import is_bank_user, require
from eloan.services.reference import policy_on

# ---- reading -------------------------------------------------------------------------------------


def in_force_statement(on: date):
    return (
        select(ListBatch)
        .where(
            ListBatch.status.in_(BATCHES_PUBLISHED),
            ListBatch.effective_from <= on,
            or_(ListBatch.effective_to.is_(None), ListBatch.effective_to >= on),
        )
        .order_by(ListBatch.effective_from.desc())
        .limit(1)
    )


def batch_in_force(on: date) -> ListBatch | None:
    return db.session.scalars(in_force_statement(on)).first()


def current(actor, on: date | None = None) -> ListBatch:
    """The batch in force on `on` (default today): the one thing of the list a bank may read."""
    on = on or clock.today()
    batch = batch_in_force(on)
    if batch is None:
        raise NotFound(f"{on} 没有有效的推荐企业名单。")
    return batch


def get_batch(actor, batch_id: int) -> ListBatch:
    batch = db.session.get(ListBatch, batch_id)
    if is_bank_user(actor):
        in_force = batch_in_force(clock.today())
        if batch is None or in_force is None or batch.id != in_force.id:
            raise NotFound("名单批次不存在。")
        return batch
    require(actor, "lists.read")
    if batch is None:
        raise NotFound("名单批次不存在。")
    return batch


def list_batches(actor, status: str | None = None):
    require(actor, "lists.read")
    stmt = select(ListBatch).order_by(ListBatch.id.desc())
    if status:
        stmt = stmt.where(ListBatch.status == status)
    return db.session.scalars(stmt).all()


def on_list(enterprise_id: int, on: date) -> bool:
    """Whether the enterprise is on the batch in force on the date (第十条: loans only to listed ones)."""
    batch = in_force_statement(on).subquery()
    return (
        db.session.scalar(
            select(func.count())
            .select_from(ListEntry)
            .join(batch, ListEntry.batch_id == batch.c.id)
            .where(ListEntry.enterprise_id == enterprise_id)
        )
        > 0
    )


def batches_of(actor, enterprise_id: int) -> list[tuple[ListBatch, ListEntry]]:
    """Every batch the enterprise appears in, newest first, with its entry there."""
    require(actor, "lists.read")
    rows = db.session.execute(
        select(ListBatch, ListEntry)
        .join(ListEntry, ListEntry.batch_id == ListBatch.id)
        .where(ListEntry.enterprise_id == enterprise_id)
        .order_by(ListBatch.id.desc())
    )
    return [(batch, entry) for batch, entry in rows]


def active_confirmations(batch: ListBatch) -> dict[str, ListConfirmation]:
    return {c.role: c for c in batch.confirmations if c.action == "confirm" and c.cleared_at is None}


def last_return(batch: ListBatch) -> ListConfirmation | None:
    returns = [c for c in batch.confirmations if c.action == "return"]
    return returns[-1] if returns else None


# ---- screening -----------------------------------------------------------------------------------


def candidates_statement(actor, on: date | None = None, q: str | None = None):
    """Eligible enterprises, A before B before C (then not yet evaluated), then by tax sales.

    Eligible: industry of the policy in force, SME, in the zone or approved as 特别优质, not sanctioned, not D
    (第三、四、九条; the 亩产效益 evaluation's 差别化信贷).
    """
    require(actor, "lists.screen")
    policy = policy_on(on or clock.today())
    rank = case(
        (Enterprise.mu_class == "A", 0), (Enterprise.mu_class == "B", 1), (Enterprise.mu_class == "C", 2), else_=3
    )
    stmt = (
        select(Enterprise)
        .where(
            Enterprise.industry.in_(policy.eligible_industries),
            Enterprise.size_class.in_(("medium", "small", "micro")),
            or_(Enterprise.in_zone.is_(True), func.length(func.trim(Enterprise.special_approval_note)) > 0),
            Enterprise.sanctioned.is_(False),
            or_(Enterprise.mu_class.is_(None), Enterprise.mu_class != "D"),
        )
        .order_by(rank, nulls_last(Enterprise.tax_sales.desc()), Enterprise.name)
    )
    if q:
        stmt = stmt.where(or_(Enterprise.name.like(f"%{q.strip()}%"), Enterprise.uscc.like(f"%{q.strip().upper()}%")))
    return stmt


def candidates(actor, *, on: date | None = None, q: str | None = None, page: int = 1, per_page: int = 50):
    stmt = candidates_statement(actor, on, q)
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    return db.session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)).all(), total


# ---- writing -------------------------------------------------------------------------------------


def _next_number(year: int) -> str:
    prefix = f"{year}年第"
    count = db.session.scalar(select(func.count()).select_from(ListBatch).where(ListBatch.number.like(prefix + "%")))
    number = count + 1
    while db.session.scalar(
        select(func.count()).select_from(ListBatch).where(ListBatch.number == f"{prefix}{number}批")
    ):
        number += 1
    return f"{prefix}{number}批"


def create_batch(actor, *, number: str | None = None, title: str | None = None, note: str | None = None) -> ListBatch:
    require(actor, "lists.edit")
    number = (number or "").strip() or _next_number(clock.today().year)
    if db.session.scalar(select(func.count()).select_from(ListBatch).where(ListBatch.number == number)):
        raise RuleViolation([Violation("batch_number_taken", f"批次编号“{number}”已存在，请换一个。", None, "number")])
    batch = ListBatch(
        number=number,
        title=(title or "").strip() or "台儿庄区“园区E贷”推荐企业名单",
        status="draft",
        note=note,
        created_by_id=actor.id,
    )
    db.session.add(batch)
    audit.record(actor, "list_batch.create", batch, {"number": number})
    db.session.commit()
    return batch


def _draft(actor, batch_id: int, *, lock: bool = True) -> ListBatch:
    require(actor, "lists.edit")
    stmt = select(ListBatch).where(ListBatch.id == batch_id)
    batch = db.session.scalars(stmt.with_for_update() if lock else stmt).first()
    if batch is None:
        raise NotFound("名单批次不存在。")
    if batch.status != "draft":
        raise StateConflict(
            "batch_not_draft",
            f"批次“{batch.number}”已{_status_label(batch)}，不能再修改名单；如需修改，请由确认单位退回。",
        )
    return batch


def _status_label(batch: ListBatch) -> str:
    from eloan.domain.states import BATCH_STATES

    return BATCH_STATES.get(batch.status, batch.status)


def _clear_confirmations(actor, batch: ListBatch, why: str) -> None:
    cleared = [c for c in batch.confirmations if c.action == "confirm" and c.cleared_at is None]
    for confirmation in cleared:
        confirmation.cleared_at = clock.now()
    if cleared:
        audit.record(actor, "list_batch.confirmations_cleared", batch, {"roles": [c.role for c in cleared], "why": why})


def _recommended(amount, policy) -> Decimal:
    try:
        value = parse_amount(amount, "推荐额度（元）")
    except AmountError as exc:
        raise RuleViolation([Violation("invalid_amount", str(exc), None, "recommended_amount")]) from None
    if value <= 0 or value > policy.max_outstanding_per_enterprise:
        raise RuleViolation(
            [
                Violation(
                    "invalid_amount",
                    f"推荐额度须大于零且不超过单户上限 {format_money(policy.max_outstanding_per_enterprise)}。",
                    "第六条",
                    "recommended_amount",
                )
            ]
        )
    return value


def add_entry(actor, batch_id: int, uscc: str, recommended_amount, note: str | None = None) -> ListEntry:
    batch = _draft(actor, batch_id)
    policy = policy_on(clock.today())
    enterprise = db.session.scalars(select(Enterprise).where(Enterprise.uscc == normalise_uscc(uscc or ""))).first()
    if enterprise is None:
        raise RuleViolation(
            [
                Violation(
                    "unknown_enterprise", f"统一社会信用代码 {uscc} 的企业尚未登记，请先在企业库中登记。", None, "uscc"
                )
            ]
        )
    problems = enterprises.ineligibility(enterprise, policy)
    if problems:
        raise RuleViolation(problems)
    amount = _recommended(recommended_amount, policy)
    if any(e.enterprise_id == enterprise.id for e in batch.entries):
        raise RuleViolation([Violation("already_listed", f"“{enterprise.name}”已在本批次名单中。", None, "uscc")])
    entry = ListEntry(
        enterprise_id=enterprise.id,
        recommended_amount=amount,
        note=(note or "").strip() or None,
        position=max((e.position for e in batch.entries), default=0) + 1,
    )
    batch.entries.append(entry)
    _clear_confirmations(actor, batch, "名单内容变更")
    audit.record(actor, "list_batch.add_entry", batch, {"enterprise": enterprise.uscc, "recommended_amount": amount})
    db.session.commit()
    return entry


def update_entry(actor, batch_id: int, entry_id: int, recommended_amount, note: str | None = None) -> ListEntry:
    batch = _draft(actor, batch_id)
    entry = next((e for e in batch.entries if e.id == entry_id), None)
    if entry is None:
        raise NotFound("名单条目不存在。")
    before = {"recommended_amount": str(entry.recommended_amount), "note": entry.note}
    entry.recommended_amount = _recommended(recommended_amount, policy_on(clock.today()))
    entry.note = (note or "").strip() or None
    _clear_confirmations(actor, batch, "名单内容变更")
    audit.record(
        actor,
        "list_batch.update_entry",
        batch,
        audit.diff(before, {"recommended_amount": str(entry.recommended_amount), "note": entry.note}),
    )
    db.session.commit()
    return entry


def remove_entry(actor, batch_id: int, entry_id: int) -> None:
    batch = _draft(actor, batch_id)
    entry = next((e for e in batch.entries if e.id == entry_id), None)
    if entry is None:
        raise NotFound("名单条目不存在。")
    batch.entries.remove(entry)
    _clear_confirmations(actor, batch, "名单内容变更")
    audit.record(actor, "list_batch.remove_entry", batch, {"enterprise": entry.enterprise.uscc})
    db.session.commit()


def _acting_role(actor, role: str | None) -> str:
    held = [r for r in REVIEWING_UNITS if actor.has_role(r)]
    if role:
        if role not in held:
            raise RuleViolation(
                [Violation("invalid_role", f"您不具有“{ROLES.get(role, role)}”角色，不能以其名义确认。", None, "role")]
            )
        return role
    if not held:
        require(actor, "lists.confirm")
    if len(held) > 1:
        raise RuleViolation(
            [Violation("role_required", "您同时属于多个确认单位，请选择以哪个单位的名义操作。", None, "role")]
        )
    return held[0]


def _check_entries_still_eligible(batch: ListBatch) -> None:
    policy = policy_on(clock.today())
    problems = [v for e in batch.entries for v in enterprises.ineligibility(e.enterprise, policy)]
    if problems:
        raise RuleViolation(problems)


def confirm(actor, batch_id: int, role: str | None = None, comment: str | None = None) -> ListBatch:
    role = _acting_role(actor, role)
    batch = db.session.scalars(select(ListBatch).where(ListBatch.id == batch_id).with_for_update()).first()
    if batch is None:
        raise NotFound("名单批次不存在。")
    if batch.status != "draft":
        raise StateConflict("batch_not_draft", f"批次“{batch.number}”已{_status_label(batch)}，无需再确认。")
    if role in active_confirmations(batch):
        raise StateConflict("already_confirmed", f"{ROLES[role]}已确认过本批次。")
    if not batch.entries:
        raise RuleViolation([Violation("batch_empty", "名单中还没有企业，不能确认。")])
    _check_entries_still_eligible(batch)
    batch.confirmations.append(
        ListConfirmation(role=role, action="confirm", user_id=actor.id, comment=(comment or "").strip() or None)
    )
    db.session.flush()
    done = set(active_confirmations(batch))
    if done == set(REVIEWING_UNITS):
        require_transition("batch", batch.status, "confirmed", "batch_not_confirmable")
        batch.status = "confirmed"
    audit.record(actor, "list_batch.confirm", batch, {"role": role, "status": batch.status})
    db.session.commit()
    return batch


def return_batch(actor, batch_id: int, comment: str, role: str | None = None) -> ListBatch:
    role = _acting_role(actor, role)
    comment = (comment or "").strip()
    if not comment:
        raise RuleViolation([Violation("comment_required", "退回须写明理由，以便开发区修改。", None, "comment")])
    batch = db.session.scalars(select(ListBatch).where(ListBatch.id == batch_id).with_for_update()).first()
    if batch is None:
        raise NotFound("名单批次不存在。")
    if batch.status not in BATCHES_OPEN:
        raise StateConflict("batch_not_returnable", f"批次“{batch.number}”已{_status_label(batch)}，不能退回。")
    _clear_confirmations(actor, batch, f"{ROLES[role]}退回")
    batch.confirmations.append(ListConfirmation(role=role, action="return", user_id=actor.id, comment=comment))
    previous = batch.status
    batch.status = "draft"
    audit.record(actor, "list_batch.return", batch, {"role": role, "comment": comment, "status": [previous, "draft"]})
    notifications.notify(
        notifications.users_with_roles("zone"),
        "list_batch_returned",
        f"推荐名单“{batch.number}”被{ROLES[role]}退回",
        comment,
        f"/lists/{batch.id}",
    )
    db.session.commit()
    return batch


def issue(actor, batch_id: int, effective_from: date | None = None) -> ListBatch:
    """Issue a confirmed batch from a date (default today; earlier records a paper batch); the batch in
    force until then is superseded the day before."""
    require(actor, "lists.edit")
    batch = db.session.scalars(select(ListBatch).where(ListBatch.id == batch_id).with_for_update()).first()
    if batch is None:
        raise NotFound("名单批次不存在。")
    if batch.status != "confirmed":
        missing = [ROLES[r] for r in REVIEWING_UNITS if r not in active_confirmations(batch)]
        detail = f"尚待{'、'.join(missing)}确认" if batch.status == "draft" else f"已{_status_label(batch)}"
        raise StateConflict("batch_not_confirmed", f"批次“{batch.number}”{detail}，不能发布。")
    effective_from = effective_from or clock.today()
    previous = db.session.scalars(
        select(ListBatch)
        .where(ListBatch.status == "issued", ListBatch.id != batch.id)
        .order_by(ListBatch.effective_from.desc())
        .with_for_update()
    ).first()
    if previous is not None and effective_from <= previous.effective_from:
        raise RuleViolation(
            [
                Violation(
                    "effective_date_conflict",
                    f"生效日期 {effective_from} 须晚于当前名单“{previous.number}”的生效日期 {previous.effective_from}。",
                    None,
                    "effective_from",
                )
            ]
        )
    _check_entries_still_eligible(batch)
    if previous is not None:
        previous.status, previous.effective_to = "superseded", effective_from - timedelta(days=1)
        audit.record(
            actor, "list_batch.supersede", previous, {"effective_to": previous.effective_to, "by": batch.number}
        )
    require_transition("batch", batch.status, "issued", "batch_not_confirmed")
    batch.status, batch.effective_from = "issued", effective_from
    batch.issued_at, batch.issued_by_id = clock.now(), actor.id
    audit.record(actor, "list_batch.issue", batch, {"effective_from": effective_from, "entries": len(batch.entries)})
    notifications.notify(
        notifications.users_with_roles("bank", "industry", "fsc", "finance"),
        "list_batch_issued",
        f"推荐企业名单“{batch.number}”自 {effective_from} 起施行",
        f"共 {len(batch.entries)} 户企业。",
        "/lists/current",
        dedupe_key=f"list_batch_issued:{batch.id}",
    )
    db.session.commit()
    return batch
