"""The JSON API returns what its OpenAPI document promises, with the catalogue's filters."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from app.models import EventFormat, EventMode, EventStatus, RegistrationStatus, utcnow

DOCUMENT_URI = "urn:startsmart:openapi"


@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


@pytest.fixture
def check(document):
    """check(payload, "#/components/schemas/Event") validates a response body, $refs resolved."""
    registry = Registry().with_resource(
        DOCUMENT_URI, Resource.from_contents(document, default_specification=DRAFT202012)
    )

    def validate_against(payload, pointer: str):
        schema = {"$ref": DOCUMENT_URI + pointer}
        validator = Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())
        errors = sorted(validator.iter_errors(payload), key=str)
        assert not errors, [error.message for error in errors]

    return validate_against


def response_schema(document, path: str, status: str) -> str:
    """The pointer of the schema the document promises for path/status (following $refs)."""
    response = document["paths"][path]["get"]["responses"][status]
    if "$ref" in response:
        name = response["$ref"].rsplit("/", 1)[-1]
        response = document["components"]["responses"][name]
    return response["content"]["application/json"]["schema"]["$ref"]


def test_openapi_document_is_valid_openapi_3(document):
    validate(document)
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {"/events", "/events/{slug}"}


def test_list_matches_schema_and_hides_drafts(client, document, check, make_event):
    make_event(slug="oeffentlich", title="Kick-off Nord", topics=["Energie & Klima"])
    make_event(slug="entwurf", title="Geheimer Entwurf", status=EventStatus.DRAFT)
    make_event(slug="abgesagt", status=EventStatus.CANCELLED)

    response = client.get("/api/v1/events")

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body = response.get_json()
    check(body, response_schema(document, "/events", "200"))
    slugs = [item["slug"] for item in body["items"]]
    assert "entwurf" not in slugs
    assert sorted(slugs) == ["abgesagt", "oeffentlich"]
    assert body["total"] == 2 and body["pages"] == 1
    first = next(item for item in body["items"] if item["slug"] == "oeffentlich")
    assert first["topics"] == [{"slug": "energie-&-klima", "name": "Energie & Klima"}]
    assert first["url"] == "http://startsmart.test/events/oeffentlich"


def test_draft_detail_is_404_json(client, document, check, make_event):
    make_event(slug="entwurf", status=EventStatus.DRAFT)

    response = client.get("/api/v1/events/entwurf")

    assert response.status_code == 404
    assert response.mimetype == "application/json"
    check(response.get_json(), response_schema(document, "/events/{slug}", "404"))
    assert response.get_json()["error"] == 404


def test_detail_times_are_iso_with_berlin_offset(client, document, check, make_event):
    # 10:00 UTC in January is 11:00 in Berlin (+01:00), in July 12:00 (+02:00).
    year = utcnow().year + 1
    make_event(
        slug="winter",
        starts_at=datetime(year, 1, 15, 10, 0, tzinfo=utcnow().tzinfo),
        ends_at=datetime(year, 1, 15, 14, 0, tzinfo=utcnow().tzinfo),
    )
    make_event(
        slug="sommer",
        starts_at=datetime(year, 7, 15, 10, 0, tzinfo=utcnow().tzinfo),
        ends_at=datetime(year, 7, 15, 14, 0, tzinfo=utcnow().tzinfo),
    )

    winter = client.get("/api/v1/events/winter")
    summer = client.get("/api/v1/events/sommer").get_json()

    assert winter.status_code == 200
    check(winter.get_json(), response_schema(document, "/events/{slug}", "200"))
    assert winter.get_json()["starts_at"] == f"{year}-01-15T11:00:00+01:00"
    assert summer["starts_at"] == f"{year}-07-15T12:00:00+02:00"
    assert summer["ends_at"] == f"{year}-07-15T16:00:00+02:00"
    # No explicit deadline: registration closes when the event starts.
    assert summer["registration_closes_at"] == summer["starts_at"]
    assert summer["registration_opens_at"] is None


def test_seats_left_and_waitlist_only_follow_registrations(
    client, document, check, make_event, make_registration
):
    event = make_event(slug="fast-voll", capacity=2)
    make_registration(event, RegistrationStatus.CONFIRMED)
    make_registration(event, RegistrationStatus.PENDING)  # holds no seat

    body = client.get("/api/v1/events/fast-voll").get_json()
    assert (body["seats_left"], body["waitlist_only"]) == (1, False)

    make_registration(event, RegistrationStatus.OFFERED)  # an offered seat is held
    body = client.get("/api/v1/events/fast-voll").get_json()
    check(body, response_schema(document, "/events/{slug}", "200"))
    assert (body["seats_left"], body["waitlist_only"]) == (0, True)
    listed = client.get("/api/v1/events").get_json()["items"][0]
    assert (listed["seats_left"], listed["waitlist_only"]) == (0, True)


def test_filters_narrow_the_list(client, document, check, make_event):
    now = utcnow()
    in_two_months = now + timedelta(days=62)
    make_event(
        slug="kickoff-online",
        title="Kick-off Digitalstrategie",
        format=EventFormat.KICKOFF,
        mode=EventMode.ONLINE,
        topics=["Strategie"],
    )
    make_event(
        slug="werkstatt-mobil",
        title="Werkstatt Radverkehr",
        mode=EventMode.HYBRID,
        topics=["Mobilität"],
        starts_at=in_two_months,
        ends_at=in_two_months + timedelta(hours=2),
    )
    make_event(slug="peer", format=EventFormat.PEER_LEARNING, topics=["Strategie"])
    month = in_two_months.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Berlin"))

    def slugs(query: str) -> list[str]:
        response = client.get("/api/v1/events?" + query)
        assert response.status_code == 200, response.get_json()
        check(response.get_json(), response_schema(document, "/events", "200"))
        return sorted(item["slug"] for item in response.get_json()["items"])

    assert slugs("format=kickoff") == ["kickoff-online"]
    assert slugs("mode=hybrid") == ["werkstatt-mobil"]
    assert slugs("topic=strategie") == ["kickoff-online", "peer"]
    assert slugs("q=radverkehr") == ["werkstatt-mobil"]
    assert slugs(f"month={month:%Y-%m}") == ["werkstatt-mobil"]
    assert slugs("format=peer_learning&topic=strategie") == ["peer"]
    assert slugs("q=nichts-passt") == []


def test_past_lists_the_archive_newest_first(client, document, check, make_event):
    now = utcnow()
    make_event(slug="kommend")
    for slug, days in (("lang-her", 60), ("neulich", 5)):
        make_event(
            slug=slug,
            starts_at=now - timedelta(days=days),
            ends_at=now - timedelta(days=days) + timedelta(hours=2),
        )

    body = client.get("/api/v1/events?past=1").get_json()

    check(body, response_schema(document, "/events", "200"))
    assert [item["slug"] for item in body["items"]] == ["neulich", "lang-her"]
    assert [item["slug"] for item in client.get("/api/v1/events").get_json()["items"]] == [
        "kommend"
    ]


def test_pagination(client, document, check, make_event):
    for number in range(5):
        make_event(
            slug=f"e{number}",
            starts_at=utcnow() + timedelta(days=10 + number),
            ends_at=utcnow() + timedelta(days=10 + number, hours=1),
        )

    first = client.get("/api/v1/events?per_page=2").get_json()
    last = client.get("/api/v1/events?per_page=2&page=3").get_json()

    check(last, response_schema(document, "/events", "200"))
    assert (first["total"], first["pages"], first["per_page"]) == (5, 3, 2)
    assert [item["slug"] for item in first["items"]] == ["e0", "e1"]
    assert [item["slug"] for item in last["items"]] == ["e4"]


@pytest.mark.parametrize(
    "query",
    [
        "page=zwei",
        "page=0",
        "per_page=0",
        "per_page=101",
        "format=webinar",
        "mode=teleport",
        "month=2026-13",
        "past=ja",
    ],
)
def test_invalid_parameters_are_400_json(client, document, check, query):
    response = client.get("/api/v1/events?" + query)

    assert response.status_code == 400
    assert response.mimetype == "application/json"
    body = response.get_json()
    check(body, response_schema(document, "/events", "400"))
    assert body["error"] == 400 and body["message"]


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/v1/nichts")
    assert response.status_code == 404
    assert response.get_json()["error"] == 404
