"""Materials fixtures: an upload through the back office, a link, the store, and a personal
link for a registration. The files themselves are made in material_files.py."""

from __future__ import annotations

import io

import pytest
from flask import g

from app.booking.links import issue_link
from app.materials.storage import material_store
from app.models import utcnow


@pytest.fixture
def upload(office):
    """Post a file to an event's materials as an organiser; returns the response."""

    def post(event, content: bytes, filename: str = "folien.pdf", lang=None, **fields):
        data = {
            "upload-title": "Folien der Vorträge",
            "upload-language": "de",
            "upload-visibility": "public",
            "upload-file": (io.BytesIO(content), filename),
        }
        data.update({f"upload-{key}": value for key, value in fields.items()})
        data = {key: value for key, value in data.items() if value is not None}
        query = f"?lang={lang}" if lang else ""
        return office.post(
            f"/admin/events/{event.id}/materials/file{query}",
            data=data,
            content_type="multipart/form-data",
        )

    return post


@pytest.fixture
def add_link(office):
    def post(event, url="https://cloud.kommune.example/s/protokoll", **fields):
        data = {
            "link-url": url,
            "link-title": "Protokoll",
            "link-language": "de",
            "link-visibility": "participants",
        }
        data.update({f"link-{key}": value for key, value in fields.items()})
        return office.post(f"/admin/events/{event.id}/materials/link", data=data)

    return post


@pytest.fixture
def store(app_ctx):
    return material_store()


@pytest.fixture
def personal_link(session):
    """A working personal link (its token) for ``registration``, as a mail would carry it."""

    def mint(registration) -> str:
        token = issue_link(session, registration, utcnow())
        session.commit()
        return token

    return mint


class Browser:
    """One person's browser (a test client), beside another's in the same test."""

    def __init__(self, client):
        self.client = client

    def get(self, url: str, **kwargs):
        # Flask-Login keeps the last request's user in ``g``, which the test's app context
        # shares between requests: forget it, so that each request is judged by its cookies.
        g.pop("_login_user", None)
        return self.client.get(url, **kwargs)

    def post(self, url: str, **kwargs):
        g.pop("_login_user", None)
        return self.client.post(url, **kwargs)


@pytest.fixture
def visitor(app_ctx):
    """Without a login."""
    return Browser(app_ctx.test_client())


@pytest.fixture
def office(orga_client):
    """Logged in as an organiser."""
    return Browser(orga_client)
