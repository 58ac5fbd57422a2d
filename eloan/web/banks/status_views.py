"""区财政局 suspends, resumes or disqualifies a bank by hand, always with a reason (第十八、十九条).

Disqualification is final, so besides the browser's question the user types the bank's code
(forms.StatusForm checks it together with the reason, so both problems show at once).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import flash, redirect, url_for
from flask_login import current_user

from eloan.domain.calendar import chinese_date
from eloan.domain.errors import RuleViolation, StateConflict
from eloan.services import banks
from eloan.services.access import require
from eloan.web.banks import bp
from eloan.web.banks.forms import StatusForm
from eloan.web.banks.views import detail_page
from eloan.web.formkit import apply_errors


@dataclass(frozen=True)
class StatusAction:
    key: str
    to_status: str
    done: str  # what happened and what follows, after the bank's name


ACTIONS = {
    "suspend": StatusAction(
        "suspend",
        "suspended",
        "已暂停合作，自{day}起该行不能发放新的“园区E贷”贷款；此前发放的贷款仍按规定享受风险补偿。"
        "已通知区金融服务中心和该行。问题整改后，可在本页恢复合作。",
    ),
    "resume": StatusAction(
        "resume", "active", "已恢复合作，自{day}起该行可以重新发放“园区E贷”贷款。已通知区金融服务中心和该行。"
    ),
    "disqualify": StatusAction(
        "disqualify",
        "disqualified",
        "已取消合作资格（第十九条），自{day}起该行不能再发放“园区E贷”贷款，且不能恢复。"
        "如该行骗取了补偿资金，请在补偿申请中认定欺诈并追回已拨付资金。",
    ),
}


def _change(code: str, action: StatusAction):
    require(current_user, "banks.change_status")
    bank = banks.get(current_user, code)
    form = StatusForm(prefix=action.key, expected_code=bank.code if action.key == "disqualify" else None)
    if form.validate_on_submit():
        try:
            change = banks.change_status(current_user, bank.code, action.to_status, form.reason.data or "")
        except RuleViolation as exc:
            apply_errors(form, exc)
        except StateConflict as exc:
            flash(exc.message, "error")
            return redirect(url_for("banks.banks_detail", code=bank.code))
        else:
            flash(f"“{bank.name}”" + action.done.format(day=chinese_date(change.effective_on)), "success")
            return redirect(url_for("banks.banks_detail", code=bank.code) + "#history")
    return detail_page(bank, **{action.key: form})


@bp.route("/<code>/suspend", methods=["POST"])
def banks_suspend(code: str):
    return _change(code, ACTIONS["suspend"])


@bp.route("/<code>/resume", methods=["POST"])
def banks_resume(code: str):
    return _change(code, ACTIONS["resume"])


@bp.route("/<code>/disqualify", methods=["POST"])
def banks_disqualify(code: str):
    return _change(code, ACTIONS["disqualify"])
