"""Enterprises, list batches and sanctions over the API; a bank reads the batch in force and nothing else."""

from __future__ import annotations

from datetime import date

import pytest

from eloan.extensions import db as _db
from eloan.services import sanctions
from tests.fixtures.registry import data, uscc


@pytest.fixture()
def api(client, reference, today, make_user, make_bank, token_for):
    today("2024-06-03")
    make_bank("B1")
    for role in ("zone", "industry", "fsc", "finance", "auditor"):
        make_user(role, roles=(role,))
    make_user("teller", roles=("bank",), bank_code="B1")
    tokens = {name: token_for(name) for name in ("zone", "industry", "fsc", "finance", "auditor", "teller")}

    class Api:
        def __call__(self, method, path, who="zone", **kw):
            return client.open("/api/v1" + path, method=method, headers=tokens[who], **kw)

    return Api()


def _enterprise(api, n=1, **overrides):
    body = dict(data(n, **overrides).items())
    body["employees"] = int(body["employees"])
    return api("POST", "/enterprises", json=body)


def _issued_batch(api, *numbers):
    for n in numbers:
        assert _enterprise(api, n).status_code == 201
    batch = api("POST", "/list-batches", json={}).json
    for n in numbers:
        assert (
            api(
                "POST",
                f"/list-batches/{batch['id']}/entries",
                json={"uscc": uscc(n), "recommended_amount": "1000000.00"},
            ).status_code
            == 201
        )
    for who in ("zone", "industry", "fsc"):
        assert api("POST", f"/list-batches/{batch['id']}/confirm", who=who, json={}).status_code == 200
    issued = api("POST", f"/list-batches/{batch['id']}/issue", json={})
    assert issued.status_code == 200, issued.json
    return issued.json


def test_registering_an_enterprise_returns_it_with_the_computed_size(api):
    response = _enterprise(api)
    assert response.status_code == 201
    assert response.json["size_class"] == "small" and response.json["size_class_computed"] is True
    assert response.json["revenue"] == "30000000.00"


def test_a_bad_credit_code_is_422_invalid_uscc(api):
    response = _enterprise(api, uscc="91370405MA0000001A")
    assert response.status_code == 422
    assert response.json["errors"][0]["code"] == "invalid_uscc"
    assert response.json["errors"][0]["field"] == "uscc"


def test_an_amount_sent_as_a_json_number_is_400(api):
    body = dict(data(1), employees=80, revenue=1234.5)
    assert api("POST", "/enterprises", json=body).status_code == 400


def test_patch_changes_only_the_fields_sent(api):
    _enterprise(api)
    response = api("PATCH", f"/enterprises/{uscc(1)}", json={"phone": "0632-7777777"})
    assert response.status_code == 200
    assert response.json["phone"] == "0632-7777777" and response.json["name"] == data(1)["name"]


def test_the_registry_is_searchable_by_the_departments(api):
    _enterprise(api, 1, name="甲新材料")
    _enterprise(api, 2, name="乙新能源", industry="new_energy")
    body = api("GET", "/enterprises?industry=new_energy", who="industry").json
    assert body["total"] == 1 and body["items"][0]["name"] == "乙新能源"


def test_an_ineligible_enterprise_is_refused_with_its_reasons(api):
    _enterprise(api, 1, mu_class="D")
    batch = api("POST", "/list-batches", json={}).json
    response = api("POST", f"/list-batches/{batch['id']}/entries", json={"uscc": uscc(1), "recommended_amount": "1.00"})
    assert response.status_code == 422
    assert response.json["errors"][0]["code"] == "enterprise_ineligible"
    assert "D类" in response.json["errors"][0]["message"]


def test_issue_before_three_confirmations_is_409(api):
    _enterprise(api)
    batch = api("POST", "/list-batches", json={}).json
    api("POST", f"/list-batches/{batch['id']}/entries", json={"uscc": uscc(1), "recommended_amount": "1.00"})
    response = api("POST", f"/list-batches/{batch['id']}/issue", json={})
    assert response.status_code == 409 and response.json["errors"][0]["code"] == "batch_not_confirmed"


def test_the_three_party_flow_issues_the_batch_and_banks_read_it(api):
    issued = _issued_batch(api, 1, 2)
    assert issued["status"] == "issued" and issued["effective_from"] == "2024-06-03"
    current = api("GET", "/list-batches/current", who="teller")
    assert current.status_code == 200 and [e["uscc"] for e in current.json["entries"]] == [uscc(1), uscc(2)]
    assert api("GET", f"/list-batches/{issued['id']}", who="teller").status_code == 200


def test_a_return_brings_the_batch_back_to_draft(api):
    _enterprise(api)
    batch = api("POST", "/list-batches", json={}).json
    api("POST", f"/list-batches/{batch['id']}/entries", json={"uscc": uscc(1), "recommended_amount": "1.00"})
    api("POST", f"/list-batches/{batch['id']}/confirm", who="zone", json={})
    response = api("POST", f"/list-batches/{batch['id']}/return", who="fsc", json={"comment": "额度偏高"})
    assert response.json["status"] == "draft"
    assert not any(c["current"] for c in response.json["confirmations"])


def test_a_bank_user_gets_403_or_404_on_everything_but_the_batch_in_force(api):
    _enterprise(api, 1)
    draft = api("POST", "/list-batches", json={}).json
    for method, path in [
        ("GET", "/enterprises"),
        ("GET", f"/enterprises/{uscc(1)}"),
        ("PATCH", f"/enterprises/{uscc(1)}"),
        ("POST", "/enterprises"),
        ("GET", "/list-batches"),
        ("POST", "/list-batches"),
        ("GET", "/screening/candidates"),
        ("GET", "/sanctions"),
        ("POST", f"/sanctions/{uscc(1)}/clear"),
        ("POST", f"/list-batches/{draft['id']}/confirm"),
    ]:
        assert api(method, path, who="teller", json={}).status_code == 403, path
    assert api("GET", f"/list-batches/{draft['id']}", who="teller").status_code == 404
    assert api("GET", "/list-batches/current", who="teller").status_code == 404


def test_current_batch_on_a_date_before_any_list_is_404(api):
    _issued_batch(api, 1)
    assert api("GET", "/list-batches/current?date=2024-06-02").status_code == 404


def test_candidates_are_ranked(api):
    _enterprise(api, 1, name="B类", mu_class="B")
    _enterprise(api, 2, name="A类", mu_class="A")
    names = [e["name"] for e in api("GET", "/screening/candidates").json["items"]]
    assert names == ["A类", "B类"]


def test_sanctions_are_listed_and_cleared_with_a_reason(api):
    _enterprise(api, 1)
    from eloan.models import Enterprise

    sanctions.flag(None, _db.session.query(Enterprise).one(), "逾期", date(2024, 6, 1))
    _db.session.commit()
    listed = api("GET", "/sanctions", who="industry").json
    assert listed["total"] == 1 and listed["items"][0]["measures"].startswith("取消评优评先资格")
    assert api("POST", f"/sanctions/{uscc(1)}/clear", who="finance", json={"reason": ""}).status_code == 400
    cleared = api("POST", f"/sanctions/{uscc(1)}/clear", who="finance", json={"reason": "已结清"})
    assert cleared.status_code == 200 and cleared.json["clear_reason"] == "已结清"


def test_attachment_1_of_the_batch_in_force_is_a_pdf_for_a_bank(api):
    issued = _issued_batch(api, 1)
    response = api("GET", f"/list-batches/{issued['id']}/attachment-1.pdf", who="teller")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")


def _xlsx(rows):
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["统一社会信用代码", "企业名称", "所属行业", "从业人员（人）", "营业收入（元）"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_import_by_api_previews_bad_rows_and_imports_nothing_until_all_are_good(api):
    bad = _xlsx([[uscc(1), "甲", "新材料", 50, 9000000], ["123", "乙", "造船", 10, 100]])
    preview = api(
        "POST",
        "/enterprises/imports",
        data={"file": (__import__("io").BytesIO(bad), "a.xlsx")},
        content_type="multipart/form-data",
    )
    assert preview.status_code == 200 and preview.json["good"] == 1 and preview.json["bad"] == 1
    assert preview.json["row_errors"][0]["row"] == 3
    refused = api("POST", f"/enterprises/imports/{preview.json['token']}/commit")
    assert refused.status_code == 422
    assert api("GET", "/enterprises").json["total"] == 0
    good = _xlsx([[uscc(1), "甲", "新材料", 50, 9000000]])
    token = api(
        "POST",
        "/enterprises/imports",
        data={"file": (__import__("io").BytesIO(good), "b.xlsx")},
        content_type="multipart/form-data",
    ).json["token"]
    assert api("POST", f"/enterprises/imports/{token}/commit").json["enterprises"] == 1
    assert api("GET", f"/enterprises/{uscc(1)}").json["size_class"] == "small"


def test_exports_are_xlsx_files(api):
    issued = _issued_batch(api, 1)
    for path, who in (
        ("/enterprises/export.xlsx", "industry"),
        (f"/list-batches/{issued['id']}/entries.xlsx", "teller"),
        ("/sanctions/export.xlsx", "finance"),
        ("/enterprises/template.xlsx", "zone"),
    ):
        response = api("GET", path, who=who)
        assert response.status_code == 200 and response.data.startswith(b"PK"), path
    assert api("GET", "/enterprises/export.xlsx", who="teller").status_code == 403
