"""`eloan backup`, `eloan restore` and `eloan check-files` (API.md; the runbook is in README "Restore")."""

from __future__ import annotations

import sys

import click

from eloan.cli_common import eloan_cli, fail
from eloan.domain.errors import DomainError
from eloan.services.context import set_channel


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{n} 字节"


@eloan_cli.command("backup")
@click.argument("path")
def backup_command(path):
    """Write a backup of the database and the uploaded files to PATH (a new tar file, mode 0600)."""
    from eloan.services.backup import backup

    set_channel("cli")
    try:
        result = backup(path)
    except DomainError as exc:
        fail(exc)
    click.echo(
        f"已备份到 {result.path}（{_size(result.size)}，权限 0600）：{len(result.tables)} 张表共 "
        f"{sum(result.tables.values())} 行，上传文件 {result.uploads} 个。"
    )


@eloan_cli.command("restore")
@click.argument("path")
@click.option("--force", is_flag=True, help="Overwrite a database that is not empty (everything in it is replaced).")
def restore_command(path, force):
    """Restore a backup made by `backup` into an empty database (a non-empty one needs --force); prints the counts."""
    from eloan.services.backup import restore

    set_channel("cli")
    try:
        result = restore(path, force=force)
    except DomainError as exc:
        fail(exc)
    click.echo(
        f"已从 {path} 恢复：{len(result.tables)} 张表共 {sum(result.tables.values())} 行，"
        f"上传文件 {result.uploads} 个。"
    )
    for name, n in result.tables.items():
        click.echo(f"  {name}: {n}")
    if not result.upgraded:
        click.echo("注意：备份中没有数据库迁移版本记录（alembic_version），未自动升级数据库结构。", err=True)
    if result.mismatched:
        for name, (expected, found) in result.mismatched.items():
            click.echo(f"错误：表 {name} 备份时 {expected} 行，恢复后 {found} 行。", err=True)
        sys.exit(1)
    click.echo("下一步：运行 `eloan init`，核对余额与流水（见 README“恢复”一节），再运行 `eloan check-files`。")


@eloan_cli.command("check-files")
def check_files_command():
    """Compare the stored-files table with the upload folder; exits 1 if a file is missing or altered."""
    from eloan.services.files import check_files, upload_dir

    result = check_files()
    click.echo(f"已检查 {upload_dir()}：文件记录 {result.rows} 条，不同内容 {result.contents} 个。")
    for problem in result.missing:
        click.echo(
            f"缺失：{problem.path}（记录 {', '.join(map(str, problem.record_ids))}：{'、'.join(problem.filenames)}）",
            err=True,
        )
    for problem in result.corrupt:
        click.echo(
            f"内容不符（校验值与文件名不一致）：{problem.path}（记录 {', '.join(map(str, problem.record_ids))}："
            f"{'、'.join(problem.filenames)}）",
            err=True,
        )
    for orphan in result.orphans:
        click.echo(f"无记录的文件（未删除）：{orphan}")
    click.echo(
        f"缺失 {len(result.missing)} 个，内容不符 {len(result.corrupt)} 个，无记录的文件 {len(result.orphans)} 个。"
    )
    if not result.ok:
        click.echo("请从备份恢复缺失或内容不符的文件（见 README“恢复”一节）。", err=True)
        sys.exit(1)
