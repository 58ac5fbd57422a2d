"""A claim's page, and the API's claims, run a fixed number of SQL statements however many materials,
reviews, recoveries and people a claim has, and however many claims a page of the API's list holds
(ARCHITECTURE.md: count what can be counted). The claim is read once, whole (services.claim_view)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import event

from eloan.extensions import db
from eloan.services import claims, loans, recoveries
from tests.fixtures.claims import PDF, approved_claim, fund_with
from tests.fixtures.loans import loan_body


def _statements(client, url, **kw) -> int:
    """Statements one request runs, from a session that has nothing loaded yet (as a new request has)."""
    seen = []
    db.session.expire_all()

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(url, **kw).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(seen)


def test_the_claim_page_runs_as_many_statements_for_five_recoveries_as_for_one(client, npl, make_user, as_user):
    fund_with(npl, "10000000")
    claim = approved_claim(npl)
    claims.pay(npl["finance2"], claim.id, date(2024, 10, 8), "ZF-1")
    recoveries.report_recovery(npl["teller"], claim.id, date(2024, 12, 1), "1000")
    as_user("finance")
    one = _statements(client, f"/claims/{claim.id}")

    for day in range(2, 6):
        recoveries.report_recovery(npl["teller"], claim.id, date(2024, 12, day), "1000")
    recoveries.remit(npl["finance"], claim.recoveries[0].id, date(2024, 12, 9))
    as_user("finance")
    five = _statements(client, f"/claims/{claim.id}")

    assert one == five


def test_the_claim_page_runs_as_many_statements_for_more_materials_and_people(client, npl, make_user, as_user):
    claim = claims.open_claim(npl["teller"], npl["loan"].id)
    claims.add_document(npl["teller"], claim.id, "contracts", PDF, "contracts.pdf")
    as_user("finance")
    few = _statements(client, f"/claims/{claim.id}")

    colleague = make_user("teller_b", roles=("bank",), bank_code="B1")
    for n, who in enumerate((npl["teller"], colleague, colleague)):
        claims.add_document(who, claim.id, "other", PDF, f"other-{n}.pdf")
    claims.grant_extension(npl["finance"], claim.id, date(2024, 10, 20), "银行系统故障")
    as_user("finance")
    many = _statements(client, f"/claims/{claim.id}")

    assert few == many


def test_a_page_of_the_api_list_runs_as_many_statements_for_three_claims_as_for_one(client, npl, token_for):
    teller, headers = npl["teller"], token_for("finance")
    more = [loans.register(teller, loan_body(2, amount="100000.00", contract_no=f"HT-M{n}")) for n in range(2)]
    approved_claim(npl)
    one = _statements(client, "/api/v1/claims", headers=headers)

    for loan in more:
        loans.record_event(teller, loan.id, "overdue", date(2024, 9, 2))
        loans.record_event(teller, loan.id, "npl", date(2024, 9, 27), proof=(PDF, "npl.pdf"))
        approved_claim(dict(npl, loan=loan))
    three = _statements(client, "/api/v1/claims", headers=headers)

    assert one == three
