"""The public expression-of-interest form, its double opt-in and its mails."""

from __future__ import annotations

from datetime import timedelta

from links import token_in
from sqlalchemy import select

from app.intake.interest import confirm_interest, find_by_token
from app.models import ExpressionOfInterest, InterestStatus, Municipality


def form_data(all_topics, **fields):
    data = {
        "municipality": "Stadt Musterhausen",
        "state": "09",
        "ags": "09123000",
        "size_class": "20k_50k",
        "first_name": "Kim",
        "last_name": "Beispiel",
        "email": "kim@musterhausen.example",
        "phone": "089 123456",
        "role": "Amtsleitung",
        "topics": [str(all_topics[0].id), str(all_topics[1].id)],
        "strategy_stage": "in_progress",
        "message": "Wir möchten eine Datenplattform aufbauen.",
        "consent": "y",
    }
    data.update(fields)
    return data


def test_form_creates_pending_interest_and_sends_opt_in_link(client, session, topics, outbox):
    response = client.post("/interessensbekundung", data=form_data(topics))
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/interessensbekundung/gesendet")

    interest = session.scalar(select(ExpressionOfInterest))
    assert interest.status == InterestStatus.PENDING
    assert {topic.name for topic in interest.topics} == {"Energie", "Mobilität"}
    assert interest.municipality.ags == "09123000"
    (mail,) = outbox("interest_opt_in")
    assert mail.recipient == "kim@musterhausen.example"
    assert find_by_token(session, token_in(mail.body_text, "interest")).id == interest.id
    assert "Musterhausen" in mail.subject


def test_personal_page_confirms_only_by_post(client, session, topics, outbox):
    client.post("/interessensbekundung", data=form_data(topics))
    interest = session.scalar(select(ExpressionOfInterest))
    token = token_in(outbox("interest_opt_in")[0].body_text, "interest")
    page = client.get(f"/interessensbekundung/{token}")
    assert page.status_code == 200
    assert "Interessensbekundung bestätigen" in page.get_data(as_text=True)
    session.refresh(interest)
    assert interest.status == InterestStatus.PENDING  # a mail scanner's GET changes nothing

    response = client.post(f"/interessensbekundung/{token}/bestaetigen")
    assert response.status_code == 302
    session.refresh(interest)
    assert interest.status == InterestStatus.CONFIRMED
    assert interest.confirmed_at is not None
    assert len(outbox("interest_confirmed")) == 1
    # A second press sends nothing more.
    client.post(f"/interessensbekundung/{token}/bestaetigen")
    assert len(outbox("interest_confirmed")) == 1


def test_errors_are_german_at_the_fields_and_values_are_kept(client, session, topics):
    data = form_data(topics, ags="05123000", email="kein-mail", topics=[], consent="")
    response = client.post("/interessensbekundung", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "passen nicht zum gewählten Land (Bayern)" in html
    assert "gültige E-Mail-Adresse" in html
    assert "mindestens ein Thema" in html
    assert "Datenschutzhinweisen zu" in html
    assert 'value="Stadt Musterhausen"' in html
    assert "Wir möchten eine Datenplattform aufbauen." in html
    assert session.scalar(select(ExpressionOfInterest)) is None


def test_unknown_token_is_404_and_garbage_input_is_never_500(client, topics):
    assert client.get("/interessensbekundung/nicht-da").status_code == 404
    assert client.post("/interessensbekundung/nicht-da/bestaetigen").status_code == 404
    data = form_data(topics, topics=["abc"], size_class="riesig", strategy_stage="x")
    assert client.post("/interessensbekundung", data=data).status_code == 422


def test_same_person_twice_gets_the_answer_of_a_new_one_and_the_link_by_mail(
    client, session, topics, outbox
):
    # A different answer for a known address would tell anyone who has already applied.
    first = client.post("/interessensbekundung", data=form_data(topics))
    response = client.post("/interessensbekundung", data=form_data(topics, ags=""))
    assert (response.status_code, response.headers["Location"]) == (
        first.status_code,
        first.headers["Location"],
    )
    assert len(session.scalars(select(ExpressionOfInterest)).all()) == 1
    [reminder] = outbox("interest_link_reminder")
    interest = session.scalar(select(ExpressionOfInterest))
    assert find_by_token(session, token_in(reminder.body_text, "interest")).id == interest.id


def test_honeypot_stores_nothing(client, session, topics):
    response = client.post("/interessensbekundung", data=form_data(topics, website="spam"))
    assert response.status_code == 302
    assert session.scalar(select(ExpressionOfInterest)) is None


def test_unconfirmed_interest_expires(session, make_interest, now, outbox):
    interest = make_interest(confirmed=False)
    later = now + timedelta(hours=49)
    confirm_interest(session, interest.token, later)
    session.commit()
    assert interest.status == InterestStatus.EXPIRED
    assert outbox("interest_confirmed") == []


def test_interests_of_one_municipality_share_one_directory_record(session, make_interest):
    make_interest(municipality="Stadt Musterhausen", ags="09123000")
    make_interest(municipality="Musterhausen")  # no AGS, same normalised name and Land
    make_interest(municipality="Musterhausen", state="05")  # another Land: another place
    assert len(session.scalars(select(Municipality)).all()) == 2


def test_english_mail_for_english_visitor(client, session, topics, outbox):
    client.post("/interessensbekundung?lang=en", data=form_data(topics))
    (mail,) = outbox("interest_opt_in")
    interest = session.scalar(select(ExpressionOfInterest))
    assert interest.language == "en"
    assert mail.recipient == interest.email
