"""Language choice, and the design assets every page relies on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[2] / "static"


def page_language(response) -> str:
    return re.search(r'<html lang="(\w+)"', response.text).group(1)


def test_german_is_the_default(client):
    response = client.get("/")

    assert page_language(response) == "de"
    assert "Veranstaltungen für Kommunen" in response.text
    assert 'hreflang="en"' in response.text


def test_accept_language_is_honoured(client):
    assert page_language(client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})) == "en"
    assert page_language(client.get("/", headers={"Accept-Language": "fr-FR,fr;q=0.9"})) == "de"
    assert page_language(client.get("/", headers={"Accept-Language": "de-DE,en;q=0.5"})) == "de"


def test_lang_parameter_wins_and_is_remembered_in_the_session(client):
    assert page_language(client.get("/?lang=en", headers={"Accept-Language": "de"})) == "en"
    # The next page, without the parameter, stays English.
    assert page_language(client.get("/archiv", headers={"Accept-Language": "de"})) == "en"
    assert page_language(client.get("/?lang=de", headers={"Accept-Language": "en"})) == "de"
    assert page_language(client.get("/archiv", headers={"Accept-Language": "en"})) == "de"
    # An unknown language is ignored.
    assert page_language(client.get("/?lang=xx")) == "de"


def test_language_switch_keeps_the_page_and_its_filters(client, make_event):
    event = make_event()

    html = client.get(f"/events/{event.slug}").text
    assert f'href="/events/{event.slug}?lang=en"' in html

    html = client.get("/?format=kickoff&q=daten").text
    link = re.search(r'<a href="([^"]+)" lang="en"', html).group(1).replace("&amp;", "&")
    assert link.startswith("/?") and "format=kickoff" in link and "q=daten" in link
    assert "lang=en" in link


def test_english_dates_name_the_time_zone(client, make_event):
    from datetime import UTC, datetime

    event = make_event(
        starts_at=datetime(2026, 3, 12, 9, 0, tzinfo=UTC),
        ends_at=datetime(2026, 3, 12, 15, 0, tzinfo=UTC),
    )

    html = client.get(f"/events/{event.slug}?lang=en").text

    assert "Thu, 12 March 2026, 10:00–16:00 (Berlin time)" in html


def test_every_page_has_skip_link_landmarks_stylesheets_and_favicon(client, make_event):
    event = make_event()

    html = client.get(f"/events/{event.slug}").text

    assert '<a class="skip-link" href="#main">Zum Inhalt springen</a>' in html
    assert '<main id="main"' in html and "<header" in html and "<footer" in html
    assert 'href="/static/css/site.css"' in html
    assert 'href="/static/css/print.css" media="print"' in html
    assert 'href="/static/img/favicon.svg" type="image/svg+xml"' in html


@pytest.mark.parametrize(
    ("path", "mimetype"),
    [
        ("/static/css/site.css", "text/css"),
        ("/static/css/print.css", "text/css"),
        ("/static/js/site.js", "text/javascript"),
        ("/static/img/favicon.svg", "image/svg+xml"),
    ],
)
def test_design_assets_are_served_from_our_own_host(client, path, mimetype):
    response = client.get(path)

    assert response.status_code == 200
    assert response.mimetype == mimetype
    body = response.get_data(as_text=True)
    assert len(body) > 200
    assert not re.search(
        r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}/", body.replace("http://www.w3.org/2000/svg", "")
    )


def test_site_css_has_the_accessibility_basics():
    css = (STATIC / "css" / "site.css").read_text()

    for selector in (
        ".visually-hidden",
        ".honeypot",
        ".skip-link:focus",
        ":focus-visible",
        ".error-summary",
        ".error-message",
        ".notice",
        ".button",
        ".event-card",
        ".facts",
        "table",
    ):
        assert selector in css, selector
    assert "system-ui" in css and "@font-face" not in css
    assert "@media (max-width: 30rem)" in css  # the narrowest phones (320 px)
    assert re.search(r"\.honeypot\s*{[^}]*left:\s*-10000px", css)


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_text_colours_meet_wcag_aa_contrast():
    css = (STATIC / "css" / "site.css").read_text()
    colours = dict(re.findall(r"--(c-[\w-]+):\s*(#[0-9a-fA-F]{6})", css))

    pairs = [
        ("c-text", "c-bg"),
        ("c-muted", "c-bg"),
        ("c-muted", "c-bg-soft"),
        ("c-link", "c-bg"),
        ("c-link-visited", "c-bg"),
        ("c-brand", "c-bg"),
        ("c-error", "c-bg"),
        ("c-error", "c-error-bg"),
        ("c-success", "c-success-bg"),
        ("c-warning", "c-warning-bg"),
    ]
    for foreground, background in pairs:
        ratio = contrast(colours[foreground], colours[background])
        assert ratio >= 4.5, f"{foreground} on {background}: {ratio:.2f}"
    # White header text on the brand colour.
    assert contrast("#ffffff", colours["c-brand"]) >= 4.5
    # Form borders are user-interface components: 3:1.
    assert contrast(colours["c-border-strong"], colours["c-bg"]) >= 3


def test_print_stylesheet_hides_navigation_and_buttons():
    css = (STATIC / "css" / "print.css").read_text()

    assert re.search(r"\.site-header nav[^{]*\.button[^{]*{\s*display:\s*none", css, re.S)
