"""Users, roles, passwords and tokens (POLICY.md §1)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from eloan.domain.errors import Forbidden, RuleViolation
from eloan.models import ApiToken, User
from eloan.services import users
from tests.fixtures.people import PASSWORD


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


# ---- the password policy (services/passwords.py) -------------------------------------------------------


@pytest.mark.parametrize(
    "password, says",
    [
        ("Abc-12345", "至少需要 10 个字符"),  # 9 characters
        ("1234567890123", "不能只有数字或只有字母"),
        ("Correcthorsebattery", "不能只有数字或只有字母"),
        ("Alice-2024-x", "不能包含用户名"),  # the username, whatever the case
        ("qwerty123456", "常见密码"),
        ("1qaz2wsx3edc", "常见密码"),  # a keyboard walk from the common list
        ("Password123!", "常见密码"),  # a common password dressed up with a symbol
        ("woaini1314520", "常见密码"),
    ],
)
def test_a_weak_password_is_refused_with_the_reason(password, says):
    from eloan.services.passwords import password_problem

    assert says in password_problem(password, "alice")


def test_a_long_mixed_uncommon_password_is_accepted():
    from eloan.services.passwords import password_problem

    assert password_problem("Tai'erzhuang-Fund-7", "alice") is None
    assert password_problem(PASSWORD, "alice") is None
    # A two-letter username turns up in good passwords by chance: only the whole name is refused.
    assert password_problem("Olive-Grove-77", "li") is None


@pytest.mark.parametrize(
    "set_password",
    [
        lambda admin, alice: users.create_user(admin, "bob", roles=["zone"], password="bob-is-here-1"),
        lambda admin, alice: users.reset_password(admin, alice.id, "Alice-Again-1"),
        lambda admin, alice: users.change_own_password(alice, PASSWORD, "qwerty123456"),
    ],
    ids=["create", "admin reset", "own change"],
)
def test_every_way_of_setting_a_password_applies_the_policy(make_user, set_password):
    admin = make_user("root", roles=("admin",))
    alice = make_user("alice", roles=("zone",))
    before = alice.password_hash
    with pytest.raises(RuleViolation) as refused:
        set_password(admin, alice)
    assert refused.value.codes == ["weak_password"]
    assert users.find_user("alice").password_hash == before and users.find_user("bob") is None


# ---- the same work for every login answer (users.authenticate) -----------------------------------------


@pytest.mark.parametrize(
    "username, password, active",
    [
        ("alice", PASSWORD, True),
        ("alice", "wrong-Passw0rd", True),
        ("alice", PASSWORD, False),
        ("nobody", PASSWORD, True),
    ],
    ids=["right", "wrong password", "disabled", "unknown user"],
)
def test_every_login_answer_checks_one_password_hash(db, make_user, monkeypatch, username, password, active):
    alice = make_user("alice", roles=("zone",))
    alice.active = active
    db.session.commit()
    checks = []
    real = users.verify_password
    monkeypatch.setattr(users, "verify_password", lambda stored, given: checks.append(stored) or real(stored, given))

    users.authenticate(username, password)

    assert len(checks) == 1 and checks[0].startswith("$argon2id$")


# ---- sessions end (User.session_version) ---------------------------------------------------------------


def test_password_changes_and_disabling_end_the_users_sessions(make_user):
    admin = make_user("root", roles=("admin",))
    alice = make_user("alice", roles=("zone",))
    opened = alice.get_id()
    users.change_own_password(alice, PASSWORD, "Mine-Passw0rd")
    after_change = alice.get_id()
    users.reset_password(admin, alice.id, "Temp-Passw0rd")
    after_reset = alice.get_id()
    users.set_active(admin, alice.id, False)
    assert len({opened, after_change, after_reset, alice.get_id()}) == 4


def test_a_generated_password_never_spells_the_username(monkeypatch):
    """The random part of an initial password could by chance contain the username, which the policy refuses;
    the generator draws again instead of handing out a password the user could not have chosen."""
    from eloan.services import passwords

    draws = iter(["xxadminxxxxx", "Qz7-kP2mW9rT"])
    monkeypatch.setattr(passwords.secrets, "token_urlsafe", lambda n: next(draws))

    password = passwords.generate("Init", ("admin",))

    assert password == "Init-Qz7-kP2mW9rT"
    assert passwords.password_problem(password, "admin") is None
