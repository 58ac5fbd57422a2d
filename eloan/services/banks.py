"""Cooperating banks: admission, loss share, ranking and status history (第五、十二、十四、十八、十九条)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select

from eloan import clock
from eloan.domain import bank_standing
from eloan.domain.eligibility import BankFacts, bank_status_on, check_bank_admission, check_bank_can_lend
from eloan.domain.errors import NotFound, RuleViolation, StateConflict, Violation
from eloan.domain.money import parse_ratio
from eloan.domain.states import BANK_STATUSES, can_transition
from eloan.extensions import db
from eloan.models import Bank, BankStatusChange
from eloan.services import audit, notifications
from eloan.services.access import get_scoped, require, scope
from eloan.services.reference import policy_on

FIELDS = (
    "code",
    "name",
    "branch_in_district",
    "loss_share",
    "agreement_no",
    "agreement_from",
    "agreement_to",
    "product_name",
    "product_recognised",
    "contact_person",
    "contact_phone",
)


def facts(bank: Bank) -> BankFacts:
    return BankFacts(
        code=bank.code,
        name=bank.name,
        status=bank.status,
        loss_share=bank.loss_share,
        agreement_from=bank.agreement_from,
        agreement_to=bank.agreement_to,
        branch_in_district=bank.branch_in_district,
        product_recognised=bank.product_recognised,
    )


def facts_on(bank: Bank, day: date) -> BankFacts:
    """The bank's facts with its status as it stood on `day` (a loan's drawdown date)."""
    history = db.session.execute(
        select(
            BankStatusChange.effective_on, BankStatusChange.id, BankStatusChange.to_status, BankStatusChange.from_status
        ).where(BankStatusChange.bank_id == bank.id)
    ).all()
    return replace(facts(bank), status=bank_status_on([tuple(h) for h in history], day, bank.status))


@dataclass(frozen=True)
class Standing:
    """What every page and the API show for a bank today: see domain.bank_standing."""

    code: str  # a key of bank_standing.STANDINGS: the stored status, or agreement_expired …
    label: str  # 正常合作, 暂停, 取消资格, 协议已到期 …
    agreement: str  # a key of bank_standing.AGREEMENT_STATES: in_force, expired …

    @property
    def can_lend(self) -> bool:
        return self.code == "active"


def standing(bank: Bank, on: date | None = None) -> Standing:
    """The one answer to "how does this bank stand" (default: today), for pages, home cards and the API."""
    agreement = bank_standing.agreement_state(bank.agreement_from, bank.agreement_to, on or clock.today())
    code = bank_standing.standing(bank.status, agreement)
    return Standing(code, bank_standing.STANDINGS[code], agreement)


def count_by_standing(actor) -> dict[str, int]:
    """The banks the actor may read, counted by standing (an expired agreement is not 正常合作)."""
    counts: dict[str, int] = {}
    for bank in all_banks(actor):
        code = standing(bank).code
        counts[code] = counts.get(code, 0) + 1
    return counts


def get(actor, code: str) -> Bank:
    require(actor, "banks.read")
    return get_scoped(actor, Bank, code, column=Bank.code)


def all_banks(actor) -> list[Bank]:
    require(actor, "banks.read")
    return db.session.scalars(scope(actor, Bank).order_by(Bank.code)).all()


def _parse(raw: Mapping[str, Any], existing: Bank | None) -> tuple[dict, list[Violation]]:
    values = {name: raw.get(name, getattr(existing, name) if existing else None) for name in FIELDS}
    problems: list[Violation] = []
    values["code"] = (values["code"] or "").strip().upper()
    values["name"] = (values["name"] or "").strip()
    if not values["code"] or len(values["code"]) > 20:
        problems.append(Violation("invalid_field", "银行代码不能为空，且不超过 20 个字符。", None, "code"))
    if not values["name"]:
        problems.append(Violation("invalid_field", "银行名称不能为空。", None, "name"))
    try:
        values["loss_share"] = parse_ratio(values["loss_share"])
    except (TypeError, ValueError, InvalidOperation):
        problems.append(
            Violation(
                "invalid_field",
                "损失承担比例须为 0 到 1 之间的小数，如 0.3000 表示 30%。",
                "第五条（三）",
                "loss_share",
            )
        )
    for flag in ("branch_in_district", "product_recognised"):
        values[flag] = bool(values[flag])
    for name in ("agreement_from", "agreement_to"):
        if isinstance(values[name], str):
            try:
                values[name] = date.fromisoformat(values[name])
            except ValueError:
                problems.append(Violation("invalid_field", "日期请使用 YYYY-MM-DD 格式。", None, name))
    return values, problems


def _admission_problems(values: dict) -> list[Violation]:
    on = values["agreement_from"] or clock.today()
    policy = policy_on(on)
    return check_bank_admission(
        BankFacts(
            code=values["code"],
            name=values["name"],
            status="active",
            loss_share=values["loss_share"],
            agreement_from=values["agreement_from"],
            agreement_to=values["agreement_to"],
            branch_in_district=values["branch_in_district"],
            product_recognised=values["product_recognised"],
        ),
        policy,
    )


def admit(actor, raw: Mapping[str, Any]) -> Bank:
    """Admit a bank meeting 第五条 with its loss share ≥ the policy minimum (else loss_share_too_low)."""
    require(actor, "banks.write")
    values, problems = _parse(raw, None)
    if not problems:
        problems = _admission_problems(values)
        if db.session.scalars(select(Bank.id).where(Bank.code == values["code"])).first() is not None:
            problems.append(Violation("duplicate_bank_code", f"银行代码 {values['code']} 已存在。", None, "code"))
    if problems:
        raise RuleViolation(problems)
    bank = Bank(status="active", **values)
    db.session.add(bank)
    db.session.flush()
    db.session.add(
        BankStatusChange(
            bank_id=bank.id,
            from_status=None,
            to_status="active",
            effective_on=values["agreement_from"] or clock.today(),
            reason="签订合作协议，准入",
            source="admission",
            actor_id=actor.id,
        )
    )
    audit.record(actor, "bank.admit", bank, audit.diff({}, audit.snapshot(bank, FIELDS)))
    db.session.commit()
    return bank


def update(actor, code: str, changes: Mapping[str, Any]) -> Bank:
    require(actor, "banks.write")
    bank = get(actor, code)
    values, problems = _parse({**dict(changes), "code": bank.code}, bank)
    if not problems:
        problems = _admission_problems(values)
    if problems:
        raise RuleViolation(problems)
    before = audit.snapshot(bank, FIELDS)
    for name, value in values.items():
        setattr(bank, name, value)
    audit.record(actor, "bank.update", bank, audit.diff(before, audit.snapshot(bank, FIELDS)))
    db.session.commit()
    return bank


def ranking(actor) -> list[dict]:
    """Banks by loss share, highest first (第十四条 competitive ranking); equal shares share a rank, tied."""
    banks = sorted(all_banks(actor), key=lambda b: (-b.loss_share, b.code))
    counts: dict[Decimal, int] = {}
    for bank in banks:
        counts[bank.loss_share] = counts.get(bank.loss_share, 0) + 1
    ranked, rank = [], 0
    for position, bank in enumerate(banks, start=1):
        if position == 1 or bank.loss_share != banks[position - 2].loss_share:
            rank = position
        ranked.append({"rank": rank, "bank": bank, "tied": counts[bank.loss_share] > 1})
    return ranked


def can_lend(bank: Bank, on: date) -> list[Violation]:
    return check_bank_can_lend(facts_on(bank, on), on)


def change_status(
    actor,
    code: str,
    to_status: str,
    reason: str,
    *,
    source: str = "manual",
    effective_on: date | None = None,
    figures: Mapping[str, Any] | None = None,
    commit: bool = True,
) -> BankStatusChange:
    """Suspend, resume or disqualify, with the reason and who; 第十九条's disqualification is final.

    `actor` None is the daily job; `figures` are the ratios that caused an automatic change.
    """
    if actor is not None:
        require(actor, "banks.change_status")
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation([Violation("reason_required", "变更合作状态须填写理由。", None, "reason")])
    bank = db.session.scalars(select(Bank).where(Bank.code == code).with_for_update()).first()
    if bank is None:
        raise NotFound(f"银行 {code} 不存在。")
    if bank.status == to_status or not can_transition("bank", bank.status, to_status):
        raise StateConflict(
            "bank_status_conflict",
            f"“{bank.name}”当前为“{BANK_STATUSES[bank.status]}”，不能改为“{BANK_STATUSES.get(to_status, to_status)}”。",
        )
    change = BankStatusChange(
        bank_id=bank.id,
        from_status=bank.status,
        to_status=to_status,
        effective_on=effective_on or clock.today(),
        reason=reason,
        source=source,
        actor_id=getattr(actor, "id", None),
        **dict(figures or {}),
    )
    db.session.add(change)
    previous, bank.status = bank.status, to_status
    audit.record(
        actor, f"bank.{to_status}", bank, {"status": [previous, to_status], "reason": reason, "source": source}
    )
    title = f"“{bank.name}”合作状态：{BANK_STATUSES[previous]} → {BANK_STATUSES[to_status]}"
    notifications.notify(
        notifications.users_with_roles("finance", "fsc") + notifications.users_with_roles("bank", bank_id=bank.id),
        "bank_status",
        title,
        reason,
        f"/banks/{bank.code}",
        dedupe_key=f"bank-status:{bank.code}:{change.effective_on}:{to_status}" if source == "daily_job" else None,
    )
    if commit:
        db.session.commit()
    return change


def history(actor, code: str) -> list[BankStatusChange]:
    bank = get(actor, code)
    return db.session.scalars(
        select(BankStatusChange)
        .where(BankStatusChange.bank_id == bank.id)
        .order_by(BankStatusChange.effective_on.desc(), BankStatusChange.id.desc())
    ).all()


def policy_for_attachment(bank):
    """The policy version Attachment 3 rests on: the one in force when the agreement began, else today's;
    None when neither date has one (the form cannot be drawn up)."""
    for day in (bank.agreement_from, clock.today()):
        if day is None:
            continue
        try:
            return policy_on(day)
        except RuleViolation:
            continue
    return None
