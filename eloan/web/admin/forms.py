"""The administrator's forms. They parse and check the shape of the input; the rules are the
services' (a refusal comes back beside its field through formkit.apply_errors)."""

from __future__ import annotations

from decimal import Decimal

from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, NumberRange, Optional, ValidationError

from eloan.domain.policy import INDUSTRIES, PolicyParams
from eloan.domain.roles import ROLES
from eloan.services.passwords import MIN_LENGTH
from eloan.web.formkit import (
    INVALID_CHOICE,
    CheckboxListField,
    Form,
    PercentField,
    PlainDecimalField,
    choices_of,
    readable,
)

ROLE_CHOICES = choices_of(ROLES.items())
# 第四条 names five industries; "other" exists for the registry only and is never eligible.
INDUSTRY_CHOICES = choices_of((code, label) for code, label in INDUSTRIES.items() if code != "other")
_REQUIRED = "此项必填。"


def bank_choices(banks) -> list[tuple[str, str]]:
    return choices_of([("", "（不属于任何银行）")] + [(b.code, f"{b.name}（{b.code}）") for b in banks])


# ---- users -----------------------------------------------------------------------------------


class UserEditForm(Form):
    display_name = StringField(
        "姓名",
        validators=[DataRequired("请填写姓名。"), Length(max=100)],
        description="显示在页面顶部和审计日志中，例如“张三（财政局）”。",
    )
    # The shape is the service's to check (users._clean_email): its refusal comes back beside the field.
    email = EmailField(
        "电子邮箱（接收通知邮件，可不填）",
        validators=[Optional(), Length(max=200)],
        description="填写后，系统通知（如期限提醒、逾期上报）会同时发送到这个邮箱；不需要邮件的可留空。",
    )
    roles = CheckboxListField(
        "角色", choices=ROLE_CHOICES, description="可选多个政府部门角色；合作银行用户只能有“合作银行”一个角色。"
    )
    bank = SelectField(
        "所属银行",
        choices=[],
        invalid_choice_message=INVALID_CHOICE,
        description="仅“合作银行”角色需要选择；其他角色请保持“不属于任何银行”。",
    )
    submit = SubmitField("保存")


class UserCreateForm(UserEditForm):
    username = StringField(
        "用户名",
        validators=[DataRequired("请填写用户名。"), Length(max=64)],
        description="登录时使用，不能含空格，创建后不能修改。",
    )
    password = PasswordField(
        "初始密码",
        validators=[DataRequired("请设置初始密码。")],
        description=f"至少 {MIN_LENGTH} 个字符，须同时包含字母和数字（或其他符号），不能包含用户名，"
        "不能是常见密码。请当面或电话告知本人。",
    )
    must_change_password = BooleanField("首次登录时须修改密码", default=True)
    submit = SubmitField("创建用户")


class ResetPasswordForm(Form):
    password = PasswordField(
        "新密码",
        validators=[DataRequired("请填写新密码。")],
        description=f"至少 {MIN_LENGTH} 个字符，须同时包含字母和数字（或其他符号），不能包含用户名，"
        "不能是常见密码。重置后该用户在各处的登录即结束，下次登录时须自行修改密码。",
    )
    confirm = PasswordField(
        "再次输入新密码", validators=[DataRequired("请再次输入新密码。"), EqualTo("password", "两次输入的密码不一致。")]
    )
    submit = SubmitField("重置密码")


class TokenForm(Form):
    name = StringField(
        "令牌名称",
        validators=[Optional(), Length(max=100)],
        description="便于识别用途，例如“核心系统对接”。可不填，系统自动命名。",
    )
    submit = SubmitField("发放新令牌")


# ---- policy versions --------------------------------------------------------------------------


def _at_most_places(places: int):
    quantum = Decimal(1).scaleb(-places)

    def check(form, field):
        if field.data is not None and field.data != field.data.quantize(quantum):
            raise ValidationError(f"最多 {places} 位小数。")

    return check


def _percent(label: str, description: str) -> PercentField:
    validators = [InputRequired(_REQUIRED), readable, NumberRange(0, 100, "须在 0 到 100 之间。"), _at_most_places(4)]
    return PercentField(label, validators=validators, description=description)


def _count(label: str, description: str) -> IntegerField:
    return IntegerField(label, validators=[InputRequired(_REQUIRED), readable], description=description)


def _amount(label: str, description: str) -> PlainDecimalField:
    validators = [InputRequired(_REQUIRED), readable, _at_most_places(2)]
    return PlainDecimalField(label, validators=validators, description=description)


class PolicyForm(Form):
    code = StringField(
        "版本编号",
        validators=[DataRequired(_REQUIRED), Length(max=40)],
        description="例如 TZ-2025-1，保存后用于贷款和补偿记录。",
    )
    name = StringField("政策名称", validators=[DataRequired(_REQUIRED), Length(max=200)])
    effective_from = DateField("生效日期", validators=[InputRequired(_REQUIRED)])
    effective_to = DateField(
        "失效日期", validators=[Optional()], description="含当日。不填表示长期有效，直到新增下一个版本前修改本项。"
    )
    max_compensation_ratio = _percent(
        "最高补偿比例（%）", "不良贷款本金中风险补偿资金最多承担的百分比，填 80 表示 80%（第十四条）。"
    )
    min_bank_share = _percent("银行最低损失承担比例（%）", "填 20 表示 20%（第五条第三项）。")
    rate_spread_bp = _count("利率上限：LPR 加点（基点）", "1 个基点 = 0.01%，填 60 表示 LPR + 0.60%（第五条第四项）。")
    max_term_months = _count("最长贷款期限（月）", "填 12 表示 12 个月（第六条）。")
    max_outstanding_per_enterprise = _amount(
        "单户贷款余额上限（元）", "同一企业在所有合作银行的贷款余额合计上限，填 5000000 表示 500 万元（第六条）。"
    )
    filing_working_days = _count("申请补偿时限（工作日）", "认定不良后多少个工作日内提出申请（第十五条）。")
    opinion_days = _count("出具意见时限（日）", "受理后多少日内出具意见（第十六条）。")
    payout_days = _count("拨付时限（日）", "同意补偿后多少日内拨付（第十六条）。")
    npl_ratio_threshold = _percent("不良率暂停阈值（%）", "超过此百分比即暂停合作，填 3 表示 3%（第十八条）。")
    overdue_ratio_threshold = _percent("逾期率暂停阈值（%）", "超过此百分比即暂停合作，填 5 表示 5%（第十八条）。")
    fund_scale = _amount("资金池规模（元）", "填 100000000 表示 1 亿元（第十四条）。")
    first_tranche = _amount("首期资金（元）", "填 10000000 表示 1000 万元（第十四条）。")
    eligible_industries = CheckboxListField(
        "支持行业", choices=INDUSTRY_CHOICES, description="只有所选行业的企业可以列入推荐名单（第四条）。"
    )
    note = TextAreaField(
        "备注", validators=[Optional(), Length(max=2000)], description="例如发文字号：台政办发〔2023〕9号。"
    )
    submit = SubmitField("保存政策版本")

    def to_params(self) -> PolicyParams:
        return PolicyParams(
            code=self.code.data.strip(),
            name=self.name.data.strip(),
            effective_from=self.effective_from.data,
            effective_to=self.effective_to.data,
            max_compensation_ratio=self.max_compensation_ratio.ratio,
            min_bank_share=self.min_bank_share.ratio,
            rate_spread_bp=self.rate_spread_bp.data,
            max_term_months=self.max_term_months.data,
            max_outstanding_per_enterprise=self.max_outstanding_per_enterprise.data,
            filing_working_days=self.filing_working_days.data,
            opinion_days=self.opinion_days.data,
            payout_days=self.payout_days.data,
            npl_ratio_threshold=self.npl_ratio_threshold.ratio,
            overdue_ratio_threshold=self.overdue_ratio_threshold.ratio,
            fund_scale=self.fund_scale.data,
            first_tranche=self.first_tranche.data,
            eligible_industries=tuple(self.eligible_industries.data or ()),
        )

    def fill_from(self, row) -> None:
        """Show a stored version in the form (ratios as percentages)."""
        for name in (
            "code",
            "name",
            "effective_from",
            "effective_to",
            "rate_spread_bp",
            "max_term_months",
            "max_outstanding_per_enterprise",
            "filing_working_days",
            "opinion_days",
            "payout_days",
            "fund_scale",
            "first_tranche",
            "note",
        ):
            getattr(self, name).data = getattr(row, name)
        for name in ("max_compensation_ratio", "min_bank_share", "npl_ratio_threshold", "overdue_ratio_threshold"):
            getattr(self, name).set_ratio(getattr(row, name))
        self.eligible_industries.data = list(row.eligible_industries or ())


# ---- LPR ---------------------------------------------------------------------------------------


class LprEditForm(Form):
    rate_1y_percent = StringField(
        "1年期LPR（%）",
        validators=[DataRequired(_REQUIRED), Length(max=12)],
        description="按全国银行间同业拆借中心公布值填写，例如 3.00 表示 3.00%。",
    )
    note = StringField("备注", validators=[Optional(), Length(max=200)])
    submit = SubmitField("保存")


class LprForm(LprEditForm):
    effective_from = DateField(
        "生效日期",
        validators=[InputRequired(_REQUIRED)],
        description="公布并开始执行的日期；已有该日期的记录时，将改为新的利率。",
    )


# ---- calendar ----------------------------------------------------------------------------------


class CalendarDayForm(Form):
    day = DateField("日期", validators=[InputRequired(_REQUIRED)])
    kind = RadioField(
        "安排",
        choices=choices_of([("holiday", "放假（工作日休息）"), ("workday", "上班（周末调休上班）")]),
        validators=[InputRequired("请选择放假或上班。")],
        invalid_choice_message=INVALID_CHOICE,
    )
    note = StringField("说明", validators=[Optional(), Length(max=100)], description="例如“国庆节”“国庆节调休上班”。")
    submit = SubmitField("保存这一天")


class CalendarYearForm(Form):
    note = StringField("说明", validators=[Optional(), Length(max=200)], description="例如“国办发明电〔2025〕7号”。")


# ---- audit -------------------------------------------------------------------------------------


class AuditFilterForm(Form):
    class Meta:
        csrf = False  # a search form sent by GET changes nothing

    object_type = SelectField("对象类型", choices=[], validate_choice=False)
    object_id = StringField("对象编号", validators=[Optional(), Length(max=60)])
    actor = StringField("操作人（用户名）", validators=[Optional(), Length(max=64)])
