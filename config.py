"""Configuration classes, read from the environment in one place.

Every variable read here is listed in the README's configuration table.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSECURE_SECRET_KEY = "dev-only-insecure-secret-key"


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value in (None, "") else value


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise RuntimeError(f"{name} must be a whole number, got {value!r}") from exc


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def normalise_database_url(url: str) -> str:
    """Accept the usual postgres:// and postgresql:// forms and use the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


class Config:
    SECRET_KEY = env_str("SECRET_KEY", INSECURE_SECRET_KEY)
    INSTANCE_PATH = env_str("INSTANCE_PATH", str(BASE_DIR / "instance"))
    SQLALCHEMY_DATABASE_URI = normalise_database_url(
        env_str("DATABASE_URL", "sqlite:///" + str(Path(INSTANCE_PATH) / "startsmart.sqlite"))
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}

    # Where links in mails and calendars point to (no request exists in the worker).
    BASE_URL = env_str("BASE_URL", "http://127.0.0.1:5000").rstrip("/")

    # Mail
    MAIL_SERVER = env_str("MAIL_SERVER")
    MAIL_PORT = env_int("MAIL_PORT", 25)
    MAIL_USE_TLS = env_bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = env_bool("MAIL_USE_SSL", False)
    MAIL_USERNAME = env_str("MAIL_USERNAME")
    MAIL_PASSWORD = env_str("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = env_str("MAIL_DEFAULT_SENDER", "Start Smart <startsmart@example.org>")
    MAIL_TIMEOUT = env_int("MAIL_TIMEOUT", 10)
    # "inline": deliver right after the request that queued the mail; "worker": only
    # `flask worker` delivers. The dev mailbox keeps mail when no MAIL_SERVER is set.
    MAIL_DELIVERY = env_str("MAIL_DELIVERY", "worker")
    MAIL_MAX_ATTEMPTS = env_int("MAIL_MAX_ATTEMPTS", 12)
    # A worker claims one message at a time for this long; a worker that dies meanwhile
    # leaves it to the next after this. Longer than one SMTP conversation can take.
    MAIL_LEASE_SECONDS = env_int("MAIL_LEASE_SECONDS", 300)
    DEV_MAILBOX = False

    # Booking rules
    PENDING_EXPIRY_HOURS = env_int("PENDING_EXPIRY_HOURS", 48)
    OFFER_HOURS_DEFAULT = env_int("OFFER_HOURS_DEFAULT", 48)
    # A calendar reminder (VALARM) this many hours before the start in every invitation; 0: none.
    INVITE_ALARM_HOURS = env_int("INVITE_ALARM_HOURS", 24)
    LOCK_TIMEOUT_SECONDS = env_int("LOCK_TIMEOUT_SECONDS", 10)
    OFFICE_NAME = env_str("OFFICE_NAME", "Koordinierungs- und Transferstelle Start Smart")
    # Intake: a confirmed expression of interest not contacted within this many days is overdue.
    INTEREST_CONTACT_DAYS = env_int("INTEREST_CONTACT_DAYS", 5)
    # DSGVO: personal data of registrations is anonymised this many months after the event
    # ended (`flask privacy anonymise`, run by cron); the privacy notice states the period.
    ANONYMISE_AFTER_MONTHS = env_int("ANONYMISE_AFTER_MONTHS", 12)
    # Expressions of interest (contact person, notes, consultation mails) are anonymised after
    # this many months in which nothing happened to them; the privacy notice states it.
    INTEREST_RETENTION_MONTHS = env_int("INTEREST_RETENTION_MONTHS", 24)
    # The worker empties the text of delivered mails (they carry personal links) this many
    # days after delivery; recipient, subject and status stay.
    MAIL_BODY_RETENTION_DAYS = env_int("MAIL_BODY_RETENTION_DAYS", 7)

    # Protection of public forms
    RATELIMIT_ENABLED = env_bool("RATELIMIT_ENABLED", True)
    RATELIMIT_STORAGE_URI = env_str("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_PUBLIC_FORMS = env_str("RATELIMIT_PUBLIC_FORMS", "60 per minute;600 per hour")
    RATELIMIT_HEADERS_ENABLED = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host are trusted;
    # without this, rate limits would count every visitor as the proxy's address.
    TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0)
    # Back office: a login lasts a working day. Repeated wrong passwords slow down further
    # attempts of that account from that client address (and, far later, of that address),
    # with a delay doubling from 1 s up to LOGIN_MAX_DELAY_SECONDS; nobody is locked out.
    PERMANENT_SESSION_LIFETIME = timedelta(hours=env_int("SESSION_LIFETIME_HOURS", 8))
    RATELIMIT_LOGIN = env_str("RATELIMIT_LOGIN", "10 per minute;50 per hour")
    LOGIN_FREE_FAILURES = env_int("LOGIN_FREE_FAILURES", 3)
    LOGIN_ADDRESS_FREE_FAILURES = env_int("LOGIN_ADDRESS_FREE_FAILURES", 30)
    LOGIN_MAX_DELAY_SECONDS = env_int("LOGIN_MAX_DELAY_SECONDS", 300)
    LOGIN_FAILURE_WINDOW_HOURS = env_int("LOGIN_FAILURE_WINDOW_HOURS", 24)
    WTF_CSRF_TIME_LIMIT = None  # a form left open over lunch must still submit
    # Largest request body under /admin/ (the login aside), in MB: room for an uploaded file
    # with its form. Public pages take 64 KiB at most (app.core.body_limit).
    BACKOFFICE_MAX_BODY_MB = env_int("BACKOFFICE_MAX_BODY_MB", 32)
    # Flask-WTF's extra check on HTTPS wants a Referer from this host, which browsers never
    # send here: Referrer-Policy is no-referrer (personal links carry a token in the path). The
    # CSRF token and the SameSite=Lax session cookie protect every form.
    WTF_CSRF_SSL_STRICT = False

    # Languages
    BABEL_DEFAULT_LOCALE = "de"
    BABEL_DEFAULT_TIMEZONE = "Europe/Berlin"
    LANGUAGES = ("de", "en")

    CATALOGUE_PAGE_SIZE = env_int("CATALOGUE_PAGE_SIZE", 20)
    # Rendered catalogue, event and API pages are reused while the programme is unchanged;
    # entries also expire after this many seconds (deadlines pass without any write).
    CATALOGUE_CACHE_SECONDS = env_int("CATALOGUE_CACHE_SECONDS", 10)
    # Largest file organisers may attach to an event as material (slides, minutes).
    MATERIALS_MAX_MB = env_int("MATERIALS_MAX_MB", 25)
    SEED_DEMO = False


class DevelopmentConfig(Config):
    DEBUG = True
    MAIL_DELIVERY = env_str("MAIL_DELIVERY", "inline")
    DEV_MAILBOX = Config.MAIL_SERVER is None


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret-key"
    SQLALCHEMY_DATABASE_URI = normalise_database_url(
        env_str("TEST_DATABASE_URL", "sqlite:///:memory:")
    )
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    MAIL_DELIVERY = "worker"
    MAIL_SERVER = "127.0.0.1"
    DEV_MAILBOX = False
    CATALOGUE_CACHE_SECONDS = 0  # tests that need the cache switch it on


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    PREFERRED_URL_SCHEME = "https"


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for(name: str | None = None) -> type[Config]:
    # Without APP_ENV the production configuration applies: forgetting it must fail closed
    # (a real SECRET_KEY demanded, no dev mailbox), never open. `make run` asks for development.
    name = name or env_str("APP_ENV", "production")
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"APP_ENV must be one of {', '.join(CONFIGS)}, got {name!r}") from None
