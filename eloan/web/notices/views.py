"""The inbox, 查看 (mark read and go to the page the notice is about), and 全部标为已读."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from eloan.services import notifications
from eloan.web.formkit import requested_page
from eloan.web.notices import bp

PER_PAGE = 50

# What a notice is about, as a short tag; its tone says how urgent (services that notify: claims, lists, banks,
# deadlines, monitoring, recoveries).
KINDS = {
    "deadline_missed": ("逾期未办", "danger"),
    "deadline_reminder": ("期限提醒", "warning"),
    "deadline_recomputed": ("期限调整", "info"),
    "bank_status": ("合作状态", "warning"),
    "bank_manual_hold": ("合作状态", "warning"),
    "loans_matured_unreported": ("贷款到期未报", "warning"),
    "insufficient_funds": ("资金不足", "danger"),
    "claim_submitted": ("补偿申请", "info"),
    "claim_returned": ("退回补正", "warning"),
    "claim_extension": ("申请延期", "info"),
    "claim_opinion": ("审核意见", "info"),
    "claim_paid": ("补偿拨付", "ok"),
    "recovery_reported": ("追偿", "info"),
    "list_batch_returned": ("名单退回", "warning"),
    "list_batch_issued": ("名单发布", "info"),
    "policy_expiring": ("政策到期", "warning"),
    "agreement_expiring": ("协议到期", "warning"),
}


def local_path(url: str | None) -> str | None:
    """A path on this site ("/claims/3"), or None: a notice or a form never sends the user elsewhere."""
    if not url or not url.startswith("/") or url.startswith("//") or "\\" in url:
        return None
    parts = urlsplit(url)
    return None if parts.scheme or parts.netloc else url


@bp.route("", endpoint="notices")
def notices_list():
    unread_only = request.args.get("show") == "unread"
    page = requested_page()
    items, total = notifications.inbox(current_user, page=page, per_page=PER_PAGE, unread_only=unread_only)
    pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    args = {"show": "unread"} if unread_only else {}
    here = url_for("notices.notices", page=page if page > 1 else None, **args)
    return render_template(
        "notices/inbox.html",
        items=items,
        total=total,
        page=page,
        pages=pages,
        args=args,
        unread_only=unread_only,
        unread=notifications.unread_count(current_user),
        here=here,
        kinds=KINDS,
    )


@bp.route("/<int:notice_id>/read", methods=["POST"])
def notices_read(notice_id: int):
    """Mark one's own notice read, then go to `next` (查看: the notice's page; 标为已读: back to the inbox)."""
    notice = notifications.mark_read(current_user, notice_id)
    return redirect(local_path(request.form.get("next")) or local_path(notice.link) or url_for("notices.notices"))


@bp.route("/read-all", methods=["POST"])
def notices_read_all():
    done = notifications.mark_all_read(current_user)
    if done:
        flash(f"已将 {done} 条未读通知全部标为已读。", "success")
    else:
        flash("没有未读的通知。", "info")
    return redirect(url_for("notices.notices"))
