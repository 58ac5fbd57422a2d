"""A form posted without its CSRF token gets the 400 page, anonymous or logged in (the layout asks the
anonymous user for roles: models.users.AnonymousUser answers)."""

from __future__ import annotations

import re

import pytest

from tests.fixtures.people import PASSWORD


def _post_routes(app) -> list[str]:
    return sorted(
        {
            re.sub(r"<[^>]+>", "1", rule.rule)
            for rule in app.url_map.iter_rules()
            if "POST" in rule.methods and not rule.rule.startswith("/api/")
        }
    )


def test_every_form_posted_anonymously_without_a_token_gets_the_400_page(app, csrf_client):
    routes = _post_routes(app)
    assert len(routes) >= 60

    answers = {url: csrf_client.post(url, data={"x": "1"}) for url in routes}

    assert {url: r.status_code for url, r in answers.items() if r.status_code != 400} == {}
    assert all("请求无效" in r.get_data(as_text=True) for r in answers.values())


@pytest.mark.parametrize("url", ["/registry/enterprises/new", "/banks/new", "/loans/import", "/claims/1/submit"])
def test_a_logged_in_user_posting_without_a_token_gets_the_400_page(csrf_client, make_user, url):
    make_user("admin", roles=("admin",))
    html = csrf_client.get("/login").get_data(as_text=True)
    token = html.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert (
        csrf_client.post("/login", data={"username": "admin", "password": PASSWORD, "csrf_token": token}).status_code
        == 302
    )

    response = csrf_client.post(url, data={"x": "1"})

    assert response.status_code == 400 and "请求无效" in response.get_data(as_text=True)
    assert "退出" in response.get_data(as_text=True)  # the page still shows the logged-in header
