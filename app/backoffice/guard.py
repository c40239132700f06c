"""The one guard of every back-office page: a login, the admin role where asked, no caching.

Every domain makes its back-office blueprint with ``backoffice_blueprint``, so a new page
cannot forget the login, and lists of people never stay in a shared cache.
"""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, redirect, request, url_for
from flask_login import current_user

# Reachable without a login: only the login form itself.
LOGIN_ENDPOINT = "backoffice.login"


def require_login():
    if request.endpoint == LOGIN_ENDPOINT:
        return None
    if not current_user.is_authenticated:
        return redirect(url_for(LOGIN_ENDPOINT, next=request.full_path.rstrip("?")))
    return None


def no_store(response):
    # Lists of people must not stay in shared caches or the browser's back/forward cache.
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def backoffice_blueprint(name: str, import_name: str) -> Blueprint:
    """A blueprint whose every route needs a login and is never cached."""
    blueprint = Blueprint(name, import_name)
    blueprint.before_request(require_login)
    blueprint.after_request(no_store)
    return blueprint


def admin_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated or not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped
