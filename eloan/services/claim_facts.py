"""Where a claim stands, read off the claim and what hangs off it (第十五至十七、十九条): its current materials
and round of reviews, the day filing closes, the money paid, recovered, returned and clawed back.

No queries of their own: they read the claim's relationships, which services.claim_view loads in one go for
a page, and a locked read (services.claims.get) loads afresh inside a use case. So the page, the API, the
PDFs, the deadline reminders and the guards of services.claim_actions all count the same way.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from eloan.domain.money import to_money
from eloan.domain.roles import REVIEWING_UNITS

# ③ and ④ of POLICY.md §7 are uploads, ② the signed and stamped Attachment 2; ① is generated.
DOCUMENT_KINDS = {
    "application_form": "风险补偿资金申请表（附件2，签字盖章扫描件）",
    "contracts": "借款合同、保证合同、放款及还款凭证",
    "npl_proof": "不良贷款认定证明",
    "other": "其他材料（可选）",
}
REQUIRED_KINDS = ("application_form", "contracts", "npl_proof")


def current_documents(claim) -> dict[str, list]:
    """The uploads in force, by kind (a new upload of a required kind supersedes the earlier one)."""
    found: dict[str, list] = {}
    for document in claim.documents:
        if not document.superseded:
            found.setdefault(document.kind, []).append(document)
    return found


def missing_materials(claim) -> list[str]:
    have = current_documents(claim)
    return [kind for kind in REQUIRED_KINDS if kind not in have]


def review_round(claim) -> int:
    """Each return starts a new round of the three reviews."""
    returns = sum(1 for r in claim.reviews if r.decision == "return")
    return returns + 1


def current_reviews(claim) -> dict:
    """This round's reviews, by reviewing unit."""
    round_no = review_round(claim)
    return {r.role: r for r in claim.reviews if r.round == round_no}


def pending_units(claim) -> list[str]:
    """The reviewing units that have not reviewed this round, in 第十六条's order."""
    done = current_reviews(claim)
    return [role for role in REVIEWING_UNITS if role not in done]


def latest_return(claim):
    returns = [r for r in claim.reviews if r.decision == "return"]
    return returns[-1] if returns else None


def filing_open_until(claim) -> date:
    """The filing deadline, or the extension 区财政局 granted (第十五条)."""
    return max(claim.filing_deadline, claim.extended_until or claim.filing_deadline)


def paid_amount(claim) -> Decimal:
    return claim.payout.amount if claim.payout is not None else to_money(0)


def fund_recovered(claim) -> Decimal:
    """The fund's parts of every recovery reported (第十七条), remitted or not."""
    return to_money(sum((r.fund_part for r in claim.recoveries), Decimal(0)))


def owed_to_fund(claim) -> Decimal:
    """The fund's parts of recoveries the bank has reported but not yet remitted."""
    return to_money(sum((r.fund_part for r in claim.recoveries if r.remitted_on is None), Decimal(0)))


def awaiting_remittance(claim) -> list:
    """The recoveries whose fund part has still to reach the special account."""
    return [r for r in claim.recoveries if r.remitted_on is None]


def returned_to_fund(claim) -> Decimal:
    """What the ledger has received back from recoveries on this claim."""
    return to_money(sum((e.amount for e in claim.fund_entries if e.kind == "recovery_return"), Decimal(0)))


def clawback_received(clawback) -> Decimal:
    return to_money(sum((e.amount for e in clawback.receipts if e.kind == "clawback_receipt"), Decimal(0)))


def clawback_outstanding(claim) -> Decimal:
    """What the bank still owes on the clawback raised on fraud (第十九条); zero when none was raised."""
    if claim.clawback is None:
        return to_money(0)
    return claim.clawback.amount - clawback_received(claim.clawback)
