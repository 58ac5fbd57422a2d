"""The 风险监测 page and 运行每日任务 (第十八条)."""

from __future__ import annotations

import logging

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from eloan import clock
from eloan.domain.errors import RuleViolation, StateConflict
from eloan.jobs import daily
from eloan.services import banks, monitoring_overview
from eloan.services.access import can, require
from eloan.web.formkit import apply_errors
from eloan.web.monitoring import bp, can_run
from eloan.web.monitoring.chart import extremes, ratio_chart
from eloan.web.monitoring.forms import RunForm
from eloan.web.monitoring.runs import outcome_message, run_alerts, run_rows

log = logging.getLogger(__name__)
RECENT_RUNS = 10


def _names(overview=None) -> dict[str, str]:
    """Bank codes in a run's summary, read out as names."""
    if overview is not None:
        return {row.bank.code: row.bank.name for row in overview.banks}
    return {b.code: b.name for b in banks.all_banks(current_user)}


def monitoring_page(run_form: RunForm | None = None):
    o = monitoring_overview.overview(current_user)
    policy = o.thresholds.policy
    chart = ratio_chart(
        o.history,
        o.history_start,
        o.day,
        policy.npl_ratio_threshold if policy else None,
        policy.overdue_ratio_threshold if policy else None,
    )
    if can_run() and run_form is None:
        run_form = RunForm(formdata=None, data={"run_date": clock.today()})
    recent = daily.recent_runs(RECENT_RUNS)
    runs = run_rows(recent, _names(o), daily.abandoned(recent), clock.now(), daily.LONG_RUN)
    return render_template(
        "monitoring/index.html",
        o=o,
        chart=chart,
        peaks=extremes(o.history),
        runs=runs,
        run_alerts=run_alerts(runs),
        run_form=run_form if can_run() else None,
        can_read_loans=can(current_user, "loans.read"),
        can_read_claims=can(current_user, "claims.read"),
    )


@bp.route("", endpoint="monitoring")
def monitoring_index():
    return monitoring_page()


@bp.route("/run", methods=["POST"])
def monitoring_run():
    require(current_user, "jobs.run")
    form = RunForm()
    if form.validate_on_submit():
        try:
            result = daily.run_by(current_user, form.run_date.data)
        except (RuleViolation, StateConflict) as exc:  # a future date beside the field; out of order in the box
            apply_errors(form, exc, aliases={"date": "run_date"})
        except Exception:  # the job marked the date failed and undid its work; the run list shows why
            log.exception("daily job started from the page failed")
            flash(
                "每日任务运行失败，本次运行的改动已全部撤销。原因见下方“每日任务运行记录”；"
                "请联系系统管理员处理后重新运行该日期。",
                "error",
            )
            return redirect(url_for("monitoring.monitoring"))
        else:
            text, category = outcome_message(result, _names())
            flash(text, category)
            return redirect(url_for("monitoring.monitoring"))
    return monitoring_page(run_form=form)
