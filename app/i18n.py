"""Language choice (German first, English second) and date formatting for templates."""

from __future__ import annotations

from datetime import datetime

from flask import Flask, current_app, request, session
from flask_babel import format_date, format_datetime, format_time, get_locale


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    chosen = request.args.get("lang")
    if chosen in languages:
        session["lang"] = chosen
        return chosen
    if session.get("lang") in languages:
        return session["lang"]
    return request.accept_languages.best_match(languages) or languages[0]


def current_language() -> str:
    return str(get_locale() or "de")[:2]


def event_date_range(starts_at: datetime, ends_at: datetime) -> str:
    """ "Do., 12. März 2026, 10:00–16:00 Uhr" (the German way), or the English equivalent."""
    same_day = format_date(starts_at, "yyyy-MM-dd") == format_date(ends_at, "yyyy-MM-dd")
    day = format_date(starts_at, "EEE, d. MMMM yyyy" if current_language() == "de" else "full")
    if current_language() == "en":
        day = format_date(starts_at, "EEE, d MMMM yyyy")
    if same_day:
        times = f"{format_time(starts_at, 'HH:mm')}–{format_time(ends_at, 'HH:mm')}"
        return f"{day}, {times} {'Uhr' if current_language() == 'de' else '(Berlin time)'}"
    end = format_datetime(ends_at, "EEE, d. MMMM yyyy, HH:mm")
    return f"{day}, {format_time(starts_at, 'HH:mm')} – {end}"


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(current_language=current_language)
    app.jinja_env.filters.update(
        date_range=event_date_range,
        datetime=lambda value, fmt="EEE, d. MMMM yyyy, HH:mm": format_datetime(value, fmt),
        date=lambda value, fmt="d. MMMM yyyy": format_date(value, fmt),
        time=lambda value: format_time(value, "HH:mm"),
    )
