"""The hand-built small forms of the list and sanctions pages carry the CSRF token, as in production."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from flask import g

from eloan.models import Enterprise, ListEntry
from eloan.services import enterprises, lists, sanctions
from tests.fixtures.people import PASSWORD
from tests.fixtures.registry import data, row, uscc, xlsx


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


@pytest.fixture()
def signed_in(csrf_client, reference, today, make_user):
    """Sign in `username` through the real login form (CSRF on)."""
    today("2024-06-03")

    def sign_in(username, roles):
        user = make_user(username, roles=roles)
        token = _token(csrf_client.get("/login").get_data(as_text=True))
        csrf_client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
        # The test holds one app context for all its requests, so `g` keeps the login page's token after
        # login renewed the session; in production every request has its own `g`.
        g.pop("csrf_token", None)
        return user

    return sign_in


def test_adding_a_candidate_from_its_row_works_with_csrf_on(csrf_client, signed_in, db):
    zone = signed_in("zone", ("zone",))
    enterprises.create(zone, data(1))
    batch = lists.create_batch(zone)
    page = csrf_client.get(f"/lists/candidates?batch={batch.id}").get_data(as_text=True)

    response = csrf_client.post(
        f"/lists/candidates?batch={batch.id}",
        data={"csrf_token": _token(page), "batch_id": batch.id, "uscc": uscc(1), "recommended_amount": "100"},
    )

    assert response.status_code == 302
    assert db.session.query(ListEntry).count() == 1


def test_clearing_a_sanction_from_its_row_works_with_csrf_on(csrf_client, signed_in, db):
    zone = signed_in("zone", ("zone",))
    enterprise = enterprises.create(zone, data(1))
    sanctions.flag(None, enterprise, "贷款逾期", date(2024, 5, 20))
    db.session.commit()
    page = csrf_client.get("/registry/sanctions").get_data(as_text=True)

    response = csrf_client.post(
        "/registry/sanctions", data={"csrf_token": _token(page), "uscc": uscc(1), "reason": "已结清"}
    )

    assert response.status_code == 302
    assert enterprise.sanctioned is False


def test_confirming_an_import_works_with_csrf_on(csrf_client, signed_in, db):
    signed_in("zone", ("zone",))
    upload_page = csrf_client.get("/registry/enterprises/registry-import").get_data(as_text=True)
    preview = csrf_client.post(
        "/registry/enterprises/registry-import",
        content_type="multipart/form-data",
        data={"csrf_token": _token(upload_page), "file": (io.BytesIO(xlsx([row(1)])), "企业.xlsx")},
    ).get_data(as_text=True)

    response = csrf_client.post(
        "/registry/enterprises/registry-import/commit",
        data={"csrf_token": _token(preview), "token": re.search(r'name="token" value="([0-9a-f]+)"', preview).group(1)},
    )

    assert response.status_code == 302
    assert db.session.query(Enterprise).count() == 1
