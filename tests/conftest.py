"""Shared test set-up.

Database tests run on SQLite by default and on PostgreSQL when ELOAN_TEST_DATABASE_URL is set
(.ci/run does both). The schema is created once per session; every test starts from empty tables.
"""
from __future__ import annotations

import os
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

_TMP = Path(tempfile.mkdtemp(prefix="eloan-test-"))
os.environ.setdefault("ELOAN_INSTANCE_DIR", str(_TMP / "instance"))
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")

from eloan import create_app  # noqa: E402
from eloan.extensions import db as _db  # noqa: E402

TEST_DB_URL = os.environ.get("ELOAN_TEST_DATABASE_URL") or f"sqlite:///{_TMP / 'test.db'}"
if TEST_DB_URL.startswith(("postgresql://", "postgres://")):
    TEST_DB_URL = "postgresql+psycopg://" + TEST_DB_URL.split("://", 1)[1]

PASSWORD = "Passw0rd!23"

# Fixture modules shared by several test folders (a programme with loans; NPL loans ready for claims).
pytest_plugins = ["tests.integration.loan_fixtures", "tests.integration.claim_fixtures",
                  "tests.integration.monitoring_fixtures"]


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing():
    """argon2 with minimal cost: still real argon2id hashes, without ~0.1 s per user in every fixture.
    Production keeps argon2-cffi's defaults (services/passwords.py)."""
    from argon2 import PasswordHasher

    from eloan.services import passwords

    production = passwords._hasher
    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    passwords._hasher = production


@pytest.fixture(scope="session")
def app():
    application = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": TEST_DB_URL,
        "UPLOAD_DIR": str(_TMP / "uploads"),
        # Concurrency tests run 20 threads at once, each holding a connection while it waits for a lock.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "pool_size": 25, "max_overflow": 5},
    })
    with application.app_context():
        _db.drop_all()
        _db.create_all()
    yield application
    with application.app_context():
        _db.session.remove()
        _db.drop_all()
        _db.engine.dispose()


def _empty_all_tables():
    _db.session.rollback()
    tables = list(reversed(_db.metadata.sorted_tables))
    if _db.engine.dialect.name == "postgresql":
        names = ", ".join(t.name for t in tables)
        _db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            _db.session.execute(table.delete())
    _db.session.commit()


@pytest.fixture()
def db(app):
    """An app context with empty tables; yields the Flask-SQLAlchemy object."""
    with app.app_context():
        _empty_all_tables()
        yield _db
        _db.session.rollback()
        _db.session.remove()


@pytest.fixture()
def reference(db):
    """Policy TZ-2023-9, the LPR history and the library calendar, as `eloan init` loads them."""
    from eloan.services.calendar_year import load_reference_data

    load_reference_data()
    return db


@pytest.fixture()
def client(app, db):
    app.config["WTF_CSRF_ENABLED"] = False
    return app.test_client()


@pytest.fixture()
def csrf_client(app, db):
    """A client with CSRF protection on, as in production."""
    app.config["WTF_CSRF_ENABLED"] = True
    yield app.test_client()
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture()
def make_bank(db):
    from decimal import Decimal

    from eloan.models import Bank

    def make(code="B001", name="测试银行台儿庄支行", loss_share="0.3000", **kw):
        bank = Bank(code=code, name=name, loss_share=Decimal(loss_share), status=kw.pop("status", "active"),
                    branch_in_district=True, product_recognised=True, **kw)
        _db.session.add(bank)
        _db.session.commit()
        return bank

    return make


@pytest.fixture()
def make_user(db):
    from eloan.services.users import create_user

    def make(username="user", roles=("zone",), bank_code=None, password=PASSWORD, **kw):
        return create_user(None, username, roles=list(roles), password=password, bank_code=bank_code, **kw)

    return make


@pytest.fixture()
def login(client):
    def do(username, password=PASSWORD, c=None):
        c = c or client
        return c.post("/login", data={"username": username, "password": password}, follow_redirects=True)

    return do


@pytest.fixture()
def token_for(db):
    from eloan.services.users import create_token

    def make(username):
        return {"Authorization": f"Bearer {create_token(None, username)}"}

    return make


@pytest.fixture()
def today(monkeypatch):
    """Fix the one clock: today('2024-09-27')."""
    def set_today(value: str):
        monkeypatch.setenv("ELOAN_TODAY", value)

    return set_today


@contextmanager
def brand_new_database(prefix: str):
    """A brand-new empty database of the same kind as the test database, dropped afterwards."""
    if TEST_DB_URL.startswith("sqlite"):
        yield f"sqlite:///{_TMP / f'{prefix}-{uuid.uuid4().hex}.db'}"
        return
    name = f"eloan_{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(TEST_DB_URL.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield TEST_DB_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


@pytest.fixture()
def empty_database_url():
    """A brand-new empty database of the same kind as the test database."""
    with brand_new_database("migrate") as url:
        yield url


def pytest_collection_modifyitems(config, items):
    """`@pytest.mark.postgres_only` tests need PostgreSQL (ELOAN_TEST_DATABASE_URL); on SQLite they are reported skipped."""
    if not TEST_DB_URL.startswith("sqlite"):
        return
    skip = pytest.mark.skip(reason="PostgreSQL only: set ELOAN_TEST_DATABASE_URL")
    for item in items:
        if item.get_closest_marker("postgres_only"):
            item.add_marker(skip)
