"""Account management for administrators."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from app.admin import admin_required, bp
from app.admin.accounts import AccountError, create_user, deactivate_user
from app.admin.forms import ButtonForm, UserForm
from app.extensions import db
from app.models import User


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
            return redirect(url_for("admin.user_list"))
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
        return redirect(url_for("admin.user_list"))
    deactivate_user(db.session, user.email)
    db.session.commit()
    flash(_("Das Konto %(email)s ist deaktiviert.", email=user.email), "success")
    return redirect(url_for("admin.user_list"))
