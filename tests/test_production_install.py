"""A production install as the README describes it works from the first request, and an
install that forgets APP_ENV fails closed.

The README's steps run as the operator types them (`flask db upgrade`, `flask users create`,
`flask events add`, each in a fresh process with APP_ENV=production and a real SECRET_KEY) on
an empty SQLite file and on an empty PostgreSQL database made for the test. Then every public
form is sent as a browser sends it (CSRF token and all): registration, each self-service
button, the calendar subscription, the expression of interest and the consultation booking.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import sqlalchemy as sa

from config import normalise_database_url

ROOT = Path(__file__).resolve().parent.parent
FLASK = str(Path(sys.executable).with_name("flask"))
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
SITE = "https://termine.example.de"
ADMIN_EMAIL = "kts@example.de"
ADMIN_PASSWORD = "Ein langes Passwort für die KTS 2027"
# Dates in the coming months, whenever the test runs.
DAY = (date.today() + timedelta(days=90)).isoformat()
NEXT_DAY = (date.today() + timedelta(days=91)).isoformat()
# The README's example of `flask events add`, word for word but for the date.
README_EVENT = [
    "events", "add", "--title", "Themenwerkstatt: Mobilität im ländlichen Raum",
    "--format", "workshop", "--start", f"{DAY} 09:30", "--end", f"{DAY} 16:00",
    "--capacity", "25", "--per-municipality", "2", "--venue", "Rathaus Jena",
    "--address", "Markt 1, 07743 Jena", "--topic", "Mobilität",
]  # fmt: skip
# One seat held for whoever is offered it: for the accept and decline buttons.
OFFER_EVENT = [
    "events", "add", "--title", "Peer-Learning Wärmeplanung", "--format", "peer_learning",
    "--start", f"{NEXT_DAY} 14:00", "--end", f"{NEXT_DAY} 16:00", "--capacity", "1",
    "--venue", "Rathaus Kiel", "--waitlist-mode", "offer", "--topic", "Energie & Klima",
]  # fmt: skip


def config_variables() -> set[str]:
    source = (ROOT / "config.py").read_text()
    return set(re.findall(r"env_(?:str|int|bool)\(\s*\"([A-Z0-9_]+)\"", source)) | {"APP_ENV"}


def clean_environment(**settings: str) -> dict[str, str]:
    """This process's environment without anything config.py reads (nor FLASK_*), plus
    ``settings``: a new shell on a new server."""
    dropped = config_variables()
    kept = {
        key: value
        for key, value in os.environ.items()
        if key not in dropped and not key.startswith("FLASK_")
    }
    return {**kept, **settings}


def flask(*args: str, env: dict[str, str], input: str | None = None):
    return subprocess.run(
        [FLASK, "--app", "app", *args],
        cwd=ROOT,
        env=env,
        input=input,
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- forgetting APP_ENV ---------------------------------------------------------------------


def test_without_app_env_the_app_refuses_a_missing_secret_key_in_one_line(tmp_path):
    result = flask("routes", env=clean_environment(INSTANCE_PATH=str(tmp_path)))

    assert result.returncode == 1
    assert "/dev/mailbox" not in result.stdout
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("Error: SECRET_KEY must be set to a random value")
    assert "for local work set APP_ENV=development" in line


def test_without_app_env_a_real_secret_key_starts_production_without_a_mailbox(tmp_path):
    env = clean_environment(INSTANCE_PATH=str(tmp_path), SECRET_KEY=secrets.token_hex(32))

    routes = flask("routes", env=env)
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "from app import create_app; app = create_app(); "
            "print(app.config['SESSION_COOKIE_SECURE'], app.debug, sorted(app.blueprints))",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert routes.returncode == 0, routes.stderr
    assert "/events/<slug>/register" in routes.stdout
    assert "/dev/mailbox" not in routes.stdout
    assert shown.returncode == 0, shown.stderr
    secure, debug, blueprints = shown.stdout.strip().split(" ", 2)
    assert (secure, debug) == ("True", "False")
    assert "devbox" not in blueprints


def test_development_is_there_when_asked_for(tmp_path):
    env = clean_environment(INSTANCE_PATH=str(tmp_path), APP_ENV="development")

    routes = flask("routes", env=env)

    assert routes.returncode == 0, routes.stderr
    assert "/dev/mailbox/" in routes.stdout


# --- the README's production steps on an empty database ------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path):
    """The URL of a database with nothing in it: a new SQLite file, or a PostgreSQL database
    created for this test (and dropped after it)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/startsmart.sqlite"
        return
    server = sa.create_engine(
        normalise_database_url(POSTGRES_URL.rsplit("/", 1)[0] + "/postgres"),
        isolation_level="AUTOCOMMIT",
    )
    name = f"startsmart_install_{uuid.uuid4().hex[:10]}"
    try:
        with server.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sa.exc.OperationalError as error:
        server.dispose()
        if IN_CI:
            pytest.fail(f"PostgreSQL not reachable at {POSTGRES_URL}: {error}")
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL}")
    try:
        yield POSTGRES_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with server.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.dispose()


@dataclass
class Form:
    action: str
    fields: list[tuple[str, str]] = field(default_factory=list)  # what the browser would send
    choices: dict[str, list[str]] = field(default_factory=dict)  # options, checkboxes, radios


class Forms(HTMLParser):
    """The forms of a page with the values a browser would send untouched."""

    def __init__(self, page_url: str):
        super().__init__()
        self.page_url = page_url
        self.forms: list[Form] = []
        self._select: str | None = None
        self._selected: str | None = None
        self._first = False
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms.append(Form(urljoin(self.page_url, a.get("action") or self.page_url)))
        elif tag == "option" and self._select:
            self.forms[-1].choices.setdefault(self._select, []).append(a.get("value", ""))
            if "selected" in a or self._first:
                self._selected, self._first = a.get("value", ""), False
        elif not self.forms or "name" not in a:
            return
        elif tag == "input":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                self.forms[-1].choices.setdefault(a["name"], []).append(a.get("value", "on"))
                if "checked" in a:
                    self.forms[-1].fields.append((a["name"], a.get("value", "on")))
            elif kind not in ("submit", "button"):
                self.forms[-1].fields.append((a["name"], a.get("value", "")))
        elif tag == "select":
            # A single choice sends its first option when none is marked selected.
            self._select, self._selected = a["name"], None if "multiple" in a else ""
            self._first = "multiple" not in a
        elif tag == "textarea":
            self._textarea = a["name"]
            self.forms[-1].fields.append((a["name"], ""))

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            if self._selected is not None:
                self.forms[-1].fields.append((self._select, self._selected))
            self._select = None
        elif tag == "textarea":
            self._textarea = None


class Browser:
    """A visitor of the site: pages, forms as they are on the page, and answers never 422/500."""

    def __init__(self, client):
        self.client = client
        self.pages: list[tuple[str, int]] = []

    def get(self, path: str):
        response = self.client.get(path, base_url=SITE)
        self.pages.append((path, response.status_code))
        assert response.status_code == 200, (path, response.status_code)
        return response

    def form(self, path: str, action: str) -> Form:
        page = self.get(path)
        parser = Forms(SITE + path)
        parser.feed(page.text)
        matching = [form for form in parser.forms if urlsplit(form.action).path.endswith(action)]
        assert matching, f"no form posting to …{action} on {path}"
        return matching[0]

    def submit(self, path: str, action: str, **values) -> Form:
        """Fill in the form of ``path`` that posts to …``action`` and send it; a redirect
        (the form was taken) is the only answer accepted."""
        form = self.form(path, action)
        data: dict[str, list[str]] = {}
        for name, value in form.fields:
            data.setdefault(name, []).append(value)
        for name, value in values.items():
            data[name] = value if isinstance(value, list) else [value]
        response = self.client.post(urlsplit(form.action).path, base_url=SITE, data=data)
        self.pages.append((form.action, response.status_code))
        assert response.status_code == 302, (form.action, response.status_code, text(response))
        return form


def text(response) -> str:
    """What a person reads in the page's main part."""
    main = response.text.split("<main", 1)[-1].split("</main>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def person(number: int) -> dict[str, str]:
    return {
        "municipality": f"Gemeinde Beispiel {number}",
        "state": "16",
        "first_name": "Erika",
        "last_name": f"Muster {number}",
        "email": f"person{number}@kommune.example",
        "role": "Digitalisierungsbeauftragte",
        "consent": "y",
    }


def personal_link(app, email: str, prefix: str) -> str:
    """The newest personal link (its path) in the mail queued for ``email``."""
    from app.extensions import db
    from app.models import OutboxMessage

    with app.app_context():
        body = db.session.scalars(
            sa.select(OutboxMessage.body_text)
            .where(OutboxMessage.recipient == email)
            .order_by(OutboxMessage.id.desc())
        ).first()
        db.session.remove()
    assert body, f"no mail for {email}"
    return re.search(re.escape(SITE) + "(" + re.escape(prefix) + r"[A-Za-z0-9_\-]+)", body)[1]


def status_of(app, email: str) -> str:
    from app.extensions import db
    from app.models import Registration

    with app.app_context():
        registration = db.session.scalars(
            sa.select(Registration).where(Registration.email == email)
        ).one()
        status = registration.status.value
        db.session.remove()
    return status


@pytest.fixture
def production_app(tmp_path):
    """Builds the site's app in this process with the operator's settings; Flask-Limiter (one
    object for every app) is put back as it was."""
    from app import create_app
    from app.extensions import db, limiter

    saved = (limiter.enabled, limiter.initialized)
    built = []

    def build(url: str, secret_key: str):
        application = create_app(
            "production",
            SECRET_KEY=secret_key,
            SQLALCHEMY_DATABASE_URI=normalise_database_url(url),
            BASE_URL=SITE,
            MAIL_SERVER="127.0.0.1",
            RATELIMIT_ENABLED=False,  # limits are tested elsewhere; here every form is sent once
        )
        application.instance_path = str(tmp_path)
        built.append(application)
        return application

    yield build
    for application in built:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()
    limiter.enabled, limiter.initialized = saved


@pytest.mark.slow
def test_the_readme_production_steps_give_a_site_whose_forms_all_work(
    empty_database, production_app, tmp_path
):
    secret_key = secrets.token_hex(32)
    env = clean_environment(
        APP_ENV="production",
        SECRET_KEY=secret_key,
        DATABASE_URL=empty_database,
        INSTANCE_PATH=str(tmp_path),
        BASE_URL=SITE,
        MAIL_SERVER="127.0.0.1",
    )
    upgraded = flask("db", "upgrade", env=env)
    assert upgraded.returncode == 0, upgraded.stderr
    account = flask(
        "users", "create", "--role", "admin", "--email", ADMIN_EMAIL,
        env=env, input=f"{ADMIN_PASSWORD}\n{ADMIN_PASSWORD}\n",
    )  # fmt: skip
    assert account.returncode == 0, account.stdout + account.stderr
    for command in (README_EVENT, OFFER_EVENT):
        added = flask(*command, env=env)
        assert added.returncode == 0, added.stderr
    workshop, peer_learning = _slugs(flask("events", "list", env=env).stdout)

    app = production_app(empty_database, secret_key)
    # No app context is held open around the requests: each has its own (and its own ``g``),
    # as in production.
    browser = Browser(app.test_client())
    assert "Mobilität im ländlichen Raum" in browser.get("/").text

    # Registration, the opt-in button, the calendar subscription, the cancellation.
    browser.submit(f"/events/{workshop}/register", "/register", **person(1))
    manage = personal_link(app, "person1@kommune.example", "/r/")
    browser.submit(manage, "/confirm")
    assert status_of(app, "person1@kommune.example") == "confirmed"
    browser.submit(manage, "/calendar-feed")
    browser.submit(manage, "/calendar-feed/revoke")
    browser.submit(manage, "/cancel")
    assert status_of(app, "person1@kommune.example") == "cancelled"

    # One seat, offered down the waiting list: declined once, accepted the next time.
    links = {}
    for number in (2, 3, 4):
        email = f"person{number}@kommune.example"
        browser.submit(f"/events/{peer_learning}/register", "/register", **person(number))
        links[number] = personal_link(app, email, "/r/")
        browser.submit(links[number], "/confirm")
    browser.submit(links[2], "/cancel")
    assert status_of(app, "person3@kommune.example") == "offered"
    browser.submit(links[3], "/decline")
    browser.submit(links[4], "/accept")
    assert status_of(app, "person4@kommune.example") == "confirmed"

    # The expression of interest: the standard topics are there to choose from.
    form = browser.form("/interessensbekundung", "/interessensbekundung")
    assert len(form.choices["topics"]) >= 7
    browser.submit(
        "/interessensbekundung",
        "/interessensbekundung",
        **person(5),
        size_class=next(value for value in form.choices["size_class"] if value),
        strategy_stage=form.choices["strategy_stage"][0],
        topics=form.choices["topics"][:2],
    )
    interest = personal_link(app, "person5@kommune.example", "/interessensbekundung/")
    browser.submit(interest, "/bestaetigen")
    assert "Ihre Interessensbekundung ist bestätigt" in browser.get(interest).text

    # An organiser publishes a consultation slot; the municipality books and cancels it.
    browser.submit("/admin/login", "/admin/login", email=ADMIN_EMAIL, password=ADMIN_PASSWORD)
    browser.submit(
        "/admin/intake/slots",
        "/admin/intake/slots",
        day=DAY,
        time="10:00",
        duration_minutes="60",
        organiser_name="Team KTS",
    )
    browser.submit(interest, "/termin")
    assert "Ihr Termin ist gebucht" in browser.get(interest).text
    browser.submit(interest, "/termin/absagen")
    assert "Ihr Termin ist abgesagt" in browser.get(interest).text

    assert all(status in (200, 302) for _path, status in browser.pages), browser.pages


def _slugs(listing: str) -> list[str]:
    """The slugs of `flask events list`, in its order (by start)."""
    return [line.split()[4] for line in listing.splitlines() if line.strip()]


# --- the standard topics come with the migrations ------------------------------------------


def test_the_standard_topics_come_with_the_migrations_and_stay_the_organisers(
    empty_database, tmp_path
):
    from flask_migrate import downgrade, upgrade

    from app import create_app
    from app.extensions import db
    from app.models import EventFormat, EventMode, Topic, utcnow
    from app.programme.event_input import rename_topic
    from app.programme.events import create_event

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=normalise_database_url(empty_database))
    app.instance_path = str(tmp_path)

    def topics() -> set[str]:
        db.session.commit()
        return set(db.session.scalars(sa.select(Topic.name)))

    with app.app_context():
        upgrade(revision="0010_hashed_tokens")
        db.session.add(Topic(name="strategie", slug="strategie"))  # made by hand before
        db.session.commit()

        upgrade()
        standard = {
            "Mobilität",
            "Energie & Klima",
            "Daten & Plattformen",
            "Verwaltungsdigitalisierung",
            "Open Source",
            "Beteiligung",
        }
        assert topics() == standard | {"strategie"}  # no second "Strategie"

        # Organisers own them now: one renamed, one filed an event under.
        rename_topic(db.session, "Open Source", "Offene Software")
        beteiligung = db.session.scalars(sa.select(Topic).where(Topic.name == "Beteiligung"))
        start = utcnow()
        fields = dict(
            title="Werkstatt Beteiligung",
            format=EventFormat.WORKSHOP,
            summary="",
            description="",
            starts_at=start,
            ends_at=start.replace(year=start.year + 1),
            mode=EventMode.IN_PERSON,
            venue="Rathaus",
            address="",
            online_url="",
            capacity=10,
        )
        create_event(db.session, None, fields, start, [beteiligung.one()])
        db.session.commit()

        downgrade(revision="0010_hashed_tokens")
        assert topics() == {"strategie", "Offene Software", "Beteiligung"}

        upgrade()
        assert topics() == standard | {"strategie", "Offene Software"}
        db.session.remove()
        db.engine.dispose()
