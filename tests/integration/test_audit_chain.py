"""The audit log proves itself: every entry is hash-chained when its transaction commits, and any change made
behind the application's back (raw SQL, as an intruder or a careless operator would) is found."""

from __future__ import annotations

import threading
from datetime import date
from itertools import pairwise

import pytest
from sqlalchemy import func, select, text

from eloan.domain.audit_chain import GENESIS, ChainReport, entry_hash
from eloan.extensions import db as _db
from eloan.models import AuditChainHead, AuditEntry
from eloan.services import audit, reference, users
from eloan.services.audit_chain import verify
from tests.fixtures.people import PASSWORD


def _ids() -> list[int]:
    return list(_db.session.scalars(select(AuditEntry.id).order_by(AuditEntry.seq)))


def _sql(statement: str, **params) -> None:
    _db.session.execute(text(statement), params)
    _db.session.commit()


@pytest.fixture()
def logged(db):
    """Five entries written by ordinary service calls; their ids in chain order."""
    admin = users.create_user(None, "root", roles=["admin"], password=PASSWORD)
    users.create_user(admin, "zhao", roles=["zone"], password=PASSWORD, display_name="赵六")
    reference.set_calendar_day(admin, date(2030, 10, 1), False, "国庆节")
    reference.set_calendar_day(admin, date(2030, 10, 2), False, "国庆节")
    users.create_user(admin, "qian", roles=["finance"], password=PASSWORD)
    ids = _ids()
    assert len(ids) == 5
    return ids


def test_entries_written_by_services_form_one_chain_that_verifies(logged):
    report = verify()

    assert (report.entries, report.chain_ok, report.first_bad_id) == (5, True, None)
    rows = _db.session.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()
    assert [r.seq for r in rows] == [1, 2, 3, 4, 5]
    assert rows[0].prev_hash == GENESIS
    assert all(later.prev_hash == earlier.hash for earlier, later in pairwise(rows))
    head = _db.session.get(AuditChainHead, 1)
    assert (head.last_seq, head.last_hash, head.last_entry_id) == (5, rows[-1].hash, rows[-1].id)


def test_an_empty_log_is_a_whole_chain(db):
    assert verify() == ChainReport(0, True, None, None)


def test_bulk_recorded_entries_are_chained_in_the_order_written(logged):
    items = ((n, {"名称": f"企业{n}"}) for n in range(1, 1201))
    written = audit.record_many(None, "enterprise.import", "enterprises", items)
    _db.session.commit()

    assert written == 1200
    assert verify().chain_ok and verify().entries == 1205
    unchained = _db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.seq.is_(None)))
    assert unchained == 0
    objects = list(_db.session.scalars(select(AuditEntry.object_id).where(AuditEntry.seq > 5).order_by(AuditEntry.seq)))
    assert objects == [str(n) for n in range(1, 1201)]


def test_entries_of_a_rolled_back_transaction_or_savepoint_leave_no_trace_in_the_chain(logged):
    audit.record(None, "x.discarded", object_type="x", object_id=1)
    _db.session.flush()
    _db.session.rollback()
    with _db.session.begin_nested() as savepoint:
        audit.record(None, "x.undone", object_type="x", object_id=2)
        _db.session.flush()
        savepoint.rollback()
    audit.record(None, "x.kept", object_type="x", object_id=3)
    _db.session.commit()

    report = verify()
    assert report.chain_ok and report.entries == 6
    assert _db.session.scalar(select(AuditEntry.action).where(AuditEntry.seq == 6)) == "x.kept"


def test_an_entry_written_in_a_savepoint_joins_the_chain_at_the_real_commit_only(logged):
    with _db.session.begin_nested():
        entry = audit.record(None, "x.in_savepoint", object_type="x", object_id=1)
    # The savepoint is released but the transaction is still open: taking the chain's lock now would hold
    # it through whatever the service locks next.
    assert _db.session.scalar(select(AuditEntry.seq).where(AuditEntry.id == entry.id)) is None
    _db.session.commit()

    assert _db.session.scalar(select(AuditEntry.seq).where(AuditEntry.id == entry.id)) == 6
    assert verify().chain_ok


def test_the_daily_job_entries_are_chained(monitored):
    from eloan.jobs.daily import run_daily

    run_daily(date(2025, 3, 10))

    report = verify()
    assert report.chain_ok
    assert (
        _db.session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "job.daily", AuditEntry.seq.is_not(None))
        )
        == 1
    )


# --- Tampering: each kind is found, at the right entry. ---------------------------------------------------------


def test_a_changed_field_is_found_at_that_entry(logged):
    _sql("UPDATE audit_log SET actor_name = 'someone_else' WHERE id = :id", id=logged[2])

    assert verify() == ChainReport(5, False, logged[2], "hash_mismatch")


def test_a_changed_time_is_found_at_that_entry(logged):
    _sql("UPDATE audit_log SET at = :at WHERE id = :id", at="2020-01-01 08:00:00.000000", id=logged[1])

    report = verify()
    assert (report.chain_ok, report.first_bad_id) == (False, logged[1])


def test_changed_changes_are_found_even_when_the_stored_hash_is_recomputed_for_that_entry(logged):
    # A forger who rehashes the entry he changed still breaks the link from the next entry.
    row = dict(_db.session.execute(select(AuditEntry.__table__).where(AuditEntry.id == logged[1])).mappings().one())
    row["changes"] = {"username": "mallory"}
    forged = entry_hash(row, row["prev_hash"])
    _db.session.execute(
        text("UPDATE audit_log SET changes = :c, hash = :h WHERE id = :id"),
        {"c": '{"username": "mallory"}', "h": forged, "id": logged[1]},
    )
    _db.session.commit()

    report = verify()
    assert (report.chain_ok, report.first_bad_id, report.reason) == (False, logged[2], "link_broken")


def test_a_changed_hash_is_found_at_that_entry(logged):
    _sql("UPDATE audit_log SET hash = :h WHERE id = :id", h="f" * 64, id=logged[3])

    assert verify().first_bad_id == logged[3]


def test_a_deleted_entry_is_found_at_the_entry_after_it(logged):
    _sql("DELETE FROM audit_log WHERE id = :id", id=logged[2])

    report = verify()
    assert (report.entries, report.chain_ok, report.first_bad_id, report.reason) == (4, False, logged[3], "seq_gap")


def test_deleting_the_newest_entries_is_found_by_the_chain_head(logged):
    _sql("DELETE FROM audit_log WHERE id IN (:a, :b)", a=logged[3], b=logged[4])

    report = verify()
    assert (report.chain_ok, report.first_bad_id, report.reason) == (False, logged[4], "tail_missing")


def test_an_entry_inserted_outside_the_application_is_found(logged):
    _sql(
        "INSERT INTO audit_log (at, actor_name, action, object_type, object_id, changes, channel) "
        "VALUES (:at, 'root', 'user.create', 'users', '99', '{}', 'web')",
        at="2024-09-27 10:00:00.000000",
    )
    inserted = _db.session.scalar(select(func.max(AuditEntry.id)))

    assert verify() == ChainReport(6, False, inserted, "unchained")


def test_an_entry_appended_with_a_forged_hash_is_found_past_the_chain_head(logged):
    last = dict(_db.session.execute(select(AuditEntry.__table__).where(AuditEntry.id == logged[4])).mappings().one())
    forged = dict(last, id=last["id"] + 100, seq=6, action="user.delete", prev_hash=last["hash"])
    forged["hash"] = entry_hash(forged, last["hash"])
    _db.session.execute(AuditEntry.__table__.insert().values(forged))
    _db.session.commit()

    report = verify()
    assert (report.chain_ok, report.first_bad_id, report.reason) == (False, forged["id"], "beyond_head")


def test_a_deleted_chain_head_is_reported_and_the_next_commit_carries_on_from_the_last_entry(logged):
    _sql("DELETE FROM audit_chain_head")

    assert verify() == ChainReport(5, False, None, "head_missing")
    users.create_user(None, "sun", roles=["zone"], password=PASSWORD)
    assert verify() == ChainReport(6, True, None, None)


def test_two_entries_swapped_in_the_chain_are_found(logged):
    a, b = logged[1], logged[2]
    _sql("UPDATE audit_log SET seq = -1 WHERE id = :a", a=a)
    _sql("UPDATE audit_log SET seq = 2 WHERE id = :b", b=b)
    _sql("UPDATE audit_log SET seq = 3 WHERE id = :a", a=a)

    report = verify()
    assert (report.chain_ok, report.first_bad_id) == (False, b)


def test_the_log_keeps_growing_after_tampering_and_still_points_at_the_tampered_entry(logged):
    _sql("UPDATE audit_log SET object_id = '7' WHERE id = :id", id=logged[0])
    users.create_user(None, "sun", roles=["zone"], password=PASSWORD)

    report = verify()
    assert (report.entries, report.chain_ok, report.first_bad_id) == (6, False, logged[0])


# --- Concurrent writers. ------------------------------------------------------------------------------------


def test_concurrent_writers_still_make_one_valid_chain(app, db):
    """Eight workers creating users at once (each commit records an entry) still give one linear chain."""
    workers, per_worker = 8, 5
    start = threading.Barrier(workers)
    failures: list[BaseException] = []

    def work(n: int):
        with app.app_context():
            try:
                start.wait()
                for k in range(per_worker):
                    users.create_user(None, f"w{n}u{k}", roles=["zone"], password=PASSWORD)
            except BaseException as exc:  # reported below; a thread cannot fail the test by itself
                failures.append(exc)
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert failures == []
    report = verify()
    assert (report.entries, report.chain_ok) == (workers * per_worker, True)
    assert sorted(_db.session.scalars(select(AuditEntry.seq))) == list(range(1, workers * per_worker + 1))


# --- The operator's command. ------------------------------------------------------------------------------


def test_audit_verify_command_reports_a_whole_chain_and_exits_zero(app, logged):
    result = app.test_cli_runner().invoke(args=["eloan", "audit-verify"])

    assert result.exit_code == 0, result.output
    assert "审计日志完整" in result.output and "共 5 条记录" in result.output


def test_audit_verify_command_exits_non_zero_at_the_first_broken_entry(app, logged):
    _sql("UPDATE audit_log SET action = 'user.delete' WHERE id = :id", id=logged[3])

    result = app.test_cli_runner().invoke(args=["eloan", "audit-verify"])

    assert result.exit_code == 1
    assert f"第一条异常记录 #{logged[3]}" in result.output and "hash_mismatch" in result.output


# --- Existing databases. ------------------------------------------------------------------------------------


def test_the_upgrade_chains_the_entries_already_in_the_log(empty_database_url):
    from flask_migrate import upgrade

    from eloan import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade(revision="5f8967bc3399")  # the last schema without the chain
        for n in range(3):
            _db.session.execute(
                text(
                    "INSERT INTO audit_log (at, actor_name, action, object_type, object_id, changes, channel) "
                    "VALUES (:at, 'root', 'lpr.save', 'lpr_rates', :n, :changes, 'web')"
                ),
                {"at": f"2024-09-2{n} 10:00:00.00000{n}", "n": str(n), "changes": '{"利率": "3.35"}'},
            )
        _db.session.commit()
        upgrade()

        assert verify() == ChainReport(3, True, None, None)
        audit.record(None, "x.after_upgrade", object_type="x", object_id=1)
        _db.session.commit()
        assert verify() == ChainReport(4, True, None, None)
        _db.session.remove()
        _db.engine.dispose()
