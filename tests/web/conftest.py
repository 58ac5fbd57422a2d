"""Helpers for the web tests: a logged-in administrator, reading a form's errors from a page.

One test uses one client: Flask-Login keeps the current user on `g` of the app context the test
holds, so a second client in the same test would see the first one's user.
"""
from __future__ import annotations

import re

import pytest

_FIELD_BLOCK = re.compile(r'class="field[ "]')
_ERROR = re.compile(r'<p class="field-error"[^>]*>(.*?)</p>', re.S)


def errors_beside(html: str, field_id: str) -> list[str]:
    """The error messages printed in the form block that holds the element with id=field_id."""
    at = html.index(f'id="{field_id}"')
    starts = [m.start() for m in _FIELD_BLOCK.finditer(html, 0, at)]
    assert starts, f"no form block around {field_id}"
    following = _FIELD_BLOCK.search(html, at)
    return _ERROR.findall(html[starts[-1]:following.start() if following else len(html)])


@pytest.fixture()
def beside():
    return errors_beside


@pytest.fixture()
def admin(make_user, login):
    """An administrator, logged in on `client`."""
    user = make_user("admin", roles=("admin",), display_name="王管理")
    login("admin")
    return user


@pytest.fixture()
def logout(client):
    def do():
        return client.post("/logout", follow_redirects=True)

    return do


@pytest.fixture()
def page(client):
    """GET a page and return its HTML, asserting it answered 200."""
    def get(url: str) -> str:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response.get_data(as_text=True)

    return get
