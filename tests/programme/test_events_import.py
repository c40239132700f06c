"""`flask events import FILE.csv`: a year's programme, all or nothing."""

from datetime import UTC, datetime

from sqlalchemy import func, select

from app.models import Event, EventMode, EventStatus, Topic

HEADER = (
    "title;format;start;end;capacity;per_municipality;mode;venue;address;online_link;"
    "topics;summary;description;status"
)
GOOD_ROWS = [
    "Kick-off Start Smart Nord;kickoff;2027-02-02 10:00;2027-02-02 15:00;80;3;in_person;"
    "Rathaus Kiel;Fleethörn 9, 24103 Kiel;;Strategie;Auftakt im Norden.;;published",
    "Themenwerkstatt Wärmeplanung;workshop;2027-04-13 09:30;2027-04-13 16:00;25;2;hybrid;"
    'Rathaus Jena;Markt 1, 07743 Jena;https://konferenz.example/w;"Energie & Klima;Strategie";'
    '"Daten; Beteiligung; Umsetzung";"Zwei Zeilen\nBeschreibung";draft',
    "Peer-Learning Datenplattformen;peer_learning;2027-05-06 14:00;2027-05-06 16:00;40;;online;"
    ";;https://konferenz.example/p;Daten & Plattformen;;;",
]


def write(tmp_path, lines, delimiter=";", encoding="utf-8", name="programm.csv"):
    text = "\n".join(lines).replace(";", delimiter) if delimiter != ";" else "\n".join(lines)
    path = tmp_path / name
    path.write_bytes((text + "\n").encode(encoding))
    return path


def event_count(session) -> int:
    return session.scalar(select(func.count(Event.id)))


def add_topics(session, *names):
    for name in names:
        session.add(Topic(name=name, slug=name.lower().replace(" & ", "-")))
    session.commit()


def test_import_stores_every_row_with_topics_and_berlin_times(runner, session, tmp_path):
    add_topics(session, "Strategie", "Energie & Klima", "Daten & Plattformen")

    result = runner.invoke(args=["events", "import", str(write(tmp_path, [HEADER, *GOOD_ROWS]))])

    assert result.exit_code == 0, result.output
    assert "Imported 3 events" in result.stdout
    assert "Importing" in result.stderr  # the progress bar
    events = session.scalars(select(Event).order_by(Event.starts_at)).all()
    assert [event.slug for event in events] == [
        "kick-off-start-smart-nord",
        "themenwerkstatt-waermeplanung",
        "peer-learning-datenplattformen",
    ]
    kickoff, workshop, peer = events
    assert kickoff.starts_at == datetime(2027, 2, 2, 9, 0, tzinfo=UTC)
    assert workshop.starts_at == datetime(2027, 4, 13, 7, 30, tzinfo=UTC)  # summer time
    assert workshop.status == EventStatus.DRAFT and kickoff.status == EventStatus.PUBLISHED
    assert workshop.summary == "Daten; Beteiligung; Umsetzung"
    assert workshop.description == "Zwei Zeilen\nBeschreibung"
    assert {topic.name for topic in workshop.topics} == {"Energie & Klima", "Strategie"}
    assert peer.mode == EventMode.ONLINE and peer.max_per_municipality is None


def test_import_reads_utf8_with_bom_and_comma_delimiter(runner, session, tmp_path):
    add_topics(session, "Strategie", "Energie & Klima", "Daten & Plattformen")
    rows = [
        HEADER.replace(";", ","),
        "Themenwerkstatt Mobilität in Lüneburg,workshop,2027-06-01 10:00,2027-06-01 15:00,"
        '20,,in_person,Rathaus,"Am Ochsenmarkt 1, 21335 Lüneburg",,,"Mit Rundgang, Imbiss",,',
    ]
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(rows).encode("utf-8"))

    result = runner.invoke(args=["events", "import", str(path)])

    assert result.exit_code == 0, result.output
    event = session.scalar(select(Event))
    assert event.title == "Themenwerkstatt Mobilität in Lüneburg"
    assert event.address == "Am Ochsenmarkt 1, 21335 Lüneburg"
    assert event.summary == "Mit Rundgang, Imbiss"


def test_one_bad_row_stores_nothing_and_every_error_has_its_line(runner, session, tmp_path):
    add_topics(session, "Strategie", "Energie & Klima", "Daten & Plattformen")
    bad = [
        HEADER,
        GOOD_ROWS[0],
        "Werkstatt ohne Ende;workshop;2027-03-01 10:00;2027-03-01 09:00;10;;in_person;Rathaus"
        ";;;;;;",
        "Werkstatt;seminar;2027-03-02 10:00;2027-03-02 12:00;zehn;;in_person;Rathaus;;;"
        "Raumfahrt;;;",
        GOOD_ROWS[0],  # the same event twice
    ]

    result = runner.invoke(args=["events", "import", str(write(tmp_path, bad))])

    assert result.exit_code == 1
    errors = result.stderr
    assert "line 3: end must be after start" in errors
    assert "line 4: format must be one of kickoff|workshop|peer_learning" in errors
    assert "line 4: capacity must be a whole number" in errors
    assert "line 4: unknown topic 'Raumfahrt'" in errors
    assert "line 5: same title and start as line 2" in errors
    assert "Nothing imported: 5 problem(s)." in errors
    assert event_count(session) == 0


def test_line_numbers_count_lines_inside_quoted_fields(runner, session, tmp_path):
    add_topics(session, "Strategie", "Energie & Klima", "Daten & Plattformen")
    rows = [HEADER, GOOD_ROWS[1], "Ohne Format;;2027-03-02 10:00;2027-03-02 12:00;10;;;Saal;;;;;;"]

    result = runner.invoke(args=["events", "import", str(write(tmp_path, rows))])

    # GOOD_ROWS[1] spans lines 2 and 3 (a line break inside its description).
    assert "line 4: format is required" in result.stderr
    assert event_count(session) == 0


def test_unknown_and_missing_columns_are_refused(runner, session, tmp_path):
    path = write(tmp_path, ["titel;format;start;ende;capacity", "X;workshop;a;b;1"])
    result = runner.invoke(args=["events", "import", str(path)])
    assert result.exit_code == 1
    assert "line 1: unknown column(s): titel, ende" in result.stderr
    assert "line 1: missing column(s): title, end" in result.stderr


def test_row_with_more_fields_than_header_is_refused(runner, session, tmp_path):
    path = write(
        tmp_path,
        ["title;format;start;end;capacity;venue", "A;workshop;2027-03-02 10:00;"
         "2027-03-02 12:00;10;Saal;zu viel"],
    )  # fmt: skip
    result = runner.invoke(args=["events", "import", str(path)])
    assert result.exit_code == 1
    assert "line 2: more fields than columns in the header" in result.stderr


def test_file_that_is_not_utf8_is_refused_with_a_hint(runner, session, tmp_path):
    rows = ["title;format;start;end;capacity;venue",
            "Werkstatt Mobilität;workshop;2027-03-02 10:00;2027-03-02 12:00;10;Saal"]  # fmt: skip
    result = runner.invoke(args=["events", "import", str(write(tmp_path, rows, encoding="cp1252"))])
    assert result.exit_code == 1
    assert "not UTF-8" in result.output
    assert event_count(session) == 0


def test_empty_file_imports_nothing(runner, session, tmp_path):
    result = runner.invoke(args=["events", "import", str(write(tmp_path, [HEADER]))])
    assert result.exit_code == 1
    assert "no events in the file" in result.output


def test_slugs_stay_unique_within_the_file_and_against_the_database(
    runner, session, tmp_path, make_event
):
    make_event(slug="werkstatt-daten", title="Werkstatt Daten")
    rows = [
        "title,format,start,end,capacity,venue",
        "Werkstatt Daten,workshop,2027-03-02 10:00,2027-03-02 12:00,10,Saal",
        "Werkstatt Daten,workshop,2027-04-02 10:00,2027-04-02 12:00,10,Saal",
    ]
    result = runner.invoke(args=["events", "import", str(write(tmp_path, rows, delimiter=","))])
    assert result.exit_code == 0, result.output
    slugs = set(session.scalars(select(Event.slug)))
    assert slugs == {"werkstatt-daten", "werkstatt-daten-2", "werkstatt-daten-3"}
