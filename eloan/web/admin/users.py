"""Users: list, create, edit roles, reset password, disable/enable, API tokens."""

from __future__ import annotations

from flask import flash, make_response, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user

from eloan.domain.errors import NotFound, RuleViolation
from eloan.services import dashboard, users
from eloan.web.admin import bp
from eloan.web.admin.forms import ResetPasswordForm, TokenForm, UserCreateForm, UserEditForm, bank_choices
from eloan.web.formkit import apply_errors, flash_errors


def _with_banks(form):
    form.bank.choices = bank_choices(dashboard.banks_for_choice())
    return form


@bp.route("/users", endpoint="users")
def users_list():
    return render_template("admin/users/list.html", users=users.list_users())


@bp.route("/users/new", methods=["GET", "POST"])
def users_new():
    form = _with_banks(UserCreateForm())
    if form.validate_on_submit():
        try:
            user = users.create_user(
                current_user,
                form.username.data,
                roles=form.roles.data or [],
                password=form.password.data,
                display_name=form.display_name.data,
                bank_code=form.bank.data or None,
                must_change_password=form.must_change_password.data,
                email=form.email.data,
            )
        except RuleViolation as exc:
            apply_errors(form, exc)
        else:
            flash(f"已创建用户 {user.username}。", "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/users/new.html", form=form)


def _edit_page(user, *, edit_form=None, reset_form=None, token_form=None):
    if edit_form is None:
        edit_form = _with_banks(
            UserEditForm(
                formdata=None,
                data={
                    "display_name": user.display_name,
                    "email": user.email or "",
                    "roles": user.roles,
                    "bank": user.bank.code if user.bank else "",
                },
            )
        )
    return render_template(
        "admin/users/edit.html",
        user=user,
        form=edit_form,
        reset_form=reset_form or ResetPasswordForm(formdata=None),
        token_form=token_form or TokenForm(formdata=None),
        tokens=users.tokens_of(user.id),
    )


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def users_edit(user_id: int):
    user = users.get_user(user_id)
    if request.method == "GET":
        return _edit_page(user)
    form = _with_banks(UserEditForm())
    if form.validate_on_submit():
        try:
            users.update_user(
                current_user,
                user.id,
                display_name=form.display_name.data,
                roles=form.roles.data or [],
                bank_code=form.bank.data or None,
                email=form.email.data,
            )
        except RuleViolation as exc:
            apply_errors(form, exc)
        else:
            flash(f"已保存用户 {user.username} 的信息。", "success")
            return redirect(url_for("admin.users_edit", user_id=user.id))
    return _edit_page(user, edit_form=form)


@bp.route("/users/<int:user_id>/password", methods=["POST"])
def users_password(user_id: int):
    user = users.get_user(user_id)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            users.reset_password(current_user, user.id, form.password.data)
        except RuleViolation as exc:
            apply_errors(form, exc)
        else:
            if user.id == current_user.id:  # the reset ended the administrator's own sessions: keep this one
                session.clear()
                login_user(user)
                flash("已重置您自己的密码；您在其他浏览器和设备上的登录均已结束。", "success")
            else:
                flash(f"已重置 {user.username} 的密码，其在各处的登录均已结束；该用户下次登录时须修改密码。", "success")
            return redirect(url_for("admin.users_edit", user_id=user.id))
    return _edit_page(user, reset_form=form)


@bp.route("/users/<int:user_id>/active", methods=["POST"])
def users_active(user_id: int):
    user = users.get_user(user_id)
    active = request.form.get("active") == "1"
    try:
        users.set_active(current_user, user.id, active)
    except RuleViolation as exc:
        flash_errors(exc)
    else:
        flash(
            f"已{'启用' if active else '停用'}用户 {user.username}。" + ("" if active else "其 API 令牌已同时吊销。"),
            "success",
        )
    return redirect(url_for("admin.users_edit", user_id=user.id))


@bp.route("/users/<int:user_id>/tokens", methods=["POST"])
def users_token_new(user_id: int):
    user = users.get_user(user_id)
    form = TokenForm()
    if form.validate_on_submit():
        try:
            token = users.create_token(current_user, user.username, form.name.data or None)
        except RuleViolation as exc:
            apply_errors(form, exc, aliases={"username": "name"})
        else:
            # Shown in this answer and nowhere else: only its hash is stored.
            response = make_response(render_template("admin/users/token.html", user=user, token=token))
            response.headers["Cache-Control"] = "no-store"
            return response
    return _edit_page(user, token_form=form)


@bp.route("/users/<int:user_id>/tokens/<int:token_id>/revoke", methods=["POST"])
def users_token_revoke(user_id: int, token_id: int):
    user = users.get_user(user_id)
    if token_id not in {t.id for t in users.tokens_of(user.id)}:
        raise NotFound("令牌不存在。")
    users.revoke_token(current_user, token_id)
    flash("令牌已吊销，使用它的系统将无法再访问。", "success")
    return redirect(url_for("admin.users_edit", user_id=user.id))
