"""E-mail copies of notifications: logged without SMTP, sent once with it, retried when the server fails."""

from __future__ import annotations

import smtplib
from typing import ClassVar

import pytest

from eloan.domain.errors import RuleViolation
from eloan.extensions import db
from eloan.models import Notification
from eloan.services import mail, notifications, users


class FakeSMTP:
    sent: ClassVar[list] = []
    fail = False

    def __init__(self, host, port, timeout=None):
        self.host, self.port = host, port

    def starttls(self):
        pass

    def login(self, user, password):
        pass

    def send_message(self, msg):
        if FakeSMTP.fail:
            raise smtplib.SMTPRecipientsRefused({msg["To"]: (550, b"no such user")})
        FakeSMTP.sent.append(msg)

    def quit(self):
        pass


@pytest.fixture()
def mailbox(app, monkeypatch):
    FakeSMTP.sent, FakeSMTP.fail = [], False
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    monkeypatch.setitem(app.config, "ELOAN_SMTP_HOST", "smtp.example.gov.cn")
    monkeypatch.setitem(app.config, "ELOAN_BASE_URL", "https://eloan.example.gov.cn")
    return FakeSMTP


def _notify(people, *usernames):
    notifications.notify(
        [people[u] for u in usernames],
        "bank_status",
        "“B1银行”合作状态：正常合作 → 暂停",
        "不良率 4.0000%，超过 3.00%。",
        "/banks/B1",
    )
    db.session.commit()


def test_without_smtp_the_mail_is_only_logged_once(monitored, caplog):
    users.update_user(
        monitored["admin"],
        monitored["finance"].id,
        display_name="财政局 赵科长",
        roles=["finance"],
        bank_code=None,
        email="zhao@czj.example.gov.cn",
    )
    _notify(monitored, "finance", "fsc")  # fsc has no address: nothing to mail
    with caplog.at_level("INFO", logger="eloan.services.mail"):
        assert mail.deliver_pending() == 1
    assert "SMTP not configured" in caplog.text and "zhao@czj.example.gov.cn" in caplog.text
    assert mail.deliver_pending() == 0


def test_with_smtp_each_notification_is_mailed_once_with_a_link(monitored, mailbox):
    users.update_user(
        monitored["admin"],
        monitored["finance"].id,
        display_name="财政局 赵科长",
        roles=["finance"],
        bank_code=None,
        email="zhao@czj.example.gov.cn",
    )
    _notify(monitored, "finance")
    assert mail.deliver_pending() == 1 and mail.deliver_pending() == 0
    [msg] = mailbox.sent
    assert msg["To"] == "zhao@czj.example.gov.cn" and "合作状态" in msg["Subject"]
    assert "https://eloan.example.gov.cn/banks/B1" in msg.get_content()


def test_a_refused_mail_is_retried_next_time(monitored, mailbox):
    users.update_user(
        monitored["admin"],
        monitored["finance"].id,
        display_name="财政局 赵科长",
        roles=["finance"],
        bank_code=None,
        email="zhao@czj.example.gov.cn",
    )
    _notify(monitored, "finance")
    mailbox.fail = True
    assert mail.deliver_pending() == 0
    assert db.session.query(Notification).one().emailed_at is None
    mailbox.fail = False
    assert mail.deliver_pending() == 1


def test_an_address_that_is_not_one_is_refused_with_an_example(monitored):
    with pytest.raises(RuleViolation) as refused:
        users.update_user(
            monitored["admin"],
            monitored["finance"].id,
            display_name="赵",
            roles=["finance"],
            bank_code=None,
            email="zhao at czj",
        )
    assert refused.value.violations[0].code == "invalid_email" and "example" in refused.value.violations[0].message


def test_two_deliverers_at_once_mail_each_notification_exactly_once(app, monitored, mailbox):
    """Two schedulers, or two gunicorn workers with ELOAN_SCHEDULER=1, deliver the same queue at the same moment."""
    import threading

    for name in ("finance", "fsc", "zone", "industry"):
        users.update_user(
            monitored["admin"],
            monitored[name].id,
            display_name=name,
            roles=[name],
            bank_code=None,
            email=f"{name}@example.gov.cn",
        )
    for n in range(10):
        notifications.notify(
            [monitored[u] for u in ("finance", "fsc", "zone", "industry")],
            "bank_status",
            f"通知 {n}",
            "正文",
            "/banks/B1",
        )
    db.session.commit()
    both_have_read_the_queue = threading.Barrier(2, timeout=30)

    class MeetingSMTP(mailbox):
        def __init__(self, host, port, timeout=None):
            both_have_read_the_queue.wait()  # each process has its list of pending mails before either sends
            super().__init__(host, port, timeout)

    smtplib.SMTP = MeetingSMTP  # undone by the mailbox fixture's monkeypatch
    counts, errors = [], []

    def deliver():
        with app.app_context():
            try:
                counts.append(mail.deliver_pending())
            except Exception as exc:  # reported below rather than lost in the thread
                errors.append(exc)

    workers = [threading.Thread(target=deliver) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert not errors, errors
    assert sum(counts) == 40 and len(mailbox.sent) == 40
    assert len({(m["To"], m["Subject"]) for m in mailbox.sent}) == 40
    assert db.session.query(Notification).filter(Notification.emailed_at.is_(None)).count() == 0
