"""What a user may do to a claim now, said once (ARCHITECTURE.md): the claim pages offer exactly the forms
`allowed_actions` names, the API lists them, and every use case of services.claims and services.recoveries
calls `ensure` with the same check before it acts — so a page never offers what the service refuses.

Each check is built from the permissions table (domain/roles.py), the claim's state (the status groups of
domain/states.py) and the facts that matter: this round's reviews, the four eyes of the payout, fraud. It
returns the error the service raises, so the codes and messages are written here and nowhere else. What a
user types (a reason, an amount, the materials before submitting) is checked by the use case afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from eloan.domain.errors import DomainError, Forbidden, NotFound, RuleViolation, StateConflict, Violation
from eloan.domain.roles import REVIEWING_UNITS, ROLES
from eloan.domain.states import CLAIM_STATES, CLAIMS_AWAITING_PAYOUT, CLAIMS_EDITABLE, CLAIMS_PAID
from eloan.services.access import NOT_PERMITTED, can, is_bank_user
from eloan.services.claim_facts import awaiting_remittance, clawback_outstanding, current_reviews, pending_units

# The permission of domain/roles.py each action needs, asked before any fact of the claim.
PERMISSION_FOR: dict[str, str] = {
    "add_document": "claims.file",  # 第十五条: the bank's materials
    "submit": "claims.file",
    "extend": "claims.decide",  # 第十五条: 区财政局 extends a late filing
    "review": "claims.review",  # 第十六条: the three units in parallel
    "opinion": "claims.decide",
    "pay": "claims.decide",
    "record_recovery": "claims.file",  # 第十七条
    "remit": "claims.decide",
    "receive_clawback": "claims.decide",  # 第十九条
    "mark_fraud": "claims.decide",
}
ACTIONS: tuple[str, ...] = tuple(PERMISSION_FOR)
# Where a refused role deserves more than access.require's words.
_NOT_PERMITTED = {"review": "只有经济开发区、行业主管部门和区金融服务中心参加会审。"}


@dataclass(frozen=True)
class Refusal:
    error: DomainError  # what the use case raises
    # The act is due now and falls to this user's unit, yet a rule keeps this user from it (the opinion's
    # author may not pay it out; the opinion waits for the three reviews; a fraudulent claim's recoveries
    # come in as clawback): the page says so — the form disabled, or the reason in its place — instead of
    # hiding the duty.
    shown: bool = False


@dataclass(frozen=True)
class ClaimActions:
    """What one user may do to one claim now."""

    allowed: frozenset[str]
    refused: Mapping[str, str]  # action → why this user cannot, for the refusals a page shows (Refusal.shown)
    review_roles: tuple[str, ...]  # the reviewing units this user may still review for in this round
    remittable: frozenset[int]  # recoveries whose fund part this user may confirm as arrived

    def __contains__(self, action: str) -> bool:
        return action in self.allowed


def _forbidden(action: str) -> Forbidden:
    return Forbidden(message=_NOT_PERMITTED.get(action, NOT_PERMITTED))


def _state(code: str, message: str, *, shown: bool = False) -> Refusal:
    return Refusal(StateConflict(code, message), shown=shown)


def _now(claim) -> str:
    return CLAIM_STATES[claim.status]


# ---- the checks, one per action ----------------------------------------------------------------------


def _add_document(actor, claim) -> Refusal | None:
    if claim.status not in CLAIMS_EDITABLE:
        return _state("claim_not_editable", "申请已提交，材料不能再修改；如需补正，请等待审核退回。")
    return None


def _submit(actor, claim) -> Refusal | None:
    if claim.status not in CLAIMS_EDITABLE:
        return _state("claim_not_submittable", f"申请当前为“{_now(claim)}”，不能提交。")
    return None


def _extend(actor, claim) -> Refusal | None:
    if claim.status != "draft":
        return _state("claim_not_draft", "只有尚未提交的申请需要延期。")
    return None


def _review(actor, claim, role: str | None = None) -> Refusal | None:
    """As `role`, or (without one) as any reviewing unit the user belongs to (第十六条)."""
    held = [r for r in REVIEWING_UNITS if actor.has_role(r)]
    if role is not None and role not in held:
        not_held = Violation("invalid_role", f"您不具有“{ROLES.get(role, role)}”角色。", None, "role")
        return Refusal(RuleViolation([not_held]))
    if claim.status != "in_review":
        return _state("claim_not_in_review", f"申请当前为“{_now(claim)}”，不在会审中。")
    done = current_reviews(claim)
    units = [role] if role is not None else held
    if all(unit in done for unit in units):
        return _state("already_reviewed", f"{ROLES[units[0]]}已审核过本轮申请。")
    return None


def _opinion(actor, claim) -> Refusal | None:
    if claim.status != "in_review":
        return _state("claim_not_in_review", f"申请当前为“{_now(claim)}”，不能出具意见。")
    pending = pending_units(claim)
    if pending:
        waiting = "、".join(ROLES[r] for r in pending)
        return _state("reviews_pending", f"尚待{waiting}审核，不能出具意见。", shown=True)
    return None


def _pay(actor, claim) -> Refusal | None:
    if claim.status in CLAIMS_PAID or claim.payout is not None:
        return _state("already_paid", f"补偿申请 #{claim.id} 已拨付，不能重复拨付。")
    if claim.status not in CLAIMS_AWAITING_PAYOUT:
        return _state("claim_not_approved", f"申请当前为“{_now(claim)}”，不能拨付。")
    if claim.opinion_by_id == actor.id:  # four eyes (第十六条, POLICY.md §7)
        message = "拨付须由出具意见以外的另一位区财政局人员办理（双人复核）。"
        return Refusal(Forbidden(message, code="four_eyes"), shown=True)
    return None


def _record_recovery(actor, claim) -> Refusal | None:
    if claim.status not in CLAIMS_PAID:
        return _state("claim_not_paid", "补偿资金拨付后才登记追偿款。")
    return None


def _remit(actor, claim, recovery=None) -> Refusal | None:
    """Confirm that the fund's part of `recovery` (without one: of any recovery still owed) has arrived."""
    waiting = [recovery] if recovery is not None else awaiting_remittance(claim)
    if not waiting or waiting[0].remitted_on is not None:  # (a use case always names the recovery)
        return _state("already_remitted", "该笔追偿款已返还专户。")
    if claim.fraud:
        # The clawback raised on fraud already counts everything not returned by then; money now comes in
        # as clawback receipts, or it would be counted twice.
        return _state("claim_fraud", "该申请已认定骗取补偿资金，款项请按追缴登记收回。", shown=True)
    return None


def _receive_clawback(actor, claim) -> Refusal | None:
    if claim.clawback is None:
        return Refusal(NotFound("追缴记录不存在。"))
    if clawback_outstanding(claim) <= 0:
        return _state("clawback_settled", "追缴款已全部收回。")
    return None


def _mark_fraud(actor, claim) -> Refusal | None:
    if claim.fraud:
        return _state("already_fraud", "该申请已认定为骗取补偿资金。")
    return None


_CHECKS: dict[str, Callable[..., Refusal | None]] = {
    "add_document": _add_document,
    "submit": _submit,
    "extend": _extend,
    "review": _review,
    "opinion": _opinion,
    "pay": _pay,
    "record_recovery": _record_recovery,
    "remit": _remit,
    "receive_clawback": _receive_clawback,
    "mark_fraud": _mark_fraud,
}


# ---- asking ----------------------------------------------------------------------------------------------


def require_permission(actor, action: str) -> None:
    """Forbidden unless `actor`'s roles allow `action` at all: what a use case and a page's route ask
    first, before the claim is read."""
    if not can(actor, PERMISSION_FOR[action]):
        raise _forbidden(action)


def refusal(actor, claim, action: str, **detail) -> Refusal | None:
    """Why `actor` may not do `action` to `claim` now, or None when they may. `detail`: the reviewing unit
    (`role=`) of a review, the recovery (`recovery=`) of a remittance."""
    if not can(actor, PERMISSION_FOR[action]):
        return Refusal(_forbidden(action))
    if is_bank_user(actor) and claim.bank_id != actor.bank_id:  # another bank's claim does not exist for them
        return Refusal(NotFound(f"claims:{claim.id}"))
    return _CHECKS[action](actor, claim, **detail)


def ensure(actor, claim, action: str, **detail) -> None:
    """Raise the error of the refusal, if any: what each use case calls before it acts."""
    found = refusal(actor, claim, action, **detail)
    if found is not None:
        raise found.error


def allowed_actions(actor, claim) -> ClaimActions:
    """Every action `actor` may take on `claim` now, and why not, where the page should say so."""
    allowed: set[str] = set()
    refused: dict[str, str] = {}
    for action in ACTIONS:
        found = refusal(actor, claim, action)
        if found is None:
            allowed.add(action)
        elif found.shown:
            refused[action] = str(found.error)
    roles = review_units(actor, claim) if "review" in allowed else ()
    remittable: frozenset[int] = frozenset()
    if "remit" in allowed:
        remittable = frozenset(r.id for r in claim.recoveries if refusal(actor, claim, "remit", recovery=r) is None)
    return ClaimActions(frozenset(allowed), refused, roles, remittable)


def review_units(actor, claim) -> tuple[str, ...]:
    """The reviewing units `actor` may review the claim for now, in 第十六条's order."""
    held = (r for r in REVIEWING_UNITS if actor.has_role(r))
    return tuple(r for r in held if refusal(actor, claim, "review", role=r) is None)
