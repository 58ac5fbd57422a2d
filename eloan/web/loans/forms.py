"""Forms of the loan pages. They carry the input to the services as it was typed; the rules of
第五至八条 (and the parsing of amounts and rates) are loan_input's and the services', whose refusals
come back beside their fields through formkit.apply_errors."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import DateField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from eloan.domain.eligibility import ALLOWED_GUARANTEES
from eloan.domain.loan_input import LOAN_LABELS
from eloan.domain.loans import EVENT_TYPES
from eloan.domain.states import LOAN_STATUSES
from eloan.web.formkit import INVALID_CHOICE, CheckboxListField, Form, choices_of

GUARANTEE_HINT = (
    "第七条：只能要求以下人员提供连带责任保证，不得要求抵押、质押或其他担保；纯信用贷款不勾选。"
    "勾选以外的任何担保方式都不属于“园区E贷”。"
)


def _date(name: str, description: str | None = None) -> DateField:
    return DateField(
        LOAN_LABELS[name], validators=[InputRequired(f"请填写{LOAN_LABELS[name]}。")], description=description
    )


class LoanForm(Form):
    contract_no = StringField(
        LOAN_LABELS["contract_no"],
        validators=[Optional(), Length(max=60)],
        description="与借款合同一致；本行已登记的合同编号不能重复登记。",
    )
    enterprise_uscc = StringField(
        LOAN_LABELS["enterprise_uscc"],
        validators=[Optional(), Length(max=40)],
        description="18 位。企业须在合同签订日有效的推荐企业名单内（第十条），可在“当前名单”中查询。",
    )
    amount = StringField(
        LOAN_LABELS["amount"],
        validators=[Optional(), Length(max=30)],
        description="单位：元（不是万元），最多两位小数，例如 1000000 表示 100 万元。",
    )
    rate_percent = StringField(
        LOAN_LABELS["rate_percent"],
        validators=[Optional(), Length(max=12)],
        description="单位：%，例如 3.60，最多四位小数。",
    )
    contract_date = _date("contract_date", "决定适用的政策版本、一年期LPR和推荐名单。")
    drawdown_date = _date("drawdown_date", "不早于合同签订日；本行在提款日须处于正常合作状态。")
    maturity_date = _date("maturity_date")
    # Anything but the four is refused by the service with 第七条's own message, not as "an invalid choice".
    guarantees = CheckboxListField(
        LOAN_LABELS["guarantees"],
        choices=choices_of(ALLOWED_GUARANTEES.items()),
        validate_choice=False,
        description=GUARANTEE_HINT,
    )
    submit = SubmitField("登记贷款")

    def to_raw(self) -> dict:
        """The input as services.loans.register takes it (the keys of LOAN_LABELS)."""
        return {
            name: (self._fields[name].data or []) if name == "guarantees" else self._fields[name].data
            for name in LOAN_LABELS
        }


class LoanFilterForm(Form):
    class Meta:
        csrf = False  # a search sent by GET changes nothing

    q = StringField("合同编号或企业", validators=[Optional(), Length(max=100)])
    status = SelectField(
        "贷款状态", choices=choices_of([("", "全部")] + list(LOAN_STATUSES.items())), validate_choice=False
    )
    bank = SelectField("合作银行", choices=[], validate_choice=False)

    def set_banks(self, banks) -> None:
        self.bank.choices = choices_of([("", "全部银行")] + [(b.code, b.name) for b in banks])

    def filters(self, bank_codes) -> dict:
        """Keyword arguments of services.loans.search; unknown values are ignored."""
        return {
            "q": (self.q.data or "").strip() or None,
            "status": self.status.data if self.status.data in LOAN_STATUSES else None,
            "bank_code": self.bank.data if self.bank.data in bank_codes else None,
        }

    def query_args(self) -> dict:
        """The filters as they appear in the address, for paging and the export link."""
        return {name: field.data for name, field in self._fields.items() if field.data}


class RepaymentForm(Form):
    paid_on = DateField("还款日期", validators=[InputRequired("请填写还款日期。")])
    principal = StringField(
        "归还本金（元）", validators=[Optional(), Length(max=30)], description="不得超过当前贷款余额；只还利息时填 0。"
    )
    interest = StringField("支付利息（元）", validators=[Optional(), Length(max=30)], description="没有时填 0。")
    reference = StringField("银行流水号", validators=[Optional(), Length(max=100)], description="可不填。")


class EventForm(Form):
    type = SelectField("事项", choices=choices_of(EVENT_TYPES.items()), invalid_choice_message=INVALID_CHOICE)
    date = DateField(
        "日期",
        validators=[InputRequired("请填写事项发生的日期。")],
        description="逾期：逾期发生之日；认定为不良：银行认定不良之日，补偿申请期限由此起算（第十五条）。",
    )
    note = TextAreaField("说明", validators=[Optional(), Length(max=2000)], description="可不填。")
    proof = FileField(
        "不良认定证明", description="认定为不良时必须上传：PDF、JPEG 或 PNG，不超过 20 MB。其他事项可不上传。"
    )


class NotCompensableForm(Form):
    reason = TextAreaField(
        "不予补偿的理由",
        validators=[DataRequired("请写明不予补偿的理由。"), Length(max=2000)],
        description="必填：写明违反第八条的具体情形，例如“贷款资金用于偿还企业其他贷款”。认定后该笔贷款不能申请风险补偿。",
    )


class UploadForm(Form):
    file = FileField(
        "Excel 文件（.xlsx）", description="请使用本页提供的模板填写，第一行为表头，每行一笔贷款；文件不超过 10 MB。"
    )


class ConfirmImportForm(Form):
    token = StringField(validators=[Optional(), Length(max=200)])
