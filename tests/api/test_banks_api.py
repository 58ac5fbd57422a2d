"""Attachment 3 (贷款损失承担比例确认单) over the API, as API.md lists it beside the bank: a bank fetches its own,
never another's; with no policy version to print the shares from, the refusal says so."""

from __future__ import annotations

from datetime import date

import pytest

pytestmark = pytest.mark.usefixtures("programme")


def test_a_bank_gets_its_own_attachment_3_as_a_pdf(client, token_for):
    response = client.get("/api/v1/banks/B1/attachment-3.pdf", headers=token_for("teller"))

    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    assert response.headers["Cache-Control"] == "no-store"


def test_another_banks_attachment_3_is_not_found_for_a_bank_but_readable_for_finance(client, token_for):
    assert client.get("/api/v1/banks/B2/attachment-3.pdf", headers=token_for("teller")).status_code == 404
    assert client.get("/api/v1/banks/B2/attachment-3.pdf", headers=token_for("finance")).status_code == 200


def test_without_a_policy_version_to_print_from_the_refusal_names_it(client, token_for, make_bank, today):
    make_bank("B3", agreement_from=date(2020, 1, 1), agreement_to=date(2021, 1, 1))
    today("2026-06-01")  # neither the agreement's first day nor today lies in a policy version

    response = client.get("/api/v1/banks/B3/attachment-3.pdf", headers=token_for("finance"))

    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert response.json["errors"][0]["code"] == "no_policy_in_force"


def test_an_address_the_api_does_not_have_answers_in_chinese_with_a_stable_code(client, token_for):
    missing = client.get("/api/v1/banks/B1/attachment-9.pdf", headers=token_for("finance"))
    wrong_method = client.delete("/api/v1/banks", headers=token_for("finance"))

    assert missing.status_code == 404 and missing.json["errors"][0]["code"] == "not_found"
    assert "没有这个接口地址" in missing.json["errors"][0]["message"]
    assert wrong_method.status_code == 405 and wrong_method.json["errors"][0]["code"] == "method_not_allowed"
    assert "GET" in wrong_method.headers["Allow"]
