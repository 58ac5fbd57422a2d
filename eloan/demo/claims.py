"""Demo claims in every state and the fund's ledger, told as dated events through the real services.

The fund receives ¥5,000,000 of the first tranche; two claims are paid (one later found fraudulent and
partly clawed back) and a recovery is returned, so the large QLB claim finds the fund short and waits.
"""

from __future__ import annotations

from contextlib import contextmanager, suppress
from datetime import date

from sqlalchemy import select

from eloan import clock
from eloan.domain.errors import StateConflict
from eloan.domain.roles import REVIEWING_UNITS
from eloan.extensions import db
from eloan.models import Clawback
from eloan.services import claim_facts, claims, fund, recoveries

STAMPED = b"%PDF-1.4\n% demo scan of a signed and stamped document\n"


@contextmanager
def on(day: str):
    with clock.fixed_today(date.fromisoformat(day)):
        yield


def _filed(users, teller, loan, opened: str, submitted: str, measures: str):
    with on(opened):
        claim = claims.open_claim(users[teller], loan.id)
        for kind in claim_facts.REQUIRED_KINDS:
            claims.add_document(users[teller], claim.id, kind, STAMPED, f"{claims.DOCUMENT_KINDS[kind][:8]}.pdf")
    with on(submitted):
        claims.submit(users[teller], claim.id, measures)
    return claim


def _reviewed(users, claim, day: str, roles=REVIEWING_UNITS):
    with on(day):
        for role in roles:
            claims.review(users[role], claim.id, "approve", "材料齐全，同意")


def seed_claims(users: dict, made: dict) -> None:
    with on("2024-01-05"):
        fund.appropriate(users["finance"], "5000000.00", date(2024, 1, 5), "首期资金第一批（台财预〔2024〕3号）")

    # In date order, so the ledger reads as the account did.
    fraud = _filed(users, "bank3", made["ent4_b"], "2025-07-16", "2025-07-16", "已催收")
    _reviewed(users, fraud, "2025-07-21")
    with on("2025-07-25"):
        claims.give_opinion(users["finance"], fraud.id, "approve")
    with on("2025-07-30"):
        claims.pay(users["finance2"], fraud.id, date(2025, 7, 30), "国库集中支付 2025-0730-01")

    paid = _filed(users, "bank2", made["ent3_a"], "2025-08-21", "2025-08-22", "已向法院提起诉讼并申请财产保全")
    _reviewed(users, paid, "2025-08-25")
    with on("2025-08-28"):
        claims.give_opinion(users["finance"], paid.id, "approve")
    with on("2025-09-02"):
        claims.pay(users["finance2"], paid.id, date(2025, 9, 2), "国库集中支付 2025-0902-01")

    # Approved, but the fund is short: it waits for the next tranche.
    waiting = _filed(users, "bank4", made["ent10_b"], "2025-09-11", "2025-09-11", "已冻结企业账户")
    _reviewed(users, waiting, "2025-09-15")
    with on("2025-09-18"):
        claims.give_opinion(users["finance"], waiting.id, "approve")
    # insufficient_funds: the claim now waits as awaiting_funds, which is the point here
    with on("2025-09-22"), suppress(StateConflict):
        claims.pay(users["finance2"], waiting.id, date(2025, 9, 22), "国库集中支付（待资金）")

    # A recovery on the paid claim returns the fund's 75 % to the account.
    with on("2025-09-20"):
        recovery = recoveries.report_recovery(users["bank2"], paid.id, date(2025, 9, 20), "200000.00")
    with on("2025-09-25"):
        recoveries.remit(users["finance"], recovery.id, date(2025, 9, 25), "追偿款返还 2025-09")

    # The CCB claim is found fraudulent: CCB disqualified, a clawback raised and partly received.
    with on("2025-10-08"):
        recoveries.mark_fraud(users["finance"], fraud.id, "经核查，还款凭证系伪造，骗取补偿资金（演示）")
    with on("2025-10-10"):
        recoveries.receive_clawback(
            users["finance"], db_clawback(fraud.id), "200000.00", date(2025, 10, 10), "追缴第一笔"
        )

    # Approved, payout due within 15 days of the opinion.
    approved = _filed(users, "bank", made["ent5_a"], "2025-06-17", "2025-06-18", "担保人代偿部分，其余起诉中")
    _reviewed(users, approved, "2025-06-25")
    with on("2025-10-09"):
        claims.give_opinion(users["finance"], approved.id, "reduce", "320000.00", "担保人已代偿 3 万元，相应核减")

    # Rejected.
    rejected = _filed(users, "bank2", made["ent3_b"], "2025-09-02", "2025-09-03", "已催收")
    _reviewed(users, rejected, "2025-09-08")
    with on("2025-09-12"):
        claims.give_opinion(
            users["finance"], rejected.id, "reject", reason="贷款资金实际用于归还他行贷款，不符合第八条"
        )

    # Returned for correction by the industry department.
    returned = _filed(users, "bank2", made["ent3_c"], "2025-09-28", "2025-09-28", "已发催收函")
    with on("2025-10-09"):
        claims.review(users["zone"], returned.id, "approve", "同意")
        claims.review(users["industry"], returned.id, "return", "借款合同缺少保证人签字页，请补正后重新提交")

    # In review: two of three departments have approved.
    in_review = _filed(users, "bank", made["ent2_a"], "2025-10-10", "2025-10-10", "已向担保人追偿")
    _reviewed(users, in_review, "2025-10-13", roles=("zone", "fsc"))

    # A draft being prepared, three working days before its filing deadline.
    with on("2025-10-14"):
        draft = claims.open_claim(users["bank"], made["ent5_b"].id)
        claims.add_document(users["bank"], draft.id, "contracts", STAMPED, "借款合同及保证合同.pdf")


def db_clawback(claim_id: int) -> int:
    return db.session.scalars(select(Clawback.id).where(Clawback.claim_id == claim_id)).one()
