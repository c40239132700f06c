"""Erasure (Art. 17 DSGVO) and anonymisation reach every table: the privacy registry classifies
every text column of the models, and a person who went through every flow leaves no trace of
their name, address, phone number or message in any row afterwards."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from links import token_in

from app.booking.operations import enter_phone_registration
from app.booking.registration import Applicant
from app.extensions import db
from app.intake.consultation import open_slots, publish_slot
from app.messaging.messages import send_message
from app.models import (
    BookingStatus,
    ConsultationBooking,
    Event,
    ExpressionOfInterest,
    OutboxMessage,
    Registration,
    SlotChannel,
    Topic,
    utcnow,
)
from app.privacy.registry import COLUMNS
from app.privacy.retention import anonymise_expired

EMAIL = "Zora.Zwiebelmeier@Musterstadt.example"
PHONE = "0171 5550123"
# Everything that would point to the person; none of it may be left anywhere.
TRACES = ("zwiebel", "5550123", "0171 555")


def text_columns():
    """Every column of every mapped table that can hold typed text (enums hold fixed codes)."""
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            kinds = (sa.String, sa.LargeBinary)
            if isinstance(column.type, kinds) and not isinstance(column.type, sa.Enum):
                yield f"{table.name}.{column.name}"


def test_every_text_column_is_classified_in_the_privacy_registry(app_ctx):
    unclassified = sorted(set(text_columns()) - set(COLUMNS))

    assert unclassified == [], "classify these in app/privacy/registry.py (personal or not)"


def dump(session) -> str:
    """Every row of every table as one text, calendar lines unfolded (RFC 5545, 3.1)."""
    session.commit()
    values = []
    for table in db.metadata.sorted_tables:
        for row in session.execute(sa.select(table)).all():
            for value in row:
                if isinstance(value, bytes):
                    value = value.decode("utf-8", "replace")
                values.append(str(value))
    return re.sub(r"\r?\n[ \t]", "", "\n".join(values)).lower()


def traces_in(session) -> list[str]:
    text = dump(session)
    return [trace for trace in TRACES if trace in text]


@pytest.fixture
def zora(client, orga_client, session, make_event, form_data, now, outbox):
    """One person through every flow that stores something about her: registration (opt-in,
    confirmation with invitation, reminder), personal feed, a registration taken by phone and
    one cancelled by an organiser (audit snapshots with a typed reason), an organisers'
    message, an expression of interest with phone and message, a booked consultation with
    mails to both sides, and an organiser's note naming her."""
    event = make_event(title="Datenwerkstatt")
    person = dict(
        first_name="Zora", last_name="Zwiebelmeier", email=EMAIL, role="Leiterin Zwiebelamt"
    )
    assert (
        client.post(f"/events/{event.slug}/register", data=form_data(**person)).status_code == 302
    )
    token = token_in(outbox("opt_in")[0].body_text)
    assert client.post(f"/r/{token}/confirm").status_code == 302
    client.post(f"/events/{event.slug}/register", data=form_data(**person))  # link reminder
    assert outbox("link_reminder")
    assert client.post(f"/r/{token}/calendar-feed").status_code == 302
    feed = token_in(client.get(f"/r/{token}").get_data(as_text=True), "feed")
    feed_path = f"/feeds/personal/{feed}.ics"
    assert client.get(feed_path).status_code == 200

    by_phone = make_event(title="Kick-off Süd")
    applicant = Applicant(municipality="Musterstadt", state="09", **person)
    phoned, _ = enter_phone_registration(session, None, by_phone.id, applicant, now)
    session.commit()
    cancelled = orga_client.post(
        f"/admin/registrations/{phoned.id}/cancel",
        data={"cancel-reason": "Frau Zwiebelmeier ist erkrankt"},
    )
    assert cancelled.status_code == 302
    send_message(
        session,
        None,
        session.get(Event, event.id),
        "confirmed",
        "Anreise",
        "Bitte nutzen Sie den Eingang am Markt.",
        "erasure-test-message",
        now,
    )
    session.commit()

    topic = Topic(name="Energie", slug="energie")
    session.add(topic)
    session.commit()
    interest_form = {
        "municipality": "Musterstadt",
        "state": "09",
        "ags": "09123000",
        "size_class": "20k_50k",
        "first_name": "Zora",
        "last_name": "Zwiebelmeier",
        "email": EMAIL,
        "phone": PHONE,
        "role": "Leiterin Zwiebelamt",
        "topics": [str(topic.id)],
        "strategy_stage": "in_progress",
        "message": "Wir planen den Zwiebelturm-Sensor.",
        "consent": "y",
    }
    assert client.post("/interessensbekundung", data=interest_form).status_code == 302
    interest_token = token_in(outbox("interest_opt_in")[0].body_text, "interest")
    client.post(f"/interessensbekundung/{interest_token}/bestaetigen")
    slot = publish_slot(
        session,
        now + timedelta(days=7),
        60,
        SlotChannel.PHONE,
        "Olga Organisatorin",
        "olga@kts.example",
        now,
    )
    session.commit()
    booked = client.post(
        f"/interessensbekundung/{interest_token}/termin", data={"slot_id": str(slot.id)}
    )
    assert booked.status_code == 302
    assert outbox("consultation_booked_organiser")[0].ics
    interest = session.scalar(sa.select(ExpressionOfInterest))
    noted = orga_client.post(
        f"/admin/intake/{interest.id}/note",
        data={"text": f"Rückruf mit Frau Zwiebelmeier, {PHONE}"},
    )
    assert noted.status_code == 302

    assert set(traces_in(session)) == set(TRACES)  # the test would see what is left
    return {
        "token": token,
        "interest_token": interest_token,
        "feed_path": feed_path,
        "slot_id": slot.id,
        "interest_id": interest.id,
    }


def test_erasure_leaves_nothing_of_the_person_in_any_table(
    client, orga_client, session, zora, now, outbox
):
    response = orga_client.post(
        "/admin/privacy/erase", data={"email": EMAIL.upper(), "confirm": "y"}
    )

    assert response.status_code == 302
    assert traces_in(session) == []
    assert client.get(f"/r/{zora['token']}").status_code == 404
    assert client.get(f"/interessensbekundung/{zora['interest_token']}").status_code == 404
    assert client.get(zora["feed_path"]).status_code == 404
    # The consultation is cancelled by the intake's own rule: the slot is bookable again, and
    # the office's calendar gets the CANCEL (naming nobody: checked above).
    booking = session.scalar(sa.select(ConsultationBooking))
    assert booking.status == BookingStatus.CANCELLED
    assert zora["slot_id"] in {slot.id for slot in open_slots(session, utcnow())}
    [cancel] = outbox("consultation_cancelled_organiser")
    assert "METHOD:CANCEL" in cancel.ics and cancel.recipient == "olga@kts.example"
    # What the statistics count stays.
    interest = session.get(ExpressionOfInterest, zora["interest_id"])
    assert (interest.municipality_name, interest.ags) == ("Musterstadt", "09123000")
    assert session.scalar(sa.select(sa.func.count(Registration.id))) == 2


def test_anonymisation_after_the_retention_periods_leaves_nothing_of_the_person(
    client, session, zora, now
):
    later = now + timedelta(days=31 * 40)  # past both periods, for the events and the intake

    report = anonymise_expired(session, later, months=12, interest_months=24)
    session.commit()

    assert (report.registrations, report.interests, report.feeds_deleted) == (2, 1, 1)
    assert traces_in(session) == []
    assert client.get(f"/r/{zora['token']}").status_code == 404
    assert client.get(f"/interessensbekundung/{zora['interest_token']}").status_code == 404
    assert client.get(zora["feed_path"]).status_code == 404
    assert session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 0


def test_an_expression_of_interest_is_kept_while_something_happens(session, make_interest, now):
    interest = make_interest(email="still.active@kommune.example")

    early = anonymise_expired(session, now + timedelta(days=31 * 23), 12, 24)
    late = anonymise_expired(session, now + timedelta(days=31 * 25), 12, 24)
    session.commit()

    assert (early.interests, late.interests) == (0, 1)
    assert session.get(ExpressionOfInterest, interest.id).anonymised_at is not None
