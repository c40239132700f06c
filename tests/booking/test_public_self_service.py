"""The personal page behind /r/<token>: it shows the state, and only its buttons change it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.models import OutboxMessage, Registration, RegistrationStatus, WaitlistMode, utcnow

S = RegistrationStatus


def status_of(session, registration) -> RegistrationStatus:
    session.expire_all()
    return session.get(Registration, registration.id).status


def buttons(html: str) -> list[str]:
    """The actions offered as POST forms on the page."""
    return re.findall(r'<form method="post" action="/r/[^/]+/(\w+)"', html)


def test_pending_registration_page_offers_confirm_and_cancel(client, make_event, make_registration):
    registration = make_registration(make_event(title="Kick-off Nord"), status=S.PENDING)

    response = client.get(f"/r/{registration.token}")

    assert response.status_code == 200
    html = response.text
    assert "Kick-off Nord" in html and "Noch nicht bestätigt" in html
    assert buttons(html) == ["confirm", "cancel"]
    assert '<meta name="robots" content="noindex">' in html


def test_getting_the_link_many_times_changes_nothing(
    client, session, make_event, make_registration
):
    event = make_event(capacity=1, waitlist_mode=WaitlistMode.OFFER)
    pending = make_registration(event, status=S.PENDING)
    offered = make_registration(
        event, status=S.OFFERED, offer_expires_at=utcnow() + timedelta(hours=10)
    )
    waiting = make_registration(event, status=S.WAITLISTED)
    outbox_before = session.scalars(select(OutboxMessage.id)).all()

    for _ in range(10):
        for registration in (pending, offered, waiting):
            assert client.get(f"/r/{registration.token}").status_code == 200
    # Links in mail never lead to an action by GET, not even by guessing the action's URL.
    for action in ("confirm", "cancel", "accept", "decline"):
        assert client.get(f"/r/{pending.token}/{action}").status_code == 405

    assert status_of(session, pending) == S.PENDING
    assert status_of(session, offered) == S.OFFERED
    assert status_of(session, waiting) == S.WAITLISTED
    assert session.scalars(select(OutboxMessage.id)).all() == outbox_before


def test_confirm_button_reserves_the_seat(client, session, make_event, make_registration):
    registration = make_registration(make_event(capacity=3), status=S.PENDING)

    response = client.post(f"/r/{registration.token}/confirm", follow_redirects=True)

    assert response.status_code == 200
    assert "Ihre Anmeldung ist bestätigt" in response.text
    assert "Bestätigt: Ihr Platz ist reserviert" in response.text
    assert status_of(session, registration) == S.CONFIRMED
    assert buttons(response.text) == ["cancel"]


def test_confirm_when_full_shows_the_waitlist_position(
    client, session, make_event, make_registration
):
    event = make_event(capacity=1)
    make_registration(event, status=S.CONFIRMED)
    make_registration(event, status=S.WAITLISTED)
    registration = make_registration(event, status=S.PENDING)

    response = client.post(f"/r/{registration.token}/confirm", follow_redirects=True)

    assert status_of(session, registration) == S.WAITLISTED
    assert "Platz 2 der Warteliste" in response.text
    assert "Warteliste, Platz 2" in client.get(f"/r/{registration.token}").text


def test_waitlist_position_moves_up_when_someone_ahead_cancels(
    client, session, make_event, make_registration
):
    event = make_event(capacity=1)
    make_registration(event, status=S.CONFIRMED)
    first = make_registration(event, status=S.WAITLISTED, now=utcnow() - timedelta(minutes=5))
    second = make_registration(event, status=S.WAITLISTED)
    assert "Warteliste, Platz 2" in client.get(f"/r/{second.token}").text

    client.post(f"/r/{first.token}/cancel")

    assert status_of(session, first) == S.CANCELLED
    assert "Warteliste, Platz 1" in client.get(f"/r/{second.token}").text


def test_cancel_button_frees_the_seat_for_the_next_in_line(
    client, session, make_event, make_registration
):
    event = make_event(capacity=1)
    confirmed = make_registration(event, status=S.CONFIRMED)
    waiting = make_registration(event, status=S.WAITLISTED)

    response = client.post(f"/r/{confirmed.token}/cancel", follow_redirects=True)

    assert "Ihre Anmeldung ist storniert." in response.text
    assert "Storniert" in response.text and buttons(response.text) == []
    assert status_of(session, confirmed) == S.CANCELLED
    assert status_of(session, waiting) == S.CONFIRMED
    # A second click is harmless.
    assert client.post(f"/r/{confirmed.token}/cancel").status_code == 302
    assert status_of(session, confirmed) == S.CANCELLED


@pytest.mark.parametrize(
    ("action", "expected", "message"),
    [
        ("accept", S.CONFIRMED, "Sie haben den Platz angenommen."),
        ("decline", S.CANCELLED, "Sie haben den Platz freigegeben."),
    ],
)
def test_offered_seat_can_be_accepted_or_declined(
    client, session, make_event, make_registration, action, expected, message
):
    event = make_event(capacity=1, waitlist_mode=WaitlistMode.OFFER)
    offered = make_registration(
        event, status=S.OFFERED, offer_expires_at=utcnow() + timedelta(hours=10)
    )
    page = client.get(f"/r/{offered.token}").text
    assert "Ein Platz ist für Sie reserviert bis" in page
    assert buttons(page) == ["accept", "decline"]

    response = client.post(f"/r/{offered.token}/{action}", follow_redirects=True)

    assert message in response.text
    assert status_of(session, offered) == expected


def test_buttons_that_no_longer_apply_change_nothing(
    client, session, make_event, make_registration
):
    registration = make_registration(make_event(), status=S.CONFIRMED)

    for action in ("confirm", "accept", "decline"):
        response = client.post(f"/r/{registration.token}/{action}")
        assert response.status_code == 302, action

    assert status_of(session, registration) == S.CONFIRMED


def test_online_link_only_for_confirmed_participants(client, make_event, make_registration):
    event = make_event(online_url="https://konferenz.example/raum-42")
    confirmed = make_registration(event, status=S.CONFIRMED)
    waiting = make_registration(event, status=S.WAITLISTED)

    assert "https://konferenz.example/raum-42" in client.get(f"/r/{confirmed.token}").text
    assert "https://konferenz.example/raum-42" not in client.get(f"/r/{waiting.token}").text
    assert "https://konferenz.example/raum-42" not in client.get(f"/events/{event.slug}").text


def test_unknown_token_is_a_404_page(client, make_event, make_registration):
    make_registration(make_event())

    for path in ("/r/unbekannt", "/r/" + "x" * 500, "/r/unbekannt/cancel"):
        response = client.get(path) if path.count("/") == 2 else client.post(path)
        assert response.status_code == 404, path
        assert "Seite nicht gefunden" in response.text
