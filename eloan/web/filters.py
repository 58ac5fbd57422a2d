"""Jinja filters: how money, dates, times and codes look on a page (POLICY.md §3)."""

from __future__ import annotations

from datetime import date, datetime

from eloan.domain.bank_standing import STANDINGS
from eloan.domain.calendar import chinese_date, in_shanghai
from eloan.domain.expiry import days_left_text
from eloan.domain.money import format_money, format_percent, format_rate, to_money
from eloan.domain.policy import INDUSTRIES
from eloan.domain.roles import ROLES
from eloan.domain.states import BATCH_STATES, CLAIM_STATES, LOAN_STATUSES
from eloan.services import banks
from eloan.web.audit_labels import action_label, object_type_label

_EMPTY = "—"


def money(value) -> str:
    return _EMPTY if value is None else format_money(value)


def yuan(value) -> str:
    """An amount in 元 with thousands separators and no currency sign, for wide tables: 1,234,567.89."""
    return _EMPTY if value is None else f"{to_money(value):,.2f}"


def date_cn(value: date | None) -> str:
    if value is None:
        return _EMPTY
    if isinstance(value, datetime):
        value = in_shanghai(value).date()
    return chinese_date(value)


def dt(value: datetime | None) -> str:
    """2026-11-29 14:03, Beijing time."""
    if value is None:
        return _EMPTY
    return in_shanghai(value).strftime("%Y-%m-%d %H:%M")


def role_label(code: str) -> str:
    return ROLES.get(code, code)


def industry_label(code: str) -> str:
    return INDUSTRIES.get(code, code)


def percent(ratio) -> str:
    return _EMPTY if ratio is None else format_percent(ratio)


def rate(value) -> str:
    return _EMPTY if value is None else format_rate(value)


def year_ranges(years) -> str:
    """[2004, 2005, 2006, 2009] → "2004–2006年、2009年"."""
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][1] + 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    return "、".join(f"{a}年" if a == b else f"{a}–{b}年" for a, b in runs)


# A bank's labels are its standings: the stored statuses and the agreement states shown in their place.
_STATUS_LABELS = {"bank": STANDINGS, "batch": BATCH_STATES, "claim": CLAIM_STATES, "loan": LOAN_STATUSES}


def status_label(code: str, machine: str) -> str:
    return _STATUS_LABELS.get(machine, {}).get(code, code)


FILTERS = {
    "money": money,
    "yuan": yuan,
    "date_cn": date_cn,
    "days_left_text": days_left_text,
    "dt": dt,
    "role_label": role_label,
    "industry_label": industry_label,
    "percent": percent,
    "rate": rate,
    "status_label": status_label,
    "bank_standing": banks.standing,
    "action_label": action_label,
    "year_ranges": year_ranges,
    "object_type_label": object_type_label,
}
