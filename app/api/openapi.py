"""The OpenAPI 3 description of the JSON API; tests validate real responses against it."""

from __future__ import annotations

from flask import current_app

from app.models import EventFormat, EventMode, EventStatus

DATE_TIME = {"type": "string", "format": "date-time"}
NULLABLE_DATE_TIME = {"type": ["string", "null"], "format": "date-time"}
# Text in a path or query string: the input filter (app.core.security) answers 400 to control
# characters other than tab and line breaks; tests keep this pattern and the filter in step.
TEXT = {"type": "string", "pattern": r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"}
# The months the catalogue knows (app.programme.catalogue), as YYYY-MM.
MONTH_PATTERN = r"^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])$"
MAX_PAGE = 10**6
MAX_PER_PAGE = 100

FILTER_PARAMETERS = [
    {
        "name": "format",
        "in": "query",
        "schema": {"type": "string", "enum": [value.value for value in EventFormat]},
        "description": "kickoff, workshop (Themenwerkstatt) or peer_learning",
    },
    {"name": "topic", "in": "query", "schema": TEXT, "description": "slug of a topic"},
    {
        "name": "mode",
        "in": "query",
        "schema": {"type": "string", "enum": [value.value for value in EventMode]},
    },
    {
        "name": "month",
        "in": "query",
        "schema": {"type": "string", "pattern": MONTH_PATTERN},
        "description": "YYYY-MM, in Berlin time (2000-01 to 2100-12)",
    },
    {"name": "q", "in": "query", "schema": TEXT, "description": "free text"},
    {
        "name": "past",
        "in": "query",
        "schema": {"type": "string", "enum": ["0", "1"]},
        "description": "1 lists past events (the archive), newest first",
    },
    {
        "name": "page",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
    },
    {
        "name": "per_page",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
    },
]

EVENT_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "slug",
        "title",
        "format",
        "summary",
        "description",
        "topics",
        "starts_at",
        "ends_at",
        "mode",
        "venue",
        "address",
        "status",
        "capacity",
        "seats_left",
        "waitlist_only",
        "max_per_municipality",
        "registration_opens_at",
        "registration_closes_at",
        "registration_open",
        "url",
        "register_url",
    ],
    "properties": {
        "slug": {"type": "string"},
        "title": {"type": "string"},
        "format": {"type": "string", "enum": [value.value for value in EventFormat]},
        "summary": {"type": "string"},
        "description": {"type": "string"},
        "topics": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["slug", "name"],
                "properties": {"slug": {"type": "string"}, "name": {"type": "string"}},
            },
        },
        "starts_at": DATE_TIME,
        "ends_at": DATE_TIME,
        "mode": {"type": "string", "enum": [value.value for value in EventMode]},
        "venue": {"type": "string"},
        "address": {"type": "string"},
        "status": {
            "type": "string",
            "enum": [EventStatus.PUBLISHED.value, EventStatus.CANCELLED.value],
        },
        "capacity": {"type": "integer", "minimum": 0},
        "seats_left": {"type": "integer", "minimum": 0},
        "waitlist_only": {"type": "boolean"},
        "max_per_municipality": {"type": ["integer", "null"], "minimum": 1},
        "registration_opens_at": NULLABLE_DATE_TIME,
        "registration_closes_at": DATE_TIME,
        "registration_open": {"type": "boolean"},
        "url": {"type": "string", "format": "uri"},
        "register_url": {"type": "string", "format": "uri"},
    },
}

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {"error": {"type": "integer"}, "message": {"type": "string"}},
}

EVENT_LIST_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["items", "page", "per_page", "total", "pages"],
    "properties": {
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}},
        "page": {"type": "integer", "minimum": 1},
        "per_page": {"type": "integer", "minimum": 1},
        "total": {"type": "integer", "minimum": 0},
        "pages": {"type": "integer", "minimum": 1},
    },
}
ERROR_RESPONSE = {"$ref": "#/components/responses/Error"}


def openapi_document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Start Smart: Veranstaltungen",
            "version": "1.0.0",
            "description": "Published kick-offs, thematic workshops and peer-learnings. "
            "Times are ISO 8601 with the offset of Europe/Berlin.",
        },
        "servers": [{"url": current_app.config["BASE_URL"] + "/api/v1"}],
        "paths": {"/events": _list_events(), "/events/{slug}": _get_event()},
        "components": _components(),
    }


def _json_response(description: str, schema: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


def _list_events() -> dict:
    return {
        "get": {
            "summary": "List events (upcoming, or past with past=1)",
            "operationId": "listEvents",
            "parameters": FILTER_PARAMETERS,
            "responses": {
                "200": _json_response("A page of events", "EventList"),
                "400": ERROR_RESPONSE,
            },
        }
    }


def _get_event() -> dict:
    return {
        "get": {
            "summary": "One event",
            "operationId": "getEvent",
            "parameters": [{"name": "slug", "in": "path", "required": True, "schema": TEXT}],
            "responses": {
                "200": _json_response("The event", "Event"),
                "400": ERROR_RESPONSE,
                "404": ERROR_RESPONSE,
            },
        }
    }


def _components() -> dict:
    return {
        "schemas": {"Event": EVENT_SCHEMA, "EventList": EVENT_LIST_SCHEMA, "Error": ERROR_SCHEMA},
        "responses": {"Error": _json_response("An error", "Error")},
    }
