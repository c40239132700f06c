"""Statistics: figures from a known data set, all 16 Länder, SVG charts, constant queries."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import EventFormat, EventStatus, RegistrationStatus, utcnow
from app.privacy.retention import anonymise_expired
from app.reporting.statistics import programme_statistics

S = RegistrationStatus


def at(year, month, day):
    return datetime(year, month, day, 9, 0, tzinfo=UTC)


@pytest.fixture
def programme(make_event, make_registration):
    """Three months of 2024 with a known outcome (see the numbers asserted below)."""

    def event(fmt, start, capacity=10, **fields):
        return make_event(
            format=fmt,
            starts_at=start,
            ends_at=start + timedelta(hours=3),
            capacity=capacity,
            **fields,
        )

    kickoff = event(EventFormat.KICKOFF, at(2024, 3, 10), title="Kick-off Süd")
    workshop = event(EventFormat.WORKSHOP, at(2024, 3, 20), capacity=2, title="Werkstatt Daten")
    late = event(EventFormat.WORKSHOP, at(2024, 5, 5), title="Werkstatt Energie")
    event(EventFormat.PEER_LEARNING, at(2024, 5, 30), title="Peer-Learning leer")
    draft = event(EventFormat.KICKOFF, at(2024, 4, 1), status=EventStatus.DRAFT)

    def reg(ev, status, municipality, state, ags="", **fields):
        return make_registration(
            ev, status, municipality=municipality, state=state, ags=ags, **fields
        )

    reg(kickoff, S.CONFIRMED, "München", "09", "09162000", attendance="attended")
    reg(kickoff, S.CONFIRMED, "Augsburg", "09", attendance="attended")
    reg(kickoff, S.CONFIRMED, "Köln", "05", attendance="no_show")
    reg(kickoff, S.CANCELLED, "Köln", "05")
    reg(kickoff, S.PENDING, "Kiel", "01")  # never confirmed: not counted
    reg(kickoff, S.EXPIRED, "Lübeck", "01")  # lapsed: not counted
    reg(workshop, S.CONFIRMED, "Landeshauptstadt München", "09", "09162000", attendance="attended")
    reg(workshop, S.CONFIRMED, "Leipzig", "14", attendance="attended")
    reg(workshop, S.WAITLISTED, "Dresden", "14")
    reg(workshop, S.WAITLISTED, "Hannover", "03")
    reg(workshop, S.OFFERED, "Celle", "03")
    reg(late, S.CONFIRMED, "Erfurt", "16")
    reg(draft, S.CONFIRMED, "Hamburg", "02")  # drafts are not part of the programme
    return {"workshop": workshop}


def assert_known_numbers(stats, workshop_id):
    total = stats.total
    assert (total.events, total.registrations, total.confirmed, total.waitlisted) == (4, 10, 6, 3)
    assert (total.attended, total.no_show) == (4, 1)
    assert total.attendance_rate == pytest.approx(0.8)
    assert total.no_show_rate == pytest.approx(0.2)

    kickoff = stats.by_format[EventFormat.KICKOFF]
    workshop = stats.by_format[EventFormat.WORKSHOP]
    peer = stats.by_format[EventFormat.PEER_LEARNING]
    assert (kickoff.events, kickoff.registrations, kickoff.attended, kickoff.no_show) == (
        1,
        4,
        2,
        1,
    )
    assert (workshop.events, workshop.registrations, workshop.waitlisted) == (2, 6, 3)
    assert (peer.events, peer.registrations, peer.attendance_rate) == (1, 0, None)

    lands = {row.code: row for row in stats.by_land}
    assert len(stats.by_land) == 16
    assert (lands["09"].totals.registrations, lands["09"].municipalities) == (3, 2)
    assert (lands["05"].totals.registrations, lands["05"].municipalities) == (2, 1)
    assert (lands["14"].totals.registrations, lands["14"].municipalities) == (2, 1)
    assert (lands["03"].totals.waitlisted, lands["03"].municipalities) == (2, 0)
    assert lands["01"].totals.registrations == 0
    assert lands["02"].totals.registrations == 0

    months = {month.strftime("%Y-%m"): t for month, t in stats.by_month}
    assert list(months) == ["2024-03", "2024-05"]
    assert (months["2024-03"].events, months["2024-03"].registrations) == (2, 9)
    assert (months["2024-05"].events, months["2024-05"].registrations) == (2, 1)

    [demand] = stats.waitlist_demand
    assert (demand.event_id, demand.capacity, demand.waitlisted) == (workshop_id, 2, 3)
    assert demand.ratio == pytest.approx(1.5)

    # München twice (by AGS), Augsburg, Köln, Leipzig, Erfurt.
    assert stats.municipalities == 5


def test_statistics_of_a_known_programme(session, programme):
    stats = programme_statistics(session)
    assert_known_numbers(stats, programme["workshop"].id)
    assert stats.years == [2024]
    assert programme_statistics(session, 2023).total.events == 0


def test_counts_survive_anonymisation(session, programme):
    before = programme_statistics(session)
    report = anonymise_expired(session, utcnow(), 1)
    session.commit()
    assert report.registrations == 13
    after = programme_statistics(session)
    assert after == before
    assert_known_numbers(after, programme["workshop"].id)


@contextmanager
def count_queries():
    statements = []

    def listener(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)


def test_query_count_does_not_grow_with_the_programme(
    session, programme, make_event, make_registration
):
    session.expire_all()
    with count_queries() as few:
        programme_statistics(session)
    for number in range(30):
        extra = make_event(format=EventFormat.WORKSHOP, starts_at=at(2024, 6, 1 + number % 28))
        for _ in range(3):
            make_registration(extra, S.CONFIRMED, state=f"{number % 16 + 1:02d}")
    session.expire_all()
    with count_queries() as many:
        programme_statistics(session)
    assert len(many) == len(few) <= 5


def test_statistics_page_lists_all_laender_with_svg_charts(orga_client, programme):
    response = orga_client.get("/admin/statistics")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.count('data-land="') == 16
    for land in ("Schleswig-Holstein", "Bayern", "Thüringen", "Saarland"):
        assert land in html
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html
    assert html.count('data-value="') == 3 + 16 + 2  # formats, Länder, months
    assert 'data-value="3"' in html  # Bayern's bar
    assert 'data-stat="municipalities">5<' in html
    assert 'data-stat="attendance-rate">80' in html
    assert "Werkstatt Daten" in html.split('id="waitlist-demand"')[1]
    # The Content-Security-Policy forbids inline styles and scripts; nothing from other hosts.
    assert "style=" not in html
    assert "<script>" not in html and "http://" not in html.replace(
        "http://www.w3.org/2000/svg", ""
    )


def test_statistics_page_filters_by_year(orga_client, programme, make_event):
    make_event(starts_at=at(2025, 2, 1), title="Werkstatt 2025")
    html = orga_client.get("/admin/statistics?year=2025").get_data(as_text=True)
    assert 'data-stat="events">1<' in html
    assert 'data-stat="registrations">0<' in html
    html = orga_client.get("/admin/statistics").get_data(as_text=True)
    assert 'data-stat="events">5<' in html
