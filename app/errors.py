"""Error pages in the site's design, in the user's language."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError

from app.booking.errors import TryAgain


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def init_app(app: Flask) -> None:
    def page(status: int, template: str):
        def handler(error):
            if _wants_json():
                return {"error": status, "message": getattr(error, "description", "")}, status
            return render_template(f"errors/{template}.html", error=error), status

        return handler

    for status in (400, 403, 404, 405, 410, 429, 500):
        app.register_error_handler(status, page(status, str(status)))
    app.register_error_handler(CSRFError, page(400, "csrf"))
    app.register_error_handler(TryAgain, page(503, "busy"))
