"""The 数据看板 page: the figures of services/dashboard_figures with two server-drawn charts."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from eloan.services.dashboard_figures import figures
from eloan.web.dashboard import bp
from eloan.web.dashboard.cycle_chart import cycle_chart
from eloan.web.monitoring.chart import extremes, ratio_chart


@bp.route("", endpoint="dashboard")
def dashboard_page():
    f = figures(current_user)
    return render_template(
        "dashboard/index.html",
        f=f,
        chart=ratio_chart(f.trend, f.trend_start, f.as_of, f.npl_threshold, f.overdue_threshold),
        peaks=extremes(f.trend),
        cycles=cycle_chart(f.cycles),
    )
