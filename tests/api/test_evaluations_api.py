"""The annual evaluation over the API (API.md; 第二十条, POLICY.md §11)."""

from __future__ import annotations

import io

import openpyxl
import pytest


@pytest.fixture()
def api(client, year_2024, token_for):
    tokens = {n: token_for(n) for n in ("finance", "fsc", "zone", "industry", "auditor", "teller", "teller2")}

    def call(method, path, who="finance", **kw):
        return client.open("/api/v1" + path, method=method, headers=tokens[who], **kw)

    return call


def test_before_computing_404_then_the_worked_example(api):
    assert api("GET", "/evaluations/2024").status_code == 404
    r = api("POST", "/evaluations/2024")
    assert r.status_code == 200, r.json
    body = api("GET", "/evaluations/2024", who="auditor").json
    assert body["status"] == "draft"
    assert body["weights"] == {"volume": "30", "risk": "30", "rate": "20", "service": "20"}
    b1, b2 = body["banks"]
    assert (b1["bank"]["code"], b1["total"], b1["rank"], b1["suggested"]) == ("B1", "95.00", 1, "continue")
    assert b2["scores"] == {"volume": "24.00", "risk": "15.00", "rate": "0.00", "service": "10.00"}
    assert (b2["total"], b2["suggested"], b2["decision"]) == ("49.00", "conditional", None)


def test_a_bank_gets_404_for_the_evaluation_and_its_reports(api):
    api("POST", "/evaluations/2024")
    for path in ("/evaluations/2024", "/evaluations/2024/report.pdf", "/evaluations/2024/report.xlsx"):
        r = api("GET", path, who="teller")
        assert r.status_code == 404, path
    assert api("POST", "/evaluations/2024", who="teller").status_code == 403
    assert api("POST", "/evaluations/2024", who="fsc").status_code == 403


def test_adjust_confirm_decide_with_reason_required(api):
    api("POST", "/evaluations/2024")
    r = api("POST", "/evaluations/2024/adjustments", json={"bank": "B2", "area": "risk", "score": "20", "reason": ""})
    assert r.status_code == 422 and r.json["errors"][0]["code"] == "reason_required"
    r = api(
        "POST",
        "/evaluations/2024/adjustments",
        json={"bank": "B2", "area": "risk", "score": "20", "reason": "整改到位"},
    )
    assert r.status_code == 200 and r.json["banks"][1]["total"] == "54.00"
    r = api("POST", "/evaluations/2024/decisions", json={"bank": "B1", "decision": "continue"})
    assert r.status_code == 409 and r.json["errors"][0]["code"] == "evaluation_not_confirmed"
    for who in ("zone", "industry", "fsc"):
        assert api("POST", "/evaluations/2024/confirm", who=who, json={"comment": "同意"}).status_code == 200
    r = api(
        "POST", "/evaluations/2024/adjustments", json={"bank": "B2", "area": "risk", "score": "25", "reason": "再调"}
    )
    assert r.status_code == 409
    r = api("POST", "/evaluations/2024/decisions", json={"bank": "B2", "decision": "continue"})
    assert r.status_code == 422 and r.json["errors"][0]["code"] == "reason_required"
    r = api("POST", "/evaluations/2024/decisions", json={"bank": "B2", "decision": "conditional"})
    assert r.status_code == 200
    r = api("POST", "/evaluations/2024/decisions", json={"bank": "B1", "decision": "continue"})
    assert r.json["status"] == "decided"
    assert [c["role"] for c in r.json["confirmations"]] == ["zone", "industry", "fsc"]


def test_the_report_as_pdf_with_signature_boxes_and_as_excel(api, pdf):
    api("POST", "/evaluations/2024")
    r = api("GET", "/evaluations/2024/report.pdf", who="fsc")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    text = pdf.text(r.data).replace(" ", "")
    for expected in (
        "2024年度合作银行绩效评价报告",
        "B1银行台儿庄支行",
        "95.00",
        "49.00",
        "限期整改",
        "区财政局",
        "行业主管部门",
        "（盖章）",
    ):
        assert expected in text, expected
    r = api("GET", "/evaluations/2024/report.xlsx", who="auditor")
    assert r.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(r.data)).active
    assert [c.value for c in sheet[4]][:3] == [1, "B1", "B1银行台儿庄支行"]
    assert sheet.cell(row=5, column=4).value == 800000
    assert sheet.cell(row=5, column=16).value == 49
    assert sheet.cell(row=5, column=17).value == "限期整改"
