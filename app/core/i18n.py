"""Language choice (German first, English second) and date formatting for templates.

Every time shown to a person is in Europe/Berlin (Flask-Babel's timezone selector), whatever
the server's zone; stored times are UTC.
"""

from __future__ import annotations

from datetime import datetime

from flask import Flask, current_app, has_request_context, request, session, url_for
from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    format_percent,
    format_time,
    get_locale,
    refresh,
)

# Templates write numeric dates the German way ("dd.MM.yyyy"); on English pages "03.04.2026"
# could be read as 4 March, so they get the month spelled out instead.
ENGLISH_PATTERNS = (
    ("dd.MM.yyyy", "d MMM yyyy"),
    ("d. MMMM", "d MMMM"),
    ("d. MMM", "d MMM"),
)


def select_locale() -> str:
    """?lang= (remembered in the session), then the session, then Accept-Language; else German."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return languages[0]
    chosen = request.args.get("lang")
    if chosen in languages:
        session["lang"] = chosen
        return chosen
    if session.get("lang") in languages:
        return session["lang"]
    return _best_accepted(languages) or languages[0]


def _best_accepted(languages) -> str | None:
    # By the primary subtag, in the browser's order of preference: "de-DE, en;q=0.5" is German
    # (werkzeug's best_match would pick the exact "en" over the regional "de-DE").
    for value, quality in request.accept_languages:
        primary = value.split("-")[0].split("_")[0].lower()
        if quality > 0 and primary in languages:
            return primary
    return None


def clear_session_keeping_language() -> None:
    """A fresh session (at login and logout) that still remembers the chosen language."""
    language = session.get("lang")
    session.clear()
    if language in current_app.config["LANGUAGES"]:
        session["lang"] = language


def current_language() -> str:
    return str(get_locale() or "de")[:2]


def language_url(language: str) -> str:
    """The current page in another language (the query, filters included, is kept)."""
    if request.endpoint is None or request.method != "GET":
        return url_for("programme.index", lang=language)
    args = {**(request.view_args or {}), **request.args.to_dict(), "lang": language}
    return url_for(request.endpoint, **args)


def event_date_range(starts_at: datetime, ends_at: datetime) -> str:
    """ "Do., 12. März 2026, 10:00–16:00 Uhr" (the German way), or the English equivalent."""
    german = current_language() == "de"
    day_format = "EEE, d. MMMM yyyy" if german else "EEE, d MMMM yyyy"
    suffix = " Uhr" if german else ""
    # English readers may be elsewhere: name the zone once.
    tail = "" if german else " (Berlin time)"
    start_day = format_date(starts_at, day_format)
    if format_date(starts_at, "yyyy-MM-dd") == format_date(ends_at, "yyyy-MM-dd"):
        times = f"{format_time(starts_at, 'HH:mm')}–{format_time(ends_at, 'HH:mm')}"
        return f"{start_day}, {times}{suffix}{tail}"
    end_day = format_date(ends_at, day_format)
    return (
        f"{start_day}, {format_time(starts_at, 'HH:mm')}{suffix} – "
        f"{end_day}, {format_time(ends_at, 'HH:mm')}{suffix}{tail}"
    )


def localise_pattern(pattern: str) -> str:
    """A date pattern written for German readers, made unambiguous for the current language."""
    if current_language() == "de":
        return pattern
    for german, english in ENGLISH_PATTERNS:
        pattern = pattern.replace(german, english)
    return pattern


def format_datetime_berlin(value: datetime, fmt: str = "EEE, d. MMMM yyyy, HH:mm") -> str:
    return format_datetime(value, localise_pattern(fmt))


def format_date_berlin(value, fmt: str = "d. MMMM yyyy") -> str:
    return format_date(value, localise_pattern(fmt))


def format_number(value, digits: int | None = None) -> str:
    """1.234,5 in German, 1,234.5 in English."""
    if digits is None:
        return format_decimal(value)
    return format_decimal(value, format="#,##0." + "0" * digits if digits else "#,##0")


def format_share(value: float, digits: int = 0) -> str:
    """A share between 0 and 1 as a percentage: "42 %" in German, "42%" in English."""
    return format_percent(value, format="#,##0." + "0" * digits + "%" if digits else None)


def init_app(app: Flask) -> None:
    # Flask-Babel caches the locale on `g`; a request that runs inside an app context that is
    # already pushed (tests, CLI) would otherwise inherit the previous request's language.
    app.before_request(refresh)
    app.jinja_env.globals.update(current_language=current_language, language_url=language_url)
    app.jinja_env.filters.update(
        date_range=event_date_range,
        datetime=format_datetime_berlin,
        date=format_date_berlin,
        time=lambda value: format_time(value, "HH:mm"),
        number=format_number,
        percent=format_share,
    )
