"""The personal page after the event: nothing left to cancel, the way on to what follows."""

from __future__ import annotations

from datetime import timedelta

from app.models import RegistrationStatus, utcnow


def test_after_the_event_the_personal_page_offers_no_cancellation(
    client, make_event, make_registration
):
    ended = utcnow().replace(microsecond=0) - timedelta(days=1)
    past = make_event(starts_at=ended - timedelta(hours=3), ends_at=ended)
    coming = make_event()
    over = make_registration(past, status=RegistrationStatus.CONFIRMED)
    ahead = make_registration(coming, status=RegistrationStatus.CONFIRMED)

    assert "Anmeldung stornieren" not in client.get(f"/r/{over.token}").text
    assert "Anmeldung stornieren" in client.get(f"/r/{ahead.token}").text
