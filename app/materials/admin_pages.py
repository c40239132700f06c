"""The back office's materials of an event: upload files, add links, change, remove, notify."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.backoffice.guard import backoffice_blueprint
from app.core.forms import ButtonForm
from app.extensions import db
from app.materials import rules
from app.materials.downloads import file_response
from app.materials.forms import EditMaterialForm, FileMaterialForm, LinkMaterialForm
from app.materials.notify import notify_participants
from app.materials.storage import material_store
from app.models import Event, Material, utcnow

bp = backoffice_blueprint("materials_admin", __name__)


def _forms(file_form=None, link_form=None):
    return (
        file_form or FileMaterialForm(prefix="upload", formdata=None),
        link_form or LinkMaterialForm(prefix="link", formdata=None),
    )


def _list_page(event: Event, file_form=None, link_form=None, status=200):
    file_form, link_form = _forms(file_form, link_form)
    return (
        render_template(
            "materials/admin.html",
            event=event,
            materials=rules.event_materials(db.session, event.id),
            participant_count=len(rules.participants(db.session, event.id)),
            file_form=file_form,
            link_form=link_form,
        ),
        status,
    )


@bp.get("/events/<int:event_id>/materials")
def event_materials(event_id: int):
    return _list_page(db.get_or_404(Event, event_id))


@bp.post("/events/<int:event_id>/materials/file")
def material_upload(event_id: int):
    event = db.get_or_404(Event, event_id)
    form = FileMaterialForm(prefix="upload")
    if not form.validate_on_submit():
        return _list_page(event, file_form=form, status=422)
    store, now = material_store(), utcnow()
    material = rules.add_file(
        db.session, store, current_user, event, form.fields(), form.checked, now
    )
    _finish_adding(event, material, form.notify.data, now, store)
    return redirect(url_for("materials_admin.event_materials", event_id=event.id))


@bp.post("/events/<int:event_id>/materials/link")
def material_link(event_id: int):
    event = db.get_or_404(Event, event_id)
    form = LinkMaterialForm(prefix="link")
    if not form.validate_on_submit():
        return _list_page(event, link_form=form, status=422)
    now = utcnow()
    material = rules.add_link(db.session, current_user, event, form.fields(), form.url.data, now)
    _finish_adding(event, material, form.notify.data, now)
    return redirect(url_for("materials_admin.event_materials", event_id=event.id))


def _finish_adding(event: Event, material: Material, notify: bool, now, store=None) -> None:
    """Notify if asked, commit, and say what happened; a failed commit leaves no file behind."""
    sent = notify_participants(db.session, event, material, now) if notify else 0
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        if store is not None:
            store.delete(material.stored_name)
        raise
    flash(_("„%(title)s“ ist hinzugefügt.", title=material.title), "success")
    if notify:
        flash(
            ngettext(
                "%(num)d Person wird per E-Mail benachrichtigt.",
                "%(num)d Personen werden per E-Mail benachrichtigt.",
                sent,
            ),
            "success",
        )


def _material_or_404(material_id: int) -> Material:
    return db.get_or_404(Material, material_id)


@bp.get("/materials/<int:material_id>/download")
def material_download(material_id: int):
    material = _material_or_404(material_id)
    if not material.is_file:
        abort(404)
    # Organisers checking a file are no downloads: not counted.
    return file_response(material, personal=True)


@bp.route("/materials/<int:material_id>/edit", methods=["GET", "POST"])
def material_edit(material_id: int):
    material = _material_or_404(material_id)
    form = EditMaterialForm(obj=material)
    if form.validate_on_submit():
        if rules.change_material(db.session, current_user, material, form.fields(), utcnow()):
            db.session.commit()
            flash(_("Die Änderungen sind gespeichert."), "success")
        return redirect(url_for("materials_admin.event_materials", event_id=material.event_id))
    return (
        render_template(
            "materials/edit.html",
            material=material,
            event=material.event,
            form=form,
            button=ButtonForm(),
        ),
        422 if form.errors else 200,
    )


@bp.post("/materials/<int:material_id>/delete")
def material_delete(material_id: int):
    material = _material_or_404(material_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    event_id, title = material.event_id, material.title
    stored_name = rules.remove_material(db.session, current_user, material, utcnow())
    db.session.commit()
    if stored_name:
        material_store().delete(stored_name)
    flash(_("„%(title)s“ ist gelöscht.", title=title), "success")
    return redirect(url_for("materials_admin.event_materials", event_id=event_id))
