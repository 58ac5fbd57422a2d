"""A read-only role's POST to any page that changes something is refused with 403 (issue 10, item 6).

The auditor reads everything and changes nothing. Before, a POST to a list batch's confirm, return
or issue came back 200 with the form re-rendered (its role drop-down empty), as if it were a typing
mistake. This sweep walks every web POST route in the URL map with real objects behind each
argument and asks as `auditor`: no route may answer 200 (a form shown again) or 500.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from eloan.models import ApiToken, FundEntry, LprRate, PolicyVersion
from eloan.services import claims, lists, recoveries, targets
from eloan.services.users import create_token
from tests.fixtures.claims import approved_claim, fund_with
from tests.fixtures.registry import uscc

# What an auditor may post: signing in and out, the own password, the own notifications.
OWN = {"auth.login", "auth.logout", "auth.password", "notices.notices_read", "notices.notices_read_all"}


@pytest.fixture()
def objects(npl, db):
    """One real object behind every argument a web POST route takes."""
    fund_with(npl, "10000000")
    claim = approved_claim(npl)
    claims.pay(npl["finance2"], claim.id, date(2024, 10, 8), "ZF-1")
    recovery = recoveries.report_recovery(npl["teller"], claim.id, date(2024, 12, 2), "100000")
    batch = lists.create_batch(npl["zone"])
    entry = lists.add_entry(npl["zone"], batch.id, uscc(2), "1000000.00")
    create_token(None, "zone")
    target = targets.set_targets(
        npl["finance"], 2024, [{"metric": "text", "goal_text": "完善贷后月报制度", "responsible": "zone"}]
    )[0]

    def first(column):
        return db.session.scalars(select(column)).first()

    return {
        "year": 2024,
        "day": "2024-10-01",
        "code": "B1",
        "uscc": uscc(1),
        "user_id": npl["zone"].id,
        "token_id": first(ApiToken.id),
        "lpr_id": first(LprRate.id),
        "version_id": first(PolicyVersion.id),
        "claim_id": claim.id,
        "recovery_id": recovery.id,
        "loan_id": npl["loan"].id,
        "batch_id": batch.id,
        "entry_id": entry.id,
        "notice_id": 1,
        "item_id": target.id,
        # the one name two routes share: a fund entry on the fund's route
        ("fund.fund_correct", "entry_id"): first(FundEntry.id),
    }


def _post_routes(app):
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods and not rule.rule.startswith("/api/") and rule.endpoint not in OWN:
            yield rule


def test_an_auditors_post_to_any_changing_page_is_refused_not_answered_with_the_form(app, client, objects, as_user):
    as_user("auditor")
    answers = {}
    for rule in _post_routes(app):
        values = {name: objects.get((rule.endpoint, name), objects.get(name)) for name in rule.arguments}
        assert None not in values.values(), f"{rule.rule}: give the sweep an object for {sorted(rule.arguments)}"
        url = rule.build(values, append_unknown=False)[1]
        answers[f"POST {url}"] = client.post(url, data={}).status_code

    assert len(answers) >= 55
    assert {url: code for url, code in answers.items() if code != 403} == {}
