"""A bank's standing as people read it: its cooperation status and its agreement (第十二、十八、十九条).

The stored status is the state machine's (active | suspended | disqualified) and changes only when
someone (or the daily job) records a change. An agreement ends on its own date with no change
recorded, yet from the next day the bank may not lend (第十二条). So what a page or the API shows
is derived here, once: a bank whose status is active but whose agreement is not in force is shown
by its agreement, never as 正常合作.
"""

from __future__ import annotations

from datetime import date

from .states import BANK_STATUSES

AGREEMENT_STATES: dict[str, str] = {
    "in_force": "协议有效",
    "not_started": "协议尚未生效",
    "expired": "协议已到期",
    "missing": "未填写协议期限",
}

# The displayed standing: the stored status, or for an active bank the agreement that stops it.
STANDINGS: dict[str, str] = {
    **BANK_STATUSES,
    "agreement_not_started": AGREEMENT_STATES["not_started"],
    "agreement_expired": AGREEMENT_STATES["expired"],
    "agreement_missing": "无有效合作协议",
}


def agreement_state(agreement_from: date | None, agreement_to: date | None, on: date) -> str:
    """in_force | not_started | expired | missing; the end date is the agreement's last day."""
    if agreement_from is None:
        return "missing"
    if on < agreement_from:
        return "not_started"
    if agreement_to is not None and on > agreement_to:
        return "expired"
    return "in_force"


def standing(status: str, agreement: str) -> str:
    """The standing shown for a stored status and an agreement state (a key of STANDINGS).

    Suspension and disqualification say more than the agreement (they need a decision to undo),
    so they are shown as they are; only an active bank is shown by its agreement.
    """
    if status != "active" or agreement == "in_force":
        return status
    return f"agreement_{agreement}"
