"""The operators' commands of API.md, run as an operator would."""

from __future__ import annotations

import sqlite3
import tarfile
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from eloan import create_app
from eloan.extensions import db as _db
from eloan.models import CalendarDay, PolicyVersion, User


@pytest.fixture()
def fresh_app(empty_database_url, tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "INSTANCE_DIR": str(tmp_path)})
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


def run(app, *args):
    return app.test_cli_runner().invoke(args=["eloan", *args])


def test_init_twice_is_harmless(fresh_app):
    first = run(fresh_app, "init")
    second = run(fresh_app, "init")
    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    assert "已存在" in second.output and "LPR 记录新增 0 条" in second.output
    with fresh_app.app_context():
        assert _db.session.scalar(select(func.count()).select_from(PolicyVersion)) == 1


def test_seed_demo_prints_the_password_and_its_users_log_in(fresh_app):
    run(fresh_app, "init")
    result = run(fresh_app, "seed-demo", "--password", "Demo-Passw0rd")
    assert result.exit_code == 0 and "Demo-Passw0rd" in result.output
    again = run(fresh_app, "seed-demo")
    assert "未作改动" in again.output
    from eloan.domain.roles import ROLES
    from eloan.services.users import authenticate

    with fresh_app.app_context():
        roles = {r for u in _db.session.scalars(select(User)) for r in u.roles}
        assert roles == set(ROLES)
        assert authenticate("finance", "Demo-Passw0rd") is not None
        from eloan.models import ListBatch, Sanction

        statuses = sorted(b.status for b in _db.session.scalars(select(ListBatch)))
        assert statuses == ["draft", "issued"]
        from eloan.models import Loan

        assert {loan.status for loan in _db.session.scalars(select(Loan))} == {
            "normal",
            "overdue",
            "npl",
            "repaid",
            "written_off",
        }
        assert _db.session.scalar(select(func.count()).select_from(Loan).where(Loan.not_compensable.is_(True))) == 1
        # Sanctions come from the loans' overdue and NPL events.
        assert _db.session.scalar(select(func.count()).select_from(Sanction)) == 5
        from eloan.models import Claim, FundAccount

        assert {c.status for c in _db.session.scalars(select(Claim))} == {
            "draft",
            "in_review",
            "returned",
            "approved",
            "awaiting_funds",
            "rejected",
            "paid",
            "clawed_back",
        }
        assert _db.session.get(FundAccount, 1).balance == Decimal("3100000.00")
        from eloan.models import Bank, BankStatusChange, RatioSnapshot

        # 第十八条: 齐鲁银行 was suspended by the daily job, with the figures; the programme stays under
        qlb = _db.session.scalars(select(Bank).where(Bank.code == "QLB-TZ")).one()
        [suspension] = _db.session.scalars(select(BankStatusChange).where(BankStatusChange.source == "daily_job")).all()
        assert qlb.status == "suspended" and suspension.bank_id == qlb.id and suspension.overdue_ratio > Decimal("0.05")
        assert {b.code for b in _db.session.scalars(select(Bank).where(Bank.status == "active"))} == {
            "TZRCB",
            "ICBC-TZ",
        }
        assert (
            _db.session.scalar(
                select(func.count()).select_from(RatioSnapshot).where(RatioSnapshot.scope == "programme")
            )
            == 60
        )
        # POLICY §16: the demo's agreements and TZ-2023-9 end 2025-11-29; the run of 2025-09-30 (60 days
        # before) told finance of the policy and the three agreements still to renew (CCB-TZ is disqualified).
        from eloan.models import Notification

        finance = _db.session.scalars(select(User).where(User.username == "finance")).one()
        told = _db.session.scalars(
            select(Notification.dedupe_key).where(
                Notification.user_id == finance.id, Notification.kind.in_(("policy_expiring", "agreement_expiring"))
            )
        ).all()
        tzrcb = _db.session.scalars(select(Bank).where(Bank.code == "TZRCB")).one()
        assert "expiry:policy:TZ-2023-9:2025-11-29:60" in told and len(told) == 4
        assert f"expiry:agreement:{qlb.id}:2025-11-29:60" in told
        assert f"expiry:agreement:{tzrcb.id}:2025-11-29:60" in told


def test_create_user_and_token(fresh_app):
    run(fresh_app, "init")
    made = run(fresh_app, "create-user", "ops", "--role", "finance", "--role", "fsc", "--password", "Duty-Roster-7")
    assert made.exit_code == 0 and "fsc, finance" in made.output.replace("finance, fsc", "fsc, finance")
    token = run(fresh_app, "create-token", "ops")
    assert token.exit_code == 0 and token.output.strip().startswith("eln_")
    client = fresh_app.test_client()
    assert (
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {token.output.strip()}"}).json["username"] == "ops"
    )


def test_create_user_refusal_says_why_and_exits_non_zero(fresh_app):
    run(fresh_app, "init")
    result = run(fresh_app, "create-user", "teller", "--role", "bank")
    assert result.exit_code == 1 and "必须指定所属银行" in result.output


def test_calendar_set_records_an_override(fresh_app):
    run(fresh_app, "init")
    result = run(fresh_app, "calendar", "set", "2027-02-06", "workday", "--note", "春节调休上班")
    assert result.exit_code == 0
    with fresh_app.app_context():
        day = _db.session.get(CalendarDay, __import__("datetime").date(2027, 2, 6))
        assert day.is_workday is True and day.note == "春节调休上班"


def test_calendar_set_with_a_bad_date_says_so(fresh_app):
    result = run(fresh_app, "calendar", "set", "2027-02-30", "workday")
    assert result.exit_code != 0 and "YYYY-MM-DD" in result.output


def test_backup_writes_a_usable_copy(fresh_app, tmp_path):
    run(fresh_app, "init")
    target = tmp_path / "backup.tar"
    result = run(fresh_app, "backup", str(target))
    assert result.exit_code == 0, result.output
    with tarfile.open(target) as tar:
        tar.extractall(tmp_path / "unpacked", members=[m for m in tar.getmembers() if m.name.startswith("database.")])
    with fresh_app.app_context():
        if _db.engine.dialect.name == "sqlite":
            with sqlite3.connect(tmp_path / "unpacked" / "database.sqlite") as conn:
                assert conn.execute("select code from policy_versions").fetchone() == ("TZ-2023-9",)
        else:
            assert (tmp_path / "unpacked" / "database.dump").read_bytes().startswith(b"PGDMP")


def test_run_daily_prints_what_it_did_and_the_second_run_changes_nothing(fresh_app, monkeypatch):
    monkeypatch.setenv("ELOAN_TODAY", "2025-03-10")
    run(fresh_app, "init")
    first = run(fresh_app, "run-daily", "--date", "2025-03-10")
    assert first.exit_code == 0, first.output
    assert "2025-03-10 每日任务完成（政策版本：TZ-2023-9）" in first.output and "自动暂停：无" in first.output
    again = run(fresh_app, "run-daily", "--date", "2025-03-10")
    assert again.exit_code == 0 and "此前已运行，本次未做任何改动" in again.output
    future = run(fresh_app, "run-daily", "--date", "2025-03-11")
    assert future.exit_code == 1 and "date_in_future" in future.output
    bad = run(fresh_app, "run-daily", "--date", "10/03/2025")
    assert bad.exit_code != 0 and "YYYY-MM-DD" in bad.output
