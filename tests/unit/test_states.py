import pytest

from eloan.domain.errors import StateConflict
from eloan.domain.states import (
    BANK_STATUSES,
    BANKS_IN_PROGRAMME,
    BATCH_STATES,
    BATCHES_OPEN,
    BATCHES_PUBLISHED,
    CLAIM_STATES,
    CLAIMS_AWAITING_OPINION,
    CLAIMS_AWAITING_PAYOUT,
    CLAIMS_EDITABLE,
    CLAIMS_PAID,
    LOAN_STATUSES,
    LOANS_CLOSED,
    LOANS_IN_ARREARS,
    LOANS_NPL_RECOGNISED,
    LOANS_ON_BOOKS,
    allowed_next,
    can_transition,
    require_transition,
)

CLAIM_PATH = [
    ("draft", "submitted"),
    ("submitted", "in_review"),
    ("in_review", "returned"),
    ("returned", "submitted"),
    ("in_review", "approved"),
    ("in_review", "rejected"),
    ("approved", "paid"),
    ("approved", "awaiting_funds"),
    ("awaiting_funds", "paid"),
    ("paid", "closed"),
    ("approved", "clawed_back"),
    ("awaiting_funds", "clawed_back"),
    ("paid", "clawed_back"),
    ("closed", "clawed_back"),
    # Fraud found before any payout rejects the claim wherever it stands (第十九条).
    ("draft", "rejected"),
    ("submitted", "rejected"),
    ("returned", "rejected"),
]


@pytest.mark.parametrize("from_state,to_state", CLAIM_PATH)
def test_claim_moves_allowed_by_the_policy(from_state, to_state):
    assert can_transition("claim", from_state, to_state)


def test_claim_has_exactly_the_policy_transitions():
    every = {(a, b) for a in CLAIM_STATES for b in allowed_next("claim", a)}
    assert every == set(CLAIM_PATH)


def test_claim_is_paid_at_most_once():
    assert not can_transition("claim", "paid", "paid")


def test_draft_claim_cannot_be_approved_directly():
    assert not can_transition("claim", "draft", "approved")


def test_rejected_and_clawed_back_claims_are_final():
    assert allowed_next("claim", "rejected") == frozenset()
    assert allowed_next("claim", "clawed_back") == frozenset()


def test_refused_move_raises_state_conflict_with_the_code_and_labels():
    with pytest.raises(StateConflict) as exc:
        require_transition("claim", "paid", "paid", "already_paid")
    assert exc.value.code == "already_paid"
    assert exc.value.message == "补偿申请当前状态为“已拨付”，不能变为“已拨付”"


def test_allowed_move_raises_nothing():
    assert require_transition("claim", "draft", "submitted", "claim_not_submittable") is None


def test_batch_is_confirmed_then_issued_then_superseded():
    assert can_transition("batch", "draft", "confirmed")
    assert can_transition("batch", "confirmed", "issued")
    assert can_transition("batch", "issued", "superseded")


def test_batch_can_be_returned_to_draft_before_issue():
    assert can_transition("batch", "draft", "draft")
    assert can_transition("batch", "confirmed", "draft")
    assert not can_transition("batch", "issued", "draft")


def test_draft_batch_cannot_be_issued():
    assert not can_transition("batch", "draft", "issued")


def test_disqualified_bank_never_comes_back():
    assert can_transition("bank", "active", "suspended")
    assert can_transition("bank", "suspended", "active")
    assert allowed_next("bank", "disqualified") == frozenset()


def test_recognised_npl_cannot_become_normal_again():
    assert can_transition("loan", "overdue", "normal")
    assert not can_transition("loan", "npl", "normal")


def test_unknown_state_has_no_moves_and_unknown_machine_is_an_error():
    assert not can_transition("claim", "lost", "draft")
    with pytest.raises(ValueError):
        can_transition("ship", "a", "b")


def test_labels():
    assert CLAIM_STATES["awaiting_funds"] == "同意补偿·待资金"
    assert set(BATCH_STATES) == {"draft", "confirmed", "issued", "superseded"}
    assert BANK_STATUSES == {"active": "正常合作", "suspended": "暂停", "disqualified": "取消资格"}
    assert set(LOAN_STATUSES) == {"normal", "overdue", "npl", "repaid", "written_off"}


# The named status groups say what the machines allow.


def test_an_editable_claim_is_one_the_bank_can_submit():
    for state in CLAIMS_EDITABLE:
        assert can_transition("claim", state, "submitted"), state
    assert {s for s in CLAIM_STATES if can_transition("claim", s, "submitted")} == set(CLAIMS_EDITABLE)


def test_a_claim_awaiting_payout_can_be_paid_and_only_those():
    assert {s for s in CLAIM_STATES if can_transition("claim", s, "paid")} == set(CLAIMS_AWAITING_PAYOUT)


def test_a_claim_awaiting_the_opinion_is_accepted_and_not_yet_decided():
    assert CLAIMS_AWAITING_OPINION == ("submitted", "in_review")
    assert can_transition("claim", "in_review", "approved")


def test_a_paid_claim_is_never_paid_again():
    for state in CLAIMS_PAID:
        assert not can_transition("claim", state, "paid"), state
        assert can_transition("claim", state, "clawed_back"), state


def test_closed_loans_change_no_more_and_loans_on_books_still_can():
    assert set(LOANS_ON_BOOKS) | set(LOANS_CLOSED) == set(LOAN_STATUSES)
    for state in LOANS_CLOSED:
        assert allowed_next("loan", state) == frozenset(), state
    for state in LOANS_ON_BOOKS:
        assert allowed_next("loan", state), state


def test_loans_in_arrears_are_on_the_books_and_npl_recognition_is_never_undone():
    assert set(LOANS_IN_ARREARS) <= set(LOANS_ON_BOOKS)
    # From NPL a loan is repaid or written off, never back to normal or overdue.
    assert allowed_next("loan", "npl") == {"repaid", "written_off"}
    assert set(LOANS_NPL_RECOGNISED) == {"npl", "written_off"}


def test_open_batches_can_still_be_returned_and_published_ones_cannot():
    for state in BATCHES_OPEN:
        assert can_transition("batch", state, "draft"), state
    for state in BATCHES_PUBLISHED:
        assert not can_transition("batch", state, "draft"), state


def test_banks_in_the_programme_are_those_not_disqualified():
    assert set(BANKS_IN_PROGRAMME) == set(BANK_STATUSES) - {"disqualified"}


def test_a_refusal_from_an_unknown_state_names_the_state_as_stored():
    with pytest.raises(StateConflict) as caught:
        require_transition("claim", "archived", "paid", "claim_not_payable")
    assert caught.value.code == "claim_not_payable"
    assert caught.value.message == "补偿申请当前状态为“archived”，不能变为“已拨付”"
    with pytest.raises(StateConflict) as caught:
        require_transition("claim", "paid", "archived", "claim_not_payable")
    assert caught.value.message == "补偿申请当前状态为“已拨付”，不能变为“archived”"
