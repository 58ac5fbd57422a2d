"""Headers on every answer, pages and /api/v1 alike (web/__init__.py: _security_headers)."""

from __future__ import annotations

import pytest


@pytest.fixture()
def secure_cookies(app):
    app.config["SESSION_COOKIE_SECURE"] = True  # what ELOAN_SECURE_COOKIES=1 sets
    yield
    app.config["SESSION_COOKIE_SECURE"] = False


def test_with_secure_cookies_browsers_are_told_to_use_https_only(client, secure_cookies, make_user, token_for):
    make_user("zone", roles=("zone",))
    for response in (client.get("/login"), client.get("/api/v1/enterprises", headers=token_for("zone"))):
        assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_without_secure_cookies_there_is_no_hsts(client):
    """Plain HTTP (a demo on 127.0.0.1): HSTS would lock the browser out of the site."""
    assert "Strict-Transport-Security" not in client.get("/login").headers


def test_pdf_forms_and_spreadsheets_are_never_stored_by_the_browser(client, programme, login, token_for):
    login("teller")
    pdf = client.get("/banks/B1/attachment-3.pdf")
    web_export = client.get("/loans/export.xlsx")
    api_export = client.get("/api/v1/enterprises/template.xlsx", headers=token_for("zone"))

    for response in (pdf, web_export, api_export):
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"


def test_ordinary_pages_keep_their_caching(client):
    assert "no-store" not in client.get("/login").headers.get("Cache-Control", "")
