"""The personal links in mails and pages, as the person finds them: only their hashes are
stored, so a test that acts as the person reads the token from what was sent."""

from __future__ import annotations

import re

PATTERNS = {
    "registration": r"/r/([A-Za-z0-9_-]{20,64})",
    "interest": r"/interessensbekundung/([A-Za-z0-9_-]{20,64})",
    "feed": r"/feeds/(?:personal|organisers)/([A-Za-z0-9_-]{20,64})\.ics",
}


def tokens_in(text: str, kind: str = "registration") -> list[str]:
    return re.findall(PATTERNS[kind], text or "")


def token_in(text: str, kind: str = "registration") -> str:
    """The one personal token of ``kind`` in ``text`` (a mail body, a page)."""
    found = set(tokens_in(text, kind))
    assert len(found) == 1, f"expected one {kind} link, found {sorted(found)}"
    return found.pop()
