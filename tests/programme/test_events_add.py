"""`flask events add`, `flask events list` and `flask topics ...` as an organiser uses them."""

from datetime import UTC, datetime

from sqlalchemy import select

from app.models import Event, EventFormat, EventMode, EventStatus, Topic, WaitlistMode


def add(runner, *extra, title="Themenwerkstatt Mobilität in Göttingen"):
    return runner.invoke(
        args=[
            "events", "add", "--title", title, "--format", "workshop",
            "--start", "2027-03-18 10:00", "--end", "2027-03-18 16:30",
            "--capacity", "20", "--venue", "Altes Rathaus", *extra,
        ]
    )  # fmt: skip


def test_add_prints_slug_and_publishes_with_times_in_utc(runner, session):
    session.add(Topic(name="Mobilität", slug="mobilitaet"))
    session.commit()

    result = add(
        runner, "--per-municipality", "2", "--address", "Markt 9, 37073 Göttingen",
        "--topic", "mobilität", "--summary", "Praxisnah.", "--waitlist-mode", "offer",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert result.output.strip() == "themenwerkstatt-mobilitaet-in-goettingen"
    event = session.scalar(select(Event))
    assert event.status == EventStatus.PUBLISHED
    assert event.format == EventFormat.WORKSHOP
    # 10:00 in Berlin in March (winter time, UTC+1) is 09:00 UTC.
    assert event.starts_at == datetime(2027, 3, 18, 9, 0, tzinfo=UTC)
    assert event.ends_at == datetime(2027, 3, 18, 15, 30, tzinfo=UTC)
    assert (event.capacity, event.max_per_municipality) == (20, 2)
    assert event.waitlist_mode == WaitlistMode.OFFER
    assert [topic.name for topic in event.topics] == ["Mobilität"]


def test_summer_time_start_is_stored_two_hours_earlier_in_utc(runner, session):
    result = runner.invoke(
        args=[
            "events", "add", "--title", "Online-Peer-Learning", "--format", "peer_learning",
            "--start", "2027-03-28 10:00", "--end", "2027-03-28 12:00", "--capacity", "30",
            "--mode", "online", "--online-link", "https://konferenz.example/raum",
        ]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    event = session.scalar(select(Event))
    assert event.starts_at == datetime(2027, 3, 28, 8, 0, tzinfo=UTC)
    assert event.mode == EventMode.ONLINE


def test_draft_is_not_published(runner, session):
    assert add(runner, "--draft").exit_code == 0
    assert session.scalar(select(Event.status)) == EventStatus.DRAFT


def test_same_title_twice_gets_a_second_slug(runner, session):
    first, second = add(runner), add(runner)
    assert first.output.strip() == "themenwerkstatt-mobilitaet-in-goettingen"
    assert second.output.strip() == "themenwerkstatt-mobilitaet-in-goettingen-2"


def test_end_before_start_is_one_clear_error_and_stores_nothing(runner, session):
    result = runner.invoke(
        args=[
            "events", "add", "--title", "Kick-off", "--format", "kickoff",
            "--start", "2027-03-18 10:00", "--end", "2027-03-18 09:00",
            "--capacity", "20", "--venue", "Rathaus",
        ]
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.output.strip() == "Error: end must be after start"
    assert session.scalar(select(Event)) is None


def test_invalid_input_is_refused(runner, session):
    cases = {
        ("--format", "seminar"): "Invalid value for '--format'",
        ("--start", "18.03.2027 10:00"): "is not a time like 2027-03-18 10:00",
        ("--start", "2027-03-28 02:30"): "does not exist in Berlin",
        ("--capacity", "zehn"): "capacity must be a whole number",
        ("--capacity", "²"): "capacity must be a whole number from 1 to 10000",
        ("--capacity", "5000000000"): "capacity must be a whole number from 1 to 10000",
        ("--per-municipality", "30"): "per_municipality cannot be larger than capacity",
        ("--mode", "online"): "online_link is required for mode online",
        ("--online-link", "konferenz.example"): "online_link must start with https://",
        ("--topic", "Raumfahrt"): "unknown topic 'Raumfahrt'",
    }
    for (option, value), message in cases.items():
        result = add(runner, option, value)
        assert result.exit_code != 0, option
        assert message in result.output, (option, result.output)
    assert session.scalar(select(Event)) is None


def test_list_shows_upcoming_events_with_seats(runner, make_event):
    make_event(title="Kommende Werkstatt", slug="kommende-werkstatt", capacity=12)
    make_event(
        title="Vergangene Werkstatt",
        slug="vergangene-werkstatt",
        starts_at=datetime(2020, 5, 4, 8, tzinfo=UTC),
        ends_at=datetime(2020, 5, 4, 12, tzinfo=UTC),
    )
    upcoming = runner.invoke(args=["events", "list"])
    assert "kommende-werkstatt" in upcoming.output and "0/12" in upcoming.output
    assert "vergangene-werkstatt" not in upcoming.output
    everything = runner.invoke(args=["events", "list", "--all"])
    assert "2020-05-04 10:00" in everything.output  # shown in Berlin time


def test_topics_add_list_rename(runner, session):
    assert runner.invoke(args=["topics", "add", "Energie & Klima"]).output.strip() == (
        "energie-klima"
    )
    duplicate = runner.invoke(args=["topics", "add", "energie & klima"])
    assert duplicate.exit_code == 1 and "exists already" in duplicate.output

    renamed = runner.invoke(args=["topics", "rename", "Energie & Klima", "Klima & Wärme"])
    assert renamed.exit_code == 0 and renamed.output.strip() == "klima-waerme"
    assert runner.invoke(args=["topics", "list"]).output == "klima-waerme  Klima & Wärme\n"
    missing = runner.invoke(args=["topics", "rename", "Gibt es nicht", "Neu"])
    assert missing.exit_code == 1 and "no topic named" in missing.output
