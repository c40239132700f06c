"""Protection of every response and request: security headers, refusal of malformed input,
and the characters a one-line field may not hold.

The Content-Security-Policy allows nothing inline and nothing from other hosts: every script,
style and font is served from static/ (privacy law forbids loading assets from third parties).
"""

from __future__ import annotations

import re
import unicodedata

from flask import Flask, abort, current_app, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)

# Control characters (tab, newline and carriage return aside) are never typed by a person.
# PostgreSQL refuses NUL in text outright, so letting one through would end in a 500.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def public_form_limit() -> str:
    """Flask-Limiter's limit for public form submissions, read when a request comes."""
    return current_app.config["RATELIMIT_PUBLIC_FORMS"]


def contains_control_characters(value: str) -> bool:
    return bool(_CONTROL_CHARACTERS.search(value))


# Where a line ends for someone: mail headers and HTTP at CR and LF (RFC 5322, 2.2), Python's
# str.splitlines and the email package also at VT, FF, FS, GS, RS, NEL (U+0085) and the
# Unicode line and paragraph separators (U+2028, U+2029), JavaScript at U+2028/U+2029.
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
LINE_BREAK = "line break"
CONTROL_CHARACTER = "control character"
# Zero-width (non-)joiners are format characters that people do type: they join emoji such as
# the woman technologist and shape letters in Persian or Indic scripts. They reorder nothing.
_JOINERS = frozenset("\u200c\u200d")


def single_line_problem(value: str) -> str | None:
    """Why ``value`` cannot be a one-line field (a name, a title, a subject), or None.

    LINE_BREAK for any line break; CONTROL_CHARACTER for a tab or another control character
    (Unicode category Cc) or an invisible format character (Cf, joiners aside: bidirectional
    overrides that make text read otherwise than it is stored, zero-width spaces). Both are
    never meant in one line, and a line break is how text typed into one field becomes a
    header of a mail (header injection) or a forged line in a log.
    """
    if any(char in LINE_BREAKS for char in value):
        return LINE_BREAK
    if any(unicodedata.category(char) in ("Cc", "Cf") and char not in _JOINERS for char in value):
        return CONTROL_CHARACTER
    return None


def _refuse_malformed_input() -> None:
    # Bodies too large for their path never get here: app.core.body_limit refuses them.
    texts = [request.path]
    texts.extend(value for _key, value in request.args.items(multi=True))
    texts.extend(request.args.keys())
    if request.method == "POST" and request.mimetype in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        texts.extend(value for _key, value in request.form.items(multi=True))
    if any(contains_control_characters(text) for text in texts):
        abort(400, description="control-characters")


def init_app(app: Flask) -> None:
    app.before_request(_refuse_malformed_input)

    @app.after_request
    def _security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        # Personal links carry a secret token in the path: never leak it to another site.
        headers.setdefault("Referrer-Policy", "no-referrer")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config.get("SESSION_COOKIE_SECURE"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response
