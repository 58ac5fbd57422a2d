"""What every form on the site shares: Chinese messages, checkbox lists, and putting a service's
refusal back beside the field it concerns (ARCHITECTURE.md: "errors are for people")."""

from __future__ import annotations

from decimal import Decimal

from flask import flash, request
from flask_wtf import FlaskForm
from wtforms import DecimalField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.meta import DefaultMeta
from wtforms.validators import StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from eloan.domain.errors import RuleViolation, StateConflict, Violation
from eloan.domain.limits import MAX_PAGE
from eloan.domain.money import AMOUNT_INTEGER_DIGITS, is_plain_number, ungrouped

_HUNDRED = Decimal(100)
INVALID_CHOICE = "所选的项不在可选范围内，请重新选择。"


class Form(FlaskForm):
    """A FlaskForm whose built-in messages are in Chinese (WTForms ships the translation)."""

    class Meta:
        locales = ("zh",)

        def get_translations(self, form):
            return DefaultMeta.get_translations(self, form)


def readable(form, field) -> None:
    """Stop after "not a valid number": further checks on an unreadable value only add noise."""
    if field.process_errors:
        raise StopValidation()


class CheckboxListField(SelectMultipleField):
    """Several choices as a list of checkboxes with labels (roles, industries)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("invalid_choice_message", INVALID_CHOICE)
        super().__init__(label, validators, **kwargs)


def choices_of(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


def _decimal_would_take(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


class PlainDecimalField(DecimalField):
    """A number typed as plain ASCII digits ("1,234.5" allowed). Decimal() alone also takes "１００",
    "1_000", ".5", "1e3" and "inf", and a 40-digit value that later arithmetic cannot hold."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("places", None)
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        text = valuelist[0].strip() if valuelist and valuelist[0] else ""
        if not text or not _decimal_would_take(ungrouped(text)):
            return super().process_formdata(valuelist)  # plain junk: WTForms' own "不是有效的小数"
        if not is_plain_number(text):
            self.data = None
            raise ValueError(
                "请用半角数字 0–9 和小数点填写，如 300 或 12.5（不接受全角数字、下划线、科学计数法，"
                "小数点前后都要有数字）。"
            )
        plain = ungrouped(text).lstrip("-")
        if len(plain.partition(".")[0].lstrip("0")) > AMOUNT_INTEGER_DIGITS:
            self.data = None
            raise ValueError(f"数值超出范围：整数部分最多 {AMOUNT_INTEGER_DIGITS} 位。")
        super().process_formdata([ungrouped(text)])


class PercentField(PlainDecimalField):
    """A ratio entered as a percentage (80 means 0.8000); `.ratio` is the exact decimal."""

    @property
    def ratio(self) -> Decimal | None:
        return None if self.data is None else self.data / _HUNDRED

    def set_ratio(self, ratio: Decimal | None) -> None:
        self.data = None if ratio is None else (ratio * _HUNDRED).normalize()

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return format(self.data.normalize(), "f")


def requested_page() -> int:
    """A list page's ?page=, within 1..MAX_PAGE: a huge number shows an empty page, not a database error."""
    return min(max(request.args.get("page", 1, type=int), 1), MAX_PAGE)


def violation_text(v: Violation) -> str:
    return f"{v.message}（{v.article}）" if v.article else v.message


def apply_errors(form, exc: RuleViolation | StateConflict, aliases: dict[str, str] | None = None) -> None:
    """Put each violation beside its field; those with no field on this form go to the top."""
    if isinstance(exc, StateConflict):
        form.form_errors.append(exc.message)
        return
    aliases = aliases or {}
    for v in exc.violations:
        name = aliases.get(v.field, v.field) if v.field else None
        field = form._fields.get(name) if name else None
        if field is not None:
            field.errors = [*field.errors, violation_text(v)]
        else:
            form.form_errors.append(violation_text(v))


def flash_errors(exc: RuleViolation | StateConflict) -> None:
    """For a refused action that has no form of its own (a button): one flash per reason."""
    if isinstance(exc, StateConflict):
        flash(exc.message, "error")
        return
    for v in exc.violations:
        flash(violation_text(v), "error")


def flash_form_errors(form) -> None:
    """For a small form shown inside another page: its problems as flash messages."""
    for name, messages in form.errors.items():
        label = form[name].label.text if name and name in form else None
        for message in messages:
            flash(f"{label}：{message}" if label else message, "error")


def preview_upload(form, preview):
    """Run an import's preview step, `preview(actor, content, filename)`, on the form's uploaded file.

    Returns the preview, or None with the reason beside the file field (no file, or a file-level refusal).
    """
    from flask_login import current_user

    upload = form.file.data
    if not upload or not getattr(upload, "filename", ""):
        form.file.errors = [*form.file.errors, "请选择要上传的 Excel 文件（.xlsx）。"]
        return None
    try:
        return preview(current_user, upload.read(), upload.filename)
    except RuleViolation as exc:
        apply_errors(form, exc)
        return None
