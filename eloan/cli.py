"""`flask --app wsgi eloan …`: operators' commands (API.md). Each calls services and prints the result."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from eloan.cli_common import eloan_cli, fail
from eloan.domain.errors import DomainError
from eloan.services.context import set_channel


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"“{value}”不是 YYYY-MM-DD 格式的日期") from None


@eloan_cli.command("init")
def init_command():
    """Create or upgrade the database and load reference data (safe to run again)."""
    from flask_migrate import upgrade

    from eloan.services.calendar_year import load_reference_data

    set_channel("cli")
    upgrade()
    result = load_reference_data()
    click.echo("数据库已是最新结构。")
    click.echo(f"政策版本 TZ-2023-9：{'已载入' if result['policy_created'] else '已存在'}")
    click.echo(f"LPR 记录新增 {result['lpr_added']} 条")
    click.echo(f"节假日安排：{result['calendar_years']} 个年度，{result['calendar_days']} 个调整日")


@eloan_cli.command("seed-demo")
@click.option("--password", default=None, help="Password for every demo user (default: generated).")
def seed_demo_command(password):
    """A realistic demo: banks, enterprises and one user per role (password printed)."""
    from eloan.demo.story import seed_demo

    set_channel("cli")
    try:
        result = seed_demo(password)
    except DomainError as exc:
        fail(exc)
    if not result.created:
        click.echo("演示数据已存在，未作改动。")
        return
    credentials = Path(current_app.config["INSTANCE_DIR"]) / "demo-credentials.txt"
    credentials.write_text("".join(f"{u}\t{result.password}\n" for u in result.users), encoding="utf-8")
    credentials.chmod(0o600)
    click.echo("演示数据已创建。演示用户（密码相同）：" + "、".join(result.users))
    click.echo(f"密码：{result.password}（另存于 {credentials}）")


@eloan_cli.command("create-user")
@click.argument("name")
@click.option("--role", "roles", multiple=True, required=True, help="zone|industry|fsc|finance|bank|admin|auditor")
@click.option("--bank", "bank_code", default=None, help="Bank code, required for a bank user.")
@click.option("--password", default=None, help="Initial password (default: generated and printed).")
@click.option("--display-name", default=None)
def create_user_command(name, roles, bank_code, password, display_name):
    """Create a user."""
    from eloan.services.passwords import generate
    from eloan.services.users import create_user

    set_channel("cli")
    generated = password is None
    password = password or generate("Init", (name,))
    try:
        user = create_user(
            None,
            name,
            roles=list(roles),
            password=password,
            bank_code=bank_code,
            display_name=display_name,
            must_change_password=generated,
        )
    except DomainError as exc:
        fail(exc)
    click.echo(
        f"已创建用户 {user.username}，角色：{', '.join(user.roles)}" + (f"，银行：{bank_code}" if bank_code else "")
    )
    if generated:
        click.echo(f"初始密码：{password}（首次登录须修改）")


@eloan_cli.command("create-token")
@click.argument("name")
@click.option("--label", default=None, help="A name for the token, e.g. the calling system.")
def create_token_command(name, label):
    """Print a new API token for user NAME (only its hash is stored)."""
    from eloan.services.users import create_token

    set_channel("cli")
    try:
        token = create_token(None, name, label)
    except DomainError as exc:
        fail(exc)
    click.echo(token)


@eloan_cli.command("audit-verify")
def audit_verify_command():
    """Check the audit log's hash chain; exit 1 at the first broken entry."""
    from eloan.services.audit_chain import verify

    report = verify()
    if report.chain_ok:
        click.echo(f"审计日志完整：共 {report.entries} 条记录，哈希链校验通过。")
        return
    where = f"第一条异常记录 #{report.first_bad_id}" if report.first_bad_id is not None else "无法定位到具体记录"
    click.echo(
        f"审计日志哈希链断裂：{where}，{report.reason_text}（{report.reason}）。共 {report.entries} 条记录。", err=True
    )
    sys.exit(1)


def _print_run(result) -> None:
    s = result.summary
    if result.outcome == "already_done":
        click.echo(f"{result.run_date} 的每日任务此前已运行，本次未做任何改动。")
        return
    if result.outcome == "running_elsewhere":
        click.echo(
            f"{result.run_date} 的每日任务未运行：另一进程正在运行每日任务（它完成后再运行本命令即可）。"
            "本次未做任何改动。",
            err=True,
        )
        return
    programme = s.get("programme", {})
    click.echo(f"{result.run_date} 每日任务完成（政策版本：{s.get('policy') or '无有效政策，未判断暂停'}）")
    click.echo(
        f"  比例快照 {s['snapshots']} 条；全区贷款余额 {programme.get('outstanding')}，"
        f"不良率 {programme.get('npl_ratio') or '—'}，逾期率 {programme.get('overdue_ratio') or '—'}"
    )
    click.echo(
        f"  自动暂停：{'、'.join(s['suspended']) or '无'}；自动恢复：{'、'.join(s['resumed']) or '无'}；"
        f"人工暂停待定：{'、'.join(s['manual_hold']) or '无'}"
    )
    click.echo(
        f"  期限提醒 {s['reminders']} 项，逾期上报 {s['escalations']} 项，期限重算 {s['deadlines_recomputed']} 件，"
        f"新增惩戒 {s['sanctions_flagged']} 户，到期未报提醒 {s['matured_unreported']} 条"
    )


# Exit status when nothing was done because another process is running the job (EX_TEMPFAIL: try again later).
EXIT_RUNNING_ELSEWHERE = 75


@eloan_cli.command("run-daily")
@click.option("--date", "day", default=None, help="YYYY-MM-DD (default today, Beijing time).")
@click.option("--catch-up", is_flag=True, help="Run every date missed since the last completed run, up to today.")
def run_daily_command(day, catch_up):
    """The daily job: deadlines, reminders, sanctions, ratios, suspensions and resumptions; once per date.

    Exits 75 when another process is running the job and nothing was done here."""
    from eloan.jobs.daily import MAX_CATCH_UP_DAYS, run_daily
    from eloan.jobs.daily import catch_up as run_catch_up

    set_channel("cli")
    skipped = None
    try:
        if catch_up:
            done = run_catch_up(trigger="cli")
            results, skipped = done.runs, done.skipped
        else:
            results = [run_daily(_date(day) if day else None, trigger="cli")]
    except DomainError as exc:
        fail(exc)
    if skipped:
        first, last = skipped
        click.echo(
            f"警告：{first} 至 {last} 共 {(last - first).days + 1} 天超过补跑上限（{MAX_CATCH_UP_DAYS} 天），未运行；"
            "已通知区财政局和系统管理员。",
            err=True,
        )
    if catch_up and not results:
        click.echo("没有需要补跑的日期。")
    for result in results:
        _print_run(result)
    if any(r.outcome == "running_elsewhere" for r in results):
        sys.exit(EXIT_RUNNING_ELSEWHERE)


@eloan_cli.command("scheduler")
def scheduler_command():
    """Run the scheduler in this process (production: one such process; see README)."""
    from eloan.jobs.scheduler import run_blocking

    run_blocking(current_app._get_current_object())


calendar_cli = AppGroup("calendar", help="The working-day calendar.")


@calendar_cli.command("set")
@click.argument("day")
@click.argument("kind", type=click.Choice(["workday", "holiday"]))
@click.option("--note", default=None, help="e.g. 春节 or 调休上班")
def calendar_set_command(day, kind, note):
    """Record one day of a newly published arrangement."""
    from eloan.services.reference import set_calendar_day

    set_channel("cli")
    d = _date(day)
    set_calendar_day(None, d, kind == "workday", note)
    click.echo(f"{d}：{'工作日' if kind == 'workday' else '休息日'}" + (f"（{note}）" if note else ""))


@calendar_cli.command("year")
@click.argument("year", type=int)
@click.option("--loaded/--not-loaded", default=True, help="Whether YEAR's arrangement is complete.")
@click.option("--note", default=None)
def calendar_year_command(year, loaded, note):
    """Mark a year's arrangement as loaded (its deadlines stop being provisional)."""
    from eloan.services.calendar_year import mark_year_loaded

    set_channel("cli")
    mark_year_loaded(None, year, loaded, note)
    click.echo(f"{year} 年节假日安排：{'已载入' if loaded else '未载入（期限为暂定）'}")


eloan_cli.add_command(calendar_cli)


def register_cli(app: Flask) -> None:
    from eloan import cli_backup  # noqa: F401  (backup, restore, check-files join eloan_cli)

    app.cli.add_command(eloan_cli)
