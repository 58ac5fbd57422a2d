"""Forms of the claim pages. They carry what was typed to services.claims and services.recoveries, whose
refusals (materials, deadlines, amounts, four eyes) come back beside their fields through formkit."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import DateField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from eloan.domain.roles import ROLES
from eloan.domain.states import CLAIM_STATES
from eloan.web.formkit import Form, choices_of

REVIEW_DECISIONS = {"approve": "同意", "return": "退回补正"}
OPINION_DECISIONS = {"approve": "同意补偿（按应补偿金额）", "reduce": "核减后同意补偿", "reject": "不予补偿"}
UPLOAD_HINT = "PDF、JPEG 或 PNG（按文件内容识别），不超过 20 MB。"


def _amount(label: str, description: str | None = None) -> StringField:
    # No Optional(): it would stop the check below that says an empty amount is missing.
    return StringField(label, validators=[Length(max=30)], description=description)


class OpenClaimForm(Form):
    loan_id = IntegerField(validators=[InputRequired()])


class ClaimFilterForm(Form):
    class Meta:
        csrf = False  # a search sent by GET changes nothing

    status = SelectField(
        "申请状态", choices=choices_of([("", "全部")] + list(CLAIM_STATES.items())), validate_choice=False
    )
    bank = SelectField("合作银行", choices=[], validate_choice=False)

    def set_banks(self, banks) -> None:
        self.bank.choices = choices_of([("", "全部银行")] + [(b.code, b.name) for b in banks])

    def filters(self, bank_codes) -> dict:
        """Keyword arguments of services.claims.search; unknown values are ignored."""
        return {
            "status": self.status.data if self.status.data in CLAIM_STATES else None,
            "bank_code": self.bank.data if self.bank.data in bank_codes else None,
        }

    def query_args(self) -> dict:
        return {name: field.data for name, field in self._fields.items() if field.data}


class DocumentForm(Form):
    """One material of the checklist; its kind is in the address and its prefix (services.claims.DOCUMENT_KINDS)."""

    file = FileField("选择文件", description=UPLOAD_HINT)

    def validate_file(self, field):
        if not field.data or not getattr(field.data, "filename", ""):
            raise ValidationError("请选择要上传的文件。")


class SubmitForm(Form):
    collection_measures = TextAreaField(
        "已采取的清收措施",
        validators=[Optional(), Length(max=4000)],
        description="例如：电话及上门催收、向保证人追索、提起诉讼（案号）等；印入附件2。",
    )


class ExtensionForm(Form):
    until = DateField(
        "延期至",
        validators=[InputRequired("请填写延期后的截止日期。")],
        description="须晚于原申请期限；银行须在该日（含）前提交申请。",
    )
    reason = TextAreaField(
        "延期理由",
        validators=[DataRequired("请写明延期理由。"), Length(max=2000)],
        description="必填，记入申请记录并通知银行。",
    )


class ReviewForm(Form):
    role = SelectField(
        "审核单位",
        choices=[],
        validate_choice=False,
        description="您同时属于多个审核单位，请选择以哪个单位的名义审核。",
    )
    decision = RadioField(
        "审核结论",
        choices=choices_of(REVIEW_DECISIONS.items()),
        invalid_choice_message="请选择同意或退回补正。",
        validators=[InputRequired("请选择同意或退回补正。")],
    )
    comment = TextAreaField(
        "审核意见", validators=[Length(max=2000)], description="退回补正时必填：写明需要银行补正的内容。"
    )

    def set_roles(self, roles) -> None:
        self.role.choices = choices_of([(r, ROLES[r]) for r in roles])

    def validate_comment(self, field):
        if self.decision.data == "return" and not (field.data or "").strip():
            raise ValidationError("退回补正须写明需要补正的内容。")


class OpinionForm(Form):
    decision = RadioField(
        "区财政局意见",
        choices=choices_of(OPINION_DECISIONS.items()),
        invalid_choice_message="请选择同意、核减或不予补偿。",
        validators=[InputRequired("请选择同意、核减或不予补偿。")],
    )
    amount = _amount("核减后补偿金额（元）", "仅核减时填写：不超过应补偿金额，最多两位小数。")
    reason = TextAreaField(
        "理由", validators=[Length(max=2000)], description="核减或不予补偿时必填，通知银行并印入意见书。"
    )

    def validate_amount(self, field):
        if self.decision.data == "reduce" and not (field.data or "").strip():
            raise ValidationError("核减时请填写核减后的补偿金额。")

    def validate_reason(self, field):
        if self.decision.data in ("reduce", "reject") and not (field.data or "").strip():
            raise ValidationError("核减须写明理由。" if self.decision.data == "reduce" else "不予补偿须写明理由。")


class PayForm(Form):
    paid_on = DateField("拨付日期", validators=[InputRequired("请填写拨付日期。")])
    reference = StringField(
        "拨付凭证号", validators=[Optional(), Length(max=100)], description="国库集中支付凭证号或银行流水号；可不填。"
    )


class RecoveryForm(Form):
    recovered_on = DateField("追回日期", validators=[InputRequired("请填写追回日期。")])
    amount = _amount("追回金额（元）", "本次从借款企业或保证人处追回的金额，最多两位小数。")

    def validate_amount(self, field):
        if not (field.data or "").strip():
            raise ValidationError("请填写追回金额。")


class RemitForm(Form):
    remitted_on = DateField("到账日期", validators=[InputRequired("请填写返还款到账日期。")])
    reference = StringField("凭证号", validators=[Optional(), Length(max=100)], description="可不填。")


class ClawbackForm(Form):
    amount = _amount("收回金额（元）", "不超过尚欠金额。")
    received_on = DateField("到账日期", validators=[InputRequired("请填写到账日期。")])
    reference = StringField("凭证号", validators=[Optional(), Length(max=100)], description="可不填。")

    def validate_amount(self, field):
        if not (field.data or "").strip():
            raise ValidationError("请填写收回金额。")


class FraudForm(Form):
    """第十九条: final — the bank is disqualified; the user types the bank's code to confirm."""

    reason = TextAreaField(
        "认定骗取补偿资金的事实和依据",
        validators=[DataRequired("请写明认定骗取补偿资金的事实和依据。"), Length(max=4000)],
    )
    confirm_code = StringField(
        "请输入该行的银行代码以确认",
        validators=[Length(max=20)],
        description="认定后该行被取消合作资格且不能恢复，已拨付资金须追回；为防误操作，请输入银行代码。",
    )

    def __init__(self, *args, expected_code: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.expected_code = expected_code

    def validate_confirm_code(self, field):
        if self.expected_code and (field.data or "").strip().upper() != self.expected_code.upper():
            raise ValidationError(f"请输入银行代码 {self.expected_code} 以确认。")
