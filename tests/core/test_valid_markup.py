"""Every page, public and back office, and every mail's HTML part passes the W3C Nu Html
Checker without an error.

Assistive technology and old browsers depend on valid markup more than current browsers do (a
``placeholder`` on a month input, an id used twice). The pages are rendered with demo data and
every state a person can meet (filters, form errors, each self-service status), written to a
folder and checked by one run of vnu.jar: Java's start-up takes seconds, a page a few
milliseconds.

vnu.jar comes from the npm package vnu-jar, installed by `.ci/run` into .cache/vnu (ignored by
git), and runs on Debian's Java. Where either is missing the test is skipped on a developer
machine but fails in CI (CI=true), like the other tests against real tools.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.booking.links import issue_link
from app.booking.registration import confirm_email, submit_registration
from app.intake.consultation import book_slot, publish_slot
from app.intake.interest import confirm_interest, submit_interest
from app.messaging.messages import send_message
from app.models import (
    Event,
    EventStatus,
    Municipality,
    OutboxMessage,
    Registration,
    RegistrationStatus,
    SlotChannel,
)
from app.programme.demo import seed_demo

VNU_JAR = Path(__file__).resolve().parents[2] / ".cache/vnu/node_modules/vnu-jar/build/dist/vnu.jar"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_checker() -> list[str]:
    java = shutil.which("java")
    missing = []
    if java is None:
        missing.append("java (Debian package default-jre-headless)")
    if not VNU_JAR.exists():
        missing.append(f"{VNU_JAR} (npm install --prefix .cache/vnu vnu-jar)")
    if missing:
        message = "Nu Html Checker not available: " + ", ".join(missing)
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return [java, "-Xss8m", "-jar", str(VNU_JAR)]


def checker_errors(folder: Path) -> list[dict]:
    """The checker's errors for every .html file in ``folder``, from one run."""
    result = subprocess.run(
        [*require_checker(), "--errors-only", "--format", "json", "--stdout", str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.stdout.strip(), result.stderr
    return json.loads(result.stdout)["messages"]


def demo_programme(session, now, applicant, interest_application) -> dict:
    """The demo catalogue plus one of each thing a page can show."""
    seed_demo(session, now)
    session.commit()
    events = session.scalars(select(Event).order_by(Event.starts_at)).all()
    upcoming = [e for e in events if e.status == EventStatus.PUBLISHED and e.starts_at > now]
    event = next(e for e in upcoming if e.capacity > 0 and e.venue)

    def of_status(status):
        registration = session.scalar(
            select(Registration).where(Registration.status == status).order_by(Registration.id)
        )
        issue_link(session, registration, now)  # the link a mail would bring: .token
        session.commit()
        return registration

    person = submit_registration(session, event, applicant, now)
    session.commit()
    pending = person.token
    confirm_email(session, person.token, now)
    session.commit()
    send_message(
        session,
        None,
        event,
        "confirmed",
        "Anreise",
        "Bitte nutzen Sie den Eingang am Markt.",
        "markup-test",
        now,
    )
    session.commit()

    interest = submit_interest(session, interest_application, now)
    session.commit()
    confirm_interest(session, interest.token, now)
    session.commit()
    slot = publish_slot(
        session,
        starts_at=now + timedelta(days=7),
        duration_minutes=60,
        channel=SlotChannel.ONLINE,
        organiser_name="Olga Organisatorin",
        organiser_email="olga@kts.example",
        now=now,
        access_details="https://meet.example/beratung",
    )
    publish_slot(
        session,
        starts_at=now + timedelta(days=8),
        duration_minutes=45,
        channel=SlotChannel.PHONE,
        organiser_name="Olga Organisatorin",
        organiser_email="olga@kts.example",
        now=now,
    )
    session.commit()
    book_slot(session, interest.token, slot.id, now)
    session.commit()
    return {
        "event": event,
        "confirmed": of_status(RegistrationStatus.CONFIRMED),
        "waitlisted": of_status(RegistrationStatus.WAITLISTED),
        "offered": of_status(RegistrationStatus.OFFERED),
        "pending": pending,
        "interest": interest,
        "municipality": session.scalar(select(Municipality).order_by(Municipality.id)),
    }


def public_pages(client, data) -> dict[str, str]:
    event = data["event"]
    topic = event.topics[0].slug if event.topics else ""
    month = event.starts_at.strftime("%Y-%m")
    pages = {
        "catalogue": client.get("/"),
        "catalogue-filtered": client.get(f"/?q=Daten&format=workshop&topic={topic}&month={month}"),
        "catalogue-english": client.get("/?lang=en"),
        "archive": client.get("/archiv?lang=de"),
        "event": client.get(f"/events/{event.slug}"),
        "register": client.get(f"/events/{event.slug}/register"),
        "register-errors": client.post(
            f"/events/{event.slug}/register", data={"email": "keine-adresse", "state": "09"}
        ),
        "register-sent": client.get(f"/events/{event.slug}/register/sent"),
        "manage-pending": client.get(f"/r/{data['pending']}"),
        "manage-confirmed": client.get(f"/r/{data['confirmed'].token}"),
        "manage-waitlisted": client.get(f"/r/{data['waitlisted'].token}"),
        "manage-offered": client.get(f"/r/{data['offered'].token}"),
        "privacy": client.get("/datenschutz"),
        "interest": client.get("/interessensbekundung"),
        "interest-errors": client.post("/interessensbekundung", data={"email": "x"}),
        "interest-sent": client.get("/interessensbekundung/gesendet"),
        "interest-manage": client.get(f"/interessensbekundung/{data['interest'].token}"),
        "not-found": client.get("/gibt-es-nicht"),
        "login": client.get("/admin/login"),
    }
    expected = {"not-found": 404, "register-errors": 422, "interest-errors": 422}
    for name, response in pages.items():
        assert response.status_code == expected.get(name, 200), name
    return {name: response.text for name, response in pages.items()}


def back_office_pages(client, data) -> dict[str, str]:
    event, person = data["event"], data["confirmed"]
    interest, municipality = data["interest"], data["municipality"]
    from app.booking.checkin_codes import checkin_code

    paths = {
        "admin-events": "/admin/events",
        "admin-event": f"/admin/events/{event.id}",
        "admin-event-edit": f"/admin/events/{event.id}/edit",
        "admin-event-new": "/admin/events/new",
        "admin-event-preview": f"/admin/events/{event.id}/preview",
        "admin-event-audit": f"/admin/events/{event.id}/audit",
        "admin-event-cancel": f"/admin/events/{event.id}/cancel",
        "admin-registrations": f"/admin/events/{event.id}/registrations",
        "admin-registration-phone": f"/admin/events/{event.id}/registrations/new",
        "admin-registration": f"/admin/registrations/{person.id}",
        "admin-checkin": f"/admin/checkin/{event.id}",
        "admin-checkin-entry": f"/admin/checkin/{person.event_id}/code/{checkin_code(person)}",
        "admin-sign-in-sheet": f"/admin/events/{event.id}/sign-in-sheet",
        "admin-messages": f"/admin/events/{event.id}/messages",
        "admin-exports": "/admin/exports",
        "admin-statistics": "/admin/statistics",
        "admin-privacy": "/admin/privacy",
        "admin-privacy-search": f"/admin/privacy?email={person.email}",
        "admin-users": "/admin/users",
        "admin-password": "/admin/password",
        "admin-intake": "/admin/intake/",
        "admin-interest": f"/admin/intake/{interest.id}",
        "admin-slots": "/admin/intake/slots",
        "admin-municipalities": "/admin/intake/municipalities",
        "admin-municipality": f"/admin/intake/municipalities/{municipality.id}",
    }
    pages = {}
    for name, path in paths.items():
        response = client.get(path)
        assert response.status_code == 200, path
        pages[name] = response.text
    return pages


def test_every_page_passes_the_nu_html_checker(
    client, session, now, make_applicant, make_interest_application, make_user, log_in, tmp_path
):
    require_checker()
    # Text that looks like markup must come out as text, on pages and in the mails' HTML.
    application = make_interest_application(message="Fragen zu <Open Data> & Sensorik")
    data = demo_programme(session, now, make_applicant(), application)
    pages = public_pages(client, data)
    admin = make_user(email="admin@kts.example", role="admin")
    assert log_in(client, admin.email).status_code == 302
    pages |= back_office_pages(client, data)
    organiser = make_user(email="orga@kts.example")
    other = client.application.test_client()
    assert log_in(other, organiser.email).status_code == 302
    forbidden = other.get("/admin/users")
    assert forbidden.status_code == 403
    pages["forbidden"] = forbidden.text

    for row in session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)):
        pages.setdefault(f"mail-{row.kind}", row.body_html)

    folder = tmp_path / "pages"
    folder.mkdir()
    for name, html in pages.items():
        (folder / f"{name}.html").write_text(html, encoding="utf-8")

    errors = checker_errors(folder)

    report = [
        f"{re.sub(r'^.*/', '', error.get('url', '?'))}:{error.get('lastLine', '?')}: "
        f"{error['message']}"
        for error in errors
    ]
    assert not report, f"{len(report)} checker errors:\n" + "\n".join(sorted(report))
