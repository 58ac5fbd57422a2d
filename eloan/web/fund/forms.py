"""Forms of the fund page: a tranche appropriation and the correction of an entry. Amounts go to
services.fund as typed; the fund scale (第十四条) is the service's, and its refusal comes back beside the amount."""

from __future__ import annotations

from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from eloan.web.formkit import Form


class AppropriationForm(Form):
    amount = StringField(
        "拨入金额（元）",
        validators=[Length(max=30)],
        description="单位：元（不是万元），最多两位小数；各期拨入合计不得超过资金池规模（第十四条）。",
    )
    entry_date = DateField("到账日期", validators=[InputRequired("请填写资金到账日期。")])
    reference = StringField(
        "拨款文号或凭证号", validators=[Optional(), Length(max=100)], description="例如“台财预〔2024〕12号”；可不填。"
    )

    def validate_amount(self, field):
        if not (field.data or "").strip():
            raise ValidationError("请填写拨入金额。")


class CorrectionForm(Form):
    reason = TextAreaField(
        "更正理由",
        validators=[DataRequired("请写明更正理由。"), Length(max=2000)],
        description="记账有误时，以一笔方向相反的冲销分录更正，原分录保留。",
    )
