"""The enterprise registry (第三、四条): kept by the development zone, read by the departments."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from eloan.domain.errors import Forbidden, RuleViolation
from eloan.models import AuditEntry, Enterprise
from eloan.services import enterprises
from tests.fixtures.registry import data, uscc


@pytest.fixture()
def zone(make_user):
    return make_user("zone", roles=("zone",))


def test_zone_registers_an_enterprise_with_its_size_computed(zone):
    enterprise = enterprises.create(zone, data())
    assert enterprise.size_class == "small" and enterprise.size_class_given is False
    assert [(r.year, r.mu_class) for r in enterprise.mu_ratings] == [(2023, "A")]


def test_a_size_class_given_by_the_zone_is_kept(zone):
    enterprise = enterprises.create(zone, data(size_class="中型"))
    assert enterprise.size_class == "medium" and enterprise.size_class_given is True


def test_a_wrong_check_character_is_refused_as_invalid_uscc(zone, db):
    bad = uscc(1)[:-1] + ("0" if uscc(1)[-1] != "0" else "1")
    with pytest.raises(RuleViolation) as caught:
        enterprises.create(zone, data(uscc=bad))
    assert caught.value.codes == ["invalid_uscc"]
    assert db.session.scalars(select(Enterprise)).all() == []


def test_the_same_credit_code_cannot_be_registered_twice(zone):
    enterprises.create(zone, data())
    with pytest.raises(RuleViolation) as caught:
        enterprises.create(zone, data(name="另一家"))
    assert caught.value.codes == ["duplicate_uscc"]


def test_every_problem_of_a_record_is_reported_at_once(zone):
    with pytest.raises(RuleViolation) as caught:
        enterprises.create(zone, data(name="", industry="造船", employees="-3", mu_class="E"))
    assert {v.field for v in caught.value.violations} == {"name", "industry", "employees", "mu_class"}


def test_only_the_zone_writes_the_registry(make_user):
    fsc = make_user("fsc", roles=("fsc",))
    with pytest.raises(Forbidden):
        enterprises.create(fsc, data())


def test_a_bank_user_cannot_read_the_registry(zone, make_bank, make_user):
    enterprises.create(zone, data())
    make_bank("B1")
    teller = make_user("teller", roles=("bank",), bank_code="B1")
    with pytest.raises(Forbidden):
        enterprises.get(teller, uscc(1))
    with pytest.raises(Forbidden):
        enterprises.search(teller)


def test_editing_records_what_changed_in_the_history(zone):
    enterprises.create(zone, data())
    enterprises.update(zone, uscc(1), {"employees": 350, "revenue": "25000000.00", "phone": "0632-1234567"})
    history = enterprises.history(zone, uscc(1))
    assert history[0].action == "enterprise.update"
    assert history[0].changes["size_class"] == ["small", "medium"]
    assert history[0].changes["phone"] == ["13906320000", "0632-1234567"]
    assert history[-1].action == "enterprise.create"


def test_the_credit_code_cannot_be_changed_by_an_edit(zone):
    enterprises.create(zone, data())
    with pytest.raises(RuleViolation) as caught:
        enterprises.update(zone, uscc(1), {"uscc": uscc(2)})
    assert caught.value.codes == ["uscc_immutable"]


def test_a_new_years_mu_class_becomes_the_current_one_and_history_is_kept(zone):
    enterprises.create(zone, data())
    enterprise = enterprises.set_mu_rating(zone, uscc(1), 2024, "b")
    assert (enterprise.mu_class, enterprise.mu_year) == ("B", 2024)
    assert [(r.year, r.mu_class) for r in enterprise.mu_ratings] == [(2023, "A"), (2024, "B")]
    enterprise = enterprises.set_mu_rating(zone, uscc(1), 2022, "C")
    assert (enterprise.mu_class, enterprise.mu_year) == ("B", 2024)


def test_search_filters_by_name_industry_and_class(zone, make_user):
    enterprises.create(zone, data(1, name="甲新材料"))
    enterprises.create(zone, data(2, name="乙能源", industry="new_energy", mu_class="C"))
    reader = make_user("auditor", roles=("auditor",))
    assert [e.name for e in enterprises.search(reader, q="能源")[0]] == ["乙能源"]
    assert [e.name for e in enterprises.search(reader, industry="new_materials")[0]] == ["甲新材料"]
    assert enterprises.search(reader, mu_class="C")[1] == 1


def test_amounts_are_kept_to_the_fen(zone):
    enterprise = enterprises.create(zone, data(revenue="1234567.89"))
    assert enterprise.revenue == Decimal("1234567.89")


def test_a_float_amount_is_refused(zone):
    with pytest.raises(RuleViolation):
        enterprises.create(zone, data(revenue=1234.5))


def test_registration_is_audited_with_the_actor(zone, db):
    enterprises.create(zone, data())
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "enterprise.create")).one()
    assert entry.actor_name == "zone" and entry.changes["uscc"] == [None, uscc(1)]
