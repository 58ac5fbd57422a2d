"""The recommended list in batches (第九、十条): draft → three confirmations → issued → superseded."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from eloan.domain.errors import Forbidden, NotFound, RuleViolation, StateConflict
from eloan.models import Notification
from eloan.services import enterprises, lists, sanctions
from tests.fixtures.registry import data, uscc


@pytest.fixture()
def people(reference, today, make_user, make_bank):
    today("2024-06-03")
    make_bank("B1")
    return {
        "zone": make_user("zone", roles=("zone",)),
        "industry": make_user("industry", roles=("industry",)),
        "fsc": make_user("fsc", roles=("fsc",)),
        "teller": make_user("teller", roles=("bank",), bank_code="B1"),
    }


def _draft_with(people, *numbers, **overrides):
    for n in numbers:
        enterprises.create(people["zone"], data(n, **overrides))
    batch = lists.create_batch(people["zone"])
    for n in numbers:
        lists.add_entry(people["zone"], batch.id, uscc(n), "1000000.00")
    return batch


def _confirm_all(people, batch):
    for role in ("zone", "industry", "fsc"):
        lists.confirm(people[role], batch.id)


def test_a_new_batch_is_a_numbered_draft(people):
    batch = lists.create_batch(people["zone"])
    assert batch.status == "draft" and batch.number == "2024年第1批"
    assert lists.create_batch(people["zone"]).number == "2024年第2批"


def test_ineligible_enterprises_are_refused_with_every_reason(people):
    enterprises.create(people["zone"], data(1, industry="other", mu_class="D", employees=1500, revenue="500000000.00"))
    batch = lists.create_batch(people["zone"])
    with pytest.raises(RuleViolation) as caught:
        lists.add_entry(people["zone"], batch.id, uscc(1), "1000000.00")
    assert set(caught.value.codes) == {"enterprise_ineligible"}
    assert len(caught.value.violations) == 3  # D class, large, industry


def test_an_enterprise_outside_the_zone_needs_a_special_approval_note(people):
    enterprises.create(people["zone"], data(1, in_zone="否"))
    enterprises.create(people["zone"], data(2, in_zone="否", special_approval_note="区政府常务会议认定为特别优质企业"))
    batch = lists.create_batch(people["zone"])
    with pytest.raises(RuleViolation):
        lists.add_entry(people["zone"], batch.id, uscc(1), "1000000.00")
    assert lists.add_entry(people["zone"], batch.id, uscc(2), "1000000.00").recommended_amount == Decimal("1000000.00")


def test_a_recommended_amount_above_the_enterprise_cap_is_refused(people):
    enterprises.create(people["zone"], data(1))
    batch = lists.create_batch(people["zone"])
    with pytest.raises(RuleViolation) as caught:
        lists.add_entry(people["zone"], batch.id, uscc(1), "5000000.01")
    assert caught.value.codes == ["invalid_amount"]


def test_the_same_enterprise_cannot_be_listed_twice_in_a_batch(people):
    batch = _draft_with(people, 1)
    with pytest.raises(RuleViolation) as caught:
        lists.add_entry(people["zone"], batch.id, uscc(1), "1.00")
    assert caught.value.codes == ["already_listed"]


def test_the_batch_is_confirmed_only_when_all_three_units_confirmed(people):
    batch = _draft_with(people, 1)
    lists.confirm(people["zone"], batch.id)
    lists.confirm(people["industry"], batch.id)
    assert batch.status == "draft"
    lists.confirm(people["fsc"], batch.id)
    assert batch.status == "confirmed"


def test_a_unit_cannot_confirm_twice(people):
    batch = _draft_with(people, 1)
    lists.confirm(people["zone"], batch.id)
    with pytest.raises(StateConflict) as caught:
        lists.confirm(people["zone"], batch.id)
    assert caught.value.code == "already_confirmed"


def test_a_return_sends_the_batch_back_to_draft_and_clears_confirmations(people, db):
    batch = _draft_with(people, 1)
    _confirm_all(people, batch)
    lists.return_batch(people["industry"], batch.id, "第3户行业归类有误")
    assert batch.status == "draft" and lists.active_confirmations(batch) == {}
    assert lists.last_return(batch).comment == "第3户行业归类有误"
    notice = db.session.query(Notification).filter_by(user_id=people["zone"].id).one()
    assert "退回" in notice.title


def test_a_return_needs_a_comment(people):
    batch = _draft_with(people, 1)
    with pytest.raises(RuleViolation) as caught:
        lists.return_batch(people["fsc"], batch.id, "  ")
    assert caught.value.codes == ["comment_required"]


def test_changing_the_entries_clears_earlier_confirmations(people):
    batch = _draft_with(people, 1, 2)
    lists.confirm(people["industry"], batch.id)
    lists.update_entry(people["zone"], batch.id, batch.entries[0].id, "800000.00")
    assert lists.active_confirmations(batch) == {}


def test_a_batch_cannot_be_issued_before_all_three_confirmed(people):
    batch = _draft_with(people, 1)
    lists.confirm(people["zone"], batch.id)
    with pytest.raises(StateConflict) as caught:
        lists.issue(people["zone"], batch.id)
    assert caught.value.code == "batch_not_confirmed" and "行业主管部门" in caught.value.message


def test_an_issued_batch_is_frozen(people):
    batch = _draft_with(people, 1, 2)
    _confirm_all(people, batch)
    lists.issue(people["zone"], batch.id)
    with pytest.raises(StateConflict):
        lists.remove_entry(people["zone"], batch.id, batch.entries[0].id)
    with pytest.raises(StateConflict):
        lists.return_batch(people["fsc"], batch.id, "晚了")


def test_issuing_the_next_batch_supersedes_the_one_in_force_the_day_before(people):
    first = _draft_with(people, 1)
    _confirm_all(people, first)
    lists.issue(people["zone"], first.id, date(2024, 1, 15))
    second = lists.create_batch(people["zone"])
    lists.add_entry(people["zone"], second.id, uscc(1), "2000000.00")
    _confirm_all(people, second)
    lists.issue(people["zone"], second.id)
    assert (first.status, first.effective_to) == ("superseded", date(2024, 6, 2))
    assert lists.current(people["teller"], date(2024, 6, 2)).id == first.id
    assert lists.current(people["teller"], date(2024, 6, 3)).id == second.id


def test_a_new_batch_cannot_start_before_the_one_in_force(people):
    first = _draft_with(people, 1)
    _confirm_all(people, first)
    lists.issue(people["zone"], first.id, date(2024, 5, 1))
    second = lists.create_batch(people["zone"])
    lists.add_entry(people["zone"], second.id, uscc(1), "1.00")
    _confirm_all(people, second)
    with pytest.raises(RuleViolation) as caught:
        lists.issue(people["zone"], second.id, date(2024, 4, 1))
    assert caught.value.codes == ["effective_date_conflict"]


def test_on_list_follows_the_batch_in_force_on_the_date(people):
    batch = _draft_with(people, 1)
    _confirm_all(people, batch)
    lists.issue(people["zone"], batch.id, date(2024, 3, 1))
    enterprise = enterprises.get(people["zone"], uscc(1))
    assert lists.on_list(enterprise.id, date(2024, 3, 1)) is True
    assert lists.on_list(enterprise.id, date(2024, 2, 29)) is False


def test_issuing_notifies_the_banks(people, db):
    batch = _draft_with(people, 1)
    _confirm_all(people, batch)
    lists.issue(people["zone"], batch.id)
    assert db.session.query(Notification).filter_by(user_id=people["teller"].id, kind="list_batch_issued").count() == 1


def test_a_bank_sees_the_batch_in_force_and_no_other(people):
    draft = _draft_with(people, 1)
    with pytest.raises(NotFound):
        lists.current(people["teller"])
    with pytest.raises(NotFound):
        lists.get_batch(people["teller"], draft.id)
    with pytest.raises(Forbidden):
        lists.list_batches(people["teller"])
    _confirm_all(people, draft)
    lists.issue(people["zone"], draft.id)
    assert lists.get_batch(people["teller"], draft.id).id == draft.id


def test_an_enterprise_sanctioned_after_listing_blocks_confirmation(people, db):
    batch = _draft_with(people, 1)
    enterprise = enterprises.get(people["zone"], uscc(1))
    sanctions.flag(None, enterprise, "贷款逾期", date(2024, 6, 1))
    db.session.commit()
    with pytest.raises(RuleViolation) as caught:
        lists.confirm(people["zone"], batch.id)
    assert caught.value.codes == ["enterprise_ineligible"]


def test_a_person_holding_two_units_roles_must_say_which_one_confirms(people, make_user):
    both = make_user("both", roles=("zone", "fsc"))
    batch = _draft_with(people, 1)
    with pytest.raises(RuleViolation) as caught:
        lists.confirm(both, batch.id)
    assert caught.value.codes == ["role_required"]
    lists.confirm(both, batch.id, role="fsc")
    assert set(lists.active_confirmations(batch)) == {"fsc"}


def test_screening_ranks_a_before_b_before_c_then_by_tax_sales(people):
    zone = people["zone"]
    enterprises.create(zone, data(1, name="C高", mu_class="C", tax_sales="90000000.00"))
    enterprises.create(zone, data(2, name="A低", mu_class="A", tax_sales="1000000.00"))
    enterprises.create(zone, data(3, name="A高", mu_class="A", tax_sales="50000000.00"))
    enterprises.create(zone, data(4, name="B", mu_class="B", tax_sales="2000000.00"))
    enterprises.create(zone, data(5, name="D类", mu_class="D"))
    enterprises.create(zone, data(6, name="大型", employees=2000, revenue="900000000.00"))
    enterprises.create(zone, data(7, name="文旅", industry="other"))
    enterprises.create(zone, data(8, name="区外", in_zone="否"))
    enterprises.create(zone, data(9, name="受惩戒"))
    sanctions.flag(None, enterprises.get(zone, uscc(9)), "逾期", date(2024, 5, 1))
    from eloan.extensions import db

    db.session.commit()
    names = [e.name for e in lists.candidates(zone)[0]]
    assert names == ["A高", "A低", "B", "C高"]
