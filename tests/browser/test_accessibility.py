"""axe-core in Chromium finds no WCAG 2.1 A/AA (BITV 2.0) or best-practice violations.

axe-core comes bundled with the PyPI package axe-playwright-python; it is evaluated in the page
through the DevTools protocol, so the site's Content-Security-Policy stays as in production.
"""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def axe_violations(axe, tab) -> list[str]:
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    results = axe.run(tab, options=options).response
    assert results["passes"] or results["violations"], "axe did not run any rule"
    found = [
        f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes']]} {v['help']}"
        for v in results["violations"]
    ]
    # WCAG 2.1 still has 4.1.1 Parsing (BITV 2.0), which axe no longer checks: unique ids.
    duplicates = tab.evaluate(DUPLICATE_IDS)
    return found + [f"duplicate id: {name}" for name in duplicates]


DUPLICATE_IDS = """() => {
  const seen = new Set(), twice = new Set();
  for (const el of document.querySelectorAll("[id]")) {
    (seen.has(el.id) ? twice : seen).add(el.id);
  }
  return [...twice];
}"""


PUBLIC_PAGES = {
    "catalogue": lambda site: "/",
    "archive": lambda site: "/archive",
    "event page": lambda site: f"/events/{site.open_slug}",
    "event page with waiting list": lambda site: f"/events/{site.full_slug}",
    "self-service, pending": lambda site: f"/r/{site.tokens['pending']}",
    "self-service, confirmed": lambda site: f"/r/{site.tokens['confirmed']}",
    "back-office login": lambda site: "/admin/login",
    "archive with materials": lambda site: "/archiv",
    "event page with materials": lambda site: f"/events/{demo_event_with_materials()}",
}


def demo_event_with_materials() -> str:
    from app.programme.demo import EVENTS
    from app.programme.event_input import slugify

    [spec] = [spec for spec in EVENTS if spec.materials]
    return slugify(spec.title)


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_has_no_axe_violations(name, site, tab, axe):
    tab.goto(site.base + PUBLIC_PAGES[name](site))
    assert axe_violations(axe, tab) == []


def test_registration_form_with_errors_has_no_axe_violations(site, tab, axe):
    tab.goto(f"{site.base}/events/{site.open_slug}/register")
    tab.get_by_label("E-Mail-Adresse").fill("kein-at-zeichen")
    tab.get_by_role("button", name="Anmeldung absenden").click()
    assert tab.locator(".error-summary li").count() >= 5  # the errors are really shown
    assert axe_violations(axe, tab) == []


def test_login_with_errors_has_no_axe_violations(site, tab, axe):
    tab.goto(f"{site.base}/admin/login")
    tab.get_by_role("button", name="Anmelden").click()
    assert tab.locator(".error-summary").is_visible()
    assert axe_violations(axe, tab) == []


def test_back_office_event_list_and_check_in_have_no_axe_violations(site, organiser_tab, axe):
    tab = organiser_tab
    tab.goto(f"{site.base}/admin/events")
    assert tab.get_by_role("heading", name="Programm").is_visible()
    assert axe_violations(axe, tab) == []
    tab.goto(f"{site.base}/admin/checkin/{site.checkin_event_id}")
    assert tab.locator("li.checkin-row").count() == 3
    assert axe_violations(axe, tab) == []
    # After a check-in the row changes colour and buttons get disabled: still fine.
    tab.get_by_role("button", name="Anwesend: Alex Claasen").click()
    tab.wait_for_selector("li.checkin-row.attendance-attended")
    assert axe_violations(axe, tab) == []


def test_materials_pages_have_no_axe_violations(site, organiser_tab, tab, axe, tmp_path):
    """The back office's materials of an event (empty, with errors, with a file, editing),
    then the participant's own page that lists the file."""
    from app.materials.demo import tiny_pdf

    office = organiser_tab
    office.goto(f"{site.base}/admin/events")
    office.get_by_role("link", name="Themenwerkstatt Beteiligung vor Ort").click()
    office.get_by_role("link", name="Unterlagen", exact=True).click()
    assert office.get_by_role("heading", name="Datei hochladen").is_visible()
    assert axe_violations(axe, office) == []
    office.get_by_role("button", name="Datei hochladen").click()
    assert office.locator(".error-summary li").count() >= 2  # no file, no title
    assert axe_violations(axe, office) == []

    pdf = tmp_path / "Protokoll der Werkstatt.pdf"
    pdf.write_bytes(tiny_pdf(["Protokoll der Werkstatt"]))
    office.locator("#upload-file").set_input_files(str(pdf))
    office.locator("#upload-title").fill("Protokoll der Werkstatt")
    office.locator("#upload-visibility").select_option("participants")
    office.get_by_role("button", name="Datei hochladen").click()
    assert office.get_by_role("cell", name="Protokoll der Werkstatt").first.is_visible()
    assert axe_violations(axe, office) == []
    office.get_by_role("link", name=re.compile(r"^Bearbeiten\W+Protokoll der Werkstatt$")).click()
    assert office.get_by_role("heading", name="Unterlage bearbeiten").is_visible()
    assert axe_violations(axe, office) == []

    tab.goto(f"{site.base}/r/{site.tokens['confirmed']}")
    assert tab.get_by_role("heading", name="Unterlagen zur Veranstaltung").is_visible()
    assert tab.get_by_role("link", name="Protokoll der Werkstatt").is_visible()
    assert axe_violations(axe, tab) == []


def test_personal_page_after_the_event_has_no_axe_violations(site, tab, axe):
    """An attended participant of an ended event: materials, feedback and certificate."""
    tab.goto(f"{site.base}/r/{site.tokens['attended']}")
    assert tab.get_by_role("link", name="Fotoprotokoll der Werkstatt").is_visible()
    assert tab.get_by_role("heading", name="Ihre Rückmeldung").is_visible()
    assert tab.get_by_role("heading", name="Teilnahmebescheinigung").is_visible()
    assert axe_violations(axe, tab) == []


def test_personal_page_with_reminders_has_no_axe_violations(site, tab, axe):
    tab.goto(f"{site.base}/r/{site.tokens['confirmed']}")
    assert tab.get_by_role("heading", name="Vorbereitung und Erinnerungen").is_visible()
    assert axe_violations(axe, tab) == []


@pytest.mark.parametrize(
    ("state", "says"), [("valid", "ist echt und gültig"), ("revoked", "widerrufen")]
)
def test_certificate_verification_has_no_axe_violations(state, says, site, tab, axe):
    tab.goto(f"{site.base}/bescheinigung/{site.certificate_codes[state]}")
    assert tab.get_by_text(says).is_visible()
    assert axe_violations(axe, tab) == []


def test_feedback_form_with_and_without_errors_has_no_axe_violations(site, tab, axe):
    tab.goto(f"{site.base}/r/{site.tokens['attended']}/rueckmeldung")
    assert tab.get_by_role("button", name="Antwort senden").is_visible()
    assert axe_violations(axe, tab) == []
    tab.get_by_role("button", name="Antwort senden").click()  # the one required question empty
    assert tab.locator(".error-summary li").count() == 1
    assert axe_violations(axe, tab) == []


def test_back_office_reminders_certificates_and_feedback_have_no_axe_violations(
    site, organiser_tab, axe
):
    tab = organiser_tab
    tab.goto(f"{site.base}/admin/events/{site.past_event_id}")
    assert tab.locator(".reminder-counts li[data-days='1']").is_visible()
    assert axe_violations(axe, tab) == []
    tab.get_by_role("link", name="Bescheinigungen", exact=True).click()
    assert tab.get_by_role("heading", name="Bescheinigungen").first.is_visible()
    assert axe_violations(axe, tab) == []
    tab.get_by_role("link", name="Rückmeldungen", exact=True).click()
    assert tab.get_by_role("heading", name="Rückmeldungen").first.is_visible()
    assert axe_violations(axe, tab) == []


def test_signature_page_has_no_axe_violations(site, admin_tab, axe):
    admin_tab.goto(f"{site.base}/admin/certificates/signature")
    assert admin_tab.locator("h1").is_visible()
    assert axe_violations(axe, admin_tab) == []
