"""A new topic whose slug another topic has ("Energie Klima" beside "Energie & Klima") is refused
with a message, in the back office's forms and on the command line: never a 500."""

from __future__ import annotations

from sqlalchemy import func, select

from app.models import Event, Topic


def event_form(**overrides) -> dict:
    data = {
        "title": "Themenwerkstatt Wärmeplanung",
        "format": "workshop",
        "starts_at": "2031-03-12T10:00",
        "ends_at": "2031-03-12T16:00",
        "mode": "in_person",
        "venue": "Rathaus Musterstadt",
        "capacity": "20",
        "waitlist_mode": "automatic",
        "offer_hours": "48",
        "model_projects": "equal",
    }
    data.update(overrides)
    return data


def add_topic(session, name, slug):
    topic = Topic(name=name, slug=slug)
    session.add(topic)
    session.commit()
    return topic


def topic_count(session) -> int:
    return session.scalar(select(func.count(Topic.id)))


def test_a_new_event_with_a_clashing_new_topic_gets_a_field_error(orga_client, session):
    add_topic(session, "Energie & Klima", "energie-klima")

    response = orga_client.post("/admin/events/new", data=event_form(new_topics="Energie Klima"))

    assert response.status_code == 422
    assert "„Energie Klima“ ist zu nah am vorhandenen Thema „Energie &amp; Klima“" in response.text
    assert session.scalar(select(func.count(Event.id))) == 0
    assert topic_count(session) == 1


def test_the_field_error_reads_in_english_too(orga_client, session):
    add_topic(session, "Energie & Klima", "energie-klima")

    response = orga_client.post(
        "/admin/events/new?lang=en", data=event_form(new_topics="Open Data, Energie Klima")
    )

    assert response.status_code == 422
    assert "is too close to the existing topic" in response.text
    assert topic_count(session) == 1  # "Open Data" was not added either


def test_editing_with_a_clashing_new_topic_changes_nothing(orga_client, make_event, session):
    add_topic(session, "Energie & Klima", "energie-klima")
    event = make_event(title="Alt", capacity=10)

    response = orga_client.post(
        f"/admin/events/{event.id}/edit",
        data=event_form(title="Neu", capacity="12", new_topics="Energie Klima"),
    )

    assert response.status_code == 422
    assert "ist zu nah am vorhandenen Thema" in response.text
    session.expire_all()
    refreshed = session.get(Event, event.id)
    assert (refreshed.title, refreshed.capacity, refreshed.topics) == ("Alt", 10, [])


def test_a_new_topic_named_like_an_existing_one_is_that_topic(orga_client, session):
    existing = add_topic(session, "Energie & Klima", "energie-klima")

    response = orga_client.post(
        "/admin/events/new", data=event_form(new_topics="energie & klima, Open Data, open data")
    )

    assert response.status_code == 302
    event = session.scalars(select(Event)).one()
    assert [topic.name for topic in event.topics] == ["Energie & Klima", "Open Data"]
    assert event.topics[0].id == existing.id
    assert topic_count(session) == 2


def test_the_command_line_refuses_a_clashing_topic_in_one_line(runner, session):
    add_topic(session, "Energie & Klima", "energie-klima")
    add_topic(session, "Strategie", "strategie")

    added = runner.invoke(args=["topics", "add", "Energie Klima"])
    renamed = runner.invoke(args=["topics", "rename", "Strategie", "Energie Klima"])

    for result in (added, renamed):
        assert result.exit_code == 1
        assert result.output == (
            "Error: 'Energie Klima' has the same slug (energie-klima) as topic 'Energie & Klima'\n"
        )
    assert sorted(session.scalars(select(Topic.name))) == ["Energie & Klima", "Strategie"]


def test_a_long_topic_name_gets_a_slug_that_fits_its_column(runner, session):
    name = "Ä" * 80  # 160 letters once transliterated

    result = runner.invoke(args=["topics", "add", name])

    assert result.exit_code == 0, result.output
    assert result.output.strip() == "ae" * 40
    assert session.scalars(select(Topic)).one().slug == "ae" * 40
