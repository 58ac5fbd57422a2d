"""Forms of the list pages. Amounts are typed in 万元, as the list itself states them (附件1);
the services take yuan, so the conversion is here and exact to the fen."""

from __future__ import annotations

from decimal import Decimal

from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from eloan.domain.roles import ROLES
from eloan.web.formkit import INVALID_CHOICE, Form, PlainDecimalField, choices_of, readable

_WAN = Decimal(10000)
_FEN_IN_WAN = Decimal("0.000001")
AMOUNT_HINT = (
    "单位：万元。例如 300 表示 300 万元（3,000,000 元）。不超过政策规定的单户贷款余额上限（第六条）；"
    "推荐额度仅供参考，实际贷款额度由银行自主决定（第十条）。"
)


def _to_the_fen(form, field):
    if field.data is not None and field.data != field.data.quantize(_FEN_IN_WAN):
        raise ValidationError("最多精确到分（万元后 6 位小数）。")


class WanField(PlainDecimalField):
    """An amount typed in 万元; `.yuan` is the same amount in yuan for the services."""

    @property
    def yuan(self) -> Decimal | None:
        return None if self.data is None else (self.data * _WAN).quantize(Decimal("0.01"))

    def set_yuan(self, amount: Decimal | None) -> None:
        self.data = None if amount is None else (Decimal(amount) / _WAN).normalize()

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else format(self.data.normalize(), "f")


def _amount() -> WanField:
    return WanField(
        "推荐额度（万元）",
        validators=[InputRequired("请填写推荐额度（万元）。"), readable, _to_the_fen],
        description=AMOUNT_HINT,
    )


def role_choices(roles) -> list:
    return choices_of([(r, ROLES[r]) for r in roles])


class BatchForm(Form):
    number = StringField(
        "批次编号",
        validators=[Optional(), Length(max=40)],
        description="可不填，系统按年度自动编号，例如“2024年第1批”。",
    )
    title = StringField(
        "名单标题",
        validators=[Optional(), Length(max=200)],
        description="可不填，默认为“台儿庄区“园区E贷”推荐企业名单”。",
    )
    note = TextAreaField("备注", validators=[Optional(), Length(max=2000)])


class EntryForm(Form):
    recommended_amount = _amount()
    note = StringField("备注", validators=[Optional(), Length(max=500)], description="可不填，印在附件1的备注栏。")


class AddEntryForm(EntryForm):
    uscc = StringField(
        "统一社会信用代码",
        validators=[Optional(), Length(max=40)],
        description="企业须已在企业库中登记，并符合列入条件。",
    )


class CandidateEntryForm(AddEntryForm):
    batch_id = SelectField("加入批次", coerce=int, choices=[], invalid_choice_message="请选择一个草稿批次。")


class ConfirmForm(Form):
    role = SelectField("以哪个单位的名义", choices=[], invalid_choice_message=INVALID_CHOICE)
    comment = TextAreaField("确认意见", validators=[Optional(), Length(max=2000)], description="可不填。")


class ReturnForm(Form):
    role = SelectField("以哪个单位的名义", choices=[], invalid_choice_message=INVALID_CHOICE)
    comment = TextAreaField(
        "退回理由",
        validators=[Optional(), Length(max=2000)],
        description="必填：写明需要开发区修改的企业和原因。退回后，已有的确认全部失效。",
    )


class IssueForm(Form):
    effective_from = DateField(
        "生效日期",
        validators=[InputRequired("请选择生效日期。")],
        description="默认今天，名单自该日起施行，上一批名单同时被替代。如果这批名单在启用本系统之前已用纸质文件印发，"
        "请填写当时的生效日期，系统据此补录；生效日期须晚于现行名单的生效日期。",
    )
