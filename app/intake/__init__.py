"""Start Smart intake: the public expression-of-interest form and consultation booking pages."""

from flask import Blueprint, Flask

bp = Blueprint("intake", __name__)

from app.intake import views  # noqa: E402, F401  (routes register on import)


def init_app(app: Flask) -> None:
    from app.intake.admin import bp as admin_bp
    from app.intake.cli import municipalities_group

    app.register_blueprint(bp)
    app.register_blueprint(admin_bp, url_prefix="/admin/intake")
    app.cli.add_command(municipalities_group)
