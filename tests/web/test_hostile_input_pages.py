"""The pages refuse what the API refuses: an id or a page beyond any column, and amounts written oddly
(full-width digits, underscores, a bare dot, a third decimal) — a clear message beside the field, nothing saved."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from eloan.models import FundEntry, ListEntry, Repayment
from eloan.services import lists, loans
from tests.fixtures.loans import loan_body
from tests.fixtures.registry import uscc

HUGE = "9999999999999999999999999"


@pytest.fixture()
def loan(programme):
    return loans.register(programme["teller"], loan_body())


@pytest.mark.parametrize("path", [f"/loans/{HUGE}", f"/loans/{2**31}", f"/claims/{HUGE}", f"/lists/{HUGE}"])
def test_an_id_beyond_the_column_is_a_404_page(client, programme, as_user, path):
    as_user("finance")
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "path, who",
    [
        ("/loans/", "finance"),
        ("/claims/", "finance"),
        ("/fund/", "finance"),
        ("/registry/enterprises", "zone"),
        ("/registry/sanctions", "zone"),
        ("/lists/candidates", "zone"),
        ("/notifications", "zone"),
    ],
)
def test_a_huge_page_number_shows_an_empty_page(client, programme, as_user, path, who):
    as_user(who)
    assert client.get(f"{path}?page={HUGE}").status_code == 200


@pytest.mark.parametrize("typed", ["1.005", "１００", "1_000", ".5", "1e3"])
def test_a_repayment_typed_oddly_is_refused_beside_the_principal(client, loan, as_user, beside, db, typed):
    as_user("teller")
    html = client.post(
        f"/loans/{loan.id}/repayments", data={"rp-paid_on": "2024-06-10", "rp-principal": typed, "rp-interest": "0"}
    ).get_data(as_text=True)
    assert any("归还本金" in m for m in beside(html, "rp-principal"))
    assert db.session.scalar(select(func.count()).select_from(Repayment)) == 0


@pytest.mark.parametrize("typed", ["１２", "1_2", ".5", "1e2", "inf", "1" * 40])
def test_a_recommended_amount_in_wan_typed_oddly_is_refused(client, programme, as_user, db, typed):
    batch = lists.create_batch(programme["zone"])
    as_user("zone")
    response = client.post(f"/lists/{batch.id}/entries", data={"uscc": uscc(3), "recommended_amount": typed})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and ("半角数字" in html or "超出范围" in html)
    assert db.session.scalar(select(func.count()).select_from(ListEntry).where(ListEntry.batch_id == batch.id)) == 0


@pytest.mark.parametrize("typed, says", [("1.005", "最多 2 位小数"), ("１００", "半角数字"), ("1e6", "不是有效的数字")])
def test_an_appropriation_typed_oddly_is_refused_beside_the_amount(client, npl, as_user, beside, db, typed, says):
    as_user("finance")
    html = client.post("/fund/appropriations", data={"ap-amount": typed, "ap-entry_date": "2024-09-30"}).get_data(
        as_text=True
    )
    assert any(says in m for m in beside(html, "ap-amount"))
    assert db.session.scalar(select(func.count()).select_from(FundEntry)) == 0
