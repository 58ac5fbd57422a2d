"""What a batch page shows about a batch: its rows, totals, the three units' confirmations, the last
return, and what the current user may do with it in its state. Reads only; the services decide."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from eloan.domain.roles import REVIEWING_UNITS, ROLES
from eloan.domain.states import BATCHES_OPEN
from eloan.services import lists, users
from eloan.services.access import can

# 第十条 names the units in this order; the confirmation table and Attachment 1 follow it.


@dataclass(frozen=True)
class UnitStatus:
    role: str
    unit: str
    confirmed: bool
    who: str | None
    at: datetime | None
    comment: str | None


@dataclass(frozen=True)
class ReturnNote:
    unit: str
    who: str
    at: datetime
    comment: str


@dataclass(frozen=True)
class BatchView:
    batch: object
    entries: list
    count: int
    total: Decimal
    units: list[UnitStatus]
    confirmed_count: int
    last_return: ReturnNote | None
    can_edit: bool
    can_issue: bool
    confirmable_as: list[str]
    returnable_as: list[str]


def _name(user_id: int | None) -> str:
    return users.get_user(user_id).display_name if user_id else "—"


def units_of(batch) -> list[UnitStatus]:
    done = lists.active_confirmations(batch)
    rows = []
    for role in REVIEWING_UNITS:
        c = done.get(role)
        rows.append(
            UnitStatus(
                role,
                ROLES[role],
                c is not None,
                _name(c.user_id) if c else None,
                c.created_at if c else None,
                c.comment if c else None,
            )
        )
    return rows


def missing_units(batch) -> list[str]:
    return [u.unit for u in units_of(batch) if not u.confirmed]


def batch_view(actor, batch) -> BatchView:
    entries = sorted(batch.entries, key=lambda e: e.position)
    units = units_of(batch)
    returned = lists.last_return(batch)
    note = (
        ReturnNote(ROLES[returned.role], _name(returned.user_id), returned.created_at, returned.comment)
        if returned is not None and batch.status == "draft"
        else None
    )
    held = [u.role for u in units if actor.has_role(u.role)]
    return BatchView(
        batch=batch,
        entries=entries,
        count=len(entries),
        total=sum((e.recommended_amount for e in entries), Decimal("0.00")),
        units=units,
        confirmed_count=sum(u.confirmed for u in units),
        last_return=note,
        can_edit=batch.status == "draft" and can(actor, "lists.edit"),
        can_issue=batch.status == "confirmed" and can(actor, "lists.edit"),
        confirmable_as=[u.role for u in units if u.role in held and not u.confirmed] if batch.status == "draft" else [],
        returnable_as=held if batch.status in BATCHES_OPEN else [],
    )
