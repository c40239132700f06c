"""The participant's certificate on their personal page, and the public verification page.

The personal page (``booking.manage``) includes ``certificates/_personal.html``, which asks
``certificate_state`` what to offer. Creating a certificate is a POST from its button; the
PDF itself is only ever read by GET.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _

from app.booking.errors import RegistrationNotFound
from app.booking.registration import find_by_token
from app.certificates import rules
from app.certificates.pdf import duration_text, pdf_download
from app.certificates.signature import load_signature
from app.core.forms import ButtonForm
from app.core.security import public_form_limit
from app.extensions import db, limiter
from app.models import Registration, utcnow

bp = Blueprint("certificates", __name__)

SECTION = "teilnahmebescheinigung"  # the section's id on the personal page


@bp.app_template_global("certificate_state")
def certificate_state(registration: Registration) -> rules.PersonalState:
    return rules.personal_state(db.session, registration)


def _registration_or_404(token: str) -> Registration:
    try:
        return find_by_token(db.session, token)
    except RegistrationNotFound:
        abort(404)


@bp.post("/r/<token>/teilnahmebescheinigung")
@limiter.limit(public_form_limit)
def create_own(token: str):
    registration = _registration_or_404(token)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        rules.issue_certificate(db.session, registration.id, utcnow())
    except rules.NotAttended:
        db.session.rollback()
        abort(404)
    except rules.RevokedByOrganisers:
        db.session.rollback()
        flash(revoked_message(), "error")
    else:
        db.session.commit()
        flash(_("Ihre Teilnahmebescheinigung ist erstellt."), "success")
    return redirect(url_for("booking.manage", token=token, _anchor=SECTION))


def revoked_message() -> str:
    return _(
        "Ihre Teilnahmebescheinigung wurde vom Organisationsteam widerrufen. Bei Fragen "
        "wenden Sie sich bitte an uns."
    )


@bp.get("/r/<token>/teilnahmebescheinigung/<any(de, en):language>.pdf")
def own_pdf(token: str, language: str):
    """The participant's valid certificate; 404 for anyone without one."""
    registration = _registration_or_404(token)
    certificate = rules.personal_state(db.session, registration).certificate
    if certificate is None:
        abort(404)
    return pdf_download(certificate, language, load_signature(current_app.instance_path))


@bp.get("/bescheinigung/<code>")
def verify(code: str):
    """What the certificate with this code states, and whether it is still valid."""
    certificate = rules.find_by_code(db.session, code) or abort(404)
    event = certificate.registration.event
    response = Response(
        render_template(
            "certificates/verify.html",
            certificate=certificate,
            registration=certificate.registration,
            event=event,
            valid=rules.is_valid(certificate),
            duration=duration_text(event.starts_at, event.ends_at),
            office=current_app.config["OFFICE_NAME"],
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response
