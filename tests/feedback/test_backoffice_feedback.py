"""What organisers see of the feedback: counts, rate, a chart, texts without names, exports,
and the statistics across events. Every page needs a login."""

from __future__ import annotations

import csv
import io
import re

from openpyxl import load_workbook

from app.feedback.rules import (
    Answer,
    feedback_job,
    submit_answer,
    usefulness_by_format,
    wanted_topics,
)
from app.models import EventFormat, Topic, utcnow


def answer(session, registration, usefulness, **texts):
    topic_ids = texts.pop("topic_ids", ())
    submit_answer(session, registration, Answer(usefulness, topic_ids=topic_ids, **texts), utcnow())
    session.commit()


def topic(session, name):
    row = Topic(name=name, slug=name.lower().replace(" ", "-"))
    session.add(row)
    session.commit()
    return row


def test_organisers_see_counts_rate_chart_and_texts_without_names(
    orga_client, session, ended_event, participant
):
    event = ended_event()
    people = [
        participant(event, first_name="Jörg", last_name="Schäfer"),
        participant(event, first_name="Ida", last_name="Kowalski"),
        participant(event, first_name="Ben", last_name="Okafor"),
        participant(event, first_name="Eva", last_name="Lindqvist"),
    ]
    feedback_job(session, utcnow())
    answer(session, people[0], 5, will_use="Die Vorlage für den Stadtrat")
    answer(session, people[1], 5)
    answer(session, people[2], 2, missing="Beispiele aus kleinen Gemeinden")

    page = orga_client.get(f"/admin/events/{event.id}/feedback").text
    assert '<dd data-count="asked">4</dd>' in page
    assert '<dd data-count="answers">3</dd>' in page
    assert '<dd data-count="rate">75\u00a0%</dd>' in page
    svg = page.split("<svg", 1)[1].split("</svg>", 1)[0]
    bars = dict(
        re.findall(
            r'<text x="52" y="\d+" text-anchor="end"[^>]*>(\d)</text>\s*'
            r'<rect [^>]*data-value="(\d+)"',
            svg,
        )
    )
    assert bars == {"1": "0", "2": "1", "3": "0", "4": "0", "5": "2"}
    assert "Die Vorlage für den Stadtrat" in page
    assert "Beispiele aus kleinen Gemeinden" in page
    for person in people:
        assert person.last_name not in page
        assert person.email not in page
        assert person.municipality not in page


def test_the_event_navigation_leads_to_the_feedback(orga_client, ended_event):
    event = ended_event()
    page = orga_client.get(f"/admin/events/{event.id}/registrations").text
    assert f'href="/admin/events/{event.id}/feedback"' in page
    assert ">Rückmeldungen</a>" in page


def test_exports_as_csv_and_xlsx_without_names_and_formula_safe(
    orga_client, session, ended_event, participant
):
    event = ended_event()
    wanted = topic(session, "Open Data")
    person = participant(event, last_name="Schäfer")
    answer(session, person, 4, comment='=HYPERLINK("http://evil.example")', topic_ids=(wanted.id,))

    response = orga_client.get(f"/admin/events/{event.id}/feedback.csv")
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="rueckmeldungen-{event.slug}.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:5] == [
        "Nützlichkeit (1–5)",
        "Was ich nutzen werde",
        "Was gefehlt hat",
        "Gewünschte Themen",
        "Anmerkungen",
    ]
    assert rows[1][0] == "4"
    assert rows[1][3] == "Open Data"
    assert rows[1][4] == '\'=HYPERLINK("http://evil.example")'
    assert "Schäfer" not in response.data.decode("utf-8-sig")

    workbook = load_workbook(
        io.BytesIO(orga_client.get(f"/admin/events/{event.id}/feedback.xlsx").data)
    )
    sheet = workbook.active
    assert sheet.title == "Rückmeldungen"
    assert [cell.value for cell in sheet[2]][:5] == [
        "4",
        None,
        None,
        "Open Data",
        '\'=HYPERLINK("http://evil.example")',
    ]
    assert orga_client.get(f"/admin/events/{event.id}/feedback.pdf").status_code == 404


def test_organisers_switch_optional_questions_and_set_the_closing_date(
    orga_client, client, session, ended_event, participant
):
    event = ended_event()
    response = orga_client.post(
        f"/admin/events/{event.id}/feedback/settings",
        data={"ask_comment": "y", "closes_on": "2000-01-01"},
    )
    assert response.status_code == 422
    assert "Das Datum muss nach dem Ende der Veranstaltung liegen." in response.text
    closing = (utcnow().date().replace(year=utcnow().year + 1)).isoformat()
    page = orga_client.post(
        f"/admin/events/{event.id}/feedback/settings",
        data={"ask_comment": "y", "closes_on": closing},
        follow_redirects=True,
    )
    assert "Die Fragen der Umfrage sind gespeichert." in page.text
    person = participant(event)
    form = orga_client.get(f"/r/{person.token}/rueckmeldung").text
    assert "Was werden Sie aus der Veranstaltung nutzen?" not in form
    assert "Möchten Sie uns sonst noch etwas sagen?" in form
    assert "Wie nützlich war die Veranstaltung für Ihre Arbeit?" in form


def test_the_statistics_aggregate_usefulness_per_format_and_wanted_topics(
    orga_client, session, ended_event, participant
):
    workshop = ended_event(format=EventFormat.WORKSHOP)
    webinar = ended_event(format=EventFormat.PEER_LEARNING)
    open_data, ki = topic(session, "Open Data"), topic(session, "KI in der Verwaltung")
    answer(session, participant(workshop), 5, topic_ids=(open_data.id, ki.id))
    answer(session, participant(workshop), 4, topic_ids=(ki.id,))
    answer(session, participant(webinar), 2, topic_ids=(ki.id,))

    by_format = {row.format: (row.answers, row.average) for row in usefulness_by_format(session)}
    assert by_format == {EventFormat.WORKSHOP: (2, 4.5), EventFormat.PEER_LEARNING: (1, 2.0)}
    assert wanted_topics(session) == [("KI in der Verwaltung", 3), ("Open Data", 1)]

    page = orga_client.get("/admin/statistics").text
    section = page.split('id="feedback-usefulness"', 1)[1]
    assert re.search(r'data-format="workshop">.*?<td data-average>4,5</td>', section, re.S)
    assert re.search(r'data-format="peer_learning">.*?<td data-average>2,0</td>', section, re.S)
    chart = section.split('id="chart-wanted-topics-title"', 1)[1].split("</svg>", 1)[0]
    assert 'data-value="3"' in chart and 'data-value="1"' in chart


def test_feedback_pages_need_a_login(client, ended_event):
    event = ended_event()
    for method, path in [
        ("GET", f"/admin/events/{event.id}/feedback"),
        ("GET", f"/admin/events/{event.id}/feedback.csv"),
        ("POST", f"/admin/events/{event.id}/feedback/request"),
        ("POST", f"/admin/events/{event.id}/feedback/settings"),
    ]:
        response = client.open(path, method=method)
        assert response.status_code == 302
        assert "/admin/login" in response.headers["Location"]
