"""Rendered catalogue pages and API answers, reused until the programme or a seat count changes.

Rendering twenty event cards (Jinja, Babel date formatting) costs far more than serving them;
most visitors see the same few pages. Each worker process keeps the rendered bodies keyed by
the page, its query arguments, the language and a *version* of the programme read with one
cheap aggregate query (on a connection of its own, see VersionReader). The booking code bumps
``Event.updated_at`` on every seat change, so a registration, cancellation or promotion
changes the version and the next request renders anew: seats left are never stale. Time alone
also changes pages (an event moves to the archive, registration closes), so entries also
expire after ``CATALOGUE_CACHE_SECONDS`` (default 10; 0 switches the cache off, as in tests).

Only anonymous, message-free requests are served from or stored in the cache: a page that
shows a flash message, anything of a logged-in user or a CSRF token belongs to one visitor.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import Response, current_app, g, make_response, request, session
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.core.i18n import current_language
from app.core.lru import LRUCache
from app.extensions import db

DEFAULT_SECONDS = 10
MAX_ENTRIES = 512
# Session keys that do not change what a public page shows to its visitor.
NEUTRAL_SESSION_KEYS = frozenset({"lang", "csrf_token", "_permanent"})


# Plain SQL, run on every cached request: it must cost next to nothing to build and run.
_VERSION_SQL = (
    "SELECT count(id), max(updated_at), sum({stamp}), (SELECT count(id) FROM topics) FROM events"
)
_STAMP = {
    "postgresql": "extract(epoch FROM updated_at)",
    # SQLite keeps the text of the time; julianday() reads it to the microsecond.
    "sqlite": "julianday(updated_at)",
}


def catalogue_version(session: Session) -> tuple:
    """Changes whenever an event is added, removed or changed (seat counts included).

    The sum of all change times, not only the latest: two bookings on different events may
    commit out of order, the later commit carrying the earlier time, which a maximum would miss.
    """
    connection = session.connection()
    sql = _VERSION_SQL.format(stamp=_STAMP[connection.dialect.name])
    return tuple(connection.exec_driver_sql(sql).one())


class VersionReader:
    """Reads catalogue_version() on a connection of its own, outside any transaction.

    Every cached request asks for the version, so it is worth sparing the pool checkout, the
    ping, BEGIN and ROLLBACK around it: one round trip instead of four on PostgreSQL. Each
    worker process opens its own connection on first use (never shared across a fork) and
    opens a new one after an error.
    """

    def __init__(self, engine: Engine):
        self.engine = engine
        self.sql = _VERSION_SQL.format(stamp=_STAMP[engine.dialect.name])
        self._connection = None
        self._pid = None
        self._lock = threading.Lock()

    def read(self) -> tuple:
        with self._lock:
            try:
                return self._query()
            except self.engine.dialect.loaded_dbapi.Error:
                # The server may have closed an idle connection: one more try on a new one.
                self._close()
                return self._query()

    def _query(self) -> tuple:
        cursor = self._connect().cursor()
        try:
            cursor.execute(self.sql)
            return tuple(cursor.fetchone())
        finally:
            cursor.close()

    def _connect(self):
        if self._connection is None or self._pid != os.getpid():
            pooled = self.engine.raw_connection()
            connection = pooled.dbapi_connection
            pooled.detach()  # ours alone from now on: the pool forgets it
            if self.engine.dialect.name == "postgresql":
                connection.rollback()  # the pool's ping may have begun a transaction
                connection.autocommit = True
            # (SQLite connections run without an implicit transaction already: app.core.database.)
            self._connection, self._pid = connection, os.getpid()
        return self._connection

    def _close(self) -> None:
        if self._connection is not None and self._pid == os.getpid():
            with contextlib.suppress(Exception):
                self._connection.close()
        self._connection = None


def version_reader() -> VersionReader:
    reader = current_app.extensions.get("catalogue_version_reader")
    if reader is None:
        reader = current_app.extensions["catalogue_version_reader"] = VersionReader(db.engine)
    return reader


@dataclass(frozen=True)
class _Entry:
    expires: float
    body: bytes
    mimetype: str


class PageCache(LRUCache[_Entry]):
    """The rendered bodies of one app and worker process; an entry past its time is dropped."""

    def __init__(self, max_entries: int = MAX_ENTRIES):
        super().__init__(size=max_entries)

    def get(self, key: tuple) -> _Entry | None:
        return super().get(key, fresh=lambda entry: entry.expires > time.monotonic())


def page_cache() -> PageCache:
    cache = current_app.extensions.get("catalogue_page_cache")
    if cache is None:
        cache = current_app.extensions["catalogue_page_cache"] = PageCache()
    return cache


def _seconds() -> int:
    return current_app.config.get("CATALOGUE_CACHE_SECONDS", DEFAULT_SECONDS)


def _anonymous_visit() -> bool:
    return request.method == "GET" and set(session.keys()) <= NEUTRAL_SESSION_KEYS


def cached(name: str, build: Callable[[], object]) -> Response:
    """The response ``build()`` makes, or the body it made before for the same page and version.

    ``name`` tells the pages apart; the path, the query arguments and the language are part of
    the key as well. Only answers with status 200 are kept.
    """
    seconds = _seconds()
    if seconds <= 0 or not _anonymous_visit():
        return make_response(build())
    key = (
        name,
        request.path,
        tuple(sorted(request.args.items(multi=True))),
        current_language(),
        version_reader().read(),
    )
    cache = page_cache()
    entry = cache.get(key)
    if entry is not None:
        return Response(entry.body, mimetype=entry.mimetype)
    response = make_response(build())
    personal = "csrf_token" in g or not _anonymous_visit()
    if response.status_code == 200 and not response.direct_passthrough and not personal:
        cache.put(
            key,
            _Entry(time.monotonic() + seconds, response.get_data(), response.mimetype),
        )
    return response
