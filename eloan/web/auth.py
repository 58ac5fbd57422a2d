"""Logging in and out, and changing one's own password."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from eloan.domain.errors import RuleViolation
from eloan.services import users
from eloan.web.errors import attach_domain_handlers
from eloan.web.formkit import Form, apply_errors

bp = Blueprint("auth", __name__)
attach_domain_handlers(bp)

BAD_LOGIN = "用户名或密码不正确"


class LoginForm(Form):
    username = StringField("用户名", validators=[DataRequired("请输入用户名。"), Length(max=64)])
    password = PasswordField("密码", validators=[DataRequired("请输入密码。")])
    submit = SubmitField("登录")


class PasswordForm(Form):
    current = PasswordField("当前密码", validators=[DataRequired("请输入当前密码。")])
    password = PasswordField("新密码", validators=[DataRequired("请输入新密码。")],
                             description="至少 8 个字符，须同时包含字母和数字（或其他字符）。")
    confirm = PasswordField("再次输入新密码",
                            validators=[DataRequired("请再次输入新密码。"),
                                        EqualTo("password", "两次输入的新密码不一致。")])
    submit = SubmitField("修改密码")


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site: never another host (an open redirect would help phishing)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated and request.method == "GET":
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = users.authenticate(form.username.data, form.password.data)
        if user is None:
            form.form_errors.append(BAD_LOGIN)
        else:
            next_url = _safe_next(request.args.get("next"))
            session.clear()  # a fresh session at login: no fixation of an earlier session id
            login_user(user)
            if user.must_change_password:
                return redirect(url_for("auth.password"))
            return redirect(next_url or url_for("home.index"))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    session.clear()
    flash("您已安全退出系统。", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            users.change_own_password(current_user, form.current.data, form.password.data)
        except RuleViolation as exc:
            apply_errors(form, exc)
        else:
            flash("密码已修改。", "success")
            return redirect(url_for("home.index"))
    return render_template("auth/password.html", form=form)
