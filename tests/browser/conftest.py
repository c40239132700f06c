"""Shared set-up for the browser tests: one Chromium per test session, live servers in threads.

Debian's chromium is used (nothing downloads a browser). Where it is missing the tests are
skipped on a developer machine but fail in CI (CI=true), so a broken CI image cannot pass
silently. Each live server is werkzeug in a thread on a free port, against a SQLite file built
by the migrations, with CSRF protection on as in production.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
# The machine has no outside network: without the background-networking flags Chromium keeps
# trying to reach Google's hosts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ORGANISER_EMAIL, ORGANISER_PASSWORD = "team@startsmart.example", "browser-e2e-passwort"
ADMIN_EMAIL, ADMIN_PASSWORD = "betrieb@startsmart.example", "browser-e2e-admin-passwort"


def require_chromium() -> None:
    if shutil.which(CHROMIUM) is None and not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session")
def chromium():
    """One Chromium for the whole test session; each test opens its own context."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@contextmanager
def serve(app) -> Iterator[str]:
    """Serve ``app`` on a free loopback port in a thread; yields the base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)


def make_live_app(path, **overrides):
    """An app as a newcomer runs it: dev mailbox on, mail delivered right after each request."""
    from flask_migrate import upgrade

    from app import create_app

    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}",
        WTF_CSRF_ENABLED=True,
        DEV_MAILBOX=True,
        MAIL_DELIVERY="inline",
        MAIL_SERVER=None,
        # Static files cached by the browser as behind a production web server: without it
        # every page load revalidates each stylesheet and script, which slows the tests.
        SEND_FILE_MAX_AGE_DEFAULT=3600,
        **overrides,
    )
    with app.app_context():
        upgrade()
    return app


@dataclass(frozen=True)
class Site:
    base: str
    open_slug: str  # seats free, registration open
    full_slug: str  # one seat, taken: new registrations go to the waiting list
    checkin_event_id: int  # starts soon, with confirmed participants to check in
    tokens: dict  # self-service tokens by status: "confirmed", "pending"; "attended" (ended)
    past_event_id: int  # ended, with reminders sent, people present and certificates
    certificate_codes: dict  # verification codes: "valid", "revoked"


def add_site_data(session) -> dict:
    """The demo programme plus two small events whose state the tests rely on."""
    from app.backoffice.accounts import create_user
    from app.booking.links import issue_link
    from app.models import Event, EventFormat, EventMode, EventStatus, Registration, utcnow
    from app.models import RegistrationStatus as S
    from app.programme.demo import seed_demo

    now = utcnow().replace(microsecond=0)
    seed_demo(session, now)
    create_user(session, ORGANISER_EMAIL, ORGANISER_PASSWORD, "organiser", name="Team Start Smart")
    create_user(session, ADMIN_EMAIL, ADMIN_PASSWORD, "admin", name="Betrieb Start Smart")

    def event(slug, title, capacity, days):
        item = Event(
            slug=slug,
            title=title,
            format=EventFormat.WORKSHOP,
            summary="Austausch in kleiner Runde.",
            description="Wir arbeiten an Beispielen aus Ihrer Kommune.",
            starts_at=now + timedelta(days=days),
            ends_at=now + timedelta(days=days, hours=3),
            mode=EventMode.IN_PERSON,
            venue="Rathaus Lüneburg",
            address="Am Ochsenmarkt 1, 21335 Lüneburg",
            capacity=capacity,
            status=EventStatus.PUBLISHED,
        )
        session.add(item)
        session.flush()
        return item

    def registration(item, last, town, status=S.CONFIRMED):
        row = Registration(
            event_id=item.id,
            municipality=town,
            state="03",
            municipality_key=f"name:03:{town.lower()}",
            first_name="Alex",
            last_name=last,
            email=f"{last.lower()}@{town.lower()}.example",
            email_normalised=f"{last.lower()}@{town.lower()}.example",
            status=status,
            email_confirmed_at=now if status == S.CONFIRMED else None,
        )
        session.add(row)
        issue_link(session, row, now)  # row.token: the link a mail would bring (hash stored)
        return row

    open_event = event("werkstatt-offene-daten", "Themenwerkstatt Offene Daten", 20, 30)
    full_event = event("werkstatt-ausgebucht", "Themenwerkstatt Beteiligung vor Ort", 1, 35)
    full_event.preparation = "Bitte bringen Sie mit:\nden Stadtplan Ihres Quartiers\nIhre Fragen"
    taken = registration(full_event, "Vogt", "Celle")
    pending = registration(open_event, "Lange", "Lingen", S.PENDING)
    door = event("peer-learning-heute", "Peer-Learning Mobilität am Morgen", 30, 1)
    for last, town in (("Ahrens", "Aurich"), ("Brandt", "Buxtehude"), ("Claasen", "Cuxhaven")):
        registration(door, last, town)
    session.commit()
    past, attended, codes = add_past_event(session, now, event, registration)
    return {
        "open_slug": open_event.slug,
        "full_slug": full_event.slug,
        "checkin_event_id": door.id,
        "tokens": {"confirmed": taken.token, "pending": pending.token, "attended": attended},
        "past_event_id": past,
        "certificate_codes": codes,
    }


def add_past_event(session, now, event, registration) -> tuple[int, str, dict]:
    """An ended event: reminders went out, two people were present and got a certificate, one
    of which the organisers revoked; a link for participants only. Returns the event's id, the
    personal link of the one with a valid certificate and both verification codes."""
    from app.certificates.rules import issue_certificate, revoke_certificate, verification_code
    from app.models import (
        Attendance,
        Material,
        MaterialKind,
        MaterialVisibility,
        ReminderDelivery,
    )

    past = event("werkstatt-rueckblick", "Themenwerkstatt Smarte Quartiere", 20, -3)
    people = [
        registration(past, last, town)
        for last, town in (("Dietz", "Diepholz"), ("Eggers", "Emden"))
    ]
    session.flush()
    for person in people:
        person.attendance = Attendance.ATTENDED
        session.add(ReminderDelivery(registration_id=person.id, days_before=1, queued_at=now))
    session.add(
        Material(
            event_id=past.id,
            kind=MaterialKind.LINK,
            title="Fotoprotokoll der Werkstatt",
            visibility=MaterialVisibility.PARTICIPANTS,
            url="https://cloud.startsmart.example/fotoprotokoll",
        )
    )
    session.commit()
    valid = issue_certificate(session, people[0].id, now)
    session.commit()
    revoked = issue_certificate(session, people[1].id, now)
    session.commit()
    revoke_certificate(session, None, revoked.id, now)
    session.commit()
    codes = {"valid": verification_code(valid), "revoked": verification_code(revoked)}
    return past.id, people[0].token, codes


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Iterator[Site]:
    """The whole service with demo data and the dev mailbox, served for the browser tests."""
    require_chromium()
    from app.extensions import db

    app = make_live_app(tmp_path_factory.mktemp("site") / "site.sqlite")
    with app.app_context():
        data = add_site_data(db.session)
        db.session.remove()
    with serve(app) as base:
        yield Site(base=base, **data)


@pytest.fixture
def tab(chromium):
    """A fresh context (no cookies) with a desktop viewport."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


@pytest.fixture(scope="session")
def organiser_state(site, chromium) -> dict:
    """Cookies of one organiser login, reused: each login costs a deliberate password hash."""
    context = chromium.new_context(locale="de-DE")
    log_in(context.new_page(), site.base)
    state = context.storage_state()
    context.close()
    return state


@pytest.fixture
def organiser_tab(chromium, organiser_state):
    """A fresh context already logged in to the back office as an organiser."""
    context = chromium.new_context(
        viewport={"width": 1280, "height": 900}, locale="de-DE", storage_state=organiser_state
    )
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


@pytest.fixture
def admin_tab(chromium, site):
    """A fresh context logged in as an administrator (their pages are closed to organisers)."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    log_in(tab, site.base, ADMIN_EMAIL, ADMIN_PASSWORD)
    yield tab
    context.close()


def log_in(page, base: str, email=ORGANISER_EMAIL, password=ORGANISER_PASSWORD) -> None:
    page.goto(f"{base}/admin/login")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/admin/events")
