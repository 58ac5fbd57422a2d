"""eloan — the 园区E贷 risk-compensation programme. create_app() builds the Flask application."""

from __future__ import annotations

import logging

from flask import Flask

from eloan.config import BASE_DIR, engine_options, load_config


def create_app(config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
        instance_path=str(BASE_DIR / "instance"),
    )
    app.config.update(load_config())
    if config:
        app.config.update(config)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(
        app.config["SQLALCHEMY_DATABASE_URI"], app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    )
    app.json.ensure_ascii = False  # Chinese messages stay readable in JSON
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for chatty in ("alembic.runtime.plugins", "weasyprint", "fontTools"):
        logging.getLogger(chatty).setLevel(logging.WARNING)

    import eloan.models  # noqa: F401 - every table registered on the metadata
    from eloan.extensions import csrf, db, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)

    from eloan.api import register_api
    from eloan.cli import register_cli
    from eloan.converters import register_converters
    from eloan.web import register_web

    register_converters(app)
    register_web(app)
    register_api(app)
    register_cli(app)

    if app.config.get("ELOAN_SCHEDULER"):
        from eloan.jobs.scheduler import start_scheduler

        start_scheduler(app)
    return app
