"""Settings from the environment, with safe defaults.

Nothing secret lives in code: SECRET_KEY comes from the environment or is generated once into
instance/secret_key, which is outside version control.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def instance_dir() -> Path:
    path = Path(os.environ.get("ELOAN_INSTANCE_DIR", BASE_DIR / "instance"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _secret_key(inst: Path) -> str:
    from_env = os.environ.get("SECRET_KEY") or os.environ.get("ELOAN_SECRET_KEY")
    if from_env:
        return from_env
    key_file = inst / "secret_key"
    if not key_file.exists():
        # Written once with owner-only permissions; every worker of this instance shares it.
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def database_url(inst: Path) -> str:
    url = os.environ.get("ELOAN_DATABASE_URL")
    if url:
        # psycopg 3 is the driver we ship; accept the plain postgresql:// spelling operators use.
        if url.startswith(("postgresql://", "postgres://")):
            url = "postgresql+psycopg://" + url.split("://", 1)[1]
        return url
    return f"sqlite:///{inst / 'eloan.db'}"


def engine_options(url: str, options: dict) -> dict:
    """The engine options for the database finally chosen (a test or bench may replace the URL)."""
    options = dict(options)
    if url.startswith("sqlite"):
        # SQLite has one writer at a time: wait for it (the daily job's transaction) rather than fail at once.
        options["connect_args"] = {"timeout": 30, **options.get("connect_args", {})}
    return options


def load_config() -> dict:
    inst = instance_dir()
    secure = _flag("ELOAN_SECURE_COOKIES", False)
    url = database_url(inst)
    return {
        "SECRET_KEY": _secret_key(inst),
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "INSTANCE_DIR": str(inst),
        "UPLOAD_DIR": os.environ.get("ELOAN_UPLOAD_DIR", str(inst / "uploads")),
        "MAX_CONTENT_LENGTH": 25 * 1024 * 1024,
        # Session cookie: never readable by scripts, not sent cross-site, HTTPS-only in production.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": 8 * 3600,
        "WTF_CSRF_TIME_LIMIT": None,
        # How many reverse proxies (nginx) stand before gunicorn: their X-Forwarded-For then names the client,
        # which the login throttle counts by. 0 trusts no such header (a client could forge it).
        "ELOAN_PROXIES": int(os.environ.get("ELOAN_PROXIES") or 0),
        "ELOAN_SCHEDULER": _flag("ELOAN_SCHEDULER", False),
        "ELOAN_DAILY_AT": os.environ.get("ELOAN_DAILY_AT", "01:30"),
        "JSON_AS_ASCII": False,
        # E-mail copies of notifications: off unless ELOAN_SMTP_HOST is set (then logged instead).
        "ELOAN_SMTP_HOST": os.environ.get("ELOAN_SMTP_HOST") or None,
        "ELOAN_SMTP_PORT": int(os.environ.get("ELOAN_SMTP_PORT") or 587),
        "ELOAN_SMTP_USER": os.environ.get("ELOAN_SMTP_USER") or None,
        "ELOAN_SMTP_PASSWORD": os.environ.get("ELOAN_SMTP_PASSWORD") or None,
        "ELOAN_SMTP_STARTTLS": _flag("ELOAN_SMTP_STARTTLS", True),
        "ELOAN_SMTP_SSL": _flag("ELOAN_SMTP_SSL", False),
        "ELOAN_MAIL_FROM": os.environ.get("ELOAN_MAIL_FROM", "eloan@localhost"),
        "ELOAN_BASE_URL": os.environ.get("ELOAN_BASE_URL", ""),
    }
