"""Benchmark of the calendar feeds: 1,000 events, a personal feed, and a 304 that builds nothing.

    .venv/bin/python bench/calendar.py                 # SQLite in a temporary folder
    .venv/bin/python bench/calendar.py --database-url postgresql://postgres@127.0.0.1/bench

Prints, in milliseconds (median of several runs), the full HTTP request for:
  - the public feed built for the first time ever (every VEVENT built by icalendar),
  - the public feed in a freshly started process (nothing in memory: VEVENTs read from the
    database store that earlier builds filled),
  - the public feed, warm (one event changed since the last build: one VEVENT rebuilt),
  - the personal feed of someone booked on 20 events,
  - a conditional request whose ETag matches: 304, and the number of feed builds it caused (0).
Target: the public feed for 1,000 events in under 100 ms.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this folder would come first on the path, and this file and bench/http.py
# would hide the standard library's calendar and http modules: put the project root there.
ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import timedelta  # noqa: E402

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import delete  # noqa: E402

from app import create_app  # noqa: E402
from app.calendar import feeds as calendar_feeds  # noqa: E402
from app.extensions import db  # noqa: E402
from app.feeds import pages as feed_pages  # noqa: E402
from app.feeds.tokens import issue_token  # noqa: E402
from app.models import (  # noqa: E402
    Event,
    EventFormat,
    EventMode,
    EventStatus,
    FeedScope,
    Registration,
    RegistrationStatus,
    StoredVEvent,
    utcnow,
)

EVENTS = 1000
PERSONAL_EVENTS = 20


class Timing:
    """Median wall-clock and CPU milliseconds; CPU time tells the truth on a busy machine."""

    def __init__(self):
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def __enter__(self):
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall.append((time.perf_counter() - self._wall) * 1000)
        self.cpu.append((time.process_time() - self._cpu) * 1000)

    def __str__(self) -> str:
        return (
            f"{statistics.median(self.wall):8.1f} ms wall, "
            f"{statistics.median(self.cpu):7.1f} ms CPU"
        )


def timed(call, repeat: int = 7) -> tuple[Timing, object]:
    timing, result = Timing(), None
    for _ in range(repeat):
        with timing:
            result = call()
    return timing, result


def seed(session) -> str:
    now = utcnow().replace(microsecond=0)
    formats = list(EventFormat)
    events = []
    for number in range(EVENTS):
        start = now + timedelta(days=1 + number % 365, hours=number % 8)
        events.append(
            Event(
                slug=f"bench-{number}",
                title=f"Themenwerkstatt {number}: Daten, Energie & Klima",
                format=formats[number % 3],
                summary="Praxisnah und kompakt; mit Beispielen aus Kommunen.",
                description="Beschreibung " * 20,
                starts_at=start,
                ends_at=start + timedelta(hours=3),
                mode=EventMode.HYBRID,
                venue="Rathaus",
                address="Marktplatz 1, 12345 Musterstadt",
                online_url="https://video.example/raum",
                capacity=30,
                status=EventStatus.CANCELLED if number % 50 == 0 else EventStatus.PUBLISHED,
                created_at=now,
                updated_at=now,
            )
        )
    session.add_all(events)
    session.flush()
    for number, event in enumerate(events[:PERSONAL_EVENTS]):
        session.add(
            Registration(
                event_id=event.id,
                municipality="Musterstadt",
                state="09",
                municipality_key="musterstadt|09",
                first_name="Lena",
                last_name="Beispiel",
                email="lena@kommune.example",
                email_normalised="lena@kommune.example",
                status=RegistrationStatus.CONFIRMED,
                email_confirmed_at=now,
                invite_sequence=number % 2,
            )
        )
    token = issue_token(session, FeedScope.PERSONAL, "lena@kommune.example", now)
    session.commit()
    return token.token


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: SQLite in a temporary folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.sqlite"
        from config import normalise_database_url

        app = create_app(
            "testing",
            SQLALCHEMY_DATABASE_URI=normalise_database_url(url),
            BASE_URL="https://startsmart.example",
        )
        with app.app_context():
            if db.engine.dialect.name == "postgresql":
                with db.engine.begin() as connection:
                    connection.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
            upgrade()
            token = seed(db.session)
            db.session.remove()
        client = app.test_client()

        def public():
            response = client.get("/calendar.ics")
            assert response.status_code == 200
            return response

        def forget_in_memory():
            calendar_feeds.vevent_cache.clear()
            feed_pages.public_bodies.clear()

        def cold():
            forget_in_memory()
            with app.app_context():
                db.session.execute(delete(StoredVEvent))
                db.session.commit()
                db.session.remove()
            return public()

        def new_process():
            forget_in_memory()
            return public()

        cold_ms, response = timed(cold, repeat=3)
        restart_ms, _ = timed(new_process)
        size_kb = len(response.data) / 1024
        count = response.data.count(b"BEGIN:VEVENT")

        warm = Timing()
        for _ in range(7):
            with app.app_context():
                event = db.session.get(Event, 7)
                event.updated_at = utcnow()
                db.session.commit()
                db.session.remove()
            with warm:
                public()
        unchanged_ms, _ = timed(public)

        personal_path = f"/feeds/personal/{token}.ics"
        personal_ms, personal = timed(lambda: client.get(personal_path))
        assert personal.status_code == 200

        etag = public().headers["ETag"]
        builds = calendar_feeds.stats.builds
        not_modified_ms, answer = timed(
            lambda: client.get("/calendar.ics", headers={"If-None-Match": etag}), repeat=21
        )
        assert answer.status_code == 304
        builds_for_304 = calendar_feeds.stats.builds - builds

        print(f"database: {app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}")
        print(f"public feed, {count} events, {size_kb:.0f} KiB")
        print(f"  first build ever (every VEVENT built):  {cold_ms}")
        print(f"  new process (VEVENTs from the store):   {restart_ms}   target < 100 ms")
        print(f"  one event changed (1 VEVENT rebuilt):   {warm}   target < 100 ms")
        print(f"  nothing changed, request without ETag:  {unchanged_ms}")
        print(f"personal feed, {PERSONAL_EVENTS} events:               {personal_ms}")
        print(f"conditional request, ETag matches:       {not_modified_ms}")
        print(f"  status {answer.status_code}, feed builds caused by 21 requests: {builds_for_304}")


if __name__ == "__main__":
    main()
