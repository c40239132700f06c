"""Application factory: wires extensions, blueprints, commands and error pages."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from config import INSECURE_SECRET_KEY, Config, config_for

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: type[Config] | str | None = None, **overrides) -> Flask:
    config_class = config if isinstance(config, type) else config_for(config)
    app = Flask(
        __name__,
        instance_path=config_class.INSTANCE_PATH,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_object(config_class)
    app.config.update(overrides)
    refuse_insecure_production(app, config_class)
    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    from app import admin, errors, i18n, security
    from app.cli import register_cli
    from app.database import configure_engine
    from app.extensions import babel, csrf, db, limiter, mail, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    mail.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        timezone_selector=lambda: "Europe/Berlin",
        default_translation_directories=str(ROOT / "app" / "translations"),
    )
    with app.app_context():
        configure_engine(db.engine)

    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)

    from app import intake
    from app.api import bp as api_bp
    from app.mail.delivery import init_inline_delivery
    from app.public import bp as public_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    from app.feeds import bp as feeds_bp

    app.register_blueprint(feeds_bp)  # calendar feeds, .ics downloads, `flask feeds`
    intake.init_app(app)  # expression of interest, consultations, `flask municipalities`
    admin.init_app(app)  # back office under /admin, with the login manager
    csrf.exempt(api_bp)
    if app.config["DEV_MAILBOX"]:
        from app.mail.devbox import bp as devbox_bp

        app.register_blueprint(devbox_bp, url_prefix="/dev/mailbox")
    init_inline_delivery(app)
    register_cli(app)
    return app


def refuse_insecure_production(app: Flask, config_class: type[Config]) -> None:
    if config_class.__name__ != "ProductionConfig":
        return
    key = app.config.get("SECRET_KEY") or ""
    if key == INSECURE_SECRET_KEY or len(key) < 32:
        raise RuntimeError(
            "SECRET_KEY must be set to a random value of at least 32 characters in production "
            '(for example: python -c "import secrets; print(secrets.token_hex(32))")'
        )
