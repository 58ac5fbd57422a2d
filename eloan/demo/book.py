"""The demo's healthy loan book and its monitoring history (第十八条).

The story loans of story.py are nearly all in trouble, as they must be to show every claim state; a real
programme carries them inside a large book of loans that are being repaid. So the demo lists ninety more
enterprises with one performing loan each, and then runs the daily job for the last sixty days: the
programme stays under the thresholds, while 齐鲁银行 — a small book with one large loan overdue from
2025-09-02 — is suspended automatically that day and stays suspended, with its figures on its page.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from eloan import clock
from eloan.domain.calendar import add_months
from eloan.domain.sme import size_class
from eloan.extensions import db
from eloan.jobs.daily import run_daily
from eloan.models import Enterprise, MuRating
from eloan.services import audit, lists, loans

FIRST_SERIAL = 11
COUNT = 90
HISTORY_FROM = date(2025, 8, 17)
HISTORY_TO = date(2025, 10, 15)

_PLACES = ("枣庄", "台儿庄", "运河", "鲁南", "峄州", "兰祺", "涧头", "马兰", "张山", "泥沟")
_CORES = ("精密", "智能", "新材", "光电", "动力", "华科", "数控", "环能", "恒信")
_TRADES = (
    ("high_end_equipment", "装备制造有限公司"),
    ("new_materials", "材料科技有限公司"),
    ("new_energy", "能源科技有限公司"),
    ("new_medicine", "医药科技有限公司"),
    ("next_gen_it", "信息技术有限公司"),
)


def _banks_teller(serial: int) -> str:
    """TZRCB and ICBC carry most of the book; 齐鲁银行 a small one, which its large overdue loan outweighs."""
    if serial < FIRST_SERIAL + 40:
        return "bank"
    if serial < FIRST_SERIAL + 80:
        return "bank2"
    return "bank4"


def enterprises(demo_uscc) -> list[Enterprise]:
    """Ninety performing manufacturers of the zone (A or B for 亩产效益), added to the registry."""
    made = []
    for n in range(COUNT):
        serial = FIRST_SERIAL + n
        industry, trade = _TRADES[n % len(_TRADES)]
        name = f"{_PLACES[n % len(_PLACES)]}{_CORES[n // len(_PLACES)]}{trade}"
        staff, revenue = 60 + (n * 37) % 240, Decimal(25_000_000 + (n * 3_700_000) % 120_000_000)
        mu = "A" if n % 3 else "B"
        enterprise = Enterprise(
            uscc=demo_uscc(serial),
            name=name,
            industry=industry,
            size_class=size_class(staff, revenue),
            size_class_given=False,
            in_zone=True,
            established_on=date(2008 + n % 12, 1 + n % 12, 1),
            employees=staff,
            revenue=revenue,
            tax_sales=(revenue * Decimal("0.93")).quantize(Decimal("0.01")),
            mu_class=mu,
            mu_year=2023,
            legal_rep=f"{'王李张刘陈杨赵黄周吴'[n % 10]}{'国华建明丽强军平'[n % 8]}",
            phone=f"1380632{serial:04d}",
            address="枣庄市台儿庄区经济开发区",
        )
        enterprise.mu_ratings = [MuRating(year=2023, mu_class=mu)]
        db.session.add(enterprise)
        audit.record(None, "enterprise.create", enterprise, {"uscc": enterprise.uscc, "name": name})
        made.append(enterprise)
    db.session.commit()
    return made


def list_entries(zone, batch_id: int, demo_uscc) -> None:
    for n in range(COUNT):
        lists.add_entry(zone, batch_id, demo_uscc(FIRST_SERIAL + n), "5000000.00")


def register_loans(users: dict, demo_uscc) -> None:
    """One loan each, drawn between 2024-11 and 2025-07, maturing after the demo's today."""
    with clock.fixed_today(date(2025, 10, 14)):
        for n in range(COUNT):
            serial = FIRST_SERIAL + n
            signed = date(2024, 11, 4) + timedelta(days=(n * 97) % 260)
            if signed.weekday() >= 5:
                signed += timedelta(days=7 - signed.weekday())
            amount = Decimal(3_000_000 + (n * 170_000) % 1_900_000)
            loans.register(
                users[_banks_teller(serial)],
                {
                    "contract_no": f"YQ-{signed:%Y%m}-{serial:03d}",
                    "enterprise_uscc": demo_uscc(serial),
                    "amount": str(amount),
                    "rate_percent": "3.40",
                    "contract_date": signed.isoformat(),
                    "drawdown_date": signed.isoformat(),
                    "maturity_date": add_months(signed, 12).isoformat(),
                    "guarantees": ["legal_rep", "actual_controller"],
                },
            )


def run_monitoring() -> None:
    """The daily job for each day of the history window, as the scheduler would have run it."""
    day = HISTORY_FROM
    while day <= HISTORY_TO:
        with clock.fixed_today(day):
            run_daily(day, trigger="demo")
        day += timedelta(days=1)
