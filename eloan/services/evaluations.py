"""The annual evaluation of the cooperating banks, its workflow (第二十条; POLICY.md §11).

finance computes a draft (recomputable while draft) and may adjust an area's score by hand with a reason;
zone, industry and fsc each confirm (optionally with a comment) — then the evaluation is confirmed;
finance records a decision per bank (one differing from the suggestion needs a reason; 终止合作 sets the
end of the bank's agreement) and the bank is told. Every step is audited.

The evaluation is a government document: a bank user gets NotFound, as for any object it may not see.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from eloan import clock
from eloan.domain.errors import NotFound, RuleViolation, StateConflict, Violation
from eloan.domain.evaluation import AREAS, METHOD, OUTCOMES, adjustment_problem, compute_scores, ranked
from eloan.domain.roles import REVIEWING_UNITS, ROLES
from eloan.domain.states import BANKS_IN_PROGRAMME
from eloan.extensions import db
from eloan.models import Bank, Evaluation, EvaluationConfirmation, EvaluationRow
from eloan.services import audit, files
from eloan.services.access import is_bank_user, require
from eloan.services.evaluation_indicators import for_display, gather, policy_for_year, thresholds_of
from eloan.services.locks import lock_row
from eloan.services.notifications import notify, users_with_roles

STATUS_LABELS = {"draft": "草稿", "confirmed": "已确认", "decided": "已决定"}
FIRST_YEAR = 2023  # the programme began with 台政办发〔2023〕9号


def _refuse(code: str, message: str, field: str | None = None):
    return RuleViolation([Violation(code, message, "第二十条", field)])


def _readable(actor) -> None:
    if is_bank_user(actor):
        raise NotFound("未找到该年度的绩效评价。")
    require(actor, "evaluations.read")


def _load(year: int, *, lock: bool = False) -> Evaluation | None:
    evaluation = db.session.scalars(
        select(Evaluation)
        .where(Evaluation.year == year)
        .options(
            selectinload(Evaluation.rows).selectinload(EvaluationRow.bank),
            selectinload(Evaluation.confirmations).selectinload(EvaluationConfirmation.user),
        )
    ).first()
    if evaluation is not None and lock:
        lock_row(Evaluation, evaluation.id)
    return evaluation


def get(actor, year: int) -> Evaluation:
    """The year's evaluation with its rows (best first) and confirmations; NotFound before it is computed."""
    _readable(actor)
    evaluation = _load(year)
    if evaluation is None:
        raise NotFound(f"{year} 年度的绩效评价尚未计算。")
    return evaluation


def years(actor) -> list[Evaluation]:
    _readable(actor)
    # the rows come in one more statement, for the list's count of banks (no query per year)
    return db.session.scalars(
        select(Evaluation).options(selectinload(Evaluation.rows)).order_by(Evaluation.year.desc())
    ).all()


def _check_year(year: int) -> None:
    if year < FIRST_YEAR or year >= clock.today().year:
        raise _refuse(
            "year_not_over",
            f"只能评价已结束的年度（{FIRST_YEAR} 年至 {clock.today().year - 1} 年），{year} 年不可评价。",
            "year",
        )


def _editable(year: int) -> Evaluation:
    evaluation = _load(year, lock=True)
    if evaluation is None:
        raise NotFound(f"{year} 年度的绩效评价尚未计算。")
    if evaluation.status != "draft":
        raise StateConflict(
            "evaluation_not_draft", f"{year} 年度评价已{STATUS_LABELS[evaluation.status]}，不能再重新计算或调整。"
        )
    return evaluation


def _dec(value) -> Decimal:
    return Decimal(str(value))


def _adjusted(row: EvaluationRow) -> dict[str, Decimal]:
    return {area: _dec(a["score"]) for area, a in (row.adjustments or {}).items()}


def _rerank(evaluation: Evaluation) -> None:
    """Totals, ranks and suggestions from the rows' computed scores and adjustments (order: bank code)."""
    rows = sorted(evaluation.rows, key=lambda r: r.bank.code)
    result = ranked(
        [(r.bank_id, {a: _dec(v) for a, v in r.computed.items()}, _dec(r.indicators["drawn"])) for r in rows],
        {r.bank_id: _adjusted(r) for r in rows},
    )
    by_bank = {r.bank_id: r for r in rows}
    for s in result:
        row = by_bank[s.bank_id]
        row.scores = {a: str(v) for a, v in s.scores.items()}
        row.total, row.rank, row.suggested = s.total, s.rank, s.suggested


def _drop_confirmations(evaluation: Evaluation) -> list[str]:
    """A changed draft is not what the units confirmed: their confirmations lapse."""
    lapsed = [c.role for c in evaluation.confirmations]
    evaluation.confirmations.clear()
    return lapsed


def compute(actor, year: int) -> Evaluation:
    """Compute (or, while draft, recompute) every bank's evaluation for `year`; adjustments by hand are
    kept, confirmations lapse."""
    require(actor, "evaluations.compute")
    _check_year(year)
    policy = policy_for_year(year)
    banks = db.session.scalars(select(Bank).where(Bank.status.in_(BANKS_IN_PROGRAMME)).order_by(Bank.code)).all()
    if not banks:
        raise _refuse("no_banks", "没有合作银行，无法评价。")
    evaluation = _load(year, lock=True)
    if evaluation is not None and evaluation.status != "draft":
        raise StateConflict(
            "evaluation_not_draft", f"{year} 年度评价已{STATUS_LABELS[evaluation.status]}，不能重新计算。"
        )
    created = evaluation is None
    if created:
        evaluation = Evaluation(year=year, status="draft")
        db.session.add(evaluation)
    evaluation.policy_code = policy.code
    evaluation.method = {
        "weights": {a: str(w) for a, w in METHOD.weights.items()},
        "continue_at": str(METHOD.continue_at),
        "conditional_at": str(METHOD.conditional_at),
        "npl_ratio_threshold": str(policy.npl_ratio_threshold),
        "overdue_ratio_threshold": str(policy.overdue_ratio_threshold),
        "rate_spread_bp": policy.rate_spread_bp,
    }
    evaluation.computed_at = clock.now()
    evaluation.computed_by_id = actor.id
    lapsed = [] if created else _drop_confirmations(evaluation)

    indicators = gather(year, [b.id for b in banks])
    largest = max((i.drawn for i in indicators), default=Decimal(0))
    th = thresholds_of(policy)
    existing = {r.bank_id: r for r in evaluation.rows}
    for bank, ind in zip(banks, indicators, strict=True):
        row = existing.pop(bank.id, None)
        if row is None:
            row = EvaluationRow(bank=bank, bank_id=bank.id, adjustments={}, rank=0, total=Decimal(0))
            evaluation.rows.append(row)
        row.indicators = for_display(ind)
        row.computed = {a: str(v) for a, v in compute_scores(ind, largest, th).items()}
    for gone in existing.values():  # a bank no longer in the programme
        evaluation.rows.remove(gone)
    _rerank(evaluation)
    audit.record(
        actor,
        "evaluation.compute" if created else "evaluation.recompute",
        evaluation,
        {
            "year": year,
            "policy": policy.code,
            "banks": len(banks),
            "totals": {r.bank.code: str(r.total) for r in evaluation.rows},
            "confirmations_lapsed": lapsed,
        },
    )
    db.session.commit()
    return evaluation


def adjust(actor, year: int, bank_code: str, area: str, score, reason: str | None) -> EvaluationRow:
    """Replace one area's score of one bank by hand (draft only; a reason is required)."""
    require(actor, "evaluations.compute")
    try:
        value = Decimal(str(score).strip())
    except (InvalidOperation, ValueError):
        raise _refuse("invalid_score", "得分必须是数字，例如 25 或 25.50。", "score") from None
    problem = adjustment_problem(area, value, reason or "")
    if problem:
        field = "area" if area not in AREAS else ("reason" if "理由" in problem else "score")
        code = "reason_required" if field == "reason" else "invalid_adjustment"
        raise _refuse(code, problem, field)
    evaluation = _editable(year)
    row = _row(evaluation, bank_code)
    before = row.adjustments.get(area) if row.adjustments else None
    row.adjustments = {
        **(row.adjustments or {}),
        area: {
            "score": str(value.quantize(Decimal("0.01"))),
            "reason": reason.strip(),
            "by": actor.username,
            "at": clock.now().isoformat(timespec="seconds"),
        },
    }
    lapsed = _drop_confirmations(evaluation)
    _rerank(evaluation)
    audit.record(
        actor,
        "evaluation.adjust",
        row,
        {
            "year": year,
            "bank": row.bank.code,
            "area": area,
            "computed": row.computed[area],
            "score": [before["score"] if before else None, str(value.quantize(Decimal("0.01")))],
            "reason": reason.strip(),
            "total": str(row.total),
            "confirmations_lapsed": lapsed,
        },
    )
    db.session.commit()
    return row


def _row(evaluation: Evaluation, bank_code: str) -> EvaluationRow:
    for row in evaluation.rows:
        if row.bank.code == bank_code:
            return row
    raise NotFound(f"{evaluation.year} 年度评价中没有银行 {bank_code}。")


def _unit_for(actor, role: str | None, evaluation: Evaluation) -> str:
    held = [r for r in REVIEWING_UNITS if actor.has_role(r)]
    if role is not None:
        if role not in held:
            raise _refuse("invalid_role", f"您不以“{ROLES.get(role, role)}”的身份参与评价。", "role")
        return role
    pending = [r for r in held if r not in {c.role for c in evaluation.confirmations}]
    if len(held) > 1 and len(pending) > 1:
        names = "、".join(ROLES[r] for r in pending)
        raise _refuse("role_required", f"您兼任多个单位（{names}），请选择以哪个单位的身份确认。", "role")
    return (pending or held)[0]


def confirm(actor, year: int, comment: str | None = None, role: str | None = None) -> EvaluationConfirmation:
    """zone, industry or fsc confirms the draft, with an optional comment; the third makes it confirmed."""
    require(actor, "evaluations.confirm")
    evaluation = _load(year, lock=True)
    if evaluation is None:
        raise NotFound(f"{year} 年度的绩效评价尚未计算。")
    if evaluation.status != "draft":
        raise StateConflict(
            "evaluation_not_draft", f"{year} 年度评价已{STATUS_LABELS[evaluation.status]}，无需再确认。"
        )
    unit = _unit_for(actor, role, evaluation)
    if any(c.role == unit for c in evaluation.confirmations):
        raise StateConflict("already_confirmed", f"{ROLES[unit]}已确认 {year} 年度评价。")
    confirmation = EvaluationConfirmation(
        role=unit, user=actor, user_id=actor.id, comment=(comment or "").strip() or None
    )
    evaluation.confirmations.append(confirmation)
    done = {c.role for c in evaluation.confirmations} >= set(REVIEWING_UNITS)
    if done:
        evaluation.status = "confirmed"
    audit.record(
        actor,
        "evaluation.confirm",
        evaluation,
        {"year": year, "role": unit, "comment": confirmation.comment, "status": evaluation.status},
    )
    if done:
        notify(
            users_with_roles("finance"),
            "evaluation_confirmed",
            f"{year} 年度合作银行绩效评价已由三家单位确认，请逐家作出决定",
            link=f"/evaluations/{year}",
            dedupe_key=f"evaluation-confirmed-{year}",
        )
    db.session.commit()
    return confirmation


def decide(
    actor,
    year: int,
    bank_code: str,
    decision: str,
    reason: str | None = None,
    agreement_end: date | None = None,
) -> EvaluationRow:
    """finance's decision for one bank, after the three confirmations; the bank is notified."""
    require(actor, "evaluations.decide")
    if decision not in OUTCOMES:
        raise _refuse(
            "invalid_decision", f"决定必须是：{'、'.join(f'{k}（{v}）' for k, v in OUTCOMES.items())}。", "decision"
        )
    evaluation = _load(year, lock=True)
    if evaluation is None:
        raise NotFound(f"{year} 年度的绩效评价尚未计算。")
    if evaluation.status == "draft":
        missing = "、".join(ROLES[r] for r in REVIEWING_UNITS if r not in {c.role for c in evaluation.confirmations})
        raise StateConflict("evaluation_not_confirmed", f"{year} 年度评价尚待确认（{missing}），确认后才能作出决定。")
    row = _row(evaluation, bank_code)
    if row.decision is not None:
        raise StateConflict("already_decided", f"已对 {row.bank.name} 作出决定（{OUTCOMES[row.decision]}），不能更改。")
    reason = (reason or "").strip() or None
    problems = []
    if decision != row.suggested and reason is None:
        problems.append(
            Violation(
                "reason_required",
                f"决定（{OUTCOMES[decision]}）与建议（{OUTCOMES[row.suggested]}）不同，请填写理由。",
                "第二十条",
                "reason",
            )
        )
    if decision == "end" and agreement_end is None:
        problems.append(
            Violation("agreement_end_required", "终止合作须指定合作协议的终止日期。", "第二十条", "agreement_end")
        )
    if decision != "end" and agreement_end is not None:
        problems.append(
            Violation("agreement_end_not_allowed", "只有终止合作才设置协议终止日期。", None, "agreement_end")
        )
    if problems:
        raise RuleViolation(problems)
    bank = row.bank
    row.decision, row.decision_reason, row.agreement_end = decision, reason, agreement_end
    row.decided_by_id, row.decided_at = actor.id, clock.now()
    changes = {"year": year, "bank": bank.code, "decision": decision, "suggested": row.suggested, "reason": reason}
    if decision == "end":
        changes["agreement_to"] = [bank.agreement_to and bank.agreement_to.isoformat(), agreement_end.isoformat()]
        bank.agreement_to = agreement_end
        audit.record(
            actor,
            "bank.agreement_end",
            bank,
            {"agreement_to": changes["agreement_to"], "source": f"{year} 年度绩效评价"},
        )
    if all(r.decision is not None for r in evaluation.rows):
        evaluation.status = "decided"
    audit.record(actor, "evaluation.decide", row, changes)
    body = f"总分 {row.total}，排名第 {row.rank}。决定：{OUTCOMES[decision]}。"
    if reason:
        body += f"理由：{reason}"
    if agreement_end:
        body += f"合作协议于 {agreement_end.isoformat()} 终止。"
    notify(
        users_with_roles("bank", bank_id=bank.id),
        "evaluation_decision",
        f"{year} 年度绩效评价结果：{OUTCOMES[decision]}",
        body=body,
        dedupe_key=f"evaluation-decision-{year}-{bank.id}",
    )
    db.session.commit()
    return row


def attach_report(actor, year: int, content: bytes, filename: str) -> Evaluation:
    """Attach the outside evaluator's report (PDF or image) to the year's evaluation; replaces an earlier one."""
    require(actor, "evaluations.compute")
    evaluation = _load(year, lock=True)
    if evaluation is None:
        raise NotFound(f"{year} 年度的绩效评价尚未计算。")
    stored = files.store(actor, content, filename, field="report")
    db.session.flush()
    before = evaluation.report_file_id
    evaluation.report_file_id = stored.id
    audit.record(
        actor,
        "evaluation.attach_report",
        evaluation,
        {"year": year, "report_file_id": [before, stored.id], "filename": stored.filename},
    )
    db.session.commit()
    return evaluation
