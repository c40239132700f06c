"""Flask-Login for the back office: who is signed in, and where the login form is."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from app.backoffice.accounts import user_for_session
from app.backoffice.guard import LOGIN_ENDPOINT
from app.extensions import db, login_manager


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = LOGIN_ENDPOINT
    login_manager.login_message = _l("Bitte melden Sie sich an.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    login_manager.user_loader(load_user)


def load_user(session_id: str):
    # Every request compares the session's version with the account's: a session ended on one
    # server (logout, new password, deactivation) is ended on all of them.
    return user_for_session(db.session, session_id)
