"""PUT/GET /api/v1/targets/{year} (+ .xlsx, .pdf) and PATCH /targets/{year}/items/{id} (API.md; POLICY.md §15).
Figures as tests/integration/test_targets.py works them out from tests/fixtures/targets.py."""

from __future__ import annotations

import io
import subprocess

import openpyxl
import pytest

from tests.fixtures.targets import TABLE


@pytest.fixture()
def api(client, targets_programme, token_for):
    tokens = {name: token_for(name) for name in ("teller", "finance", "fsc", "zone", "industry", "auditor")}

    def call(method, path, who="finance", **kw):
        return client.open("/api/v1" + path, method=method, headers=tokens[who], **kw)

    return call


@pytest.fixture()
def table(api):
    answer = api("PUT", "/targets/2024", json={"items": TABLE})
    assert answer.status_code == 200, answer.json
    return answer.json


def test_put_answers_the_table_and_get_measures_it_at_a_date(api, table):
    assert [i["position"] for i in table["items"]] == list(range(1, 9))
    body = api("GET", "/targets/2024?as_of=2024-03-31", who="auditor").json
    assert body["year"] == 2024 and body["as_of"] == "2024-03-31"
    first = body["items"][0]
    assert {k: first[k] for k in ("metric", "target", "actual", "achieved", "responsible", "responsible_name")} == {
        "metric": "new_loan_amount",
        "target": "3000000.00",
        "actual": "1800000.00",
        "achieved": False,
        "responsible": "fsc",
        "responsible_name": "区金融服务中心",
    }
    assert first["progress"] == "新增贷款 180 万元，完成目标 300 万元的 60.0%（截至2024年3月31日）"
    year_end = api("GET", "/targets/2024?as_of=2024-12-31", who="zone").json["items"]
    assert [(i["metric"], i["actual"], i["achieved"]) for i in year_end] == [
        ("new_loan_amount", "2600000.00", False),
        ("new_loan_count", "4", False),
        ("enterprises_served", "3", False),
        ("active_banks", "3", True),
        ("fund_appropriated", "5000000.00", True),
        ("npl_ratio_max", "0.5000", False),
        ("claims_on_time_share", "0.5000", False),
        ("text", None, None),
    ]
    assert year_end[5]["target"] == "0.0300"


def test_bad_items_get_422_with_codes_and_change_nothing(api, table):
    bad = {
        "items": [
            {"metric": "loans_galore", "target": "1", "goal_text": "x", "responsible": "fsc"},
            {"metric": "new_loan_amount", "goal_text": "新增贷款", "responsible": "fsc"},
            {
                "metric": "new_loan_amount",
                "target": "1.5",
                "unit": "千元",
                "goal_text": "新增贷款",
                "responsible": "bank",
            },
        ]
    }
    answer = api("PUT", "/targets/2024", json=bad)
    assert answer.status_code == 422
    codes = [e["code"] for e in answer.json["errors"]]
    assert codes == ["unknown_metric", "target_required", "invalid_unit", "invalid_responsible"]
    assert len(api("GET", "/targets/2024?as_of=2024-12-31").json["items"]) == 8


def test_as_of_outside_the_year_is_422(api, table):
    answer = api("GET", "/targets/2024?as_of=2025-01-01")
    assert answer.status_code == 422 and answer.json["errors"][0]["code"] == "invalid_as_of"


@pytest.mark.parametrize(
    ("method", "path", "who"),
    [
        ("GET", "/targets/2024", "teller"),
        ("GET", "/targets/2024.xlsx", "teller"),
        ("PUT", "/targets/2024", "zone"),
        ("PUT", "/targets/2024", "auditor"),
    ],
)
def test_who_may_not(api, table, method, path, who):
    answer = api(method, path, who=who, json={"items": TABLE} if method == "PUT" else None)
    assert answer.status_code == 403 and answer.json["errors"][0]["code"] == "forbidden"


def test_the_responsible_unit_patches_its_item_and_no_other_unit_may(api, table):
    served = table["items"][2]  # 服务企业, zone's
    answer = api(
        "PATCH", f"/targets/2024/items/{served['id']}", who="zone", json={"problems": "需求不足", "next_steps": "走访"}
    )
    assert answer.status_code == 200
    assert (answer.json["problems"], answer.json["next_steps"]) == ("需求不足", "走访")
    refused = api("PATCH", f"/targets/2024/items/{served['id']}", who="fsc", json={"problems": "越权"})
    assert refused.status_code == 403 and refused.json["errors"][0]["code"] == "not_responsible_unit"
    assert api("GET", "/targets/2024?as_of=2024-12-31").json["items"][2]["problems"] == "需求不足"
    assert api("PATCH", "/targets/2023/items/{}".format(served["id"]), who="zone", json={}).status_code == 404


def test_the_workbook_reads_back(api, table):
    answer = api("GET", "/targets/2024.xlsx?as_of=2024-12-31")
    assert answer.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(answer.data))
    sheet = book["年度目标"]
    assert sheet["A1"].value == "园区E贷 2024年度目标完成情况"
    assert [c.value for c in sheet[3]] == [
        "序号",
        "年度奋斗目标",
        "年度工作目标",
        "责任单位",
        "完成情况",
        "存在问题",
        "下步打算",
    ]
    assert [c.value for c in sheet[4]][:5] == [
        1,
        "新增园区E贷300万元",
        None,
        "区金融服务中心",
        "新增贷款 260 万元，完成目标 300 万元的 86.7%（截至2024年12月31日）",
    ]
    assert sheet.max_row == 11
    measures = book["计量数据"]
    assert [c.value for c in measures[4]] == [1, "新增贷款金额（元）", 3000000, 2600000, "未达成"]
    assert [c.value for c in measures[9]][2:] == [0.03, 0.5, "未达成"]


def test_the_pdf_says_it(api, table, tmp_path):
    answer = api("GET", "/targets/2024.pdf?as_of=2024-12-31", who="auditor")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    path = tmp_path / "targets.pdf"
    path.write_bytes(answer.data)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    flat = "".join(text.split())
    assert "园区E贷2024年度目标完成情况" in flat
    assert "完成情况截至2024年12月31日" in flat
    assert "新增贷款260万元，完成目标300万元的86.7%" in flat
    assert "不良率50.00%，目标不高于3.00%，未达到目标" in flat
    assert "第1页共1页" in flat
