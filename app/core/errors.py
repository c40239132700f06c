"""Error pages in the site's design, in the user's language (JSON for the API)."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.core.database import TryAgain

# Statuses with a page of their own; every other HTTP error gets the general page.
PAGES = {400, 403, 404, 405, 410, 413, 429, 500}


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _render(status: int, template: str, error=None, headers=None):
    if _wants_json():
        message = getattr(error, "description", "") if error is not None else ""
        return {"error": status, "message": message}, status, headers or {}
    return (
        render_template(f"errors/{template}.html", error=error, status=status),
        status,
        (headers or {}),
    )


def handle_http_error(error: HTTPException):
    status = error.code or 500
    template = str(status) if status in PAGES else "generic"
    headers = {}
    if status == 405 and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
    if status == 429:
        headers["Retry-After"] = "60"
    return _render(status, template, error, headers)


def handle_csrf_error(error: CSRFError):
    return _render(400, "csrf", error)


def handle_busy(error: TryAgain):
    # The seat lock was not free in time: nothing was changed, the person may simply retry.
    return _render(503, "busy", error, {"Retry-After": "5"})


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(TryAgain, handle_busy)
    # Unexpected exceptions: Flask logs them and renders the 500 handler above (outside tests).
