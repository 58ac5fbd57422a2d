"""One read of a claim's whole state for the claim page, the API and the PDFs: the claim with everything that
hangs off it (loan, enterprise, bank, materials, reviews, history, extensions, payout, recoveries, ledger
entries, clawback), the names of the people on it, and what the reader may do to it now. The statements it
runs are fixed, however many documents, reviews or recoveries a claim has — and as fixed for a page of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from eloan.domain.errors import NotFound
from eloan.extensions import db
from eloan.models import Claim, ClaimDocument, Clawback, Loan, User
from eloan.services import claim_facts
from eloan.services.access import require, scope
from eloan.services.claim_actions import ClaimActions, allowed_actions

# Many-to-one in the claim's own statement; each collection in one statement for all the claims read.
_WHOLE = (
    joinedload(Claim.loan).joinedload(Loan.enterprise),
    joinedload(Claim.bank),
    joinedload(Claim.payout),
    joinedload(Claim.clawback).selectinload(Clawback.receipts),
    selectinload(Claim.documents).joinedload(ClaimDocument.file),
    selectinload(Claim.reviews),
    selectinload(Claim.transitions),
    selectinload(Claim.extensions),
    selectinload(Claim.recoveries),
    selectinload(Claim.fund_entries),
)


@dataclass(frozen=True)
class ClaimView:
    claim: Claim
    actions: ClaimActions  # what the reader may do to it now (services.claim_actions)
    names: Mapping[int, str]  # display names of everyone who acted on the claim, by user id
    documents: Mapping[str, list]  # the uploads in force, by kind
    missing: list[str]  # required kinds not uploaded yet
    review_round: int
    reviews: Mapping[str, object]  # this round's, by reviewing unit
    pending: list[str]  # reviewing units yet to review this round, in 第十六条's order
    paid: Decimal
    fund_recovered: Decimal  # the fund's parts of every recovery reported
    owed_to_fund: Decimal  # … of those not yet remitted
    returned_to_fund: Decimal  # what the ledger has received back
    clawback_received: Decimal | None  # None: no clawback was raised


def people_names(claims: Iterable[Claim]) -> dict[int, str]:
    """Display names of everyone who acted on these claims, in one statement."""
    ids: set[int | None] = set()
    for c in claims:
        ids |= {c.created_by_id, c.opinion_by_id, c.payout.paid_by_id if c.payout else None}
        ids |= {d.uploaded_by_id for d in c.documents} | {r.reviewer_id for r in c.reviews}
        ids |= {t.actor_id for t in c.transitions} | {e.granted_by_id for e in c.extensions}
    ids.discard(None)
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all())


def _view(actor, claim: Claim, names: Mapping[int, str]) -> ClaimView:
    clawback = claim.clawback
    return ClaimView(
        claim=claim,
        actions=allowed_actions(actor, claim),
        names=names,
        documents=claim_facts.current_documents(claim),
        missing=claim_facts.missing_materials(claim),
        review_round=claim_facts.review_round(claim),
        reviews=claim_facts.current_reviews(claim),
        pending=claim_facts.pending_units(claim),
        paid=claim_facts.paid_amount(claim),
        fund_recovered=claim_facts.fund_recovered(claim),
        owed_to_fund=claim_facts.owed_to_fund(claim),
        returned_to_fund=claim_facts.returned_to_fund(claim),
        clawback_received=claim_facts.clawback_received(clawback) if clawback is not None else None,
    )


def read(actor, claim_id: int) -> ClaimView:
    """The claim `actor` may see, whole; NotFound otherwise (another bank's claim does not exist for them)."""
    require(actor, "claims.read")
    claim = db.session.scalars(scope(actor, Claim).where(Claim.id == claim_id).options(*_WHOLE)).unique().first()
    if claim is None:
        raise NotFound(f"claims:{claim_id}")
    return _view(actor, claim, people_names([claim]))


def read_many(actor, claims: Iterable[Claim]) -> list[ClaimView]:
    """Views of `claims` (a page of a list, already scoped), in their order."""
    require(actor, "claims.read")
    ids = [c.id for c in claims]
    if not ids:
        return []
    found = db.session.scalars(scope(actor, Claim).where(Claim.id.in_(ids)).options(*_WHOLE)).unique().all()
    by_id = {c.id: c for c in found}
    names = people_names(found)
    return [_view(actor, by_id[i], names) for i in ids if i in by_id]
