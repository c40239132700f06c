"""Downloads of materials (public ones by their key, the others through a personal link) and
the template helpers that list materials on the event page, in the archive and on a person's
own page."""

from __future__ import annotations

from flask import Blueprint, abort, request

from app.booking.errors import RegistrationNotFound
from app.booking.registration import find_by_token
from app.core.i18n import format_number
from app.extensions import db
from app.materials.content import BY_CONTENT_TYPE
from app.materials.downloads import file_response
from app.materials.forms import language_choices
from app.materials.rules import (
    count_download,
    find_file_for,
    find_public_file,
    materials_for,
    public_materials,
)
from app.models import Event, Material, Registration

bp = Blueprint("materials", __name__)


@bp.get("/unterlagen/<key>")
def public_download(key: str):
    material = find_public_file(db.session, key) or abort(404)
    return _download(material, personal=False)


@bp.get("/r/<token>/unterlagen/<key>")
def personal_download(token: str, key: str):
    try:
        registration = find_by_token(db.session, token)
    except RegistrationNotFound:
        abort(404)
    material = find_file_for(db.session, registration, key) or abort(404)
    return _download(material, personal=True)


def _download(material: Material, personal: bool):
    response = file_response(material, personal)
    # Counting is no change a visitor asked for: RFC 9110, 9.2.1, lets a safe method count.
    count_download(db.session, material)
    db.session.commit()
    return response


# Template helpers (globals, so that imported macros see them too) ----------------------------


@bp.app_template_global()
def public_materials_of(event: Event) -> list[Material]:
    return public_materials(db.session, [event.id])[event.id]


@bp.app_template_global()
def archive_materials(events: list[Event]) -> dict[int, list[Material]]:
    """The public materials of a page of events, read once per page (not once per event)."""
    ids = tuple(event.id for event in events)
    # Kept with the request itself: ``g`` outlives requests where an app context was pushed
    # before them (the command line, tests).
    cache = request.environ.setdefault("startsmart.archive_materials", {})
    if ids not in cache:
        cache[ids] = public_materials(db.session, list(ids))
    return cache[ids]


@bp.app_template_global()
def participant_materials(registration: Registration) -> list[Material]:
    return materials_for(db.session, registration)


@bp.app_template_global()
def material_format(material: Material) -> str:
    file_type = BY_CONTENT_TYPE.get(material.content_type)
    return str(file_type.label) if file_type else material.content_type


@bp.app_template_global()
def material_language(material: Material) -> str:
    return str(dict(language_choices()).get(material.language, material.language))


@bp.app_template_global()
def file_size(size: int) -> str:
    """18 kB, 1,2 MB: how big a download is, in the page's language."""
    if size < 1024 * 1024:
        return f"{format_number(max(1, round(size / 1024)))} kB"
    return f"{format_number(size / (1024 * 1024), 1)} MB"
