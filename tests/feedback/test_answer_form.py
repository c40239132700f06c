"""The participant's form: one answer, changeable until the closing date, then refused."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.feedback.rules import save_settings
from app.models import Attendance, FeedbackAnswer, Topic, utcnow


def url(registration) -> str:
    return f"/r/{registration.token}/rueckmeldung"


def count_answers(session) -> int:
    session.commit()
    return session.scalar(select(func.count()).select_from(FeedbackAnswer))


def test_the_form_is_accessible_a_radio_group_in_a_fieldset(client, ended_event, participant):
    person = participant(ended_event())
    page = client.get(url(person)).text
    fieldset = page.split('<fieldset class="field " id="usefulness">', 1)[1].split("</fieldset>")[0]
    assert "<legend>Wie nützlich war die Veranstaltung für Ihre Arbeit?</legend>" in fieldset
    assert fieldset.count('type="radio"') == 5
    assert "5 – sehr nützlich" in fieldset


def test_a_participant_answers_once_and_changes_the_answer(
    client, session, ended_event, participant
):
    session.add(Topic(name="Open Data", slug="open-data"))
    session.commit()
    topic = session.scalar(select(Topic).where(Topic.slug == "open-data"))
    person = participant(ended_event())
    first = client.post(
        url(person),
        data={"usefulness": "4", "will_use": "Die Checkliste", "topics": [str(topic.id)]},
        follow_redirects=True,
    )
    assert "Vielen Dank für Ihre Rückmeldung!" in first.text
    assert "Sie haben bereits geantwortet." in first.text
    changed = client.post(
        url(person), data={"usefulness": "2", "missing": "Mehr Praxis"}, follow_redirects=True
    )
    assert "Ihre Antwort ist geändert." in changed.text
    assert count_answers(session) == 1
    answer = session.scalar(select(FeedbackAnswer))
    assert (answer.usefulness, answer.will_use, answer.missing) == (2, "", "Mehr Praxis")
    assert answer.topics == []
    assert (
        '<input checked id="usefulness-1" name="usefulness" required type="radio" value="2">'
        in changed.text
    )


def test_usefulness_must_be_chosen(client, session, ended_event, participant):
    person = participant(ended_event())
    response = client.post(url(person), data={"comment": "Schön"})
    assert response.status_code == 422
    assert "Bitte wählen Sie aus, wie nützlich es war." in response.text
    assert count_answers(session) == 0


def test_after_the_closing_date_the_form_refuses_clearly(client, session, ended_event, participant):
    event = ended_event()
    person = participant(event)
    client.post(url(person), data={"usefulness": "5"})
    save_settings(session, event, {}, utcnow() - timedelta(minutes=1))
    session.commit()

    page = client.get(url(person))
    assert "Die Umfrage zu dieser Veranstaltung ist geschlossen" in page.text
    assert "ändern lässt sie sich nicht mehr" in page.text
    assert 'type="radio"' not in page.text
    refused = client.post(url(person), data={"usefulness": "1"})
    assert refused.status_code == 409
    assert "Die Umfrage zu dieser Veranstaltung ist geschlossen" in refused.text
    session.commit()
    assert session.scalar(select(FeedbackAnswer.usefulness)) == 5


def test_questions_switched_off_are_neither_shown_nor_stored(
    client, session, ended_event, participant
):
    event = ended_event()
    save_settings(session, event, {"ask_comment": True}, None)
    session.commit()
    person = participant(event)
    page = client.get(url(person)).text
    assert "Was hat Ihnen gefehlt?" not in page
    assert "Möchten Sie uns sonst noch etwas sagen?" in page
    client.post(url(person), data={"usefulness": "3", "missing": "Kaffee", "comment": "Gut"})
    session.commit()
    answer = session.scalar(select(FeedbackAnswer))
    assert (answer.missing, answer.comment) == ("", "Gut")


def test_only_people_marked_present_after_the_event_reach_the_form(
    client, make_event, ended_event, participant
):
    absent = participant(ended_event(), attendance=Attendance.NO_SHOW)
    future = participant(make_event())
    assert client.get(url(absent)).status_code == 404
    assert client.post(url(absent), data={"usefulness": "5"}).status_code == 404
    assert client.get(url(future)).status_code == 404
    assert client.get("/r/not-a-token/rueckmeldung").status_code == 404


def test_the_personal_page_links_to_the_form(client, ended_event, participant, make_event):
    person = participant(ended_event())
    page = client.get(f"/r/{person.token}").text
    assert f'href="/r/{person.token}/rueckmeldung"' in page
    assert "Zur Umfrage" in page
    upcoming = participant(make_event())
    assert "/rueckmeldung" not in client.get(f"/r/{upcoming.token}").text
