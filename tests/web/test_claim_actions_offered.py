"""What a claim's page offers is what the services accept (issue 11, item 2): for each role in each state of a
claim, the page shows a working form for an action exactly when the use case behind it goes through. The
opinion's author is shown the payout disabled, with the four-eyes rule as the reason."""

from __future__ import annotations

import re
from datetime import date

import pytest

from eloan.domain.errors import DomainError, StateConflict
from eloan.extensions import db
from eloan.models import Clawback
from eloan.services import claim_facts, claims, fund, recoveries
from tests.fixtures.claims import PDF, approved_claim, complete, fund_with, reviewed

ACTIONS = (
    "add_document",
    "submit",
    "extend",
    "review",
    "opinion",
    "pay",
    "record_recovery",
    "remit",
    "receive_clawback",
    "mark_fraud",
)
PEOPLE = ("teller", "zone", "industry", "fsc", "zone_and_industry", "finance", "finance2", "auditor")


def _submitted(people):
    claim = claims.open_claim(people["teller"], people["loan"].id)
    complete(people["teller"], claim)
    claims.submit(people["teller"], claim.id)
    return claim


def _paid(people):
    fund_with(people, "10000000")
    claim = approved_claim(people)
    claims.pay(people["finance2"], claim.id, date(2024, 10, 8), "ZF-1")
    recoveries.report_recovery(people["teller"], claim.id, date(2024, 12, 2), "100000")  # not yet remitted
    return claim


def _draft(people):
    claim = claims.open_claim(people["teller"], people["loan"].id)
    complete(people["teller"], claim)
    return claim


def _reviewed_by_zone(people):
    claim = _submitted(people)
    claims.review(people["zone"], claim.id, "approve")
    return claim


def _returned(people):
    claim = _submitted(people)
    claims.review(people["industry"], claim.id, "return", "缺少保证合同签字页")
    return claim


def _awaiting_funds(people):
    claim = approved_claim(people)
    with pytest.raises(StateConflict):
        claims.pay(people["finance2"], claim.id, date(2024, 10, 8))  # the fund is empty yet
    return claim


def _rejected(people):
    claim = reviewed(people, _submitted(people))
    claims.give_opinion(people["finance"], claim.id, "reject", reason="不符合第八条")
    return claim


def _clawed_back(people):
    claim = _paid(people)
    recoveries.mark_fraud(people["finance"], claim.id, "伪造还款凭证")
    return claim


def _fraudulent_draft(people):
    claim = _draft(people)
    recoveries.mark_fraud(people["finance"], claim.id, "虚构贷款用途")
    return claim


STATES = {
    "draft": _draft,
    "in_review, zone has reviewed": _reviewed_by_zone,
    "in_review, all three have reviewed": lambda people: reviewed(people, _submitted(people)),
    "returned": _returned,
    "approved": approved_claim,
    "awaiting_funds": _awaiting_funds,
    "paid, a recovery not yet remitted": _paid,
    "rejected": _rejected,
    "clawed_back": _clawed_back,
    "a draft found fraudulent": _fraudulent_draft,
}


def _form(html: str, action: str) -> str | None:
    found = re.search(rf'<form[^>]*action="{action}".*?</form>', html, re.S)
    return found.group(0) if found else None


def _working(form: str | None) -> bool:
    return form is not None and "disabled>" not in form


def _offered(html: str, claim_id: int) -> set[str]:
    """The actions whose form the page shows, enabled."""
    base = f"/claims/{claim_id}"
    forms = {
        "add_document": _form(html, rf"{base}/documents\?kind=\w+"),
        "submit": _form(html, f"{base}/submit"),
        "extend": _form(html, f"{base}/extension"),
        "review": _form(html, f"{base}/review"),
        "opinion": _form(html, f"{base}/opinion"),
        "pay": _form(html, f"{base}/pay"),
        "record_recovery": _form(html, f"{base}/recoveries"),
        "remit": _form(html, rf"{base}/recoveries/\d+/remit"),
        "receive_clawback": _form(html, f"{base}/clawback"),
        "mark_fraud": _form(html, f"{base}/fraud"),
    }
    return {action for action, form in forms.items() if _working(form)}


def _attempts(claim):
    """Each action with input it would take, as the page's forms send it."""
    recovery = next((r for r in claim.recoveries if r.remitted_on is None), None)
    clawback = db.session.query(Clawback).filter_by(claim_id=claim.id).first()
    yield "add_document", lambda who: claims.add_document(who, claim.id, "other", PDF, "other.pdf")
    yield "submit", lambda who: claims.submit(who, claim.id)
    yield "extend", lambda who: claims.grant_extension(who, claim.id, date(2024, 10, 25), "银行系统故障")
    yield "review", lambda who: claims.review(who, claim.id, "approve", role=_unit(who, claim))
    yield "opinion", lambda who: claims.give_opinion(who, claim.id, "approve")
    yield "pay", lambda who: claims.pay(who, claim.id, date(2024, 10, 9), "ZF-2")
    yield "record_recovery", lambda who: recoveries.report_recovery(who, claim.id, date(2024, 12, 5), "1000")
    if recovery is not None:
        yield "remit", lambda who: recoveries.remit(who, recovery.id, date(2024, 12, 6))
    if clawback is not None:
        yield "receive_clawback", lambda who: recoveries.receive_clawback(who, clawback.id, "1.00", date(2024, 12, 6))
    yield "mark_fraud", lambda who: recoveries.mark_fraud(who, claim.id, "伪造")


def _unit(who, claim) -> str | None:
    """For a user of two reviewing units, one that has not reviewed this round (the page's choice)."""
    held = [r for r in ("zone", "industry", "fsc") if who.has_role(r)]
    waiting = [r for r in held if r not in claim_facts.current_reviews(claim)]
    return (waiting or held or [None])[0]


def _accepted(who, claim, monkeypatch) -> set[str]:
    """The actions whose use case goes through; each is tried in a transaction that is then rolled back."""
    accepted = set()
    for action, attempt in list(_attempts(claim)):
        with monkeypatch.context() as patch:
            patch.setattr(db.session, "commit", db.session.flush)
            try:
                attempt(who)
            except DomainError:
                pass
            else:
                accepted.add(action)
            finally:
                db.session.rollback()
    return accepted


@pytest.mark.parametrize("state", list(STATES))
def test_the_page_offers_an_action_exactly_when_the_service_accepts_it(
    state, client, npl, make_user, as_user, page, monkeypatch
):
    npl["zone_and_industry"] = make_user("zone_and_industry", roles=("zone", "industry"))
    claim_id = STATES[state](npl).id
    if fund.account().balance == 0:
        fund_with(npl, "10000000")  # so that a payout offered can be made
    table = {}
    for who in PEOPLE:
        as_user(who)
        offered = _offered(page(f"/claims/{claim_id}"), claim_id)
        accepted = _accepted(npl[who], claims.get(npl[who], claim_id), monkeypatch)
        table[who] = (offered, accepted)

    assert {who: pair for who, pair in table.items() if pair[0] != pair[1]} == {}


def test_every_action_is_offered_to_someone_in_a_claims_life(client, npl, as_user, page):
    """The table above is not empty-handed: following one claim through its life, with the people who act on it
    at each step, each action's form turns up for someone."""
    seen = set()
    claim = _draft(npl)
    steps = [
        ("teller", lambda: claims.submit(npl["teller"], claim.id)),
        ("zone", lambda: claims.review(npl["zone"], claim.id, "approve")),
        ("industry", lambda: claims.review(npl["industry"], claim.id, "approve")),
        ("fsc", lambda: claims.review(npl["fsc"], claim.id, "approve")),
        ("finance", lambda: claims.give_opinion(npl["finance"], claim.id, "approve")),
        ("finance2", lambda: claims.pay(npl["finance2"], claim.id, date(2024, 10, 8), "ZF-1")),
        ("teller", lambda: recoveries.report_recovery(npl["teller"], claim.id, date(2024, 12, 2), "100000")),
        ("finance", lambda: recoveries.mark_fraud(npl["finance"], claim.id, "伪造还款凭证")),
    ]
    fund_with(npl, "10000000")
    as_user("finance")
    seen |= _offered(page(f"/claims/{claim.id}"), claim.id)  # extension, fraud
    for who, step in steps:
        as_user(who)
        seen |= _offered(page(f"/claims/{claim.id}"), claim.id)
        step()
    as_user("finance")
    seen |= _offered(page(f"/claims/{claim.id}"), claim.id)  # the clawback

    assert seen == set(ACTIONS)


def test_the_opinions_author_sees_the_payout_disabled_with_the_four_eyes_rule(client, npl, as_user, page):
    claim = approved_claim(npl)
    fund_with(npl, "10000000")

    as_user("finance")
    author = _form(page(f"/claims/{claim.id}"), f"/claims/{claim.id}/pay")
    as_user("finance2")
    colleague = _form(page(f"/claims/{claim.id}"), f"/claims/{claim.id}/pay")

    assert author is not None and '<fieldset class="plain-fieldset" disabled>' in author
    assert "拨付须由出具意见以外的另一位区财政局人员办理（双人复核）。" in author
    assert _working(colleague) and "双人复核）。" not in colleague


def test_after_fraud_a_recovery_waiting_for_remittance_says_why_it_cannot_be_confirmed(client, npl, as_user, page):
    fund_with(npl, "10000000")
    claim = _clawed_back(npl)
    as_user("finance")

    html = page(f"/claims/{claim.id}")

    table = re.search(r'<table class="table recoveries">.*?</table>', html, re.S).group(0)
    assert "/remit" not in table and "该申请已认定骗取补偿资金，款项请按追缴登记收回。" in table
