"""The list in force today, for everyone who signs in — for a bank user, the one page of the list
it may see (第十条: banks lend only to enterprises on it)."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from eloan import clock
from eloan.domain.errors import NotFound
from eloan.services import lists
from eloan.services.access import can, is_bank_user
from eloan.web.lists import bp
from eloan.web.lists.summary import batch_view


@bp.route("/current")
def current():
    today = clock.today()
    try:
        batch = lists.current(current_user, today)
    except NotFound:
        batch = None
    return render_template(
        "lists/current.html",
        v=batch_view(current_user, batch) if batch else None,
        b=batch,
        is_bank=is_bank_user(current_user),
        can_read_registry=can(current_user, "enterprises.read"),
    )
