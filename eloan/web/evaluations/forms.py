"""Forms of the evaluation pages. Scores and dates go to services.evaluations as typed; its refusals (a
missing reason, a score above the area's weight, a decision before the confirmations) come back beside
the field."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import DateField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from eloan.domain.evaluation import AREAS, OUTCOMES
from eloan.web.formkit import Form, choices_of

INVALID_CHOICE = "请从列表中选择。"


class ComputeForm(Form):
    year = IntegerField(
        "评价年度",
        validators=[
            InputRequired("请填写评价年度，例如 2024。"),
            NumberRange(2000, 2100, "请填写四位年份，例如 2024。"),
        ],
        description="只能评价已结束的年度；草稿期间可重新计算，手工调整保留，已有的确认失效。",
    )


class AdjustForm(Form):
    bank = SelectField("合作银行", invalid_choice_message=INVALID_CHOICE)
    area = SelectField("评价项目", choices=choices_of(AREAS.items()), invalid_choice_message=INVALID_CHOICE)
    score = StringField(
        "调整后得分", validators=[Length(max=10)], description="0 至该项满分（规模、风险 30 分；利率、服务 20 分）。"
    )
    reason = TextAreaField(
        "调整理由",
        validators=[Length(max=2000)],
        description="必填，例如“第三方评估报告第 3 节认定该行服务质量优良”。调整后三家单位的确认需重新进行。",
    )


class ConfirmForm(Form):
    role = SelectField("以何单位身份确认", validators=[Optional()], invalid_choice_message=INVALID_CHOICE)
    comment = TextAreaField("意见", validators=[Optional(), Length(max=2000)], description="可不填；不填视为同意。")


class DecideForm(Form):
    decision = RadioField(
        "决定", choices=choices_of(OUTCOMES.items()), invalid_choice_message=INVALID_CHOICE, validators=[Optional()]
    )
    reason = TextAreaField("理由", validators=[Optional(), Length(max=2000)], description="决定与系统建议不同时必填。")
    agreement_end = DateField(
        "合作协议终止日", validators=[Optional()], description="仅“终止合作”时填写：该日为合作协议的截止日。"
    )


class ReportForm(Form):
    file = FileField("第三方评估报告", description="PDF、JPEG 或 PNG，不超过 20 MB；再次上传将替换原文件。")
