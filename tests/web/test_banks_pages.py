"""Cooperating banks through the pages (第五、十二、十四、十八、十九条): admission with the minimum share,
the ranking with ties, finance's status changes with a reason, and a bank that sees only itself."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from eloan.models import Bank
from eloan.services import banks
from tests.fixtures.web import flash_text, page_text


def _admission(**overrides) -> dict:
    data = {
        "code": "ABC-TEZ",
        "name": "中国农业银行枣庄台儿庄支行",
        "branch_in_district": "y",
        "loss_share": "30",
        "agreement_no": "TZYQ-2024-03",
        "agreement_from": "2024-06-01",
        "agreement_to": "2025-11-29",
        "product_name": "园区E贷",
        "product_recognised": "y",
    }
    data.update(overrides)
    return data


def _history_rows(html: str) -> list[str]:
    body = re.search(r'<section class="panel" id="history">.*?</section>', html, re.S).group(0)
    return [page_text(r) for r in re.findall(r"<tr>(.*?)</tr>", body, re.S)[1:]]


def test_fsc_admits_a_bank_with_its_loss_share_as_a_percentage(client, programme, as_user, db):
    as_user("fsc")

    response = client.post("/banks/new", data=_admission(), follow_redirects=True)

    bank = db.session.query(Bank).filter_by(code="ABC-TEZ").one()
    assert bank.loss_share == Decimal("0.3000") and bank.status == "active"
    assert response.request.path == "/banks/ABC-TEZ"
    assert "贷款损失承担比例 30.00%，风险补偿资金承担 70.00%" in flash_text(response.get_data(as_text=True))


def test_a_loss_share_below_the_minimum_is_refused_beside_the_field(client, programme, as_user, beside, db):
    as_user("fsc")

    response = client.post("/banks/new", data=_admission(loss_share="19.99"))

    html = response.get_data(as_text=True)
    assert beside(html, "loss_share") == ["银行损失承担比例 19.99% 低于最低要求 20.00%（第五条（三））"]
    assert 'value="19.99"' in html and 'value="中国农业银行枣庄台儿庄支行"' in html
    assert db.session.query(Bank).filter_by(code="ABC-TEZ").first() is None


def test_the_ranking_marks_equal_shares_as_tied(client, programme, as_user, make_bank, page):
    make_bank(
        "B3",
        name="B3银行台儿庄支行",
        loss_share="0.3000",
        agreement_from=date(2023, 12, 1),
        agreement_to=date(2025, 11, 29),
    )
    as_user("zone")

    html = page("/banks/")

    ranking = re.search(r'<ol class="ranking">(.*?)</ol>', html, re.S).group(1)
    rows = [page_text(r) for r in re.findall(r"<li[^>]*>(.*?)</li>", ranking, re.S)]
    assert rows == [
        "第 1 名 并列 B1银行台儿庄支行 30.00%",
        "第 1 名 并列 B3银行台儿庄支行 30.00%",
        "第 3 名 B2银行台儿庄支行 25.00%",
    ]


def test_finance_suspends_a_bank_with_a_reason_and_the_history_shows_it(client, programme, as_user, db):
    as_user("finance")

    response = client.post("/banks/B1/suspend", data={"suspend-reason": "未按期报送业务统计表"}, follow_redirects=True)

    html = response.get_data(as_text=True)
    assert db.session.query(Bank).filter_by(code="B1").one().status == "suspended"
    assert "已暂停合作，自2024年6月20日起该行不能发放新的“园区E贷”贷款" in flash_text(html)
    assert _history_rows(html)[0].startswith("2024年6月20日 正常合作 → 暂停 未按期报送业务统计表")


def test_a_status_change_without_a_reason_is_refused_beside_it(client, programme, as_user, beside, db):
    as_user("finance")

    html = client.post("/banks/B1/suspend", data={"suspend-reason": ""}).get_data(as_text=True)

    assert beside(html, "suspend-reason") == ["请填写变更合作状态的理由。"]
    assert db.session.query(Bank).filter_by(code="B1").one().status == "active"


def test_disqualifying_needs_the_bank_code_typed(client, programme, as_user, beside, db):
    as_user("finance")

    refused = client.post("/banks/B2/disqualify", data={"disqualify-reason": "", "disqualify-confirm_code": "B1"})
    done = client.post(
        "/banks/B2/disqualify", data={"disqualify-reason": "骗取补偿资金", "disqualify-confirm_code": "b2"}
    )

    html = refused.get_data(as_text=True)
    assert beside(html, "disqualify-confirm_code") == ["请输入银行代码 B2 以确认取消资格。"]
    assert beside(html, "disqualify-reason") == ["请填写变更合作状态的理由。"]
    assert done.status_code == 302 and db.session.query(Bank).filter_by(code="B2").one().status == "disqualified"


def test_an_automatic_suspension_shows_the_system_and_its_ratios(client, programme, as_user, page, db):
    banks.change_status(
        None,
        "B2",
        "suspended",
        "不良率超过3%",
        source="daily_job",
        effective_on=date(2024, 6, 20),
        figures={"npl_ratio": Decimal("0.0412"), "overdue_ratio": Decimal("0.0500")},
    )
    as_user("fsc")

    row = _history_rows(page("/banks/B2"))[0]

    assert "系统（每日监测）" in row and "不良率 4.12%" in row and "逾期率 5.00%" in row


def test_a_bank_user_sees_its_own_bank_and_another_bank_is_404(client, programme, as_user, page):
    as_user("teller")

    own = page("/banks/own")

    assert "B1银行台儿庄支行" in own and "本行信息" in own
    assert client.get("/banks/B2").status_code == 404
    assert client.get("/banks/B2/attachment-3.pdf").status_code == 404
    assert client.get("/banks/").headers["Location"].endswith("/banks/own")


def test_attachment3_is_a_pdf(client, programme, as_user):
    as_user("teller")

    response = client.get("/banks/B1/attachment-3.pdf")

    assert response.status_code == 200 and response.data.startswith(b"%PDF")


def test_readers_cannot_open_the_admission_or_status_forms(client, programme, as_user):
    as_user("zone")
    assert client.get("/banks/new").status_code == 403
    assert client.post("/banks/B1/suspend", data={"suspend-reason": "x"}).status_code == 403
    as_user("fsc")
    assert client.post("/banks/B1/suspend", data={"suspend-reason": "x"}).status_code == 403


def test_editing_a_bank_shows_its_share_as_a_percentage_and_saves_the_new_one(client, programme, as_user, page, db):
    as_user("finance")

    form = page("/banks/B2/edit")
    response = client.post(
        "/banks/B2/edit",
        data=_admission(code="ignored", name="B2银行台儿庄支行", loss_share="35.5"),
        follow_redirects=True,
    )

    assert re.search(r'<input[^>]*id="loss_share"[^>]*value="25"', form)
    assert db.session.query(Bank).filter_by(code="B2").one().loss_share == Decimal("0.3550")
    assert "损失承担比例由 25.00% 改为 35.50%" in flash_text(response.get_data(as_text=True))


def test_a_suspension_works_with_csrf_on(csrf_client, csrf_as, programme, db):
    csrf_as("finance")

    response = csrf_client.post(
        "/banks/B1/suspend",
        data={"suspend-csrf_token": csrf_as.token("/banks/B1", "suspend"), "suspend-reason": "未按期报送统计表"},
    )

    assert response.status_code == 302 and db.session.query(Bank).filter_by(code="B1").one().status == "suspended"


def test_disqualifying_with_the_bank_code_left_empty_is_refused(client, programme, as_user, beside, db):
    as_user("finance")

    refused = client.post(
        "/banks/B2/disqualify", data={"disqualify-reason": "骗取补偿资金", "disqualify-confirm_code": ""}
    )

    assert beside(refused.get_data(as_text=True), "disqualify-confirm_code") == ["请输入银行代码 B2 以确认取消资格。"]
    assert db.session.query(Bank).filter_by(code="B2").one().status == "active"
