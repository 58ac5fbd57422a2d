import pytest

from eloan.domain.errors import StateConflict
from eloan.domain.states import (
    BANK_STATUSES,
    BATCH_STATES,
    CLAIM_STATES,
    LOAN_STATUSES,
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
