"""The public catalogue, the archive and event pages, as a visitor sees them."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from app.models import EventFormat, EventMode, EventStatus, RegistrationStatus, utcnow


def titles(response) -> list[str]:
    html = response.get_data(as_text=True)
    return re.findall(r'class="event-title"><a href="[^"]+">(?:Abgesagt: )?([^<]+)</a>', html)


def test_catalogue_lists_upcoming_published_events_in_date_order(client, make_event):
    now = utcnow()
    make_event(
        title="Später",
        starts_at=now + timedelta(days=20),
        ends_at=now + timedelta(days=20, hours=2),
    )
    make_event(
        title="Bald", starts_at=now + timedelta(days=2), ends_at=now + timedelta(days=2, hours=2)
    )
    make_event(title="Entwurf", status=EventStatus.DRAFT)
    make_event(
        title="Vorbei", starts_at=now - timedelta(days=3), ends_at=now - timedelta(days=3, hours=-2)
    )

    response = client.get("/")

    assert response.status_code == 200
    assert titles(response) == ["Bald", "Später"]
    assert "2 Veranstaltungen" in response.get_data(as_text=True)


def test_cancelled_event_stays_listed_as_cancelled(client, make_event):
    make_event(title="Fällt aus", status=EventStatus.CANCELLED, cancel_reason="Referentin erkrankt")

    html = client.get("/").get_data(as_text=True)

    assert "Abgesagt: Fällt aus" in html
    assert "badge-cancelled" in html
    page = client.get("/events/" + re.search(r'href="/events/([^"]+)"', html).group(1))
    body = page.get_data(as_text=True)
    assert "Diese Veranstaltung wurde abgesagt." in body and "Referentin erkrankt" in body
    assert "Jetzt anmelden" not in body


def test_filter_by_format(client, make_event):
    make_event(title="Auftakt", format=EventFormat.KICKOFF)
    make_event(title="Werkstatt", format=EventFormat.WORKSHOP)
    make_event(title="Austausch", format=EventFormat.PEER_LEARNING)

    assert titles(client.get("/?format=kickoff")) == ["Auftakt"]
    assert titles(client.get("/?format=peer_learning")) == ["Austausch"]
    # An unknown value is ignored rather than an error.
    assert len(titles(client.get("/?format=<script>"))) == 3


def test_filter_by_topic(client, make_event):
    make_event(title="Daten", topics=["Daten"])
    make_event(title="Energie", topics=["Energie", "Strategie"])

    assert titles(client.get("/?topic=energie")) == ["Energie"]
    assert titles(client.get("/?topic=strategie")) == ["Energie"]
    assert titles(client.get("/?topic=gibt-es-nicht")) == []
    # The filter form offers every topic.
    assert 'value="daten"' in client.get("/").get_data(as_text=True)


def test_filter_by_mode(client, make_event):
    make_event(title="Vor Ort", mode=EventMode.IN_PERSON)
    make_event(title="Im Netz", mode=EventMode.ONLINE, venue="", address="")
    make_event(title="Beides", mode=EventMode.HYBRID)

    assert titles(client.get("/?mode=online")) == ["Im Netz"]
    assert titles(client.get("/?mode=hybrid")) == ["Beides"]


def test_filter_by_month_uses_berlin_time(client, make_event):
    year = utcnow().year + 1
    # 31 January 23:30 UTC is already 1 February in Berlin (UTC+1 in winter).
    make_event(
        title="Februar in Berlin",
        starts_at=datetime(year, 1, 31, 23, 30, tzinfo=UTC),
        ends_at=datetime(year, 2, 1, 2, 0, tzinfo=UTC),
    )
    make_event(
        title="Januar",
        starts_at=datetime(year, 1, 31, 9, 0, tzinfo=UTC),
        ends_at=datetime(year, 1, 31, 12, 0, tzinfo=UTC),
    )

    assert titles(client.get(f"/?month={year}-02")) == ["Februar in Berlin"]
    assert titles(client.get(f"/?month={year}-01")) == ["Januar"]
    assert len(titles(client.get("/?month=kein-monat"))) == 2


def test_free_text_search(client, make_event):
    make_event(title="Open Data im Rathaus", summary="Offene Daten nutzen")
    make_event(title="Mobilität", summary="Verkehr", venue="Kreishaus Nord")

    assert titles(client.get("/?q=open+data")) == ["Open Data im Rathaus"]
    assert titles(client.get("/?q=OFFENE")) == ["Open Data im Rathaus"]
    assert titles(client.get("/?q=kreishaus")) == ["Mobilität"]
    response = client.get("/?q=nichts+passt")
    assert "Keine Veranstaltungen gefunden." in response.get_data(as_text=True)


def test_filters_combine_and_are_kept_in_the_form(client, make_event):
    make_event(title="Treffer", format=EventFormat.KICKOFF, mode=EventMode.ONLINE)
    make_event(title="Falsches Format", format=EventFormat.WORKSHOP, mode=EventMode.ONLINE)
    make_event(title="Falsche Art", format=EventFormat.KICKOFF, mode=EventMode.IN_PERSON)

    response = client.get("/?format=kickoff&mode=online")

    assert titles(response) == ["Treffer"]
    html = response.get_data(as_text=True)
    assert re.search(r'<option value="kickoff"\s+selected', html)
    assert re.search(r'<option value="online"\s+selected', html)


def test_pagination(app, client, make_event, monkeypatch):
    monkeypatch.setitem(app.config, "CATALOGUE_PAGE_SIZE", 2)
    now = utcnow()
    for day in range(1, 6):
        make_event(
            title=f"Termin {day}",
            format=EventFormat.KICKOFF,
            starts_at=now + timedelta(days=day),
            ends_at=now + timedelta(days=day, hours=1),
        )

    first = client.get("/?format=kickoff")
    assert titles(first) == ["Termin 1", "Termin 2"]
    html = first.get_data(as_text=True)
    assert "Seite 1 von 3" in html
    # The next-page link keeps the filter.
    next_link = re.search(r'href="([^"]+)" rel="next"', html).group(1).replace("&amp;", "&")
    assert "format=kickoff" in next_link and "page=2" in next_link
    assert titles(client.get(next_link)) == ["Termin 3", "Termin 4"]
    assert titles(client.get("/?format=kickoff&page=3")) == ["Termin 5"]
    # Out-of-range or nonsense page numbers show a real page, never an error.
    assert titles(client.get("/?format=kickoff&page=99")) == ["Termin 5"]
    assert titles(client.get("/?format=kickoff&page=abc")) == ["Termin 1", "Termin 2"]
    assert titles(client.get("/?format=kickoff&page=-4")) == ["Termin 1", "Termin 2"]


def test_archive_lists_past_events_newest_first(client, make_event):
    now = utcnow()
    make_event(
        title="Letzte Woche",
        starts_at=now - timedelta(days=7),
        ends_at=now - timedelta(days=7) + timedelta(hours=2),
    )
    make_event(
        title="Letzter Monat",
        starts_at=now - timedelta(days=30),
        ends_at=now - timedelta(days=30) + timedelta(hours=2),
    )
    make_event(title="Nächste Woche")
    make_event(
        title="Alter Entwurf",
        status=EventStatus.DRAFT,
        starts_at=now - timedelta(days=5),
        ends_at=now - timedelta(days=5) + timedelta(hours=2),
    )

    response = client.get("/archiv")

    assert response.status_code == 200
    assert titles(response) == ["Letzte Woche", "Letzter Monat"]
    assert "Vergangene Veranstaltungen" in response.get_data(as_text=True)
    assert titles(client.get("/")) == ["Nächste Woche"]


def test_event_page_shows_date_place_seats_and_deadline(client, make_event, make_registration):
    event = make_event(
        title="Datenstrategie",
        # Thursday 12 March 2026, 10:00–16:00 in Berlin (UTC+1 in winter).
        starts_at=datetime(2026, 3, 12, 9, 0, tzinfo=UTC),
        ends_at=datetime(2026, 3, 12, 15, 0, tzinfo=UTC),
        registration_closes_at=datetime(2026, 3, 5, 22, 59, tzinfo=UTC),
        venue="Rathaus Musterstadt",
        address="Marktplatz 1, 12345 Musterstadt",
        capacity=5,
    )
    make_registration(event, status=RegistrationStatus.CONFIRMED)
    make_registration(event, status=RegistrationStatus.PENDING)  # holds no seat

    html = client.get(f"/events/{event.slug}").get_data(as_text=True)

    assert "Do., 12. März 2026, 10:00–16:00 Uhr" in html
    assert "Rathaus Musterstadt, Marktplatz 1, 12345 Musterstadt" in html
    assert "4 Plätze frei" in html
    assert "Anmeldeschluss" in html
    assert "Do., 5. März 2026, 23:59 Uhr" in html


def test_event_page_says_waitlist_when_full(client, make_event, make_registration):
    event = make_event(capacity=1)
    make_registration(event, status=RegistrationStatus.CONFIRMED)
    make_registration(event, status=RegistrationStatus.WAITLISTED)

    html = client.get(f"/events/{event.slug}").get_data(as_text=True)

    assert "Warteliste" in html
    assert not re.search(r"\d+ Pl(atz|ätze) frei", html)
    assert "Auf die Warteliste setzen" in html
    assert "(1 Person wartet)" in html


def test_times_are_right_on_both_sides_of_the_daylight_saving_switch(client, make_event):
    # Clocks go forward on Sunday 29 March 2026: 10:00 in Berlin is 09:00 UTC before, 08:00 after.
    winter = make_event(
        starts_at=datetime(2026, 3, 28, 9, 0, tzinfo=UTC),
        ends_at=datetime(2026, 3, 28, 15, 30, tzinfo=UTC),
    )
    summer = make_event(
        starts_at=datetime(2026, 3, 30, 8, 0, tzinfo=UTC),
        ends_at=datetime(2026, 3, 30, 14, 30, tzinfo=UTC),
    )
    # Clocks go back on Sunday 25 October 2026.
    autumn = make_event(
        starts_at=datetime(2026, 10, 26, 9, 0, tzinfo=UTC),
        ends_at=datetime(2026, 10, 26, 15, 30, tzinfo=UTC),
    )

    assert "Sa., 28. März 2026, 10:00–16:30 Uhr" in client.get(f"/events/{winter.slug}").text
    assert "Mo., 30. März 2026, 10:00–16:30 Uhr" in client.get(f"/events/{summer.slug}").text
    assert "Mo., 26. Okt. 2026" not in client.get(f"/events/{autumn.slug}").text
    assert "Mo., 26. Oktober 2026, 10:00–16:30 Uhr" in client.get(f"/events/{autumn.slug}").text


def test_event_over_several_days_names_both_days(client, make_event):
    event = make_event(
        starts_at=datetime(2026, 6, 10, 7, 0, tzinfo=UTC),
        ends_at=datetime(2026, 6, 11, 14, 0, tzinfo=UTC),
    )

    html = client.get(f"/events/{event.slug}").text

    assert "Mi., 10. Juni 2026, 09:00 Uhr – Do., 11. Juni 2026, 16:00 Uhr" in html


def test_draft_and_unknown_events_are_404(client, make_event):
    draft = make_event(status=EventStatus.DRAFT)

    for path in (
        f"/events/{draft.slug}",
        f"/events/{draft.slug}/register",
        "/events/gibt-es-nicht",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Seite nicht gefunden" in response.text


def test_past_event_page_offers_no_registration(client, make_event):
    now = utcnow()
    event = make_event(
        starts_at=now - timedelta(days=2), ends_at=now - timedelta(days=2) + timedelta(hours=3)
    )

    html = client.get(f"/events/{event.slug}").text

    assert "Jetzt anmelden" not in html
    assert "Eine Anmeldung ist nicht (mehr) möglich." in html
