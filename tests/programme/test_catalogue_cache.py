"""Rendered catalogue pages are reused, but never show stale seats or another visitor's page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_babel import refresh
from sqlalchemy import event as sa_event

from app.extensions import db
from app.models import Event, utcnow
from app.programme.catalogue_cache import catalogue_version, page_cache


@pytest.fixture
def cache_on(app_ctx, monkeypatch):
    monkeypatch.setitem(app_ctx.config, "CATALOGUE_CACHE_SECONDS", 60)
    page_cache().clear()
    yield
    page_cache().clear()


def statements_during(client, url: str) -> tuple[int, bytes]:
    statements = []

    def record(*_args):
        statements.append(1)

    db.session.remove()
    sa_event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = client.get(url)
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == 200
    return len(statements), response.data


@pytest.mark.usefixtures("cache_on")
@pytest.mark.parametrize("url", ["/", "/events/letzter-platz", "/api/v1/events"])
def test_second_visit_is_served_from_cache_and_seats_stay_fresh(
    client, session, make_event, register, url
):
    event_id = make_event(slug="letzter-platz", title="Letzter Platz", capacity=1).id

    first_count, first = statements_during(client, url)
    second_count, second = statements_during(client, url)

    assert second == first
    assert second_count < first_count  # only the version is read, nothing is rendered anew
    full = b'"seats_left":0' if url.startswith("/api/") else b"Warteliste"
    assert full not in first.replace(b" ", b"")

    # Takes the last seat: the booking bumps event.updated_at.
    register(session.get(Event, event_id), at=utcnow())

    _count, after = statements_during(client, url)
    assert full in after.replace(b" ", b"")


@pytest.mark.usefixtures("cache_on")
def test_pages_are_kept_per_language(client, make_event):
    make_event()

    def visit(language: str) -> bytes:
        # The test's app context outlives each request (unlike a server's), and Flask-Babel
        # keeps the chosen locale on it: forget it, as a new request would.
        refresh()
        return client.get("/", headers={"Accept-Language": language}).data

    german, english, german_again = visit("de"), visit("en"), visit("de")

    assert b'<html lang="de">' in german and b'<html lang="de">' in german_again
    assert b'<html lang="en">' in english


@pytest.mark.usefixtures("cache_on")
def test_flash_message_is_neither_cached_nor_served_to_others(app, client, make_event):
    make_event(slug="mit-hinweis")
    with client.session_transaction() as browser_session:
        browser_session["_flashes"] = [("error", "Nur für diese Person bestimmt")]

    mine = client.get("/events/mit-hinweis").data
    someone_else = app.test_client().get("/events/mit-hinweis").data
    mine_later = client.get("/events/mit-hinweis").data

    assert "Nur für diese Person bestimmt".encode() in mine
    assert "Nur für diese Person bestimmt".encode() not in someone_else
    assert "Nur für diese Person bestimmt".encode() not in mine_later  # shown once, as flashes are


def test_version_changes_when_a_change_commits_with_an_older_time(session, make_event):
    # Two bookings on different events commit out of order: the later commit carries the
    # earlier time. The maximum of updated_at stays the same; the version must not.
    now = utcnow()
    newest = make_event(updated_at=now)
    other = make_event(updated_at=now - timedelta(hours=1))
    before = catalogue_version(session)

    other.updated_at = now - timedelta(minutes=5)
    session.commit()

    assert newest.updated_at == now
    assert catalogue_version(session) != before


def test_cache_is_off_in_tests_by_default(app, client, session, make_event):
    assert "CATALOGUE_CACHE_SECONDS" not in app.config or not app.config["CATALOGUE_CACHE_SECONDS"]
    event = make_event(slug="ohne-cache", capacity=1)
    event_id = event.id
    assert b"Warteliste" not in client.get("/events/ohne-cache").data
    # Changed without bumping updated_at: only a page rendered anew shows it.
    session.get(Event, event_id).capacity = 0
    session.commit()
    assert b"Warteliste" in client.get("/events/ohne-cache").data
