"""Dates, times and numbers the way each language writes them, always on Berlin's clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import render_template_string

from app.models import RegistrationStatus, utcnow


def shown(app, language: str, template: str, **values) -> str:
    with app.test_request_context(f"/?lang={language}"):
        return render_template_string(template, **values)


@pytest.mark.parametrize(
    ("starts_at", "german", "english"),
    [
        # Last Sunday of March 2027: clocks go forward at 02:00, 08:00 UTC is 10:00 CEST...
        (
            datetime(2027, 3, 28, 8, 0, tzinfo=UTC),
            "So., 28. März 2027, 10:00–12:00 Uhr",
            "Sun, 28 March 2027, 10:00–12:00 (Berlin time)",
        ),
        # ...while the day before, 09:00 UTC was 10:00 CET.
        (
            datetime(2027, 3, 27, 9, 0, tzinfo=UTC),
            "Sa., 27. März 2027, 10:00–12:00 Uhr",
            "Sat, 27 March 2027, 10:00–12:00 (Berlin time)",
        ),
        # Last Sunday of October 2027: back to CET, 09:00 UTC is 10:00 again.
        (
            datetime(2027, 10, 31, 9, 0, tzinfo=UTC),
            "So., 31. Oktober 2027, 10:00–12:00 Uhr",
            "Sun, 31 October 2027, 10:00–12:00 (Berlin time)",
        ),
    ],
)
def test_event_times_on_berlin_clock_across_daylight_saving(app, starts_at, german, english):
    template = "{{ start|date_range(end) }}"
    end = starts_at + timedelta(hours=2)

    assert shown(app, "de", template, start=starts_at, end=end) == german
    assert shown(app, "en", template, start=starts_at, end=end) == english


def test_event_over_several_days_names_both_days(app):
    start = datetime(2027, 10, 30, 14, 0, tzinfo=UTC)  # 16:00 CEST
    end = datetime(2027, 10, 31, 11, 0, tzinfo=UTC)  # 12:00 CET, the night the clocks go back
    template = "{{ start|date_range(end) }}"

    assert shown(app, "de", template, start=start, end=end) == (
        "Sa., 30. Oktober 2027, 16:00 Uhr – So., 31. Oktober 2027, 12:00 Uhr"
    )
    assert shown(app, "en", template, start=start, end=end) == (
        "Sat, 30 October 2027, 16:00 – Sun, 31 October 2027, 12:00 (Berlin time)"
    )


def test_numeric_dates_are_spelled_out_in_english(app):
    # "03.06.2027" is read as 6 March by many English readers.
    value = datetime(2027, 6, 3, 7, 30, tzinfo=UTC)
    template = '{{ v|date("dd.MM.yyyy") }} | {{ v|datetime("dd.MM.yyyy, HH:mm") }}'

    assert shown(app, "de", template, v=value) == "03.06.2027 | 03.06.2027, 09:30"
    assert shown(app, "en", template, v=value) == "3 Jun 2027 | 3 Jun 2027, 09:30"


def test_default_datetime_and_time_filters(app):
    value = datetime(2027, 1, 15, 23, 30, tzinfo=UTC)  # already the 16th in Berlin

    assert shown(app, "de", "{{ v|datetime }}", v=value) == "Sa., 16. Januar 2027, 00:30"
    assert shown(app, "en", "{{ v|datetime }}", v=value) == "Sat, 16 January 2027, 00:30"
    assert shown(app, "en", "{{ v|time }}", v=value) == "00:30"


def test_numbers_and_shares_per_language(app):
    template = "{{ n|number }} · {{ x|number(1) }} · {{ share|percent }}"
    values = dict(n=12345, x=1234.56, share=0.375)

    assert shown(app, "de", template, **values) == "12.345 · 1.234,6 · 38\xa0%"
    assert shown(app, "en", template, **values) == "12,345 · 1,234.6 · 38%"


def test_offered_seat_deadline_says_uhr_only_in_german(client, make_event, make_registration):
    event = make_event()
    registration = make_registration(
        event,
        status=RegistrationStatus.OFFERED,
        offer_expires_at=(utcnow() + timedelta(days=1)).replace(microsecond=0),
    )

    english = client.get(f"/r/{registration.token}?lang=en").text
    german = client.get(f"/r/{registration.token}?lang=de").text

    assert "A seat is reserved for you until" in english
    assert "(Berlin time)" in english and "Uhr" not in english
    assert "Ein Platz ist für Sie reserviert bis" in german and " Uhr" in german
