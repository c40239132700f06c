"""How long an event lasted, as the certificate says it, and file names made of names."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from flask_babel import force_locale

from app.certificates.pdf import ascii_name, duration_text
from app.core.timezone import BERLIN


@pytest.mark.parametrize(
    ("start", "hours", "german", "english"),
    [
        (datetime(2025, 3, 13, 10, 0), 6, "6 Stunden", "6 hours"),
        (datetime(2025, 3, 13, 14, 0), 2.5, "2 Stunden und 30 Minuten", "2 hours and 30 minutes"),
        (datetime(2025, 3, 13, 14, 0), 1, "1 Stunde", "1 hour"),
        (datetime(2025, 3, 13, 14, 0), 0.75, "45 Minuten", "45 minutes"),
        (datetime(2025, 3, 13, 9, 0), 31, "2 Tage", "2 days"),
        # The night the clocks go forward: 01:00 to 04:00 on the wall is 2 hours.
        (datetime(2027, 3, 28, 1, 0), 2, "2 Stunden", "2 hours"),
    ],
)
def test_duration_in_both_languages(app_ctx, start, hours, german, english):
    starts_at = start.replace(tzinfo=BERLIN)
    ends_at = starts_at + timedelta(hours=hours)

    with app_ctx.test_request_context(), force_locale("de"):
        assert duration_text(starts_at, ends_at) == german
    with app_ctx.test_request_context(), force_locale("en"):
        assert duration_text(starts_at, ends_at) == english


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("Jörg Schäfer", "Joerg-Schaefer"),
        ("Straße", "Strasse"),
        ("Yılmaz-Øberg", "Yilmaz-Oberg"),
        ("Łukasz Żółć", "Lukasz-Zolc"),
        ("José Mu\u0308ller", "Jose-Mueller"),  # ü typed as u and a combining diaeresis
        ("../../etc/passwd", "etc-passwd"),
        ('C:\\Users\\x "quoted" ; rm', "C-Users-x-quoted-rm"),
        ("李小龙", ""),
    ],
)
def test_file_names_are_ascii_without_path_characters(name, safe):
    assert ascii_name(name) == safe
