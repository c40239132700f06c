"""HTTP benchmark: the app under gunicorn on loopback, loaded from a second process.

Run from the repository root::

    .venv/bin/python bench/http.py [options]

One run does two things and prints its figures:

1. Read paths. A database is migrated (``flask db upgrade``) and seeded with 200 upcoming
   published events (topics, registrations, some full) plus archive and drafts. The app
   (APP_ENV=production) and a bare Flask route (bench/bare_app.py, the ceiling) are each served by
   gunicorn with the same settings; ``wrk --latency`` loads, one after the other: the bare route,
   the catalogue ``/``, an event page and ``/api/v1/events``. Printed: requests/s, p50 and p99
   latency, non-2xx count, and the catalogue/ceiling ratio (target: at least 40 %).
2. Registration burst, on PostgreSQL with 4 gunicorn workers: 500 registrations (GET the form for
   its CSRF token, POST /events/<slug>/register, read the opt-in link from the outbox table,
   GET /r/<token>, POST /r/<token>/confirm) from concurrent clients on one event with 30 seats.
   CSRF protection stays on; the clients fetch the token like a browser. Printed: p50/p99 of each
   POST and of a whole registration, errors (5xx, or any unexpected answer) and the number
   confirmed, checked in SQL. Exits non-zero when the event is overbooked, a request failed or
   the POST p99 is 1 s or more.

Options:
  --database-url URL    database for the read benchmark (default: a new SQLite file in a
                        temporary folder). A PostgreSQL database given here is WIPED (its
                        public schema is dropped) and must be one used for nothing else.
  --burst-database-url URL
                        PostgreSQL database for the burst; WIPED likewise (default: the
                        environment variable BENCH_POSTGRES_URL; without either the burst is
                        skipped with a note).
  --events N            published upcoming events to seed (default 200)
  --workers N           gunicorn workers for the read benchmark (default 4)
  --duration S          seconds per wrk run (default 5)
  --rounds N            interleaved rounds of runs over the four URLs (default 3): the figures
                        are the mean req/s, the median p50 and the worst p99 of the rounds
  --connections N       wrk connections (default 16); --threads N wrk threads (default 2)
  --registrations N     registrations in the burst (default 500); --seats N (default 30)
  --clients N           concurrent clients in the burst (default 16)
  --skip-read / --skip-burst
                        run only one half.

Everything listens on 127.0.0.1 on free ports; every server is stopped at the end. The app runs
with APP_ENV=production, a random 64-character SECRET_KEY, MAIL_DELIVERY=worker (no SMTP),
RATELIMIT_ENABLED=false and SESSION_COOKIE_SECURE=false (plain HTTP on loopback: the clients
must get their session cookie back for CSRF to work).
"""

from __future__ import annotations

import os
import sys

# This file is called http.py: keep its folder off sys.path so that the standard library's
# ``http`` package (used by requests and gunicorn) is not shadowed by it.
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path[:] = [p for p in sys.path if os.path.realpath(p or os.curdir) != os.path.realpath(HERE)]
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

import argparse  # noqa: E402
import re  # noqa: E402
import secrets  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402

import requests  # noqa: E402

VENV_BIN = Path(sys.executable).parent
WRK = shutil.which("wrk") or "/usr/bin/wrk"
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
OPT_IN_LINK = re.compile(r"/r/([A-Za-z0-9_-]{20,})")
SERVER_START_TIMEOUT = 30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def app_environment(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("FLASK_DEBUG", "MAIL_SERVER", "RATELIMIT_STORAGE_URI"):
        env.pop(name, None)
    env.update(
        APP_ENV="production",
        SECRET_KEY=secrets.token_hex(32),
        DATABASE_URL=database_url,
        MAIL_DELIVERY="worker",
        RATELIMIT_ENABLED="false",
        SESSION_COOKIE_SECURE="false",
        FLASK_APP="app",
        BASE_URL="http://127.0.0.1",
        PYTHONPATH=ROOT,
    )
    return env


# --- databases -----------------------------------------------------------------------------


def reset_postgres(url: str) -> None:
    import psycopg

    with psycopg.connect(plain_postgres_url(url), autocommit=True) as connection:
        connection.execute("DROP SCHEMA public CASCADE")
        connection.execute("CREATE SCHEMA public")


def plain_postgres_url(url: str) -> str:
    """psycopg wants postgresql://, SQLAlchemy's URL may name the driver."""
    return re.sub(r"^postgres(ql)?(\+psycopg)?://", "postgresql://", url)


def prepare_database(url: str, seed) -> None:
    """Migrate with `flask db upgrade` (as in production), then call seed(session)."""
    if url.startswith("postgres"):
        reset_postgres(url)
    env = app_environment(url)
    subprocess.run(
        [str(VENV_BIN / "flask"), "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    from app import create_app
    from app.extensions import db
    from config import normalise_database_url

    app = create_app(
        "production",
        SECRET_KEY=env["SECRET_KEY"],
        SQLALCHEMY_DATABASE_URI=normalise_database_url(url),
        RATELIMIT_ENABLED=False,
    )
    with app.app_context():
        seed(db.session)
        db.session.remove()
        db.engine.dispose()


# --- servers -------------------------------------------------------------------------------


@contextmanager
def gunicorn(target: str, env: dict[str, str], workers: int, log: Path):
    """Serve ``target`` on a free loopback port; yields the base URL."""
    port = free_port()
    command = [
        str(VENV_BIN / "gunicorn"),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--backlog",
        "2048",
        "--timeout",
        "60",
        "--log-level",
        "warning",
        target,
    ]
    with open(log, "ab") as log_file:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log_file, stderr=log_file, start_new_session=True
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base, process, log)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_serving(base: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited at start; see {log}:\n{log.read_text()[-2000:]}")
        try:
            requests.get(base + "/", timeout=5)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer within {SERVER_START_TIMEOUT} s; see {log}")


# --- read benchmark ------------------------------------------------------------------------


@dataclass
class WrkResult:
    label: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    socket_errors: str


def to_ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def run_wrk(label: str, url: str, args) -> WrkResult:
    command = [
        WRK,
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--timeout",
        "10s",
        "--latency",
        url,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    if set(percentiles) != {"50", "99"}:
        raise SystemExit(f"could not read wrk's output for {url}:\n{output}")
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    return WrkResult(
        label,
        float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        to_ms(percentiles["50"]),
        to_ms(percentiles["99"]),
        int(non_2xx.group(1)) if non_2xx else 0,
        errors.group(1) if errors else "none",
    )


def combine(label: str, runs: list[WrkResult]) -> WrkResult:
    """Mean throughput over the rounds, median p50 and worst p99."""
    return WrkResult(
        label,
        statistics.fmean(run.requests_per_second for run in runs),
        statistics.median(run.p50_ms for run in runs),
        max(run.p99_ms for run in runs),
        sum(run.non_2xx for run in runs),
        "; ".join(sorted({run.socket_errors for run in runs})),
    )


def read_benchmark(args, workdir: Path) -> bool:
    from bench.seed import seed_catalogue

    url = args.database_url or "sqlite:///" + str(workdir / "bench.sqlite")
    print(f"== Read paths: {args.events} published events, database {redact(url)}")
    prepare_database(url, lambda session: seed_catalogue(session, events=args.events))
    env = app_environment(url)
    settings = f"gunicorn --workers {args.workers} --worker-class sync, wrk -t{args.threads} "
    settings += f"-c{args.connections} -d{args.duration}s, {args.rounds} interleaved rounds"
    print(f"   {settings}")

    pages = [
        ("bare Flask route (ceiling)", "bare", "/"),
        ("catalogue /", "app", "/"),
        ("event page", "app", "/events/bench-0001"),
        ("/api/v1/events", "app", "/api/v1/events"),
    ]
    runs: dict[str, list[WrkResult]] = {label: [] for label, _server, _path in pages}
    with (
        gunicorn("bench.bare_app:app", env, args.workers, workdir / "bare.log") as bare,
        gunicorn("app:create_app()", env, args.workers, workdir / "app.log") as app,
    ):
        bases = {"bare": bare, "app": app}
        for _label, server, path in pages:  # fail early and clearly on a broken page
            response = requests.get(bases[server] + path, timeout=10)
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code}; see the app log")
        # Interleaved short runs: a neighbour's load on a shared machine then hits all pages
        # alike instead of skewing the ratio.
        for _round in range(args.rounds):
            for label, server, path in pages:
                runs[label].append(run_wrk(label, bases[server] + path, args))
    results = [combine(label, runs[label]) for label, _server, _path in pages]

    print(f"   {'':<28}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'non-2xx':>9}  socket errors")
    for result in results:
        print(
            f"   {result.label:<28}{result.requests_per_second:>10.1f}{result.p50_ms:>10.2f}"
            f"{result.p99_ms:>10.2f}{result.non_2xx:>9}  {result.socket_errors}"
        )
    ceiling, catalogue = results[0].requests_per_second, results[1].requests_per_second
    ratio = catalogue / ceiling if ceiling else 0.0
    verdict = "OK" if ratio >= 0.40 else "BELOW TARGET"
    print(f"   catalogue/ceiling ratio: {ratio:.0%} (target >= 40%): {verdict}")
    return ratio >= 0.40 and all(result.non_2xx == 0 for result in results)


# --- registration burst ----------------------------------------------------------------------


@dataclass
class BurstOutcome:
    submit_seconds: list[float] = field(default_factory=list)
    confirm_seconds: list[float] = field(default_factory=list)
    total_seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def csrf_token(html: str) -> str:
    found = CSRF_FIELD.search(html)
    if not found:
        raise RuntimeError("no csrf_token field in the page")
    return found.group(1)


def register_once(number: int, base: str, slug: str, database_url: str, outcome: BurstOutcome):
    """One municipality's whole registration, as a browser would do it."""
    import psycopg

    email = f"burst-{number}@gemeinde-{number}.example"
    http = requests.Session()
    try:
        started = time.perf_counter()
        form = http.get(f"{base}/events/{slug}/register", timeout=30)
        expect(form, 200, "GET form")
        data = {
            "csrf_token": csrf_token(form.text),
            "municipality": f"Gemeinde {number}",
            "state": "09",
            "ags": "",
            "first_name": "Alex",
            "last_name": f"Muster {number}",
            "email": email,
            "role": "Digitalisierung",
            "consent": "y",
            "website": "",
        }
        before = time.perf_counter()
        submitted = http.post(
            f"{base}/events/{slug}/register", data=data, allow_redirects=False, timeout=30
        )
        submit_seconds = time.perf_counter() - before
        expect(submitted, 302, "POST register")
        with psycopg.connect(plain_postgres_url(database_url)) as connection:
            body = connection.execute(
                "SELECT body_text FROM outbox_messages WHERE recipient = %s AND kind = 'opt_in'",
                (email,),
            ).fetchone()
        if body is None:
            raise RuntimeError("no opt-in mail in the outbox")
        token = OPT_IN_LINK.search(body[0]).group(1)
        page = http.get(f"{base}/r/{token}", timeout=30)
        expect(page, 200, "GET /r/<token>")
        before = time.perf_counter()
        confirmed = http.post(
            f"{base}/r/{token}/confirm",
            data={"csrf_token": csrf_token(page.text)},
            allow_redirects=False,
            timeout=30,
        )
        confirm_seconds = time.perf_counter() - before
        expect(confirmed, 302, "POST confirm")
        total = time.perf_counter() - started
        with outcome.lock:
            outcome.submit_seconds.append(submit_seconds)
            outcome.confirm_seconds.append(confirm_seconds)
            outcome.total_seconds.append(total)
    except Exception as exc:
        with outcome.lock:
            outcome.errors.append(f"#{number}: {exc}")


def expect(response: requests.Response, status: int, what: str) -> None:
    if response.status_code != status:
        raise RuntimeError(f"{what} answered {response.status_code}, expected {status}")


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def burst_benchmark(args, workdir: Path) -> bool:
    from bench.seed import seed_burst_event

    url = args.burst_database_url
    if not url:
        print("== Registration burst skipped: give --burst-database-url or BENCH_POSTGRES_URL")
        return True
    print(
        f"== Registration burst: {args.registrations} registrations, {args.clients} concurrent "
        f"clients, {args.seats} seats, PostgreSQL {redact(url)}, gunicorn --workers 4"
    )
    prepare_database(url, lambda session: seed_burst_event(session, capacity=args.seats))
    env = app_environment(url)
    outcome = BurstOutcome()
    with gunicorn("app:create_app()", env, 4, workdir / "burst.log") as base:
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.clients) as pool:
            for number in range(args.registrations):
                pool.submit(register_once, number, base, "ansturm", url, outcome)
        elapsed = time.perf_counter() - started

    import psycopg

    with psycopg.connect(plain_postgres_url(url)) as connection:
        counts = dict(
            connection.execute(
                "SELECT r.status, count(*) FROM registrations r JOIN events e "
                "ON e.id = r.event_id WHERE e.slug = 'ansturm' GROUP BY r.status"
            ).fetchall()
        )
    confirmed, waitlisted = counts.get("confirmed", 0), counts.get("waitlisted", 0)
    overbooked = max(0, confirmed - args.seats)
    p99 = max(percentile(outcome.submit_seconds, 0.99), percentile(outcome.confirm_seconds, 0.99))
    rate = len(outcome.total_seconds) / elapsed
    print(f"   done in {elapsed:.1f} s ({rate:.1f} registrations/s)")
    for label, values in (
        ("POST register", outcome.submit_seconds),
        ("POST confirm", outcome.confirm_seconds),
        ("whole registration (4 requests)", outcome.total_seconds),
    ):
        print(
            f"   {label:<34} p50 {percentile(values, 0.5) * 1000:7.1f} ms   "
            f"p99 {percentile(values, 0.99) * 1000:7.1f} ms   "
            f"mean {statistics.fmean(values) * 1000 if values else float('nan'):7.1f} ms"
        )
    print(f"   statuses in the database: {counts}")
    print(
        f"   confirmed {confirmed} of {args.seats} seats, waitlisted {waitlisted}, "
        f"overbooked {overbooked}, errors {len(outcome.errors)}"
    )
    for error in outcome.errors[:10]:
        print(f"     {error}")
    ok = (
        overbooked == 0
        and not outcome.errors
        and p99 < 1.0
        and confirmed + waitlisted == args.registrations
    )
    print(f"   p99 of the POSTs {p99 * 1000:.0f} ms (target < 1000 ms): {'OK' if ok else 'FAILED'}")
    return ok


def redact(url: str) -> str:
    return re.sub(r"//([^:/@]+):[^@]+@", r"//\1:***@", url)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url")
    parser.add_argument("--burst-database-url", default=os.environ.get("BENCH_POSTGRES_URL"))
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--registrations", type=int, default=500)
    parser.add_argument("--seats", type=int, default=30)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--skip-read", action="store_true")
    parser.add_argument("--skip-burst", action="store_true")
    args = parser.parse_args()
    if not args.skip_read and not os.path.exists(WRK):
        raise SystemExit("wrk not found (Debian: apt-get install wrk)")

    ok = True
    with tempfile.TemporaryDirectory(prefix="startsmart-bench-") as folder:
        workdir = Path(folder)
        try:
            if not args.skip_read:
                ok &= read_benchmark(args, workdir)
            if not args.skip_burst:
                ok &= burst_benchmark(args, workdir)
        except BaseException:
            for log in workdir.glob("*.log"):
                print(f"--- {log.name} (last lines)\n{log.read_text()[-3000:]}", file=sys.stderr)
            raise
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
