"""Back office for organisers: login required on every route of this blueprint."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

bp = Blueprint("admin", __name__)

# Reachable without a login: only the login form itself.
PUBLIC_ENDPOINTS = {"admin.login"}


@bp.before_request
def require_login():
    # One guard for the whole blueprint, so that a new view cannot forget it.
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return redirect(url_for("admin.login", next=request.full_path.rstrip("?")))
    return None


@bp.after_request
def no_store(response):
    # Lists of people must not stay in shared caches or the browser's back/forward cache.
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def admin_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated or not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def init_app(app) -> None:
    """Login manager, the blueprint under /admin, and the QR helpers for the mail templates."""
    from app.admin.qr import checkin_qr_data_uri, checkin_url
    from app.extensions import db, login_manager
    from app.models import User

    app.register_blueprint(bp, url_prefix="/admin")
    app.add_template_global(checkin_qr_data_uri, "checkin_qr_data_uri")
    app.add_template_global(checkin_url, "checkin_url")

    login_manager.init_app(app)
    login_manager.login_view = "admin.login"
    login_manager.login_message = _l("Bitte melden Sie sich an.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str):
        try:
            return db.session.get(User, int(user_id))
        except ValueError:
            return None


from app.admin import (  # noqa: E402  (views register themselves on bp)
    auth,
    checkin,
    events,
    exports,
    messages,
    privacy,
    registrations,
    statistics,
    users,
)

__all__ = [
    "admin_required",
    "auth",
    "bp",
    "checkin",
    "events",
    "exports",
    "init_app",
    "messages",
    "privacy",
    "registrations",
    "statistics",
    "users",
]
