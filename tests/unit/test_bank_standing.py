"""How a bank stands today: its status, or for an active bank an agreement not in force (第十二、十八、十九条)."""

from datetime import date

from eloan.domain.bank_standing import STANDINGS, agreement_state, standing

FROM, TO = date(2023, 12, 1), date(2025, 6, 30)


def test_the_agreement_is_in_force_from_its_first_to_its_last_day():
    assert agreement_state(FROM, TO, FROM) == agreement_state(FROM, TO, TO) == "in_force"
    assert agreement_state(FROM, None, date(2030, 1, 1)) == "in_force"  # no end date agreed


def test_the_day_after_the_end_the_agreement_has_expired_and_before_the_start_it_has_not_begun():
    assert agreement_state(FROM, TO, date(2025, 7, 1)) == "expired"
    assert agreement_state(FROM, TO, date(2023, 11, 30)) == "not_started"
    assert agreement_state(None, None, date(2025, 1, 1)) == "missing"


def test_an_active_bank_whose_agreement_ended_is_shown_as_expired_not_as_cooperating_normally():
    assert standing("active", "expired") == "agreement_expired"
    assert STANDINGS["agreement_expired"] == "协议已到期" and STANDINGS["active"] == "正常合作"
    assert STANDINGS[standing("active", "not_started")] == "协议尚未生效"
    assert standing("active", "in_force") == "active"


def test_suspension_and_disqualification_are_shown_as_they_are_whatever_the_agreement():
    assert standing("suspended", "expired") == "suspended"
    assert standing("disqualified", "expired") == "disqualified"
