"""Backups that can be restored: the database and the uploaded files in one tar file, with a manifest.

A backup is an uncompressed tar (mode 0600, written under a temporary name and renamed when whole):

    manifest.json     format "eloan-backup" v1: when, the database kind, the Alembic revision, the row
                      count of every table, the SHA-256 of the database file and of every upload
    database.dump     PostgreSQL: pg_dump --format=custom            (or)
    database.sqlite   SQLite: a copy made with the online backup API
    uploads/ab/ab…    the uploaded files, named by their SHA-256 as in UPLOAD_DIR

On PostgreSQL the row counts and the dump read one snapshot (pg_dump --snapshot), so they agree even
while the application writes. The database password never appears on a command line: pg_dump and
pg_restore get it in the PGPASSWORD environment variable of their own process only.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import URL, create_engine, func, inspect, select, table, text
from sqlalchemy.pool import NullPool

from eloan import clock
from eloan.domain.errors import DomainError
from eloan.extensions import db
from eloan.services.files import sha256_of, upload_dir, write_whole

FORMAT, VERSION = "eloan-backup", 1
DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite"}
_UPLOAD_NAME = re.compile(r"^uploads/([0-9a-f]{2})/(\1[0-9a-f]{62})$")


class BackupError(DomainError):
    """A backup or restore that cannot be done, said plainly (bad path, not a backup, non-empty target…)."""


@dataclass
class BackupResult:
    path: Path
    size: int
    tables: dict[str, int]
    uploads: int


@dataclass
class RestoreResult:
    tables: dict[str, int]
    uploads: int
    mismatched: dict[str, tuple[int, int]] = field(default_factory=dict)  # table: (in the backup, restored)
    upgraded: bool = True  # False: the backup has no Alembic revision (a database not made by `eloan init`)


def _dialect() -> str:
    name = db.engine.dialect.name
    if name not in DATABASE_FILES:
        raise BackupError(f"不支持的数据库类型 {name}（只支持 PostgreSQL 和 SQLite）。")
    return name


def _pg_tool(name: str) -> str:
    tool = shutil.which(name)
    if tool is None:
        raise BackupError(f"找不到 {name}，请安装 postgresql-client（与数据库同一大版本）。")
    return tool


def _pg_target() -> tuple[str, dict]:
    """The connection for pg_dump/pg_restore: a URL without the password, and the password in the environment."""
    url = db.engine.url
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = url.password
    bare = URL.create(
        "postgresql", username=url.username, host=url.host, port=url.port, database=url.database, query=url.query
    )
    return bare.render_as_string(hide_password=False), env


def _counts(conn) -> dict[str, int]:
    return {
        name: conn.execute(select(func.count()).select_from(table(name))).scalar_one()
        for name in sorted(inspect(conn).get_table_names())
    }


def _revision(counts: dict[str, int], conn) -> str | None:
    if "alembic_version" not in counts:
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _check_target(path: Path) -> None:
    parent = path.parent
    if path.exists():
        raise BackupError(f"{path} 已存在；备份不会覆盖已有文件，请换一个文件名。")
    if not parent.is_dir():
        raise BackupError(f"目录 {parent} 不存在，请先创建它（建议权限 0700）。")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise BackupError(f"没有写入目录 {parent} 的权限，请换一个目录或以有权限的用户运行。")


def _dump_postgresql(dest: Path) -> tuple[dict[str, int], str | None]:
    """pg_dump and the row counts from one snapshot."""
    with db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            counts = _counts(conn)
            revision = _revision(counts, conn)
            dbname, env = _pg_target()
            done = subprocess.run(
                [
                    _pg_tool("pg_dump"),
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    "--file",
                    str(dest),
                    "--dbname",
                    dbname,
                ],
                env=env,
                capture_output=True,
                text=True,
            )
    if done.returncode != 0:
        raise BackupError(f"pg_dump 失败：{done.stderr.strip()[-500:]}")
    return counts, revision


def _dump_sqlite(dest: Path) -> tuple[dict[str, int], str | None]:
    source = sqlite3.connect(db.engine.url.database)
    target = sqlite3.connect(dest)
    try:
        with target:
            source.backup(target)  # consistent even while the app is writing
    finally:
        target.close()
        source.close()
    engine = create_engine(f"sqlite:///{dest}", poolclass=NullPool)
    try:
        with engine.connect() as conn:  # counted in the copy itself: exactly what was backed up
            counts = _counts(conn)
            return counts, _revision(counts, conn)
    finally:
        engine.dispose()


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o600, int(clock.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


def backup(path: str | Path) -> BackupResult:
    """Write a backup of the database and the uploads to `path` (a new file, mode 0600)."""
    target = Path(path).expanduser().absolute()
    _check_target(target)
    dialect = _dialect()
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".eloan-backup-") as work:
        database = Path(work) / DATABASE_FILES[dialect]
        counts, revision = (_dump_postgresql if dialect == "postgresql" else _dump_sqlite)(database)
        partial = Path(work) / "backup.tar"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        uploads: dict[str, str] = {}
        with os.fdopen(fd, "wb") as fh, tarfile.open(fileobj=fh, mode="w", format=tarfile.PAX_FORMAT) as tar:
            tar.add(database, arcname=database.name)
            folder = upload_dir()
            for file in sorted(folder.glob("??/*")):
                name = f"uploads/{file.parent.name}/{file.name}"
                if file.is_file() and _UPLOAD_NAME.match(name):  # not a temporary or foreign file
                    uploads[name] = sha256_of(file)
                    tar.add(file, arcname=name)
            manifest = {
                "format": FORMAT,
                "version": VERSION,
                "created_at": clock.now().isoformat(),
                "database": dialect,
                "database_file": database.name,
                "database_sha256": sha256_of(database),
                "alembic_revision": revision,
                "tables": counts,
                "uploads": uploads,
            }
            _add_bytes(tar, "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode())
        os.replace(partial, target)
    return BackupResult(target, target.stat().st_size, counts, len(uploads))


# --- restore ---------------------------------------------------------------------------------------------------


def _open_backup(path: Path) -> tuple[tarfile.TarFile, dict]:
    if not path.exists():
        raise BackupError(f"备份文件 {path} 不存在，请检查路径。")
    if not path.is_file():
        raise BackupError(f"{path} 不是文件；请给出 `eloan backup` 写出的备份文件。")
    if not os.access(path, os.R_OK):
        raise BackupError(f"没有读取 {path} 的权限。")
    try:
        tar = tarfile.open(path, mode="r:")  # noqa: SIM115 - handed open to the restore, which closes it
        member = tar.getmember("manifest.json")
        manifest = json.loads(tar.extractfile(member).read())
    except (tarfile.TarError, KeyError, ValueError, AttributeError):
        raise BackupError(
            f"{path} 不是 eloan 备份文件（应是 `eloan backup` 写出的 tar 文件，内含 manifest.json）。"
        ) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        tar.close()
        raise BackupError(f"{path} 不是 eloan 备份文件（manifest.json 格式不对）。")
    if manifest.get("version") != VERSION:
        tar.close()
        raise BackupError(f"{path} 是第 {manifest.get('version')} 版格式的备份，本程序只能恢复第 {VERSION} 版。")
    return tar, manifest


def _extract(tar: tarfile.TarFile, name: str, dest: Path) -> str:
    """Copy one member out (never by the name it claims: no path in a backup can escape `dest`); its SHA-256."""
    try:
        member = tar.getmember(name)
    except KeyError:
        raise BackupError(f"备份中缺少清单列出的 {name}，备份不完整，未作任何改动。") from None
    if not member.isfile():
        raise BackupError(f"备份中的 {name} 不是普通文件，备份已损坏。")
    digest = hashlib.sha256()
    source = tar.extractfile(member)
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        for chunk in iter(lambda: source.read(1024 * 1024), b""):
            digest.update(chunk)
            fh.write(chunk)
    return digest.hexdigest()


def _rows_in_target() -> dict[str, int]:
    with db.engine.connect() as conn:
        return {name: n for name, n in _counts(conn).items() if n and name != "alembic_version"}


def _restore_postgresql(dump: Path, has_tables: bool) -> None:
    dbname, env = _pg_target()
    command = [
        _pg_tool("pg_restore"),
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        "--dbname",
        dbname,
    ]
    if has_tables:
        command[1:1] = ["--clean", "--if-exists"]
    db.session.remove()
    db.engine.dispose()  # our idle connections would hold nothing, but must not see the old tables either
    done = subprocess.run([*command, str(dump)], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"pg_restore 失败，数据库未改动：{done.stderr.strip()[-800:]}")


def _restore_sqlite(copy: Path) -> None:
    db.session.remove()
    db.engine.dispose()
    source = sqlite3.connect(copy)
    target = sqlite3.connect(db.engine.url.database, timeout=30)
    try:
        with target:
            source.backup(target)  # replaces the whole database, in one step
    finally:
        target.close()
        source.close()


def restore(path: str | Path, *, force: bool = False) -> RestoreResult:
    """Restore a backup into this database (empty, or anything with `force`) and its uploads into UPLOAD_DIR,
    then bring the schema up to date. The counts restored are checked against the manifest."""
    from flask_migrate import upgrade

    source = Path(path).expanduser().absolute()
    tar, manifest = _open_backup(source)
    with tar, tempfile.TemporaryDirectory(prefix="eloan-restore-") as work:
        dialect = _dialect()
        if manifest.get("database") != dialect:
            raise BackupError(f"这是 {manifest.get('database')} 数据库的备份，不能恢复到 {dialect} 数据库。")
        rows = _rows_in_target()
        if rows and not force:
            some = "、".join(f"{name} {n} 行" for name, n in list(rows.items())[:5])
            raise BackupError(f"目标数据库不是空的（{some}……）；恢复会覆盖其中的全部数据。确认要覆盖时加 --force。")
        database = Path(work) / DATABASE_FILES[dialect]
        if _extract(tar, str(manifest.get("database_file")), database) != manifest.get("database_sha256"):
            raise BackupError("备份中的数据库文件与清单中的校验值不符，备份已损坏，未作任何改动。")
        uploads = manifest.get("uploads") or {}
        bad = [name for name in uploads if not _UPLOAD_NAME.match(name)]
        if bad:
            raise BackupError(f"备份清单中有不合规的文件名（{bad[0]}），备份已损坏，未作任何改动。")
        staged = Path(work) / "uploads"
        staged.mkdir()
        for n, (name, sha) in enumerate(uploads.items()):
            copy = staged / str(n)
            if _extract(tar, name, copy) != sha or sha != name.rsplit("/", 1)[1]:
                raise BackupError(f"备份中的文件 {name} 与校验值不符，备份已损坏，未作任何改动。")
        with db.engine.connect() as conn:
            has_tables = bool(inspect(conn).get_table_names())
        if dialect == "postgresql":
            _restore_postgresql(database, has_tables)
        else:
            _restore_sqlite(database)
        folder = upload_dir()
        for n, name in enumerate(uploads):
            _, prefix, sha = name.split("/")
            final = folder / prefix / sha
            if not final.exists():
                write_whole(final, (staged / str(n)).read_bytes())
    with db.engine.connect() as conn:
        restored = _counts(conn)
    expected = manifest.get("tables") or {}
    mismatched = {name: (n, restored.get(name, 0)) for name, n in expected.items() if restored.get(name, 0) != n}
    upgraded = "alembic_version" in restored
    if upgraded:
        upgrade()  # an older backup comes up to the current schema
    return RestoreResult(restored, len(uploads), mismatched, upgraded)
