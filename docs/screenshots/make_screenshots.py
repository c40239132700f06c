"""Make the README's screenshots: catalogue, an event page and the check-in page, phone and desktop.

Run from the repository root with the test extra installed (Playwright, Debian's chromium):

    .venv/bin/python docs/screenshots/make_screenshots.py

The app runs with the demo programme (the data of `flask seed-demo`) in a temporary SQLite
file, served by werkzeug on a free loopback port; nothing touches the development database.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
from pathlib import Path

from sqlalchemy import select
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
EMAIL, PASSWORD = "team@startsmart.example", "screenshot-passwort"
EVENT_TITLE = "Themenwerkstatt: Open-Source-Lösungen für Kommunen nachnutzen"
CHECKIN_TITLE = "Peer-Learning: Kommunale Wärmeplanung gemeinsam angehen"


def build_app(database: Path):
    from flask_migrate import upgrade

    from app import create_app
    from app.backoffice.accounts import create_user
    from app.extensions import db
    from app.models import Event, Registration, RegistrationStatus, utcnow
    from app.programme.demo import seed_demo

    app = create_app(
        "testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}", WTF_CSRF_ENABLED=True
    )
    with app.app_context():
        upgrade()
        seed_demo(db.session, utcnow())
        create_user(db.session, EMAIL, PASSWORD, "organiser", name="Team Start Smart")
        event = db.session.scalar(select(Event).where(Event.title == CHECKIN_TITLE))
        confirmed = db.session.scalars(
            select(Registration)
            .where(Registration.event_id == event.id)
            .where(Registration.status == RegistrationStatus.CONFIRMED)
            .order_by(Registration.last_name)
        ).all()
        # A door in progress: some people have arrived, one did not come.
        for registration in confirmed[:3]:
            registration.attendance = "attended"
            registration.checked_in_at = utcnow()
        confirmed[-1].attendance = "no_show"
        db.session.commit()
        slugs = {
            "event": db.session.scalar(select(Event.slug).where(Event.title == EVENT_TITLE)),
            "checkin_id": event.id,
        }
        db.session.remove()
    return app, slugs


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        app, ids = build_app(Path(tmp) / "screenshots.sqlite")
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        pages = {
            "catalogue": "/",
            "event": f"/events/{ids['event']}",
            "checkin": f"/admin/checkin/{ids['checkin_id']}",
        }
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for size_name, viewport in SIZES.items():
                    context = browser.new_context(
                        viewport=viewport, locale="de-DE", device_scale_factor=1
                    )
                    page = context.new_page()
                    page.goto(f"{base}/admin/login")
                    page.get_by_label("E-Mail-Adresse").fill(EMAIL)
                    page.get_by_label("Passwort").fill(PASSWORD)
                    page.get_by_role("button", name="Anmelden").click()
                    page.wait_for_url("**/admin/events")
                    for name, path in pages.items():
                        page.goto(base + path)
                        target = OUT / f"{name}-{size_name}.png"
                        page.screenshot(path=str(target))
                        print(target.relative_to(ROOT))
                    context.close()
                browser.close()
        finally:
            server.shutdown()


if __name__ == "__main__":
    main()
