"""Each user's notices: the unread count in the header, the inbox newest first, 查看 marks read and opens the page
the notice is about, and nobody reaches another user's notice."""

from __future__ import annotations

import re
from datetime import date

from eloan.extensions import db
from eloan.models import Notification, User
from eloan.services import notifications
from tests.fixtures.monitoring import put_loan
from tests.fixtures.web import flash_text


def _notice(
    username: str, title: str, link: str | None = "/claims/1", kind: str = "claim_submitted", body: str | None = None
) -> Notification:
    user = db.session.query(User).filter_by(username=username).one()
    notifications.notify([user], kind, title, body, link)
    db.session.commit()
    return db.session.query(Notification).filter_by(user_id=user.id, title=title).one()


def _badge(html: str) -> str | None:
    found = re.search(r'<span class="count-badge"[^>]*>([^<]+)</span>', html)
    return found.group(1) if found else None


def _titles(html: str) -> list[str]:
    return re.findall(r'<h2 class="inbox__title">(.*?)</h2>', html)


def _unread_titles(html: str) -> list[str]:
    items = re.findall(r'<li class="inbox__item inbox__item--unread".*?</li>', html, re.S)
    return [t for item in items for t in _titles(item)]


def _is_read(notice: Notification) -> bool:
    db.session.expire_all()
    return db.session.get(Notification, notice.id).read_at is not None


def test_the_header_counts_a_users_unread_notices_and_only_theirs(client, monitored, login, page):
    for n in (1, 2, 3):
        _notice("finance", f"补偿申请 #{n} 待审核")
    notifications.mark_read(monitored["finance"], _notice("finance", "已读过的通知").id)
    _notice("teller", "补偿申请 #9 已拨付")
    login("finance")

    assert _badge(page("/")) == "3"
    assert "通知（3 条未读）" in page("/")


def test_a_user_without_unread_notices_sees_no_count(client, monitored, login, page):
    _notice("teller", "补偿申请 #9 已拨付")
    login("fsc")

    html = page("/")

    assert _badge(html) is None and 'href="/notifications"' in html


def test_the_inbox_lists_newest_first_with_the_unread_marked(client, monitored, login, page):
    first = _notice(
        "finance", "推荐企业名单“2025-1”自 2025-03-01 起施行", link="/lists/current", kind="list_batch_issued"
    )
    _notice("finance", "补偿申请 #2 待审核", body="应补偿 ¥70,000.00，出具意见期限 2025-03-25。")
    notifications.mark_read(monitored["finance"], first.id)
    login("finance")

    html = page("/notifications")

    assert _titles(html) == ["补偿申请 #2 待审核", "推荐企业名单“2025-1”自 2025-03-01 起施行"]
    assert _unread_titles(html) == ["补偿申请 #2 待审核"]
    assert "应补偿 ¥70,000.00，出具意见期限 2025-03-25。" in html
    assert "名单发布" in html and "已读于" in html


def test_the_unread_tab_shows_only_unread_notices(client, monitored, login, page):
    read = _notice("finance", "已处理的通知")
    _notice("finance", "补偿申请 #2 待审核")
    notifications.mark_read(monitored["finance"], read.id)
    login("finance")

    html = page("/notifications?show=unread")

    assert _titles(html) == ["补偿申请 #2 待审核"] and "未读（1）" in html


def test_an_empty_inbox_says_what_will_arrive_there(client, monitored, login, page):
    login("zone")

    html = page("/notifications")

    assert "暂无通知" in html and "系统会在这里通知您" in html
    assert "没有未读通知" in page("/notifications?show=unread")


def test_viewing_a_notice_marks_it_read_and_opens_its_page(client, monitored, login, page):
    notice = _notice("finance", "补偿申请 #3 待审核", link="/claims/3")
    _notice("finance", "补偿申请 #4 待审核", link="/claims/4")
    login("finance")

    response = client.post(f"/notifications/{notice.id}/read", data={"next": "/claims/3"})

    assert response.status_code == 302 and response.headers["Location"] == "/claims/3"
    assert _is_read(notice)
    assert _badge(page("/")) == "1"


def test_a_next_address_off_the_site_is_ignored_for_the_notices_own_page(client, monitored, login):
    notice = _notice("finance", "补偿申请 #3 待审核", link="/claims/3")
    login("finance")

    response = client.post(f"/notifications/{notice.id}/read", data={"next": "https://example.com/phish"})

    assert response.headers["Location"] == "/claims/3"


def test_another_users_notice_cannot_be_marked_read(client, monitored, login):
    theirs = _notice("teller", "补偿申请 #9 已拨付")
    login("finance")

    response = client.post(f"/notifications/{theirs.id}/read", data={"next": "/claims/9"})

    assert response.status_code == 404
    assert not _is_read(theirs)


def test_marking_all_read_clears_the_count_and_leaves_others_notices(client, monitored, login):
    mine = [_notice("finance", f"补偿申请 #{n} 待审核") for n in (1, 2)]
    theirs = _notice("finance2", "补偿申请 #1 待审核")
    login("finance")

    response = client.post("/notifications/read-all", follow_redirects=True)

    html = response.get_data(as_text=True)
    assert "已将 2 条未读通知全部标为已读" in flash_text(html)
    assert _badge(html) is None and _unread_titles(html) == []
    assert all(_is_read(n) for n in mine) and not _is_read(theirs)


def test_marking_read_without_the_forms_token_is_refused(csrf_client, monitored, csrf_as):
    notice = _notice("finance", "补偿申请 #3 待审核")
    csrf_as("finance")

    response = csrf_client.post(f"/notifications/{notice.id}/read", data={"next": "/claims/3"})

    assert response.status_code == 400 and not _is_read(notice)


def test_the_inbox_needs_a_login(client, monitored):
    response = client.get("/notifications")

    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_matured_unreported_reminder_opens_the_loans_it_counts(client, monitored, login, page):
    matured = put_loan("B1", "500000.00", maturity=date(2025, 3, 1))
    running = put_loan("B1", "800000.00", maturity=date(2025, 12, 1))
    repaid_late = put_loan("B1", "300000.00", maturity=date(2025, 3, 1), events=(("overdue", date(2025, 3, 2)),))
    put_loan("B2", "400000.00", maturity=date(2025, 3, 1))  # another bank's
    notice = _notice(
        "teller",
        "1 笔贷款已到期但未登记还款或逾期",
        link="/loans?matured_unreported=1",
        kind="loans_matured_unreported",
    )
    login("teller")

    target = client.post(f"/notifications/{notice.id}/read", data={"next": notice.link}).headers["Location"]
    html = page(client.get(target).headers.get("Location", target))

    assert "已到期未报" in html
    assert matured.contract_no in html
    assert running.contract_no not in html and repaid_late.contract_no not in html
    assert "贷款 <strong>1</strong> 笔" in html
