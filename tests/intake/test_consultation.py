"""Booking an initial consultation: one booking per slot, invitations, cancel and rebook."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from app.extensions import db
from app.intake.consultation import (
    book_slot,
    cancel_consultation,
    open_slots,
    organiser_slots,
    publish_slot,
    withdraw_slot,
)
from app.intake.errors import InvalidSlot, NotConfirmed, SlotTaken, SlotUnavailable
from app.models import (
    BookingStatus,
    ConsultationBooking,
    PipelineStage,
    SlotChannel,
    utcnow,
)


def parse(ics: str):
    calendar = Calendar.from_ical(ics)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def test_booking_sends_the_same_invitation_to_both_sides(
    session, make_interest, make_slot, outbox, now
):
    interest = make_interest()
    slot = make_slot()
    booking = book_slot(session, interest.token, slot.id, now)
    session.commit()

    assert booking.status == BookingStatus.BOOKED
    assert interest.stage == PipelineStage.CONSULTATION_BOOKED
    (to_contact,) = outbox("consultation_booked")
    (to_organiser,) = outbox("consultation_booked_organiser")
    assert to_contact.recipient == interest.email
    assert to_organiser.recipient == "olga@kts.example"
    for mail in (to_contact, to_organiser):
        assert mail.ics_method == "REQUEST"
        calendar, event = parse(mail.ics)
        assert calendar["METHOD"] == "REQUEST"
        assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Berlin"
        assert event.start == slot.starts_at
        assert event.end - event.start == timedelta(minutes=60)
        attendees = {str(a).lower() for a in event.get("ATTENDEE")}
        assert attendees == {f"mailto:{interest.email}", "mailto:olga@kts.example"}
    assert parse(to_contact.ics)[1]["UID"] == parse(to_organiser.ics)[1]["UID"]
    # Only the municipality gets its personal link; the organiser gets the contact details.
    assert interest.token in str(parse(to_contact.ics)[1]["DESCRIPTION"])
    organiser_description = str(parse(to_organiser.ics)[1]["DESCRIPTION"])
    assert interest.token not in organiser_description and interest.email in organiser_description
    assert interest.email in to_organiser.body_text
    assert slot not in open_slots(session, now)


def test_typed_text_stays_text_in_the_html_of_both_mails(
    session, make_interest, make_slot, outbox, now
):
    interest = make_interest(first_name="Kim <b>", message="Fragen zu <Open Data> & Co.")
    slot = make_slot(access_details="https://meet.example/raum?a=1&b=2")
    book_slot(session, interest.token, slot.id, now)
    session.commit()

    (to_contact,) = outbox("consultation_booked")
    (to_organiser,) = outbox("consultation_booked_organiser")
    assert "Fragen zu &lt;Open Data&gt; &amp; Co." in to_organiser.body_html
    assert f"&lt;{interest.email}&gt;" in to_organiser.body_html
    assert "<b>" not in to_organiser.body_html and "<Open Data>" not in to_organiser.body_html
    assert "raum?a=1&amp;b=2" in to_contact.body_html
    assert "Fragen zu <Open Data> & Co." in to_organiser.body_text  # plain text stays plain


def test_only_a_confirmed_interest_may_book(session, make_interest, make_slot, now):
    interest = make_interest(confirmed=False)
    slot = make_slot()
    with pytest.raises(NotConfirmed):
        book_slot(session, interest.token, slot.id, now)
    session.rollback()
    assert session.scalar(select(ConsultationBooking)) is None


def test_a_booked_slot_cannot_be_booked_by_another(session, make_interest, make_slot, now):
    first, second = make_interest(), make_interest()
    slot = make_slot()
    book_slot(session, first.token, slot.id, now)
    session.commit()
    with pytest.raises(SlotTaken):
        book_slot(session, second.token, slot.id, now)
    session.rollback()
    # Booking the same slot again is a harmless double click.
    again = book_slot(session, first.token, slot.id, now)
    session.commit()
    assert again.interest_id == first.id
    assert len(session.scalars(select(ConsultationBooking)).all()) == 1


def test_past_and_withdrawn_slots_are_not_bookable(session, make_interest, make_slot, now):
    interest = make_interest()
    slot = make_slot(starts_at=now + timedelta(hours=1))
    with pytest.raises(SlotUnavailable):
        book_slot(session, interest.token, slot.id, now + timedelta(hours=2))
    session.rollback()
    withdraw_slot(session, slot.id, now)
    session.commit()
    with pytest.raises(SlotUnavailable):
        book_slot(session, interest.token, slot.id, now)
    session.rollback()
    with pytest.raises(SlotUnavailable):
        book_slot(session, interest.token, 999999, now)
    session.rollback()


def test_slot_must_be_sensible(session, now):
    with pytest.raises(InvalidSlot):
        publish_slot(session, now - timedelta(hours=1), 60, SlotChannel.PHONE, "O", "o@x.de", now)
    with pytest.raises(InvalidSlot):
        publish_slot(session, now + timedelta(days=1), 5, SlotChannel.PHONE, "O", "o@x.de", now)


def test_rebooking_cancels_the_old_invitation(session, make_interest, make_slot, outbox, now):
    interest = make_interest()
    old_slot, new_slot = make_slot(), make_slot(starts_at=now + timedelta(days=8))
    old = book_slot(session, interest.token, old_slot.id, now)
    session.commit()
    new = book_slot(session, interest.token, new_slot.id, now)
    session.commit()

    assert old.status == BookingStatus.CANCELLED and new.status == BookingStatus.BOOKED
    cancels = outbox("consultation_cancelled") + outbox("consultation_cancelled_organiser")
    assert len(cancels) == 2
    requests = outbox("consultation_booked")
    old_uid = parse(requests[0].ics)[1]["UID"]
    for mail in cancels:
        calendar, event = parse(mail.ics)
        assert calendar["METHOD"] == "CANCEL" and mail.ics_method == "CANCEL"
        assert event["UID"] == old_uid
        assert event["SEQUENCE"] == 1
    assert parse(requests[1].ics)[1]["UID"] != old_uid
    assert old_slot in open_slots(session, now)


def test_cancelling_frees_the_slot_and_resets_the_stage(
    session, make_interest, make_slot, outbox, now
):
    interest = make_interest()
    slot = make_slot()
    book_slot(session, interest.token, slot.id, now)
    session.commit()
    cancel_consultation(session, interest.token, now)
    session.commit()
    assert interest.stage == PipelineStage.NEW
    assert slot in open_slots(session, now)
    assert len(outbox("consultation_cancelled")) == 1
    assert cancel_consultation(session, interest.token, now) is None  # nothing left to cancel


def test_withdrawing_a_booked_slot_tells_both_sides(session, make_interest, make_slot, outbox, now):
    interest = make_interest()
    slot = make_slot()
    book_slot(session, interest.token, slot.id, now)
    session.commit()
    withdraw_slot(session, slot.id, now)
    session.commit()
    assert len(outbox("consultation_cancelled")) == 1
    assert len(outbox("consultation_cancelled_organiser")) == 1
    assert open_slots(session, now) == []


def test_organiser_sees_own_slots_with_bookings(session, make_interest, make_slot, now):
    interest = make_interest()
    booked, free = make_slot(), make_slot(starts_at=now + timedelta(days=9))
    make_slot(organiser_email="other@kts.example")
    book_slot(session, interest.token, booked.id, now)
    session.commit()
    rows = organiser_slots(session, "olga@kts.example", now)
    assert [(slot.id, booking is not None) for slot, booking in rows] == [
        (booked.id, True),
        (free.id, False),
    ]


@pytest.mark.parametrize("round_", range(3))
def test_concurrent_bookings_never_double_book_a_slot(
    app, session, make_interest, make_slot, now, round_
):
    interests = [make_interest() for _ in range(20)]
    slot_id = make_slot().id  # read here: the threads must not load the test's objects
    tokens = [interest.token for interest in interests]
    outcomes, errors = [], []
    barrier = threading.Barrier(len(tokens))

    def attempt(token):
        try:
            with app.app_context():
                barrier.wait(timeout=30)
                try:
                    book_slot(db.session, token, slot_id, utcnow())
                    db.session.commit()
                    outcomes.append("booked")
                except SlotTaken:
                    db.session.rollback()
                    outcomes.append("taken")
                finally:
                    db.session.remove()
        except Exception as exc:  # surfaced below; a thread cannot fail the test itself
            errors.append(exc)

    threads = [threading.Thread(target=attempt, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert sorted(outcomes) == ["booked"] + ["taken"] * 19
    session.rollback()  # end the test's own read snapshot
    active = session.scalars(
        select(ConsultationBooking).where(ConsultationBooking.status == BookingStatus.BOOKED)
    ).all()
    assert len(active) == 1


def test_booking_through_the_personal_page(client, session, make_interest, make_slot, now):
    interest = make_interest()
    other = make_interest()
    slot = make_slot()
    page = client.get(f"/interessensbekundung/{interest.token}").get_data(as_text=True)
    assert "Diesen Termin buchen" in page

    response = client.post(
        f"/interessensbekundung/{interest.token}/termin", data={"slot_id": str(slot.id)}
    )
    assert response.status_code == 302
    page = client.get(f"/interessensbekundung/{interest.token}").get_data(as_text=True)
    assert "Ihr Termin ist gebucht" in page
    assert "Olga Organisatorin" in page and "Termin jetzt absagen" in page

    client.post(f"/interessensbekundung/{other.token}/termin", data={"slot_id": str(slot.id)})
    page = client.get(f"/interessensbekundung/{other.token}").get_data(as_text=True)
    assert "gerade vergeben" in page or "nicht mehr verfügbar" in page

    client.post(f"/interessensbekundung/{interest.token}/termin/absagen")
    page = client.get(f"/interessensbekundung/{interest.token}").get_data(as_text=True)
    assert "Ihr Termin ist abgesagt" in page
    assert "Diesen Termin buchen" in page


def test_pending_interest_page_offers_no_slots(client, make_interest, make_slot):
    interest = make_interest(confirmed=False)
    make_slot()
    page = client.get(f"/interessensbekundung/{interest.token}").get_data(as_text=True)
    assert "Diesen Termin buchen" not in page
    response = client.post(f"/interessensbekundung/{interest.token}/termin", data={"slot_id": "1"})
    assert response.status_code == 302
    assert "zuerst Ihre Interessensbekundung" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
