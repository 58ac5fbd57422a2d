"""What every database benchmark here needs: a throw-away instance and app, and query plans."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def temporary_app(name: str, database_url: str | None = None, today: str | None = None):
    """(app, workdir): an app on `database_url` (an EMPTY database) or a temporary SQLite file.

    The URL goes through ELOAN_DATABASE_URL, so it is read exactly as production reads it.
    """
    workdir = Path(tempfile.mkdtemp(prefix=f"eloan-bench-{name}-"))
    os.environ["ELOAN_INSTANCE_DIR"] = str(workdir / "instance")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
    os.environ["ELOAN_DATABASE_URL"] = database_url or f"sqlite:///{workdir / 'bench.db'}"
    if today:
        os.environ["ELOAN_TODAY"] = today
    from eloan import create_app

    return create_app(), workdir


def shown_url(app) -> str:
    from sqlalchemy import make_url

    return make_url(app.config["SQLALCHEMY_DATABASE_URI"]).render_as_string(hide_password=True)


def query_plan(statement) -> list[str]:
    """The database's plan for `statement`: EXPLAIN QUERY PLAN on SQLite, EXPLAIN ANALYZE on PostgreSQL."""
    from sqlalchemy import text

    from eloan.extensions import db

    sqlite = db.engine.dialect.name == "sqlite"
    prefix = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN (ANALYZE, BUFFERS OFF) "
    compiled = statement.compile(db.engine, compile_kwargs={"literal_binds": True})
    rows = db.session.execute(text(prefix + str(compiled))).all()
    return [str(row[-1] if sqlite else row[0]) for row in rows]


@contextmanager
def fresh_schema(workdir: Path):
    """Inside an app context: eloan's tables created in the EMPTY database, dropped again afterwards with
    the temporary folder, whatever happens in between."""
    from sqlalchemy import inspect

    from eloan.extensions import db

    if inspect(db.engine).has_table("users"):
        raise SystemExit("该数据库已有 eloan 的表；请指定一个空数据库。")
    db.create_all()
    try:
        yield db
    finally:
        db.session.rollback()
        db.session.remove()
        db.drop_all()
        db.engine.dispose()
        shutil.rmtree(workdir, ignore_errors=True)
