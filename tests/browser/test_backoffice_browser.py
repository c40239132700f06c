"""The back office in a real Chromium: check-in at the door and an export download.

The app runs with werkzeug's server in a thread on a free port, against a SQLite file built by
the migrations, with CSRF protection on as in production.
"""

from __future__ import annotations

import os
import shutil
import threading
from datetime import timedelta

import pytest
from werkzeug.serving import make_server

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
EMAIL, PASSWORD = "orga@kts.example", "browser-test-passwort"


def require_chromium():
    if shutil.which(CHROMIUM) is None and not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    require_chromium()
    from flask_migrate import upgrade

    from app import create_app
    from app.backoffice.accounts import create_user
    from app.extensions import db
    from app.models import Event, EventFormat, EventMode, EventStatus, Registration, utcnow
    from app.models import RegistrationStatus as S

    path = tmp_path_factory.mktemp("browser") / "backoffice.sqlite"
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}", WTF_CSRF_ENABLED=True)
    with app.app_context():
        upgrade()
        now = utcnow().replace(microsecond=0)
        create_user(db.session, EMAIL, PASSWORD, "organiser")
        event = Event(
            slug="werkstatt-daten",
            title="Themenwerkstatt Daten",
            format=EventFormat.WORKSHOP,
            starts_at=now + timedelta(days=3),
            ends_at=now + timedelta(days=3, hours=4),
            mode=EventMode.IN_PERSON,
            venue="Rathaus",
            capacity=10,
            status=EventStatus.PUBLISHED,
        )
        db.session.add(event)
        db.session.flush()
        for last, town in (("Ahrens", "Aue"), ("Berger", "Bonn"), ("Czerny", "Celle")):
            db.session.add(
                Registration(
                    event_id=event.id,
                    municipality=town,
                    state="05",
                    municipality_key=f"name:05:{town.lower()}",
                    first_name="Kim",
                    last_name=last,
                    email=f"{last.lower()}@kommune.example",
                    email_normalised=f"{last.lower()}@kommune.example",
                    status=S.CONFIRMED,
                )
            )
        db.session.commit()
        event_id = event.id
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", event_id
    server.shutdown()
    thread.join(5)


@pytest.fixture
def chromium_page(live_server, chromium):
    # `chromium`: the one Chromium of the test session, from tests/browser/conftest.py.
    context = chromium.new_context(
        accept_downloads=True, viewport={"width": 390, "height": 844}, locale="de-DE"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    base, _ = live_server
    page.goto(f"{base}/admin/login")
    page.get_by_label("E-Mail-Adresse").fill(EMAIL)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/admin/events")
    yield page
    context.close()


def test_check_in_at_the_door_with_search_as_you_type(chromium_page, live_server):
    from playwright.sync_api import expect

    page = chromium_page
    base, event_id = live_server
    page.goto(f"{base}/admin/checkin/{event_id}")
    rows = page.locator("li.checkin-row")
    expect(rows).to_have_count(3)
    page.get_by_label("Name, Kommune oder E-Mail suchen").press_sequentially("bon")
    expect(page.locator("li.checkin-row:visible")).to_have_count(1)
    berger = page.locator("li.checkin-row", has_text="Berger")
    expect(berger).to_be_visible()
    berger.get_by_role("button", name="Anwesend: Kim Berger").click()
    expect(berger).to_have_class("checkin-row attendance-attended")
    expect(berger.locator("[data-state]")).to_have_text("Anwesend")
    expect(page.locator(".checkin-summary [data-count=attended]")).to_have_text("1")
    page.reload()  # stored on the server, not only shown
    expect(page.locator("li.checkin-row", has_text="Berger")).to_have_class(
        "checkin-row attendance-attended"
    )
    page.locator("li.checkin-row", has_text="Berger").get_by_role(
        "button", name="Rückgängig: Kim Berger"
    ).click()
    expect(page.locator(".checkin-summary [data-count=attended]")).to_have_text("0")


def test_participant_export_downloads_as_csv(chromium_page, live_server):
    page = chromium_page
    base, event_id = live_server
    page.goto(f"{base}/admin/events/{event_id}")
    with page.expect_download() as info:
        page.get_by_role("link", name="Teilnehmende als CSV (Excel)").click()
    download = info.value
    assert download.suggested_filename == "teilnehmende-werkstatt-daten.csv"
    with open(download.path(), "rb") as file:
        data = file.read()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Veranstaltung;Datum;Format;Status")
    assert "Ahrens" in text and "Czerny" in text
