"""The one form of the monitoring page: run the daily job for a date (区财政局, administrator)."""

from __future__ import annotations

from wtforms import DateField
from wtforms.validators import InputRequired

from eloan.web.formkit import Form


class RunForm(Form):
    run_date = DateField(
        "运行日期",
        validators=[InputRequired("请填写要运行每日任务的日期，例如今天。")],
        description="默认今天，不能晚于今天。每个日期只运行一次；补跑漏掉的日期须从最早的一天起按先后运行。",
    )
