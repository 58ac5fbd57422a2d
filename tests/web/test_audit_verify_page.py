"""The auditor checks the audit log's hash chain from its page, on demand, and is led to a broken entry."""

from __future__ import annotations

from sqlalchemy import func, select, text

from eloan.models import AuditEntry


def test_the_auditor_runs_the_check_and_reads_that_the_log_is_whole(client, db, make_user, login, page):
    make_user("inspector", roles=("auditor",))
    login("inspector")
    entries = db.session.scalar(select(func.count()).select_from(AuditEntry))

    home = page("/")
    assert "校验审计日志" in home
    assert "校验日志完整性" in page("/admin/audit")

    html = page("/admin/audit/verify")
    assert "审计日志完整" in html and f"共 {entries} 条记录" in html


def test_a_tampered_entry_is_shown_with_a_link_to_it_in_the_log(client, db, make_user, login, page):
    make_user("inspector", roles=("auditor",))
    make_user("zhao", roles=("zone",))
    first = db.session.scalar(select(AuditEntry.id).order_by(AuditEntry.id))
    db.session.execute(text("UPDATE audit_log SET object_id = '42' WHERE id = :id"), {"id": first})
    db.session.commit()
    login("inspector")

    html = page("/admin/audit/verify")

    assert "审计日志哈希链断裂" in html and f"#{first}" in html
    link = f"/admin/audit?page=1&amp;entry={first}#entry-{first}"
    assert link in html
    listed = page(link.replace("&amp;", "&"))
    assert f'id="entry-{first}"' in listed and f"校验异常 #{first}" in listed


def test_a_bank_user_cannot_open_the_check(client, make_bank, make_user, login):
    make_bank()
    make_user("teller", roles=("bank",), bank_code="B001")
    login("teller")

    assert client.get("/admin/audit/verify").status_code == 403
