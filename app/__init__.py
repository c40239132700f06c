"""Application factory: wires extensions, blueprints, commands and error pages."""

from __future__ import annotations

from pathlib import Path

import click
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
    from app.core import body_limit

    body_limit.init_app(app)  # inside ProxyFix, outside everything that reads a body
    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    from app import booking, feedback, feeds, intake, privacy
    from app.backoffice.login import init_login
    from app.cli import register_cli
    from app.core import errors, i18n, labels, security
    from app.core.database import configure_engine
    from app.extensions import babel, csrf, db, limiter, mail, migrate
    from app.mail.delivery import init_inline_delivery

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
    labels.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    init_login(app)
    for domain in (booking, intake, feeds, privacy, feedback):
        domain.init_app(app)  # housekeeping jobs, mail images, template globals
    register_blueprints(app)
    init_inline_delivery(app)
    register_cli(app)
    return app


# Each domain's blueprints, by audience; the back-office ones install the login guard
# themselves (app.backoffice.guard). URL prefixes are the factory's to choose.
BLUEPRINTS = (
    ("app.programme.public_pages", ""),
    ("app.booking.public_pages", ""),
    ("app.intake.public_pages", ""),
    ("app.privacy.public_pages", ""),
    ("app.feeds.pages", ""),
    ("app.booking.reminder_pages", ""),
    ("app.certificates.public_pages", ""),
    ("app.materials.public_pages", ""),
    ("app.feedback.public_pages", ""),
    ("app.api.views", "/api/v1"),
    ("app.backoffice.pages", "/admin"),
    ("app.programme.admin_pages", "/admin"),
    ("app.booking.admin_pages", "/admin"),
    ("app.booking.checkin_pages", "/admin"),
    ("app.messaging.admin_pages", "/admin"),
    ("app.reporting.admin_pages", "/admin"),
    ("app.privacy.admin_pages", "/admin"),
    ("app.certificates.admin_pages", "/admin"),
    ("app.materials.admin_pages", "/admin"),
    ("app.feedback.admin_pages", "/admin"),
    ("app.intake.admin_pages", "/admin/intake"),
)


def register_blueprints(app: Flask) -> None:
    from importlib import import_module

    from app.extensions import csrf

    for module_name, prefix in BLUEPRINTS:
        blueprint = import_module(module_name).bp
        app.register_blueprint(blueprint, url_prefix=prefix or None)
    csrf.exempt(import_module("app.api.views").bp)  # read-only JSON, no cookies
    if app.config["DEV_MAILBOX"]:
        from app.devbox.pages import bp as devbox_bp

        app.register_blueprint(devbox_bp, url_prefix="/dev/mailbox")


class RefusedToStart(click.ClickException, RuntimeError):
    """A configuration the app will not run with. A RuntimeError for gunicorn and tests; the
    `flask` command prints it as one line ("Error: ...") and exits with status 1."""


def refuse_insecure_production(app: Flask, config_class: type[Config]) -> None:
    if config_class.__name__ != "ProductionConfig":
        return
    key = app.config.get("SECRET_KEY") or ""
    if key == INSECURE_SECRET_KEY or len(key) < 32:
        raise RefusedToStart(
            "SECRET_KEY must be set to a random value of at least 32 characters in production "
            '(for example: python -c "import secrets; print(secrets.token_hex(32))"). '
            "Without APP_ENV the production configuration applies; for local work set "
            "APP_ENV=development (make run does)."
        )
