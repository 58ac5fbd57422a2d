"""The fund page (第十四、十七、十九条): the account's figures and leverage, the ledger one page at a time
with its running balance, tranche appropriations within the fund scale and reversing corrections."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from sqlalchemy import event

from eloan.extensions import db as _db
from eloan.models import FundAccount, FundEntry
from tests.fixtures.claims import fund_with
from tests.fixtures.web import flash_text


def _ledger(n: int, amount: str = "100.00") -> None:
    """n appropriation entries written directly, as the service leaves them (with the running balance)."""
    account = _db.session.get(FundAccount, 1) or FundAccount(id=1, name="专户")
    _db.session.add(account)
    balance = Decimal("0.00")
    rows = []
    for i in range(n):
        balance += Decimal(amount)
        rows.append(
            {
                "entry_date": date(2024, 1, 2),
                "kind": "appropriation",
                "direction": "in",
                "amount": Decimal(amount),
                "balance_after": balance,
                "reference": f"BK-{i + 1}",
            }
        )
    _db.session.execute(FundEntry.__table__.insert(), rows)
    account.balance = account.appropriated = balance
    _db.session.commit()


def test_an_appropriation_beyond_the_fund_scale_is_refused_beside_the_amount(client, npl, as_user, beside):
    fund_with(npl, "99000000")
    as_user("finance")

    html = client.post(
        "/fund/appropriations",
        data={"ap-amount": "1000000.01", "ap-entry_date": "2024-09-30", "ap-reference": "台财预〔2024〕12号"},
    ).get_data(as_text=True)

    assert beside(html, "ap-amount") == [
        "已拨入 ¥99,000,000.00，再拨入 ¥1,000,000.01 将超过资金池规模 ¥100,000,000.00。（第十四条）"
    ]
    assert 'value="1000000.01"' in html and 'value="台财预〔2024〕12号"' in html


def test_an_appropriation_is_recorded_with_the_new_balance(client, npl, as_user):
    as_user("finance")

    response = client.post(
        "/fund/appropriations", data={"ap-amount": "10000000", "ap-entry_date": "2024-09-30"}, follow_redirects=True
    )

    html = response.get_data(as_text=True)
    assert "已记入拨入资金 ¥10,000,000.00（2024年9月30日），专户余额现为 ¥10,000,000.00" in flash_text(html)


def test_the_page_shows_the_balance_and_the_leverage(client, npl, as_user, page):
    fund_with(npl, "1000000")
    as_user("fsc")

    html = page("/fund/")

    assert "专户余额" in html and "¥1,000,000.00" in html
    assert "放大倍数" in html and "1.23 倍" in html  # ¥1,234,567.89 of programme loans outstanding
    assert 'action="/fund/appropriations"' not in html  # only 区财政局 appropriates


def test_the_ledger_loads_one_page_newest_first_with_the_running_balance(client, npl, as_user):
    _ledger(120)
    as_user("auditor")
    statements = []

    def count(conn, cursor, statement, *args):
        if "fund_entries" in statement:
            statements.append(statement)

    event.listen(_db.engine, "before_cursor_execute", count)
    try:
        html = client.get("/fund/").get_data(as_text=True)
    finally:
        event.remove(_db.engine, "before_cursor_execute", count)

    rows = re.findall(r'<tr class="ledger__row[^"]*" id="entry-(\d+)">', html)
    assert rows[:2] == ["120", "119"] and len(rows) == 50
    assert "¥12,000.00" in html and "第 1 / 3 页" in html
    row_queries = [s for s in statements if "fund_entries.balance_after" in s]  # those that load entries
    assert row_queries and all("LIMIT" in s.upper() for s in row_queries)


def test_the_ledger_can_be_read_oldest_first(client, npl, as_user):
    _ledger(60)
    as_user("finance")

    html = client.get("/fund/?order=oldest&page=2").get_data(as_text=True)

    rows = re.findall(r'<tr class="ledger__row[^"]*" id="entry-(\d+)">', html)
    assert rows == [str(i) for i in range(51, 61)]


def test_finance_corrects_an_appropriation_with_a_reversing_entry(client, npl, as_user):
    fund_with(npl, "1000000")
    as_user("finance")

    response = client.post("/fund/entries/1/correct", data={"co1-reason": "金额录入错误"}, follow_redirects=True)

    html = response.get_data(as_text=True)
    assert "已冲销第 1 号分录" in flash_text(html) and "专户余额现为 ¥0.00" in flash_text(html)
    assert "已冲销" in html and "金额录入错误" in html


def test_a_correction_without_a_reason_is_refused_beside_it(client, npl, as_user, beside):
    fund_with(npl, "1000000")
    as_user("finance")

    html = client.post("/fund/entries/1/correct", data={"co1-reason": ""}).get_data(as_text=True)

    assert beside(html, "co1-reason") == ["请写明更正理由。"]
