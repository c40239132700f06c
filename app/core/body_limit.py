"""Refusal of request bodies larger than their path allows, before anything reads them.

A public form is a few hundred bytes, anything far larger is not a person typing; the back
office uploads event materials. Flask's own limit is one for the whole app and is checked only
when something reads the body, and CSRF protection reads it for every POST before any view
could set a tighter one. So a WSGI middleware decides by path as the request arrives: a
declared Content-Length over the limit is answered 413 at once, its body never read; a body
without one (chunked) is read through a stream that refuses to go past the limit.
"""

from __future__ import annotations

import io

from flask import Flask
from flask_babel import refresh
from werkzeug.exceptions import RequestEntityTooLarge

MAX_PUBLIC_BODY_BYTES = 64 * 1024
# The back office is everything under /admin/ but the login, which anyone may post to.
BACKOFFICE_PREFIX = "/admin/"
PUBLIC_UNDER_BACKOFFICE = frozenset({"/admin/login"})


def body_limit(path: str, backoffice_limit: int) -> int:
    """The most bytes a request to ``path`` may send."""
    if path.startswith(BACKOFFICE_PREFIX) and path not in PUBLIC_UNDER_BACKOFFICE:
        return backoffice_limit
    return MAX_PUBLIC_BODY_BYTES


class CappedInput:
    """``wsgi.input`` that hands out at most ``limit`` bytes and raises RequestEntityTooLarge
    (which Flask answers with the 413 page) when the body goes on. Reads stop one byte past
    the limit, whatever size the reader asks for."""

    def __init__(self, stream, limit: int):
        self._stream = stream
        self._left = limit

    def _counted(self, data: bytes) -> bytes:
        self._left -= len(data)
        if self._left < 0:
            raise RequestEntityTooLarge()
        return data

    def _size(self, size: int | None) -> int:
        return self._left + 1 if size is None or size < 0 else min(size, self._left + 1)

    def read(self, size: int | None = -1) -> bytes:
        return self._counted(self._stream.read(self._size(size)))

    def readline(self, size: int | None = -1) -> bytes:
        return self._counted(self._stream.readline(self._size(size)))

    def readlines(self, hint: int | None = -1) -> list[bytes]:
        return list(iter(self.readline, b""))

    def __iter__(self):
        return iter(self.readline, b"")


class BodyLimit:
    """The middleware: ``app.wsgi_app = BodyLimit(app, app.wsgi_app)``."""

    def __init__(self, app: Flask, wsgi_app):
        self.app = app
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        backoffice_limit = self.app.config["BACKOFFICE_MAX_BODY_MB"] * 1024 * 1024
        limit = body_limit(environ.get("PATH_INFO", ""), backoffice_limit)
        declared = _declared_length(environ)
        if declared is not None and declared > limit:
            return self._refuse(environ, start_response)
        environ["wsgi.input"] = CappedInput(environ["wsgi.input"], limit)
        return self.wsgi_app(environ, start_response)

    def _refuse(self, environ, start_response):
        """The friendly 413 page, in the visitor's language, with the usual headers: Flask
        renders it for a copy of the request that has no body, so nothing can read one."""
        bodiless = {**environ, "wsgi.input": io.BytesIO(), "CONTENT_LENGTH": "0"}
        with self.app.request_context(bodiless):
            refresh()  # as app.core.i18n does before every request: no cached language
            response = self.app.finalize_request(
                self.app.handle_user_exception(RequestEntityTooLarge()), from_error_handler=True
            )
            return response(bodiless, start_response)


def _declared_length(environ) -> int | None:
    try:
        return max(0, int(environ.get("CONTENT_LENGTH") or ""))
    except ValueError:
        return None


def init_app(app: Flask) -> None:
    app.wsgi_app = BodyLimit(app, app.wsgi_app)
