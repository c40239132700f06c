"""Back office: an event's certificates (issue all, ZIP, one PDF, revoke, issue anew) and the
signature image (admins)."""

from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.backoffice.guard import admin_required, backoffice_blueprint
from app.certificates import rules
from app.certificates.forms import SignatureForm
from app.certificates.models import Certificate
from app.certificates.pdf import build_zip, certificate_language, pdf_download
from app.certificates.signature import (
    MAX_UPLOAD_BYTES,
    InvalidSignature,
    Problem,
    load_signature,
    remove_signature,
    store_signature,
)
from app.core.forms import ButtonForm
from app.extensions import db
from app.models import Event, Registration, utcnow

bp = backoffice_blueprint("certificates_admin", __name__)


@bp.get("/events/<int:event_id>/certificates")
def event_certificates(event_id: int):
    event = db.get_or_404(Event, event_id)
    return render_template(
        "certificates/admin_event.html",
        event=event,
        rows=rules.event_certificates(db.session, event.id),
        form=ButtonForm(),
        has_signature=load_signature(current_app.instance_path) is not None,
    )


def _back(event_id: int):
    return redirect(url_for("certificates_admin.event_certificates", event_id=event_id))


def _checked_button() -> None:
    if not ButtonForm().validate_on_submit():
        abort(400)


@bp.post("/events/<int:event_id>/certificates/issue")
def issue_all(event_id: int):
    event = db.get_or_404(Event, event_id)
    _checked_button()
    issued = rules.issue_for_event(db.session, current_user, event.id, utcnow())
    db.session.commit()
    if issued:
        flash(
            ngettext(
                "%(num)d Teilnahmebescheinigung ausgestellt.",
                "%(num)d Teilnahmebescheinigungen ausgestellt.",
                issued,
            ),
            "success",
        )
    else:
        flash(_("Alle Anwesenden haben bereits eine Teilnahmebescheinigung."), "info")
    return _back(event.id)


@bp.get("/events/<int:event_id>/certificates.zip")
def event_zip(event_id: int):
    event = db.get_or_404(Event, event_id)
    certificates = rules.valid_certificates(db.session, event.id)
    if not certificates:
        flash(_("Für diese Veranstaltung gibt es noch keine gültigen Bescheinigungen."), "info")
        return _back(event.id)
    archive = build_zip(certificates, load_signature(current_app.instance_path))
    response = Response(archive, mimetype="application/zip")
    # The slug is made of ASCII letters, digits and hyphens (programme.event_input.slugify).
    response.headers["Content-Disposition"] = (
        f'attachment; filename="Teilnahmebescheinigungen-{event.slug}.zip"'
    )
    return response


def _certificate_or_404(certificate_id: int) -> Certificate:
    return db.get_or_404(Certificate, certificate_id)


@bp.get("/certificates/<int:certificate_id>.pdf")
def certificate_pdf(certificate_id: int):
    certificate = _certificate_or_404(certificate_id)
    if certificate.registration.anonymised_at is not None:
        abort(404)
    signature = load_signature(current_app.instance_path)
    return pdf_download(certificate, certificate_language(certificate), signature)


@bp.post("/certificates/<int:certificate_id>/revoke")
def revoke(certificate_id: int):
    certificate = _certificate_or_404(certificate_id)
    _checked_button()
    event_id = certificate.registration.event_id
    rules.revoke_certificate(db.session, current_user, certificate.id, utcnow())
    db.session.commit()
    flash(_("Die Bescheinigung ist widerrufen; ihre Prüfseite zeigt das an."), "success")
    return _back(event_id)


@bp.post("/registrations/<int:registration_id>/certificate")
def issue_one(registration_id: int):
    registration = db.get_or_404(Registration, registration_id)
    _checked_button()
    try:
        rules.issue_certificate(db.session, registration.id, utcnow(), actor=current_user)
    except rules.NotAttended:
        db.session.rollback()
        flash(
            _("Eine Bescheinigung gibt es nur für Personen, die als anwesend markiert sind."),
            "error",
        )
    else:
        db.session.commit()
        flash(_("Die Teilnahmebescheinigung ist ausgestellt."), "success")
    return _back(registration.event_id)


# --- the signature image -------------------------------------------------------------------------


def signature_problem_message(problem: Problem) -> str:
    if problem is Problem.TOO_LARGE:
        return _(
            "Das Bild ist zu groß. Bitte laden Sie eine Datei bis %(size)d MB hoch.",
            size=MAX_UPLOAD_BYTES // (1024 * 1024),
        )
    if problem is Problem.EMPTY:
        return _("Die Datei ist leer. Bitte wählen Sie eine Bilddatei aus.")
    return _("Diese Datei ist kein PNG- oder JPEG-Bild. Bitte wählen Sie eine andere Datei aus.")


@bp.route("/certificates/signature", methods=["GET", "POST"])
@admin_required
def signature():
    form = SignatureForm()
    if form.validate_on_submit():
        # One byte more than allowed is enough to know the file is too large.
        data = form.image.data.read(MAX_UPLOAD_BYTES + 1)
        try:
            store_signature(current_app.instance_path, data)
        except InvalidSignature as error:
            form.image.errors.append(signature_problem_message(error.problem))
        else:
            flash(_("Die Unterschrift ist gespeichert."), "success")
            return redirect(url_for("certificates_admin.signature"))
    status = 422 if form.errors else 200
    has_signature = load_signature(current_app.instance_path) is not None
    page = render_template(
        "certificates/admin_signature.html",
        form=form,
        remove_form=ButtonForm(),
        has_signature=has_signature,
    )
    return page, status


@bp.get("/certificates/signature.png")
@admin_required
def signature_image():
    image = load_signature(current_app.instance_path)
    if image is None:
        abort(404)
    return Response(image, mimetype="image/png")


@bp.post("/certificates/signature/remove")
@admin_required
def signature_remove():
    _checked_button()
    if remove_signature(current_app.instance_path):
        flash(_("Die Unterschrift ist entfernt."), "success")
    return redirect(url_for("certificates_admin.signature"))
