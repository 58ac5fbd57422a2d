"""A bank user sees the list in force and nothing else of the registry or the list (POLICY.md §4)."""

from __future__ import annotations

import pytest

from eloan.services import enterprises, lists
from tests.fixtures.registry import data, uscc

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture()
def batches(reference, today, make_user, make_bank):
    """An issued batch in force and a draft; a teller of bank B1 (not logged in yet)."""
    today("2024-06-03")
    people = {r: make_user(r, roles=(r,)) for r in ("zone", "industry", "fsc")}
    enterprises.create(people["zone"], data(1))
    enterprises.create(people["zone"], data(2, name="草稿里的企业"))
    issued = lists.create_batch(people["zone"], number="2024年第1批")
    lists.add_entry(people["zone"], issued.id, uscc(1), "3000000.00")
    for role in ("zone", "industry", "fsc"):
        lists.confirm(people[role], issued.id)
    lists.issue(people["zone"], issued.id)
    draft = lists.create_batch(people["zone"], number="2024年第2批")
    lists.add_entry(people["zone"], draft.id, uscc(2), "1000000.00")
    make_bank("B1")
    make_user("teller", roles=("bank",), bank_code="B1")
    return {"issued": issued, "draft": draft}


@pytest.fixture()
def teller(client, batches, login):
    login("teller")
    return batches


@pytest.mark.parametrize(
    "url",
    [
        "/registry/enterprises",
        f"/registry/enterprises/{uscc(1)}",
        "/registry/enterprises/new",
        "/registry/enterprises/export.xlsx",
        "/registry/enterprises/registry-import",
        "/registry/sanctions",
        "/registry/sanctions/export.xlsx",
        "/lists/",
        "/lists/candidates",
    ],
)
def test_a_bank_user_gets_403_on_the_registry_and_list_pages(client, teller, url):
    assert client.get(url).status_code == 403


def test_a_bank_user_gets_404_or_403_on_a_draft_batch_and_its_downloads(client, teller):
    draft = teller["draft"].id
    for url in (f"/lists/{draft}", f"/lists/{draft}/attachment-1.pdf", f"/lists/{draft}/list.xlsx"):
        assert client.get(url).status_code in (403, 404), url


def test_a_bank_user_cannot_confirm_a_batch(client, teller):
    response = client.post(f"/lists/{teller['draft'].id}/confirm", data={"confirm-role": "zone"})

    assert response.status_code == 403


def test_a_bank_user_sees_the_batch_in_force(client, teller, page):
    html = page("/lists/current")

    assert "现行推荐企业名单：2024年第1批" in html and "枣庄测试1号科技有限公司" in html
    assert "300" in html and "草稿里的企业" not in html
    assert f"/registry/enterprises/{uscc(1)}" not in html  # no link into the registry


def test_a_bank_user_downloads_the_batch_in_force(client, teller):
    issued = teller["issued"].id

    pdf = client.get(f"/lists/{issued}/attachment-1.pdf")
    sheet = client.get(f"/lists/{issued}/list.xlsx")

    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert sheet.status_code == 200 and sheet.mimetype == XLSX


def test_a_bank_user_has_no_menu_links_to_the_registry(client, teller, page):
    html = page("/lists/current")

    assert 'href="/lists/current"' in html
    for href in (
        'href="/registry/enterprises"',
        'href="/lists/candidates"',
        'href="/lists/"',
        'href="/registry/sanctions"',
    ):
        assert href not in html


def test_the_bank_home_page_shows_the_list_in_force(client, batches, login):
    html = login("teller").get_data(as_text=True)

    assert "现行名单" in html and "2024年第1批" in html


def test_without_a_list_in_force_the_current_page_says_so(client, reference, today, make_user, make_bank, login, page):
    today("2024-06-03")
    make_bank("B1")
    make_user("teller", roles=("bank",), bank_code="B1")
    login("teller")

    assert "没有有效的推荐企业名单" in page("/lists/current")
