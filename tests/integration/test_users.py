"""Users, roles, passwords and tokens (POLICY.md §1)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from eloan.domain.errors import Forbidden, RuleViolation
from eloan.models import ApiToken, User
from eloan.services import users
from tests.conftest import PASSWORD


def test_passwords_are_stored_as_argon2_hashes(make_user):
    user = make_user("alice", roles=("zone",))
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_right_password_authenticates_and_wrong_one_does_not(make_user):
    make_user("alice", roles=("zone",))
    assert users.authenticate("alice", PASSWORD).username == "alice"
    assert users.authenticate("alice", "wrong-Passw0rd") is None
    assert users.authenticate("nobody", PASSWORD) is None


def test_a_bank_user_must_be_bound_to_a_bank(make_user):
    with pytest.raises(RuleViolation) as caught:
        make_user("teller", roles=("bank",))
    assert any(v.field == "bank" for v in caught.value.violations)


def test_a_bank_user_cannot_also_hold_a_government_role(make_user, make_bank):
    make_bank("B1")
    with pytest.raises(RuleViolation):
        make_user("teller", roles=("bank", "finance"), bank_code="B1")


def test_one_person_may_hold_several_government_roles(make_user):
    user = make_user("both", roles=("zone", "fsc"))
    assert user.roles == ["fsc", "zone"]


def test_duplicate_username_is_refused_whatever_the_case(make_user):
    make_user("alice", roles=("zone",))
    with pytest.raises(RuleViolation) as caught:
        make_user("ALICE", roles=("zone",))
    assert caught.value.codes == ["username_taken"]


def test_a_short_password_is_refused(make_user):
    with pytest.raises(RuleViolation) as caught:
        make_user("alice", roles=("zone",), password="abc1")
    assert caught.value.codes == ["weak_password"]


def test_only_an_admin_creates_users(make_user):
    clerk = make_user("clerk", roles=("finance",))
    with pytest.raises(Forbidden):
        users.create_user(clerk, "new", roles=["zone"], password=PASSWORD)


def test_disabled_user_cannot_log_in_and_loses_api_access(make_user):
    admin = make_user("root", roles=("admin",))
    alice = make_user("alice", roles=("zone",))
    token = users.create_token(admin, "alice")
    assert users.user_for_token(token).username == "alice"
    users.set_active(admin, alice.id, False)
    assert users.authenticate("alice", PASSWORD) is None
    assert users.user_for_token(token) is None


def test_tokens_are_stored_only_as_a_hash(db, make_user):
    make_user("alice", roles=("zone",))
    token = users.create_token(None, "alice", "core-banking")
    stored = db.session.scalars(select(ApiToken)).one()
    assert token not in (stored.token_hash, stored.prefix) and len(stored.token_hash) == 64
    assert users.user_for_token(token + "x") is None


def test_revoked_token_stops_working(db, make_user):
    admin = make_user("root", roles=("admin",))
    make_user("alice", roles=("zone",))
    token = users.create_token(None, "alice")
    users.revoke_token(admin, db.session.scalars(select(ApiToken)).one().id)
    assert users.user_for_token(token) is None


def test_reset_password_makes_the_user_choose_a_new_one(make_user):
    admin = make_user("root", roles=("admin",))
    alice = make_user("alice", roles=("zone",))
    users.reset_password(admin, alice.id, "Temp-Passw0rd")
    assert users.authenticate("alice", "Temp-Passw0rd").must_change_password is True
    users.change_own_password(alice, "Temp-Passw0rd", "Mine-Passw0rd")
    assert users.authenticate("alice", "Mine-Passw0rd").must_change_password is False


def test_an_admin_cannot_disable_themselves(make_user):
    admin = make_user("root", roles=("admin",))
    with pytest.raises(RuleViolation):
        users.set_active(admin, admin.id, False)
    assert admin.active


def test_changing_roles_is_audited_with_before_and_after(db, make_user):
    from eloan.models import AuditEntry

    admin = make_user("root", roles=("admin",))
    alice = make_user("alice", roles=("zone",))
    users.update_user(admin, alice.id, display_name="Alice", roles=["zone", "industry"], bank_code=None)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "user.update")).one()
    assert entry.changes["roles"] == [["zone"], ["industry", "zone"]]
    assert entry.actor_name == "root" and entry.object_id == str(alice.id)
    assert db.session.get(User, alice.id).roles == ["industry", "zone"]


def test_a_wrong_role_and_a_wrong_address_are_reported_together(make_user):
    admin = make_user("admin2", roles=("admin",))
    alice = make_user("alice2", roles=("zone",))
    with pytest.raises(RuleViolation) as refused:
        users.update_user(admin, alice.id, display_name="Alice", roles=["bank"], bank_code=None, email="not-an-address")
    codes = {v.code for v in refused.value.violations}
    assert "invalid_email" in codes and len(codes) == 2
