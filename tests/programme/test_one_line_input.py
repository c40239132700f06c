"""The command line and the CSV import refuse line breaks and control characters in one-line
values (a title goes into mail subjects); descriptions keep their lines."""

from __future__ import annotations

from sqlalchemy import func, select

from app.models import Event, Topic

HEADER = "title;format;start;end;capacity;venue;summary;description"


def write(tmp_path, *rows: str):
    path = tmp_path / "programm.csv"
    path.write_bytes(("\n".join([HEADER, *rows]) + "\n").encode("utf-8"))
    return path


def event_count(session) -> int:
    return session.scalar(select(func.count(Event.id)))


def test_import_refuses_a_title_with_a_line_break_and_stores_nothing(runner, session, tmp_path):
    path = write(
        tmp_path,
        "Kick-off Nord;kickoff;2027-02-02 10:00;2027-02-02 15:00;80;Rathaus Kiel;;",
        '"Werkstatt\nBcc: evil@attacker.example";workshop;2027-04-13 09:30;2027-04-13 16:00;'
        '25;"Rathaus\tJena";;',
    )

    result = runner.invoke(args=["events", "import", str(path)])

    assert result.exit_code == 1
    assert f"{path}: line 3: title must be a single line" in result.stderr
    assert f"{path}: line 3: venue contains a tab or another control character" in result.stderr
    assert "Nothing imported: 2 problem(s)." in result.stderr
    assert event_count(session) == 0


def test_import_keeps_line_breaks_in_the_description_and_strips_a_trailing_one(
    runner, session, tmp_path
):
    path = write(
        tmp_path,
        '"Kick-off Nord\n";kickoff;2027-02-02 10:00;2027-02-02 15:00;80;Rathaus Kiel;'
        'Auftakt.;"Erste Zeile\nZweite Zeile"',
        '"Werkstatt";workshop;2027-04-13 09:30;2027-04-13 16:00;25;Jena;"Kurz\u2028und gut";',
    )

    refused = runner.invoke(args=["events", "import", str(path)])
    assert refused.exit_code == 1
    assert "line 5: summary must be a single line" in refused.stderr  # where the row begins

    path = write(
        tmp_path,
        '"Kick-off Nord\n";kickoff;2027-02-02 10:00;2027-02-02 15:00;80;Rathaus Kiel;'
        'Auftakt.;"Erste Zeile\nZweite Zeile"',
    )
    result = runner.invoke(args=["events", "import", str(path)])

    assert result.exit_code == 0, result.output
    event = session.scalar(select(Event))
    assert event.title == "Kick-off Nord"
    assert event.description == "Erste Zeile\nZweite Zeile"


def test_events_add_refuses_a_title_with_a_line_break(runner, session):
    result = runner.invoke(
        args=[
            "events", "add", "--title", "Werkstatt\r\nBcc: evil@attacker.example",
            "--format", "workshop", "--start", "2027-03-18 10:00", "--end", "2027-03-18 16:30",
            "--capacity", "20", "--venue", "Altes Rathaus",
        ]
    )  # fmt: skip

    assert result.exit_code == 1
    assert "Error: title must be a single line" in result.output
    assert event_count(session) == 0


def test_topics_add_refuses_a_name_with_a_line_break(runner, session):
    result = runner.invoke(args=["topics", "add", "Energie\nBcc: evil@attacker.example"])

    assert result.exit_code == 1
    assert "Error: a topic name must be a single line" in result.output
    assert session.scalar(select(func.count(Topic.id))) == 0
