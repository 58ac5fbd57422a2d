"""Backup and restore as an operator does them: a backup (database and uploads, mode 0600) restored into an
empty database finds everything again; a non-empty target needs --force; bad paths get a plain message."""

from __future__ import annotations

import os
import stat
import tarfile
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select, table

from eloan import create_app
from eloan.extensions import db as _db
from eloan.models import StoredFile
from eloan.services import files
from tests.fixtures.app import TEST_DB_URL, brand_new_database

PDF = b"%PDF-1.4 signed loan contract " + os.urandom(64)


@pytest.fixture()
def another_empty_database_url():
    """A second brand-new database of the test database's kind (the restore target), dropped afterwards."""
    with brand_new_database("restore") as url:
        yield url


def _app(url, tmp_path, name):
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "INSTANCE_DIR": str(tmp_path / name),
            "UPLOAD_DIR": str(tmp_path / name / "uploads"),
        }
    )
    return app


def run(app, *args):
    return app.test_cli_runner().invoke(args=["eloan", *args])


def _counts(app) -> dict[str, int]:
    with app.app_context():
        names = inspect(_db.engine).get_table_names()
        return {n: _db.session.scalar(select(func.count()).select_from(table(n))) for n in names}


@pytest.fixture()
def source(empty_database_url, tmp_path):
    """A live system: migrated, reference data, the demo story, and an uploaded document."""
    app = _app(empty_database_url, tmp_path, "source")
    assert run(app, "init").exit_code == 0
    assert run(app, "seed-demo", "--password", "Demo-Passw0rd!").exit_code == 0
    with app.app_context():
        files.store(None, PDF, "合同.pdf")
        _db.session.commit()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture()
def target(another_empty_database_url, tmp_path):
    app = _app(another_empty_database_url, tmp_path, "target")
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


def test_a_backup_restored_into_an_empty_database_finds_everything(source, target, tmp_path):
    path = tmp_path / "eloan-2026-12-02.tar"

    made = run(source, "backup", str(path))
    restored = run(target, "restore", str(path))

    assert made.exit_code == 0, made.output
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert restored.exit_code == 0, restored.output
    before, after = _counts(source), _counts(target)
    assert after == before and before["stored_files"] >= 1 and before["users"] > 1
    assert f"stored_files: {before['stored_files']}" in restored.output
    with target.app_context():
        stored = _db.session.scalars(select(StoredFile).where(StoredFile.filename == "合同.pdf")).one()
        assert files.read(stored) == PDF
    assert run(target, "check-files").exit_code == 0


def test_the_backup_holds_the_database_the_uploads_and_a_manifest(source, tmp_path):
    path = tmp_path / "b.tar"
    run(source, "backup", str(path))
    with tarfile.open(path) as tar:
        names = tar.getnames()
    assert "manifest.json" in names and ({"database.dump", "database.sqlite"} & set(names))
    assert any(n.startswith("uploads/") for n in names)


def test_a_database_that_is_not_empty_is_restored_into_only_with_force(source, tmp_path):
    path = tmp_path / "b.tar"
    run(source, "backup", str(path))
    with source.app_context():
        files.store(None, b"%PDF-1.4 written after the backup", "later.pdf")
        _db.session.commit()
    rows_now = _counts(source)["stored_files"]

    refused = run(source, "restore", str(path))
    assert refused.exit_code == 1 and "目标数据库不是空的" in refused.output and "--force" in refused.output
    assert _counts(source)["stored_files"] == rows_now

    forced = run(source, "restore", str(path), "--force")
    assert forced.exit_code == 0, forced.output
    assert _counts(source)["stored_files"] == rows_now - 1


@pytest.mark.parametrize("where, says", [("missing-dir/b.tar", "不存在"), ("exists.tar", "已存在")])
def test_a_backup_to_a_bad_path_says_why(source, tmp_path, where, says):
    (tmp_path / "exists.tar").write_bytes(b"keep me")
    result = run(source, "backup", str(tmp_path / where))
    assert result.exit_code == 1 and says in result.output and "Traceback" not in result.output
    assert (tmp_path / "exists.tar").read_bytes() == b"keep me"


def test_a_backup_into_a_folder_it_may_not_write_says_so(source, tmp_path, monkeypatch):
    from eloan.services import backup

    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    real_access = os.access  # the tests may run as root, who may write anywhere: the check is asked as another user
    monkeypatch.setattr(backup.os, "access", lambda p, mode: False if Path(p) == locked else real_access(p, mode))
    result = run(source, "backup", str(locked / "b.tar"))
    assert result.exit_code == 1 and "没有写入目录" in result.output


@pytest.mark.parametrize("content, says", [(None, "不存在"), (b"not a tar at all", "不是 eloan 备份文件")])
def test_a_restore_from_a_bad_path_says_why_and_changes_nothing(target, tmp_path, content, says):
    path = tmp_path / "bad.tar"
    if content is not None:
        path.write_bytes(content)
    result = run(target, "restore", str(path))
    assert result.exit_code == 1 and says in result.output and "Traceback" not in result.output
    assert sum(_counts(target).values()) == 0


def test_the_database_password_is_given_to_pg_tools_in_their_environment_only(tmp_path):
    from eloan.services.backup import _pg_target

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://eloan:s3cret-pw@db.example:5433/eloan",
            "INSTANCE_DIR": str(tmp_path),
        }
    )
    with app.app_context():
        dbname, env = _pg_target()
    assert "s3cret-pw" not in dbname and dbname == "postgresql://eloan@db.example:5433/eloan"
    assert env["PGPASSWORD"] == "s3cret-pw"


def test_a_backup_whose_database_does_not_match_its_checksum_is_refused_before_any_change(target, tmp_path):
    import io
    import json

    kind = "sqlite" if TEST_DB_URL.startswith("sqlite") else "postgresql"
    name = "database.sqlite" if kind == "sqlite" else "database.dump"
    manifest = {
        "format": "eloan-backup",
        "version": 1,
        "database": kind,
        "database_file": name,
        "database_sha256": "0" * 64,
        "tables": {},
        "uploads": {},
    }
    path = tmp_path / "tampered.tar"
    with tarfile.open(path, "w") as tar:
        for member, data in (
            (name, b"not the database that was backed up"),
            ("manifest.json", json.dumps(manifest).encode()),
        ):
            info = tarfile.TarInfo(member)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))

    result = run(target, "restore", str(path))

    assert result.exit_code == 1 and "校验值不符" in result.output and "Traceback" not in result.output
    assert sum(_counts(target).values()) == 0
