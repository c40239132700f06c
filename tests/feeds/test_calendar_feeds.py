"""Subscription feeds (RFC 5545, RFC 7986): public, per event, personal and organisers'."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
from ical_consumers import assert_parsers_agree, assert_wire_format
from sqlalchemy import func, select, update

from app.calendar import feeds as calendar_feeds
from app.feeds.store import prune_stored, vevent_store
from app.models import (
    Event,
    EventFormat,
    EventMode,
    EventStatus,
    RegistrationStatus,
    StoredVEvent,
    utcnow,
)
from app.programme import changes as programme

S = RegistrationStatus


def feed(response) -> icalendar.Calendar:
    assert response.status_code == 200, response.status_code
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert_wire_format(response.data)
    assert_parsers_agree(response.data)
    return icalendar.Calendar.from_ical(response.data)


def events_by_uid(calendar) -> dict[str, icalendar.Event]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def assert_feed_header(calendar, name_part: str) -> None:
    assert "METHOD" not in calendar
    assert name_part in str(calendar["X-WR-CALNAME"])
    assert str(calendar["NAME"]) == str(calendar["X-WR-CALNAME"])
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Berlin"
    assert calendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert calendar["REFRESH-INTERVAL"].dt == timedelta(hours=1)
    assert str(calendar["X-PUBLISHED-TTL"]) == "PT1H"
    assert not list(calendar.walk("VALARM"))


def test_public_feed_lists_published_and_cancelled_events(client, session, make_event):
    workshop = make_event(title="Energie, Klima; Wärme", format=EventFormat.WORKSHOP)
    kickoff = make_event(
        format=EventFormat.KICKOFF, mode=EventMode.ONLINE, online_url="https://v.example/x"
    )
    draft = make_event(status=EventStatus.DRAFT)
    cancelled = make_event()
    programme.cancel_event(session, cancelled.id, "Zu wenige Anmeldungen", utcnow())
    session.commit()

    calendar = feed(client.get("/calendar.ics"))
    assert_feed_header(calendar, "Start Smart")
    entries = events_by_uid(calendar)
    uid = "event-{}@startsmart.test".format
    assert set(entries) == {uid(workshop.id), uid(kickoff.id), uid(cancelled.id)}
    assert uid(draft.id) not in entries
    assert str(entries[uid(workshop.id)]["SUMMARY"]) == "Energie, Klima; Wärme"
    assert entries[uid(workshop.id)].start == workshop.starts_at
    assert str(entries[uid(workshop.id)]["URL"]).endswith(f"/events/{workshop.slug}")
    gone = entries[uid(cancelled.id)]
    assert str(gone["STATUS"]) == "CANCELLED"
    assert str(gone["SUMMARY"]).startswith("Abgesagt: ")
    assert "Zu wenige Anmeldungen" in str(gone["DESCRIPTION"])
    assert b"v.example" not in client.get("/calendar.ics").data  # online links: confirmed only

    only_kickoffs = events_by_uid(feed(client.get("/calendar.ics?format=kickoff")))
    assert set(only_kickoffs) == {uid(kickoff.id)}
    online = events_by_uid(feed(client.get("/calendar.ics?mode=online")))
    assert set(online) == {uid(kickoff.id)}


def test_public_feed_filters_by_topic(client, make_event):
    energy = make_event(topics=["Energie & Klima"])
    make_event(topics=["Open Source"])
    slug = energy.topics[0].slug
    calendar = feed(client.get("/calendar.ics", query_string={"topic": slug}))
    assert set(events_by_uid(calendar)) == {f"event-{energy.id}@startsmart.test"}


def test_feed_uids_stay_the_same_when_an_event_changes(client, session, make_event):
    event = make_event()
    before = events_by_uid(feed(client.get("/calendar.ics")))
    new_start = event.starts_at + timedelta(hours=2)
    programme.update_event(
        session,
        event.id,
        {"starts_at": new_start, "ends_at": new_start + timedelta(hours=1)},
        utcnow(),
    )
    session.commit()
    after = events_by_uid(feed(client.get("/calendar.ics")))
    assert set(before) == set(after)
    (changed,) = after.values()
    assert changed.start == new_start


def test_conditional_requests_get_304_without_building(client, session, make_event):
    event = make_event()
    first = client.get("/calendar.ics")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert etag and modified

    builds = calendar_feeds.stats.builds
    again = client.get("/calendar.ics", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    since = client.get("/calendar.ics", headers={"If-Modified-Since": modified})
    assert since.status_code == 304
    assert calendar_feeds.stats.builds == builds  # nothing was built for the 304s

    programme.update_event(
        session, event.id, {"venue": "Kreishaus"}, utcnow() + timedelta(seconds=2)
    )
    session.commit()
    changed = client.get("/calendar.ics", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert calendar_feeds.stats.builds == builds + 1
    assert client.get("/calendar.ics", headers={"If-Modified-Since": modified}).status_code == 200


def test_event_download(client, session, make_event):
    event = make_event()
    response = client.get(f"/events/{event.slug}/calendar.ics")
    calendar = feed(response)
    assert response.headers["Content-Disposition"] == f'attachment; filename="{event.slug}.ics"'
    (entry,) = calendar.walk("VEVENT")
    assert str(entry["UID"]) == f"event-{event.id}@startsmart.test"
    assert entry.start == event.starts_at and entry.end == event.ends_at
    assert (
        client.get(
            f"/events/{event.slug}/calendar.ics",
            headers={"If-None-Match": response.headers["ETag"]},
        ).status_code
        == 304
    )
    draft = make_event(status=EventStatus.DRAFT)
    assert client.get(f"/events/{draft.slug}/calendar.ics").status_code == 404


def test_event_page_offers_calendar_links(client, make_event):
    event = make_event()
    page = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert f'href="http://startsmart.test/events/{event.slug}/calendar.ics"' in page
    assert 'href="webcal://startsmart.test/calendar.ics"' in page
    assert 'value="http://startsmart.test/calendar.ics"' in page
    assert "https://calendar.google.com/calendar/render?action=TEMPLATE" in page
    assert "https://outlook.live.com/calendar/0/deeplink/compose?" in page


# Personal feed -----------------------------------------------------------------------------


@pytest.fixture
def person(session, make_event, make_registration):
    """One e-mail address with registrations at four events, in different states."""
    email = "lena@kommune.example"
    now = utcnow()
    events = {
        "confirmed": make_event(online_url="https://video.example/privat"),
        "also_confirmed": make_event(),
        "waitlisted": make_event(),
        "cancelled_later": make_event(),
    }
    regs = {
        "confirmed": make_registration(
            events["confirmed"], S.CONFIRMED, email=email, email_confirmed_at=now
        ),
        "also_confirmed": make_registration(
            events["also_confirmed"], S.CONFIRMED, email=email, email_confirmed_at=now
        ),
        "waitlisted": make_registration(
            events["waitlisted"], S.WAITLISTED, email=email, email_confirmed_at=now
        ),
        "cancelled_later": make_registration(
            events["cancelled_later"], S.CONFIRMED, email=email, email_confirmed_at=now
        ),
    }
    make_registration(events["confirmed"], S.CONFIRMED, email="someone.else@kommune.example")
    return events, regs


def subscribe(client, registration) -> str:
    response = client.post(f"/r/{registration.token}/calendar-feed")
    assert response.status_code == 302
    page = client.get(f"/r/{registration.token}").get_data(as_text=True)
    marker = 'id="personal-feed-url" class="copy-field" type="url" readonly value="'
    assert marker in page
    url = page.split(marker, 1)[1].split('"', 1)[0]
    assert f'href="{url.replace("http://", "webcal://")}"' in page
    return url.removeprefix("http://startsmart.test")


def test_personal_feed_lists_confirmed_events_and_keeps_cancelled_ones(client, session, person):
    from app.booking.registration import cancel_registration

    events, regs = person
    page = client.get(f"/r/{regs['waitlisted'].token}").get_data(as_text=True)
    assert "Kalender-Abo einrichten" in page  # no feed yet: a button, no address
    path = subscribe(client, regs["waitlisted"])

    cancel_registration(session, regs["cancelled_later"].token, utcnow())
    session.commit()
    other_cancelled = events["also_confirmed"]
    programme.cancel_event(session, other_cancelled.id, "Ausfall", utcnow())
    session.commit()

    response = client.get(path)
    assert "private" in response.headers["Cache-Control"]
    calendar = feed(response)
    assert_feed_header(calendar, "Meine Veranstaltungen")
    entries = events_by_uid(calendar)
    uid = "event-{}@startsmart.test".format
    assert set(entries) == {
        uid(events["confirmed"].id),
        uid(events["also_confirmed"].id),
        uid(events["cancelled_later"].id),
    }
    assert str(entries[uid(events["confirmed"].id)]["STATUS"]) == "CONFIRMED"
    assert str(entries[uid(events["confirmed"].id)]["TRANSP"]) == "OPAQUE"
    assert "https://video.example/privat" in str(
        entries[uid(events["confirmed"].id)]["DESCRIPTION"]
    )
    for gone in ("also_confirmed", "cancelled_later"):
        entry = entries[uid(events[gone].id)]
        assert str(entry["STATUS"]) == "CANCELLED"
        assert str(entry["SUMMARY"]).startswith("Abgesagt: ")
    assert b"someone.else" not in response.data

    etag = response.headers["ETag"]
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304


def test_personal_feed_address_can_be_renewed_and_ended(client, session, person):
    _, regs = person
    old = subscribe(client, regs["confirmed"])
    assert client.get(old).status_code == 200
    new = subscribe(client, regs["also_confirmed"])  # any of the person's links may renew it
    assert new != old
    assert client.get(old).status_code == 410
    assert client.get(new).status_code == 200
    assert len(new.rsplit("/", 1)[1].removesuffix(".ics")) >= 22  # >= 128 random bits

    response = client.post(f"/r/{regs['confirmed'].token}/calendar-feed/revoke")
    assert response.status_code == 302
    assert client.get(new).status_code == 410
    assert client.get("/feeds/personal/not-a-token.ics").status_code == 404


def test_no_feed_before_the_email_address_is_confirmed(client, make_event, make_registration):
    pending = make_registration(make_event(), S.PENDING, email="lena@kommune.example")
    assert "Kalender-Abo" not in client.get(f"/r/{pending.token}").get_data(as_text=True)
    assert client.post(f"/r/{pending.token}/calendar-feed").status_code == 403


def test_feed_actions_are_posts_only(client, person):
    _, regs = person
    assert client.get(f"/r/{regs['confirmed'].token}/calendar-feed").status_code == 405


# Organisers' feed --------------------------------------------------------------------------


def test_organisers_feed_shows_drafts_behind_a_revocable_token(
    client, runner, session, make_event, make_registration
):
    published = make_event(online_url="https://video.example/orga")
    draft = make_event(status=EventStatus.DRAFT, title="Geplant")
    make_registration(published, S.CONFIRMED)
    make_registration(published, S.WAITLISTED)

    result = runner.invoke(args=["feeds", "organiser-url"])
    assert result.exit_code == 0, result.output
    url = result.output.strip()
    assert url.startswith("http://startsmart.test/feeds/organisers/")
    path = url.removeprefix("http://startsmart.test")
    # Only a hash is stored: the address is printed once, and asking again changes nothing.
    again = runner.invoke(args=["feeds", "organiser-url"]).output
    assert "cannot be shown again" in again and "--new" in again
    assert "/feeds/organisers/" not in again

    calendar = feed(client.get(path))
    assert_feed_header(calendar, "Organisation")
    entries = events_by_uid(calendar)
    planned = entries[f"event-{draft.id}@startsmart.test"]
    assert str(planned["SUMMARY"]) == "Entwurf: Geplant"
    assert str(planned["STATUS"]) == "TENTATIVE"
    live = entries[f"event-{published.id}@startsmart.test"]
    assert "Belegt: 1 von 10" in str(live["DESCRIPTION"])
    assert "1 Person auf der Warteliste" in str(live["DESCRIPTION"])

    renewed = runner.invoke(args=["feeds", "organiser-url", "--new"]).output.strip()
    assert renewed != url
    assert client.get(path).status_code == 410
    assert client.get(renewed.removeprefix("http://startsmart.test")).status_code == 200
    runner.invoke(args=["feeds", "organiser-url", "--revoke"])
    assert client.get(renewed.removeprefix("http://startsmart.test")).status_code == 410
    assert client.get("/feeds/organisers/guess.ics").status_code == 404


def all_events(session):
    return session.scalars(select(Event).order_by(Event.id)).all()


def test_a_restarted_process_reuses_stored_vevents(client, session, make_event):
    for number in range(5):
        make_event(title=f"Peer-Learning {number}")
    first = client.get("/calendar.ics", headers={"Cache-Control": "no-cache"})
    assert session.scalar(select(func.count()).select_from(StoredVEvent)) == 5

    calendar_feeds.vevent_cache.clear()  # what a new worker process starts with
    built = calendar_feeds.stats.vevents_built
    context = (client.application.config["BASE_URL"], "de")
    entries = [
        calendar_feeds.FeedEntry(calendar_feeds.FeedEvent.of(e)) for e in all_events(session)
    ]
    again = calendar_feeds.vevents_bytes(entries, context, vevent_store)
    assert calendar_feeds.stats.vevents_built == built  # all five came from the database
    assert b"".join(again) in first.data

    # A changed event gets a new key: it is built again, the others are not.
    programme.update_event(session, entries[0].event.id, {"venue": "Kreishaus"}, utcnow())
    session.commit()
    calendar_feeds.vevent_cache.clear()
    entries = [
        calendar_feeds.FeedEntry(calendar_feeds.FeedEvent.of(e)) for e in all_events(session)
    ]
    calendar_feeds.vevents_bytes(entries, context, vevent_store)
    assert calendar_feeds.stats.vevents_built == built + 1

    session.execute(update(StoredVEvent).values(created_at=utcnow() - timedelta(days=31)))
    session.commit()
    assert prune_stored(session) == 6
    assert session.scalar(select(func.count()).select_from(StoredVEvent)) == 0
