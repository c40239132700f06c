"""The main journeys end to end in Chromium, through the dev mailbox as a newcomer would.

A municipality browses the catalogue, registers, confirms from the mail, cancels; someone who
registers for a full event sees their place on the waiting list; an organiser logs in, creates
and publishes an event and checks a participant in at the door.
"""

from __future__ import annotations

import re

import pytest
from conftest import log_in
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def register(page, email: str, last_name: str, button: str = "Jetzt anmelden") -> None:
    page.get_by_role("link", name=button).click()
    page.get_by_label("Kommune", exact=True).fill("Lüneburg")
    page.get_by_label("Land", exact=True).select_option(label="Niedersachsen")
    page.get_by_label("Vorname", exact=True).fill("Kim")
    page.get_by_label("Nachname", exact=True).fill(last_name)
    page.get_by_label("E-Mail-Adresse", exact=True).fill(email)
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="Anmeldung absenden").click()
    page.get_by_role("heading", name=re.compile("Fast geschafft")).wait_for()


def open_link_from_mailbox(page, base: str, email: str, subject: str) -> None:
    """Open the newest mail with ``subject`` to ``email`` and follow its personal link."""
    page.goto(f"{base}/dev/mailbox/")
    row = page.locator("tr", has_text=email).filter(has_text=subject).first
    row.get_by_role("link").click()
    page.locator("pre.mail-body a", has_text="/r/").first.click()
    page.wait_for_url("**/r/*")


def seats_text(page) -> str:
    return page.locator(".facts .badge").inner_text()


def test_participant_finds_registers_confirms_and_cancels(site, tab):
    page, email = tab, "digital@lueneburg.example"
    page.goto(site.base + "/")
    page.get_by_label("Suche").fill("Offene Daten")
    page.get_by_role("button", name="Filtern").click()
    assert page.locator(".result-count").inner_text() == "1 Veranstaltung"
    page.get_by_role("link", name="Themenwerkstatt Offene Daten").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Themenwerkstatt Offene Daten"
    free_before = int(seats_text(page).split()[0])

    register(page, email, "Offen")
    page.get_by_role("link", name="Zurück zur Veranstaltung").click()
    assert int(seats_text(page).split()[0]) == free_before  # pending holds no seat

    open_link_from_mailbox(page, site.base, email, "Bitte bestätigen Sie Ihre Anmeldung")
    assert page.locator(".status").inner_text() == "Noch nicht bestätigt"
    page.get_by_role("button", name="Anmeldung bestätigen").click()
    assert "Ihre Anmeldung ist bestätigt" in page.locator(".notice-success").inner_text()
    assert "Bestätigt" in page.locator(".status").inner_text()
    page.goto(f"{site.base}/events/{site.open_slug}")
    assert int(seats_text(page).split()[0]) == free_before - 1

    # The confirmation mail carries the same personal link: cancel from there.
    open_link_from_mailbox(page, site.base, email, "Anmeldung bestätigt")
    page.get_by_text("Anmeldung stornieren").click()  # opens the <details>
    page.get_by_role("button", name="Anmeldung jetzt stornieren").click()
    assert "Ihre Anmeldung ist storniert" in page.locator(".notice-success").inner_text()
    assert page.locator(".status").inner_text() == "Storniert"
    page.goto(f"{site.base}/events/{site.open_slug}")
    assert int(seats_text(page).split()[0]) == free_before


def test_full_event_shows_the_waiting_list_position(site, tab):
    page = tab
    page.goto(f"{site.base}/events/{site.full_slug}")
    assert seats_text(page) == "Warteliste"
    positions = []
    for number, email in enumerate(("erste@celle.example", "zweite@goslar.example"), 1):
        page.goto(f"{site.base}/events/{site.full_slug}")
        register(page, email, f"Warte{number}", button="Auf die Warteliste setzen")
        open_link_from_mailbox(page, site.base, email, "Bitte bestätigen Sie Ihre Anmeldung")
        page.get_by_role("button", name="Anmeldung bestätigen").click()
        positions.append(page.locator(".status").inner_text())
    assert positions == ["Warteliste, Platz 1", "Warteliste, Platz 2"]
    # The waiting list mail tells the position too, and the event page counts who waits.
    page.goto(f"{site.base}/dev/mailbox/")
    assert (
        page.locator("tr", has_text="zweite@goslar.example")
        .filter(has_text="Sie stehen auf der Warteliste")
        .count()
        == 1
    )
    page.goto(f"{site.base}/events/{site.full_slug}")
    assert "(2 Personen warten)" in page.locator(".facts").inner_text()

    # The first in line cancels: the second moves up to place 1.
    waiting = "Sie stehen auf der Warteliste"
    open_link_from_mailbox(page, site.base, "erste@celle.example", waiting)
    page.get_by_text("Anmeldung stornieren").click()
    page.get_by_role("button", name="Anmeldung jetzt stornieren").click()
    open_link_from_mailbox(page, site.base, "zweite@goslar.example", waiting)
    assert page.locator(".status").inner_text() == "Warteliste, Platz 1"


def test_organiser_creates_publishes_an_event_and_checks_someone_in(site, tab):
    page = tab
    log_in(page, site.base)
    page.get_by_role("link", name="Neue Veranstaltung").click()
    page.get_by_label("Titel", exact=True).fill("Themenwerkstatt Smarte Straßenbeleuchtung")
    page.get_by_label("Format", exact=True).select_option(label="Themenwerkstatt")
    page.get_by_label("Kurzbeschreibung", exact=True).fill(
        "LED, Sensoren und Betrieb im Vergleich."
    )
    page.get_by_label("Beginn", exact=True).fill("2030-05-14T10:00")
    page.get_by_label("Ende", exact=True).fill("2030-05-14T15:30")
    page.get_by_label("Durchführung", exact=True).select_option(label="Vor Ort")
    page.get_by_label("Veranstaltungsort", exact=True).fill("Stadthaus Ulm")
    page.get_by_label("Plätze", exact=True).fill("25")
    page.get_by_role("button", name="Speichern").click()
    assert "als Entwurf angelegt" in page.locator(".notice-success").inner_text()
    assert page.locator(".tag").inner_text() == "Entwurf"
    page.get_by_role("button", name="Veröffentlichen").click()
    assert page.locator(".tag").inner_text() == "Veröffentlicht"
    assert "Di., 14. Mai 2030, 10:00–15:30 Uhr" in page.locator(".facts").inner_text()

    # The public catalogue lists it now.
    page.goto(site.base + "/?q=Straßenbeleuchtung")
    page.get_by_role("link", name="Themenwerkstatt Smarte Straßenbeleuchtung").click()
    assert seats_text(page) == "25 Plätze frei"

    # At the door of another event: Kim Brandt arrives.
    page.goto(f"{site.base}/admin/events/{site.checkin_event_id}")
    page.get_by_role("link", name="Check-in am Eingang").click()
    row = page.locator("li.checkin-row", has_text="Brandt")
    row.get_by_role("button", name="Anwesend: Alex Brandt").click()
    expect(row.locator("[data-state]")).to_have_text("Anwesend")
    page.reload()
    row = page.locator("li.checkin-row", has_text="Brandt")
    assert row.locator("[data-state]").inner_text() == "Anwesend"
    assert row.get_by_role("button", name="Anwesend: Alex Brandt").is_disabled()
