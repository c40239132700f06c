"""Flask-Login for the back office: who is signed in, and where the login form is."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from app.backoffice.guard import LOGIN_ENDPOINT
from app.extensions import db, login_manager
from app.models import User


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = LOGIN_ENDPOINT
    login_manager.login_message = _l("Bitte melden Sie sich an.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    login_manager.user_loader(load_user)


def load_user(user_id: str):
    try:
        return db.session.get(User, int(user_id))
    except ValueError:
        return None
