"""Design in a real browser: usable from 320px wide, own assets only, a print layout, a favicon."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def page_paths(site) -> dict[str, str]:
    return {
        "catalogue": "/",
        "event page": f"/events/{site.open_slug}",
        "registration form": f"/events/{site.open_slug}/register",
        "self-service": f"/r/{site.tokens['pending']}",
        "check-in": f"/admin/checkin/{site.checkin_event_id}",
    }


def test_pages_fit_a_320px_phone_without_horizontal_scrolling(site, organiser_tab):
    page = organiser_tab  # the check-in page needs a login; public pages look the same
    page.set_viewport_size({"width": 320, "height": 640})
    for name, path in page_paths(site).items():
        page.goto(site.base + path)
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert page.evaluate(NO_HORIZONTAL_SCROLL), f"{name} scrolls sideways: {widths}"
    # The form with every error shown is the widest state of the form.
    page.goto(f"{site.base}/events/{site.open_slug}/register")
    page.get_by_role("button", name="Anmeldung absenden").click()
    assert page.locator(".error-summary").is_visible()
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "form with errors scrolls sideways"
    # Touch targets at the door: check-in buttons are at least 44px high.
    page.goto(f"{site.base}/admin/checkin/{site.checkin_event_id}")
    button = page.get_by_role("button", name="Nicht erschienen: Alex Ahrens")
    assert button.bounding_box()["height"] >= 44


def test_pages_load_nothing_from_other_hosts(site, organiser_tab):
    tab = organiser_tab
    requests: list[str] = []
    tab.on("request", lambda request: requests.append(request.url))
    for path in page_paths(site).values():
        tab.goto(site.base + path)
    tab.goto(f"{site.base}/events/{site.full_slug}")
    foreign = [url for url in requests if not url.startswith(site.base + "/")]
    assert foreign == []
    assets = {url for url in requests if url.endswith((".css", ".js", ".svg", ".woff2"))}
    assert assets, "no stylesheets or scripts were loaded at all"
    assert all(url.startswith(site.base + "/static/") for url in assets)
    # Nothing is inlined either: the CSP forbids inline script and style, and Chromium reports
    # each blocked one on the console ("Refused to apply inline style ...").
    refused: list[str] = []

    def note_refusal(message):
        if "Refused" in message.text:
            refused.append(message.text)

    tab.on("console", note_refusal)
    for path in page_paths(site).values():
        tab.goto(site.base + path)
    tab.goto(f"{site.base}/events/{site.open_slug}/register")
    tab.get_by_role("button", name="Anmeldung absenden").click()
    tab.wait_for_selector("#error-summary")
    assert refused == []


def test_favicon_is_served(site, tab):
    tab.goto(site.base + "/")
    href = tab.locator("link[rel=icon]").get_attribute("href")
    response = tab.request.get(site.base + href)
    assert response.ok
    assert response.headers["content-type"].startswith("image/svg+xml")


def test_event_page_prints_without_navigation_and_buttons(site, tab):
    tab.goto(f"{site.base}/events/{site.open_slug}")
    register = tab.get_by_role("link", name="Jetzt anmelden")
    assert register.is_visible()
    tab.emulate_media(media="print")
    assert not register.is_visible()
    assert not tab.get_by_role("navigation", name="Hauptnavigation").is_visible()
    assert not tab.locator(".skip-link").is_visible()
    assert not tab.get_by_role("heading", name="Kalender").is_visible()  # links are no use on paper
    # The facts stay, and so does the title.
    assert tab.get_by_role("heading", name="Themenwerkstatt Offene Daten").is_visible()
    assert tab.locator(".facts").is_visible()
    font = tab.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Georgia" in font or "serif" in font
    tab.emulate_media(media="screen")
    assert register.is_visible()
