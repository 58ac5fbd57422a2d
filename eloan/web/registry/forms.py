"""Forms of the registry pages. They carry the input to the services as it was typed: the rules
(credit code check, numbers, labels of the enumerations) are the one parser's in domain/registry.py,
whose refusals come back beside their fields through formkit.apply_errors."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import DateField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from eloan.domain.policy import INDUSTRIES
from eloan.domain.registry import FIELD_LABELS, MU_CLASSES
from eloan.domain.sme import SIZE_LABELS
from eloan.web.formkit import INVALID_CHOICE, Form, choices_of

INDUSTRY_CHOICES = choices_of([("", "请选择所属行业")] + list(INDUSTRIES.items()))
SIZE_CHOICES = choices_of(
    [("", "自动计算（按从业人员和营业收入）")] + [(k, f"{v}企业") for k, v in SIZE_LABELS.items()]
)
MU_CHOICES = choices_of([("", "未评价")] + [(c, f"{c}类") for c in MU_CLASSES])
IN_ZONE_CHOICES = choices_of([("1", "是，在开发区内"), ("0", "否，不在开发区内")])
YES_NO_ANY = choices_of([("", "全部"), ("1", "是"), ("0", "否")])


def _select(name: str, choices, description: str | None = None) -> SelectField:
    return SelectField(
        FIELD_LABELS[name], choices=choices, default="", invalid_choice_message=INVALID_CHOICE, description=description
    )


def _text(name: str, max_length: int, description: str | None = None) -> StringField:
    return StringField(FIELD_LABELS[name], validators=[Optional(), Length(max=max_length)], description=description)


class EnterpriseForm(Form):
    """Every field of the record except the credit code, which is fixed once registered."""

    name = _text("name", 200, "与营业执照一致的全称。")
    industry = _select(
        "industry",
        INDUSTRY_CHOICES,
        "第四条支持高端装备、新材料、新能源、新医药、新一代信息技术五个行业；“其他”行业的企业可以登记，但不能列入推荐名单。",
    )
    in_zone = RadioField(
        FIELD_LABELS["in_zone"], choices=IN_ZONE_CHOICES, default="1", invalid_choice_message=INVALID_CHOICE
    )
    special_approval_note = TextAreaField(
        FIELD_LABELS["special_approval_note"],
        validators=[Optional(), Length(max=2000)],
        description="不在开发区内时必填：写明认定为“特别优质”企业的单位、文号和日期。没有认定意见的区外企业不能列入推荐名单（第三条）。",
    )
    employees = _text("employees", 20, "上年末从业人员数，整数。")
    revenue = _text("revenue", 30, "上年度营业收入，单位元，例如 30000000 表示 3000 万元。")
    size_class = _select(
        "size_class",
        SIZE_CHOICES,
        "可不选：不选时由系统按工信部中小企业划型标准，根据从业人员和营业收入自动计算。大型企业不能列入推荐名单。",
    )
    tax_sales = _text("tax_sales", 30, "上年度纳税申报销售收入，单位元；候选企业在同一亩产效益类别内按此排序。")
    established_on = DateField(FIELD_LABELS["established_on"], validators=[Optional()])
    legal_rep = _text("legal_rep", 50)
    phone = _text("phone", 30)
    address = _text("address", 200)
    submit = SubmitField("保存")

    def to_raw(self) -> dict:
        """The input as the service takes it (field names of domain/registry.py)."""
        return {name: field.data for name, field in self._fields.items() if name in FIELD_LABELS and name != "uscc"}


class EnterpriseCreateForm(EnterpriseForm):
    uscc = StringField(
        FIELD_LABELS["uscc"],
        validators=[Optional(), Length(max=40)],
        description="18 位，见营业执照，例如 91370405MA3C8Y6X23；系统会核对第 18 位校验码。登记后不能修改。",
    )
    mu_class = _select("mu_class", MU_CHOICES, "最近一次亩产效益综合评价的类别。D 类企业不能列入推荐名单。")
    mu_year = _text("mu_year", 4, "选了类别时必填，例如 2023。以后各年度的类别可在企业详情页添加。")
    submit = SubmitField("登记企业")

    def to_raw(self) -> dict:
        return {
            **super().to_raw(),
            "uscc": self.uscc.data,
            "mu_class": self.mu_class.data,
            "mu_year": self.mu_year.data,
        }


class MuRatingForm(Form):
    mu_year = StringField("评价年度", validators=[Optional(), Length(max=4)], description="例如 2024。")
    mu_class = SelectField(
        "亩产效益类别", choices=choices_of([(c, f"{c}类") for c in MU_CLASSES]), invalid_choice_message=INVALID_CHOICE
    )
    note = StringField("备注", validators=[Optional(), Length(max=200)], description="例如评价文件的文号。可不填。")
    submit = SubmitField("保存该年度类别")

    def year(self) -> int | None:
        text = (self.mu_year.data or "").strip()
        return int(text) if text.isdigit() else None


class EnterpriseFilterForm(Form):
    class Meta:
        csrf = False  # a search sent by GET changes nothing

    q = StringField("企业名称或代码", validators=[Optional(), Length(max=100)])
    industry = SelectField(
        "所属行业", choices=choices_of([("", "全部")] + list(INDUSTRIES.items())), validate_choice=False
    )
    size_class = SelectField(
        "企业规模", choices=choices_of([("", "全部")] + list(SIZE_LABELS.items())), validate_choice=False
    )
    mu_class = SelectField(
        "亩产效益类别", choices=choices_of([("", "全部")] + [(c, f"{c}类") for c in MU_CLASSES]), validate_choice=False
    )
    in_zone = SelectField("在开发区内", choices=YES_NO_ANY, validate_choice=False)
    sanctioned = SelectField("受惩戒", choices=YES_NO_ANY, validate_choice=False)

    def filters(self) -> dict:
        """The search's keyword arguments for services.enterprises.search (unknown values ignored)."""

        def known(value, allowed):
            return value if value in allowed else None

        def flag(value):
            return {"1": True, "0": False}.get(value)

        return {
            "q": (self.q.data or "").strip() or None,
            "industry": known(self.industry.data, INDUSTRIES),
            "size_class": known(self.size_class.data, SIZE_LABELS),
            "mu_class": known(self.mu_class.data, MU_CLASSES),
            "in_zone": flag(self.in_zone.data),
            "sanctioned": flag(self.sanctioned.data),
        }

    def query_args(self) -> dict:
        """The filters as they appear in the address, for paging and the export link."""
        return {name: field.data for name, field in self._fields.items() if field.data}


class UploadForm(Form):
    file = FileField(
        "Excel 文件（.xlsx）", description="请使用本页提供的模板填写，第一行为表头，每行一家企业；文件不超过 10 MB。"
    )
    submit = SubmitField("上传并检查")


class ConfirmImportForm(Form):
    token = StringField(validators=[Optional(), Length(max=200)])


class ClearSanctionForm(Form):
    uscc = StringField(validators=[Optional(), Length(max=40)])
    reason = TextAreaField(
        "解除理由",
        validators=[Optional(), Length(max=1000)],
        description="例如：逾期贷款已全部结清（附银行结清证明）。",
    )
