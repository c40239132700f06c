"""Login, logout, password change and the accounts page of the back office."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import func, select

from app.backoffice.accounts import (
    AccountError,
    change_password,
    check_login,
    create_user,
    deactivate_user,
    end_sessions,
    sign_out_everywhere,
)
from app.backoffice.forms import LoginForm, PasswordChangeForm, UserForm
from app.backoffice.guard import admin_required, backoffice_blueprint
from app.backoffice.throttle import LoginPolicy
from app.core.forms import ButtonForm
from app.core.i18n import clear_session_keeping_language
from app.extensions import db, limiter
from app.models import User, utcnow

bp = backoffice_blueprint("backoffice", __name__)


def login_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


def _safe_next(target: str | None) -> str:
    # Only paths on this site: an open redirect after login would help phishing.
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("programme_admin.event_list")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("programme_admin.event_list"))
    form = LoginForm()
    if form.validate_on_submit() and (user := _check_login(form)) is not None:
        db.session.commit()  # the login time, and the end of this pair's delays
        _sign_in(user)
        return redirect(_safe_next(request.args.get("next")))
    status = 422 if form.errors else 200
    return render_template("admin/login.html", form=form), status


def _check_login(form: LoginForm) -> User | None:
    """The user the form's credentials open, or None with the reason on the password field."""
    try:
        return check_login(
            db.session,
            form.email.data,
            form.password.data,
            request.remote_addr or "",  # the visitor's, behind TRUSTED_PROXIES
            utcnow(),
            LoginPolicy.from_config(current_app.config),
        )
    except AccountError as refused:
        db.session.rollback()
        form.password.errors.append(str(refused))
        return None


def _sign_in(user: User) -> None:
    # A fresh session at login: no fixation of a planted session id.
    clear_session_keeping_language()
    session.permanent = True  # expires after PERMANENT_SESSION_LIFETIME
    login_user(user)


@bp.post("/logout")
def logout():
    # Ends every session of the account, this one and any copy of its cookie.
    end_sessions(current_user._get_current_object())
    db.session.commit()
    logout_user()
    clear_session_keeping_language()
    flash(_("Sie sind abgemeldet, auf allen Geräten."), "success")
    return redirect(url_for("backoffice.login"))


@bp.route("/password", methods=["GET", "POST"])
def password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current_password.data):
            form.current_password.errors.append(_("Das bisherige Passwort ist nicht richtig."))
        else:
            user = current_user._get_current_object()
            change_password(user, form.new_password.data)
            db.session.commit()
            _sign_in(user)  # this session goes on under the new version; all others ended
            flash(_("Ihr Passwort wurde geändert."), "success")
            return redirect(url_for("programme_admin.event_list"))
    status = 422 if form.errors else 200
    return render_template("admin/password.html", form=form, logout_form=ButtonForm()), status


@bp.route("/users", methods=["GET", "POST"])
@admin_required
def user_list():
    form = UserForm()
    if form.validate_on_submit():
        try:
            create_user(
                db.session,
                form.email.data,
                form.password.data,
                form.role.data,
                form.name.data or "",
            )
        except AccountError as error:
            form.email.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Das Konto %(email)s wurde angelegt.", email=form.email.data), "success")
            return redirect(url_for("backoffice.user_list"))
    users = db.session.scalars(select(User).order_by(func.lower(User.email))).all()
    status = 422 if form.errors else 200
    return render_template("admin/users.html", users=users, form=form, button=ButtonForm()), status


@bp.post("/users/<int:user_id>/deactivate")
@admin_required
def user_deactivate(user_id: int):
    if not ButtonForm().validate_on_submit():
        abort(400)
    user = db.session.get(User, user_id) or abort(404)
    if user.id == current_user.id:
        flash(_("Sie können Ihr eigenes Konto nicht deaktivieren."), "error")
        return redirect(url_for("backoffice.user_list"))
    deactivate_user(db.session, user.email)
    db.session.commit()
    flash(_("Das Konto %(email)s ist deaktiviert.", email=user.email), "success")
    return redirect(url_for("backoffice.user_list"))


@bp.post("/users/<int:user_id>/sign-out")
@admin_required
def user_sign_out(user_id: int):
    if not ButtonForm().validate_on_submit():
        abort(400)
    user = db.session.get(User, user_id) or abort(404)
    sign_out_everywhere(db.session, current_user._get_current_object(), user)
    db.session.commit()
    flash(_("%(email)s ist jetzt überall abgemeldet.", email=user.email), "success")
    return redirect(url_for("backoffice.user_list"))
