"""E-mail copies of notifications: through SMTP when ELOAN_SMTP_HOST is set, otherwise written to the log.

Mail goes out after the notifying transaction has committed (the daily job, or the scheduler every
few minutes), never inside it: a slow or broken mail server must not hold locks or undo a decision.

A notification is mailed at most once, however many processes deliver at the same moment (several
gunicorn workers with ELOAN_SCHEDULER=1, a scheduler and the daily job): each message is claimed by
a conditional UPDATE that only one process wins, committed before it is sent. A send the server
refuses is released and retried next time. A process killed between its claim and the send loses
that one mail (the notification itself stays in the user's inbox) rather than risk sending it twice.
"""

from __future__ import annotations

import logging
import smtplib
from contextlib import suppress
from datetime import timedelta
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import select, update

from eloan import clock
from eloan.extensions import db
from eloan.models import Notification, User

log = logging.getLogger(__name__)

# Older unsent notifications (e.g. before the user had an address) are not mailed after the fact.
_MAIL_WITHIN = timedelta(days=2)


def _message(notice: Notification, user: User, config) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = f"【园区E贷】{notice.title}"
    msg["From"] = config["ELOAN_MAIL_FROM"]
    msg["To"] = user.email
    link = (
        f"{config['ELOAN_BASE_URL'].rstrip('/')}{notice.link}" if notice.link and config.get("ELOAN_BASE_URL") else ""
    )
    msg.set_content(
        "\n\n".join(
            part
            for part in (
                f"{user.display_name}：",
                notice.body or notice.title,
                link,
                "—— 园区E贷风险补偿管理系统（此邮件由系统自动发送）",
            )
            if part
        )
    )
    return msg


def _claim(notice_id: int) -> bool:
    """Mark the notification mailed unless another process did first; committed at once."""
    won = db.session.execute(
        update(Notification)
        .where(Notification.id == notice_id, Notification.emailed_at.is_(None))
        .values(emailed_at=clock.now())
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return won == 1


def _release(notice_id: int) -> None:
    """Not sent after all: the next delivery tries again."""
    db.session.execute(
        update(Notification)
        .where(Notification.id == notice_id)
        .values(emailed_at=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def deliver_pending(limit: int = 500) -> int:
    """Send (or log) notifications not yet mailed to users who have an address; returns how many this call sent."""
    config = current_app.config
    rows = db.session.execute(
        select(Notification, User)
        .join(User, User.id == Notification.user_id)
        .where(
            Notification.emailed_at.is_(None),
            User.email.is_not(None),
            User.email != "",
            User.active.is_(True),
            Notification.created_at >= clock.now() - _MAIL_WITHIN,
        )
        .order_by(Notification.id)
        .limit(limit)
    ).all()
    if not rows:
        return 0
    messages = [(notice.id, _message(notice, user, config)) for notice, user in rows]
    db.session.commit()  # end the reading transaction; every claim below is its own
    host = config.get("ELOAN_SMTP_HOST")
    sent = 0
    try:
        smtp = _connect(config) if host else None
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("SMTP %s unreachable, %d notifications wait for the next attempt: %s", host, len(rows), exc)
        return 0
    try:
        for notice_id, msg in messages:
            if not _claim(notice_id):
                continue  # another process is mailing it
            if smtp is None:
                log.info("mail (SMTP not configured, logged only) to=%s subject=%s", msg["To"], msg["Subject"])
            else:
                try:
                    smtp.send_message(msg)
                except smtplib.SMTPServerDisconnected as exc:
                    _release(notice_id)
                    log.warning("SMTP connection lost, the rest wait for the next attempt: %s", exc)
                    break
                except smtplib.SMTPException as exc:  # this message refused (e.g. the recipient): the others go on
                    _release(notice_id)
                    log.warning("mail to %s failed, will retry: %s", msg["To"], exc)
                    continue
                except OSError as exc:  # the connection broke (timeout, reset)
                    _release(notice_id)
                    log.warning("SMTP connection failed, the rest wait for the next attempt: %s", exc)
                    break
            sent += 1
    finally:
        if smtp is not None:
            # the mails are sent; a server that hangs up first changes nothing
            with suppress(OSError, smtplib.SMTPException):
                smtp.quit()
    return sent


def _connect(config) -> smtplib.SMTP:
    port = int(config.get("ELOAN_SMTP_PORT") or 587)
    if config.get("ELOAN_SMTP_SSL"):
        smtp = smtplib.SMTP_SSL(config["ELOAN_SMTP_HOST"], port, timeout=30)
    else:
        smtp = smtplib.SMTP(config["ELOAN_SMTP_HOST"], port, timeout=30)
        if config.get("ELOAN_SMTP_STARTTLS", True):
            smtp.starttls()
    if config.get("ELOAN_SMTP_USER"):
        smtp.login(config["ELOAN_SMTP_USER"], config.get("ELOAN_SMTP_PASSWORD") or "")
    return smtp
