"""Organisers change the programme: updated invites, cancellations, publishing."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
from ical_consumers import BERLIN, assert_parsers_agree, assert_wire_format

from app.models import EventStatus, RegistrationStatus, utcnow
from app.programme import changes as programme

S = RegistrationStatus


def invite_event(mail):
    (vevent,) = icalendar.Calendar.from_ical(mail.ics).walk("VEVENT")
    return vevent


@pytest.fixture
def booked(session, make_event, make_registration):
    """A published event with two confirmed, one waitlisted, one offered and one pending."""
    event = make_event(online_url="https://video.example/alt", mode="hybrid")
    people = {
        "anna": make_registration(event, S.CONFIRMED, email="anna@kommune.example"),
        "ben": make_registration(event, S.CONFIRMED, email="ben@kommune.example"),
        "cem": make_registration(event, S.WAITLISTED, email="cem@kommune.example"),
        "dora": make_registration(
            event, S.OFFERED, email="dora@kommune.example", offer_expires_at=utcnow()
        ),
        "eva": make_registration(event, S.PENDING, email="eva@kommune.example"),
    }
    return event, people


def test_time_change_sends_confirmed_people_an_updated_invite(session, booked, outbox):
    event, people = booked
    old_start = event.starts_at
    new_start = old_start + timedelta(days=1, hours=2)
    before = event.updated_at
    now = utcnow()
    changed = programme.update_event(
        session,
        event.id,
        {"starts_at": new_start, "ends_at": new_start + timedelta(hours=3)},
        now,
    )
    session.commit()
    assert changed == ["starts_at", "ends_at"]
    assert event.updated_at == now and now >= before

    mails = outbox("updated")
    assert sorted(mail.recipient for mail in mails) == [
        "anna@kommune.example",
        "ben@kommune.example",
    ]
    for mail in mails:
        registration = people["anna"] if mail.recipient.startswith("anna") else people["ben"]
        session.refresh(registration)
        assert registration.invite_sequence == 1
        assert mail.ics_method == "REQUEST"
        assert_wire_format(mail.ics)
        assert_parsers_agree(mail.ics)
        vevent = invite_event(mail)
        assert str(vevent["UID"]) == f"registration-{registration.id}@startsmart.test"
        assert int(vevent["SEQUENCE"]) == 1
        assert vevent.start == new_start
        # A plain sentence of what changed, with the old time for comparison.
        assert "Neuer Termin:" in mail.body_text and "bisher:" in mail.body_text
        assert f"{new_start.astimezone(BERLIN):%H:%M}" in mail.body_text
        assert "Neuer Termin:" in mail.body_html


def test_place_and_link_changes_are_named_in_the_mail(session, booked, outbox):
    event, _ = booked
    programme.update_event(
        session,
        event.id,
        {"venue": "Kreishaus", "online_url": "https://video.example/neu"},
        utcnow(),
    )
    session.commit()
    mail = outbox("updated")[0]
    assert "Neuer Ort: Kreishaus" in mail.body_text
    assert "Rathaus" in mail.body_text  # the old place, for comparison
    assert "https://video.example/neu" in mail.body_text
    vevent = invite_event(mail)
    assert str(vevent["LOCATION"]).startswith("Kreishaus")
    assert "https://video.example/neu" in str(vevent["DESCRIPTION"])


def test_description_change_notifies_only_when_asked(session, booked, outbox):
    event, people = booked
    programme.update_event(session, event.id, {"description": "Neu."}, utcnow())
    session.commit()
    assert outbox("updated") == []
    session.refresh(people["anna"])
    assert people["anna"].invite_sequence == 0

    programme.update_event(
        session, event.id, {"summary": "Jetzt mit Mittagessen."}, utcnow(), notify_description=True
    )
    session.commit()
    mails = outbox("updated")
    assert len(mails) == 2
    assert "Beschreibung der Veranstaltung wurde aktualisiert" in mails[0].body_text
    assert "Jetzt mit Mittagessen." in str(invite_event(mails[0])["DESCRIPTION"])


def test_changes_to_drafts_or_without_effect_send_nothing(
    session, make_event, make_registration, outbox
):
    draft = make_event(status=EventStatus.DRAFT)
    make_registration(draft, S.CONFIRMED)
    assert programme.update_event(session, draft.id, {"venue": "Anderswo"}, utcnow()) == ["venue"]
    assert programme.update_event(session, draft.id, {"venue": "Anderswo"}, utcnow()) == []
    session.commit()
    assert outbox() == []


def test_refused_changes(session, booked):
    event, _ = booked
    with pytest.raises(programme.UnknownField):
        programme.update_event(session, event.id, {"capacity": 1}, utcnow())
    session.rollback()
    with pytest.raises(programme.InvalidTimes):
        programme.update_event(session, event.id, {"ends_at": event.starts_at}, utcnow())
    session.rollback()


def test_cancel_event_tells_everyone_and_stays_visible(session, client, booked, outbox):
    event, people = booked
    programme.cancel_event(session, event.id, "Die Referentin ist erkrankt.", utcnow())
    session.commit()
    session.refresh(event)
    assert event.status == EventStatus.CANCELLED
    assert event.cancel_reason == "Die Referentin ist erkrankt."

    mails = {mail.recipient.split("@")[0]: mail for mail in outbox("event_cancelled")}
    assert sorted(mails) == ["anna", "ben", "cem", "dora", "eva"]
    for name in ("anna", "ben"):
        mail = mails[name]
        assert mail.ics_method == "CANCEL"
        assert_parsers_agree(mail.ics)
        calendar = icalendar.Calendar.from_ical(mail.ics)
        assert str(calendar["METHOD"]) == "CANCEL"
        vevent = invite_event(mail)
        assert str(vevent["STATUS"]) == "CANCELLED"
        assert str(vevent["UID"]) == f"registration-{people[name].id}@startsmart.test"
        assert int(vevent["SEQUENCE"]) == 1  # above the REQUEST's 0
        assert "video.example" not in mail.ics
    for name in ("cem", "dora", "eva"):
        assert mails[name].ics == ""
        assert "absagen" in mails[name].body_text
    assert all("Die Referentin ist erkrankt." in mail.body_text for mail in mails.values())
    for registration in people.values():
        session.refresh(registration)
        assert registration.status == S.CANCELLED

    page = client.get(f"/events/{event.slug}")
    assert page.status_code == 200
    assert "Diese Veranstaltung wurde abgesagt." in page.get_data(as_text=True)
    # Cancelling twice sends nothing more.
    programme.cancel_event(session, event.id, "", utcnow())
    session.commit()
    assert len(outbox("event_cancelled")) == 5


def test_publish_and_unpublish(session, client, make_event, make_registration):
    event = make_event(status=EventStatus.DRAFT)
    assert client.get(f"/events/{event.slug}").status_code == 404
    programme.publish_event(session, event.id, utcnow())
    session.commit()
    assert client.get(f"/events/{event.slug}").status_code == 200

    programme.unpublish_event(session, event.id, utcnow())
    session.commit()
    assert client.get(f"/events/{event.slug}").status_code == 404

    programme.publish_event(session, event.id, utcnow())
    session.commit()
    make_registration(event, S.WAITLISTED)
    with pytest.raises(programme.EventHasRegistrations):
        programme.unpublish_event(session, event.id, utcnow())
    session.rollback()

    programme.cancel_event(session, event.id, "", utcnow())
    session.commit()
    with pytest.raises(programme.EventIsCancelled):
        programme.publish_event(session, event.id, utcnow())
    session.rollback()
