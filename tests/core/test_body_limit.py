"""An oversized request body is refused with the 413 page before anything reads it: 64 KiB on
every public page, more in the back office (BACKOFFICE_MAX_BODY_MB), for its forms and files."""

from __future__ import annotations

import io

import pytest

from app.core.body_limit import MAX_PUBLIC_BODY_BYTES

MIB = 1024 * 1024


class CountingBody(io.RawIOBase):
    """A request body of ``size`` bytes, made as it is read, that counts what was read."""

    def __init__(self, size: int):
        self.size = size
        self.taken = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = min(len(buffer), self.size - self.taken)
        buffer[:count] = b"x" * count
        self.taken += count
        return count


def post_body(client, path: str, body: CountingBody, declared: bool = True):
    """POST ``body`` as a form, with its Content-Length or (``declared=False``) chunked."""
    overrides = {"wsgi.input": body}
    if declared:
        overrides["CONTENT_LENGTH"] = str(body.size)
    else:  # as a server passes a chunked body on: no length, the stream ends where it ends
        overrides.update({"wsgi.input_terminated": True, "HTTP_TRANSFER_ENCODING": "chunked"})
    return client.post(
        path, content_type="application/x-www-form-urlencoded", environ_overrides=overrides
    )


PUBLIC_FORMS = {
    "registration": "/events/{slug}/register",
    "expression of interest": "/interessensbekundung",
    "self-service button": "/r/ein-persoenlicher-link/cancel",
    "back-office login": "/admin/login",
}


@pytest.fixture
def csrf_on(app, monkeypatch):
    """CSRF protection as in production: it reads every POST's form before any view runs."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


@pytest.mark.parametrize("form", PUBLIC_FORMS)
def test_a_20_mib_public_post_is_refused_unread(client, csrf_on, make_event, form):
    path = PUBLIC_FORMS[form].format(slug=make_event().slug)
    body = CountingBody(20 * MIB)

    response = post_body(client, path, body)

    assert response.status_code == 413
    assert body.taken == 0
    assert "Eingabe zu groß" in response.text
    assert "Die gesendeten Daten sind zu umfangreich" in response.text
    assert response.headers["Content-Security-Policy"]  # the usual headers, as on every page


def test_the_refusal_is_in_the_visitors_language(client, csrf_on, make_event):
    path = f"/events/{make_event().slug}/register?lang=en"

    response = post_body(client, path, CountingBody(20 * MIB))

    assert response.status_code == 413
    assert '<html lang="en">' in response.text
    assert "The data sent is too large" in response.text


@pytest.mark.parametrize("form", ["registration", "expression of interest"])
def test_a_chunked_body_is_read_no_further_than_the_limit(client, csrf_on, make_event, form):
    path = PUBLIC_FORMS[form].format(slug=make_event().slug)
    body = CountingBody(20 * MIB)

    response = post_body(client, path, body, declared=False)

    assert response.status_code == 413
    assert body.taken <= MAX_PUBLIC_BODY_BYTES + 1
    assert "Eingabe zu groß" in response.text


def test_a_normal_registration_still_goes_through(client, make_event, form_data):
    event = make_event()

    response = client.post(f"/events/{event.slug}/register", data=form_data())

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/events/{event.slug}/register/sent")


def test_a_public_form_just_under_the_limit_is_read(client, make_event, form_data):
    event = make_event()
    padding = MAX_PUBLIC_BODY_BYTES - 2_000  # a long text, as a person might paste one

    response = client.post(f"/events/{event.slug}/register", data=form_data(role="x" * padding))

    assert response.status_code == 422  # read and judged: the role is too long for its field
    assert "Eingabe zu groß" not in response.text


def back_office_event(description: str) -> dict:
    return {
        "title": "Themenwerkstatt mit langer Beschreibung",
        "format": "workshop",
        "description": description,
        "starts_at": "2031-03-12T10:00",
        "ends_at": "2031-03-12T16:00",
        "mode": "in_person",
        "venue": "Rathaus",
        "capacity": "20",
        "waitlist_mode": "automatic",
        "offer_hours": "48",
        "model_projects": "equal",
    }


def test_the_back_office_takes_more_than_a_public_form(orga_client):
    description = "Ablauf des Tages. " * 20_000  # 360 KB, well above the public limit

    response = orga_client.post("/admin/events/new", data=back_office_event(description))

    assert response.status_code == 302


def test_the_back_office_takes_a_file_upload_of_several_megabytes(orga_client):
    # As an uploaded file arrives: multipart/form-data, here 5 MB (the materials' files).
    data = dict(back_office_event("Mit Anhang."), attachment=(io.BytesIO(b"%" * 5 * MIB), "a.pdf"))

    response = orga_client.post("/admin/events/new", data=data, content_type="multipart/form-data")

    assert response.status_code == 302


def test_the_back_office_limit_is_its_setting(app, orga_client, monkeypatch):
    monkeypatch.setitem(app.config, "BACKOFFICE_MAX_BODY_MB", 1)
    body = CountingBody(2 * MIB)

    response = post_body(orga_client, "/admin/events/new", body)

    assert response.status_code == 413
    assert body.taken == 0
    monkeypatch.setitem(app.config, "BACKOFFICE_MAX_BODY_MB", 32)
    assert (
        orga_client.post("/admin/events/new", data=back_office_event("x" * MIB)).status_code == 302
    )
