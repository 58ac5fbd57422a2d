"""Excel imports on the registry pages: template, upload, a preview listing every bad row, then 确认导入."""

from __future__ import annotations

import io
import re

import pytest

from eloan.models import Enterprise, MuRating
from eloan.services import enterprises
from tests.fixtures.registry import MU_HEADERS, row, uscc, xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture()
def zone(reference, today, make_user, login):
    today("2024-06-03")
    user = make_user("zone", roles=("zone",))
    login("zone")
    return user


def _upload(client, url, content: bytes, name="企业.xlsx"):
    return client.post(url, data={"file": (io.BytesIO(content), name)}, content_type="multipart/form-data")


def _token(html: str) -> str:
    return re.search(r'name="token" value="([0-9a-f]{64})"', html).group(1)


def test_the_registry_template_downloads_as_xlsx(client, zone):
    response = client.get("/registry/enterprises/registry-import/template.xlsx")

    assert response.status_code == 200
    assert response.mimetype == XLSX and response.data[:2] == b"PK"


def test_the_preview_lists_a_bad_row_with_its_number_code_and_reason(client, zone, db):
    content = xlsx([row(1), row(2, employees="很多"), row(3)])

    response = _upload(client, "/registry/enterprises/registry-import", content)

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "有 1 行有问题，本文件不能导入" in html
    assert "第 3 行" in html and uscc(2) in html and "从业人员（人）" in html
    assert 'class="summary__item summary__item--ok"><dt>可以导入</dt><dd>2</dd>' in html
    assert "确认导入" not in html and "改正后重新上传" in html
    assert db.session.query(Enterprise).count() == 0


def test_a_clean_file_is_imported_only_after_confirming(client, zone, db):
    preview = _upload(client, "/registry/enterprises/registry-import", xlsx([row(1), row(2)])).get_data(as_text=True)
    assert "全部 2 行检查通过" in preview and db.session.query(Enterprise).count() == 0

    response = client.post(
        "/registry/enterprises/registry-import/commit", data={"token": _token(preview)}, follow_redirects=True
    )

    assert "已从“企业.xlsx”导入 2 家企业，同时录入 2 条亩产效益评价" in response.get_data(as_text=True)
    assert db.session.query(Enterprise).count() == 2


def test_confirming_an_expired_preview_says_to_upload_again(client, zone):
    response = client.post(
        "/registry/enterprises/registry-import/commit", data={"token": "0" * 64}, follow_redirects=True
    )

    assert "导入文件不存在或已过期" in response.get_data(as_text=True)


def test_uploading_without_a_file_says_so_beside_the_file_field(client, zone, beside):
    html = client.post("/registry/enterprises/registry-import", data={}, content_type="multipart/form-data").get_data(
        as_text=True
    )

    assert beside(html, "file") == ["请选择要上传的 Excel 文件（.xlsx）。"]


def test_a_file_that_is_not_xlsx_is_refused_beside_the_file_field(client, zone, beside):
    html = _upload(client, "/registry/enterprises/registry-import", b"name,uscc\n", "企业.csv").get_data(as_text=True)

    assert any("不是 Excel（.xlsx）格式" in e for e in beside(html, "file"))


def test_mu_classes_are_previewed_and_imported(client, zone, db):
    enterprises.create(zone, {"uscc": uscc(1), "name": "甲公司", "industry": "new_materials"})
    content = xlsx([{"统一社会信用代码": uscc(1), "评价年度": 2024, "亩产效益类别": "A"}], headers=MU_HEADERS)

    preview = _upload(client, "/registry/enterprises/mu-import", content, "评价.xlsx").get_data(as_text=True)
    response = client.post(
        "/registry/enterprises/mu-import/commit", data={"token": _token(preview)}, follow_redirects=True
    )

    assert "已从“评价.xlsx”导入 1 条亩产效益评价：新增 1 条" in response.get_data(as_text=True)
    assert db.session.query(MuRating).one().mu_class == "A"


def test_a_mu_row_for_an_unregistered_enterprise_is_listed_as_bad(client, zone):
    content = xlsx([{"统一社会信用代码": uscc(7), "评价年度": 2024, "亩产效益类别": "B"}], headers=MU_HEADERS)

    html = _upload(client, "/registry/enterprises/mu-import", content).get_data(as_text=True)

    assert "尚未登记" in html and uscc(7) in html and "确认导入" not in html
