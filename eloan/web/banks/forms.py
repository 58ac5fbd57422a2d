"""Forms of the bank pages. The loss share is typed as a percentage (30 means 30%) and handed to the
service as the exact ratio ("0.3"); the 第五条 conditions are the service's, whose refusals come back
beside their fields through formkit.apply_errors."""

from __future__ import annotations

from decimal import Decimal

from wtforms import BooleanField, DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from eloan.services import banks
from eloan.web.formkit import Form, PercentField, readable

_PERCENT_PLACES = Decimal("0.01")  # the share is kept to 4 places as a ratio: 2 as a percentage
SHARE_HINT = (
    "填写百分数，例如 30 表示银行承担每笔不良贷款本金损失的 30%，风险补偿资金承担其余部分（最高 80%）。"
    "不得低于政策规定的最低比例（第五条（三））；比例越高，竞争性排名越靠前（第十四条）。"
)


def _two_places(form, field):
    if field.data is not None and field.data != field.data.quantize(_PERCENT_PLACES):
        raise ValidationError("最多两位小数，例如 30.25。")


class BankForm(Form):
    """Everything of a bank but its code, which is fixed once admitted."""

    name = StringField(
        "银行名称",
        validators=[Optional(), Length(max=200)],
        description="与合作协议一致的全称，例如“中国农业银行股份有限公司枣庄台儿庄支行”。",
    )
    branch_in_district = BooleanField("在台儿庄区设有分支机构（第五条（一））", default=True)
    loss_share = PercentField(
        "贷款损失承担比例（%）",
        validators=[
            InputRequired("请填写贷款损失承担比例。"),
            readable,
            NumberRange(0, 100, "须在 0 到 100 之间（单位：%）。"),
            _two_places,
        ],
        description=SHARE_HINT,
    )
    agreement_no = StringField(
        "合作协议编号", validators=[Optional(), Length(max=60)], description="印在附件3确认单上；可不填。"
    )
    agreement_from = DateField(
        "协议起始日", validators=[Optional()], description="自该日起可以发放“园区E贷”贷款（第十二条）。"
    )
    agreement_to = DateField("协议截止日", validators=[Optional()], description="可不填，表示未约定截止日。")
    product_name = StringField("贷款产品名称", validators=[Optional(), Length(max=100)], description="例如“园区E贷”。")
    product_recognised = BooleanField("“园区E贷”产品已经四部门联合认定（第十二条）")
    contact_person = StringField("联系人", validators=[Optional(), Length(max=50)])
    contact_phone = StringField("联系电话", validators=[Optional(), Length(max=30)])

    def to_raw(self) -> dict:
        """The input as services.banks takes it: field names of banks.FIELDS, the share as a ratio."""
        raw = {name: field.data for name, field in self._fields.items() if name in banks.FIELDS}
        raw["loss_share"] = None if self.loss_share.ratio is None else str(self.loss_share.ratio)
        for name in ("name", "agreement_no", "product_name", "contact_person", "contact_phone"):
            raw[name] = (raw[name] or "").strip() or None
        raw["name"] = raw["name"] or ""
        return raw

    def fill(self, bank) -> None:
        for name in self._fields:
            if name in banks.FIELDS and name != "loss_share":
                self._fields[name].data = getattr(bank, name)
        self.loss_share.set_ratio(bank.loss_share)


class BankAdmitForm(BankForm):
    code = StringField(
        "银行代码",
        validators=[Optional(), Length(max=20)],
        description="系统内的简称，字母和数字，例如 ABC-TEZ；不超过 20 个字符，准入后不能修改。",
    )

    def to_raw(self) -> dict:
        return {**super().to_raw(), "code": (self.code.data or "").strip()}


class StatusForm(Form):
    """Suspend, resume or disqualify (区财政局; 第十八、十九条): always with the reason. For a
    disqualification, `expected_code` is set and the user must type it (it cannot be undone)."""

    reason = TextAreaField(
        "理由",
        validators=[DataRequired("请填写变更合作状态的理由。"), Length(max=2000)],
        description="必填，记入合作状态记录并通知区金融服务中心和该行。",
    )
    # No Optional(): it would stop the chain on an empty field and skip validate_confirm_code below.
    confirm_code = StringField(
        "请输入该行的银行代码以确认",
        validators=[Length(max=20)],
        description="取消资格后不能恢复合作；为防误操作，请输入银行代码。",
    )

    def __init__(self, *args, expected_code: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.expected_code = expected_code

    def validate_confirm_code(self, field):
        if self.expected_code and (field.data or "").strip().upper() != self.expected_code:
            raise ValidationError(f"请输入银行代码 {self.expected_code} 以确认取消资格。")
