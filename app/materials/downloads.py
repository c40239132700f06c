"""A stored material file as an HTTP answer: an attachment, of the type found at upload."""

from __future__ import annotations

from flask import abort, send_file

from app.materials.content import content_disposition
from app.materials.storage import StoredFileMissing, material_store
from app.models import Material


def file_response(material: Material, personal: bool):
    """The stored file as an attachment of the type found at upload; 404 if it is gone."""
    try:
        stream = material_store().open(material.stored_name)
    except StoredFileMissing:
        abort(404)
    response = send_file(
        stream,
        mimetype=material.content_type,
        as_attachment=True,
        download_name=material.filename,
        # A changed visibility or a deleted file must count at once, in every cache.
        max_age=0,
    )
    # Werkzeug's ASCII fallback drops Umlaute ("Ubersicht"); ours spells them out.
    response.headers["Content-Disposition"] = content_disposition(material.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Should a browser render the file all the same, it runs nothing of it (scripts, forms).
    response.headers["Content-Security-Policy"] = "sandbox"
    if personal:
        # The address carries a personal link: no shared cache may keep the answer.
        response.headers["Cache-Control"] = "private, no-store"
    return response
