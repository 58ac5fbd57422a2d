"""Logging in and out, and changing one's own password."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from eloan.domain.errors import RuleViolation
from eloan.services import users
from eloan.services.login_throttle import LoginThrottled
from eloan.services.passwords import MIN_LENGTH
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
    password = PasswordField(
        "新密码",
        validators=[DataRequired("请输入新密码。")],
        description=f"至少 {MIN_LENGTH} 个字符，须同时包含字母和数字（或其他符号），不能包含用户名，不能是常见密码。",
    )
    confirm = PasswordField(
        "再次输入新密码",
        validators=[DataRequired("请再次输入新密码。"), EqualTo("password", "两次输入的新密码不一致。")],
    )
    submit = SubmitField("修改密码")


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site: never another host (an open redirect would help phishing).

    Browsers drop tabs and newlines from a URL and read a backslash as a slash, so "/%09/evil.example"
    (a tab, decoded) and "/\\evil.example" lead to another host: anything with a control character, a space
    or a backslash is refused, then whatever does not parse as a bare path starting with a single slash."""
    if not target or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 or ch == "\\" for ch in target):
        return None
    parts = urlsplit(target)
    if not target.startswith("/") or target.startswith("//") or parts.scheme or parts.netloc:
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated and request.method == "GET":
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = users.log_in(form.username.data, form.password.data, request.remote_addr or "-")
        except LoginThrottled as exc:
            form.form_errors.append(exc.message)
            return render_template("auth/login.html", form=form), 429
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
    if current_user.is_authenticated:
        # The session cookie lives in the browser: only ending every session of the user (a new session
        # version) makes a copy of it useless.
        users.end_sessions(current_user)
    logout_user()
    session.clear()
    flash("您已安全退出系统。此账户在所有浏览器和设备上的登录均已结束，需要时请重新登录。", "info")
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
            # The change ended every session of the user (services.users); this browser gets a fresh one.
            user = current_user._get_current_object()
            session.clear()
            login_user(user)
            flash("密码已修改。此账户在其他浏览器和设备上的登录均已结束。", "success")
            return redirect(url_for("home.index"))
    return render_template("auth/password.html", form=form)
