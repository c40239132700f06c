"""Turning an organiser's input (command-line options, CSV rows, topic names) into checked
values for new events and topics; ``app.programme.events`` stores the events.

Everything arrives as text; ``parse_event`` checks it all at once and reports every problem,
so that an import can refuse a whole file before anything is stored.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.security import LINE_BREAK, single_line_problem
from app.models import EventFormat, EventMode, EventStatus, Topic, WaitlistMode

BERLIN = ZoneInfo("Europe/Berlin")
LOCAL_TIME_FORMAT = "%Y-%m-%d %H:%M"
SLUG_MAX_LENGTH = 100
TOPIC_MAX_LENGTH = 80  # Topic.name and Topic.slug
MAX_SEATS = 10_000
# Column sizes of app.models.Event: longer text is refused, not silently cut.
MAX_LENGTHS = {"title": 200, "summary": 500, "venue": 200, "address": 300, "online_url": 500}
# Every value but the description is one line: a title goes into mail subjects, where a line
# break would start a header of its own.
ONE_LINE_KEYS = (
    "title",
    "format",
    "start",
    "end",
    "capacity",
    "per_municipality",
    "mode",
    "venue",
    "address",
    "online_link",
    "summary",
    "status",
    "waitlist_mode",
)
_UMLAUTS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
)


class InvalidEventInput(ValueError):
    """The input cannot become an event; ``problems`` lists every reason, one line each."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


class TopicTaken(InvalidEventInput):
    """A topic name that an existing topic has already, or whose slug it has: "Energie Klima"
    beside "Energie & Klima" would give two topics one filter address."""

    def __init__(self, name: str, existing: Topic):
        if name.casefold() == existing.name.casefold():
            problem = f"topic {existing.name!r} exists already"
        else:
            problem = f"{name!r} has the same slug ({existing.slug}) as topic {existing.name!r}"
        super().__init__([problem])
        self.name = name
        self.existing = existing


@dataclass
class EventDraft:
    """A checked event that is not stored yet."""

    fields: dict
    topics: list[Topic] = field(default_factory=list)


def slugify(text: str) -> str:
    """ "Themenwerkstatt Mobilität in Göttingen" -> "themenwerkstatt-mobilitaet-in-goettingen"."""
    text = unicodedata.normalize("NFKC", text).translate(_UMLAUTS)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:SLUG_MAX_LENGTH].rstrip("-") or "veranstaltung"


def parse_local_time(text: str) -> datetime:
    """'YYYY-MM-DD HH:MM' in Berlin time -> aware UTC. Refuses times the clock skips in March."""
    try:
        naive = datetime.strptime(text.strip(), LOCAL_TIME_FORMAT)
    except ValueError:
        raise ValueError(f"{text!r} is not a time like 2027-03-18 10:00") from None
    local = naive.replace(tzinfo=BERLIN)
    as_utc = local.astimezone(UTC)
    if as_utc.astimezone(BERLIN).replace(tzinfo=None) != naive:
        raise ValueError(f"{text!r} does not exist in Berlin (clocks go forward at 02:00)")
    return as_utc


def topics_by_name(session: Session) -> dict[str, Topic]:
    return {topic.name.casefold(): topic for topic in session.scalars(select(Topic))}


def _choice(enum_class, value: str, name: str, problems: list[str], default=None):
    value = (value or "").strip()
    if not value and default is not None:
        return default
    try:
        return enum_class(value)
    except ValueError:
        allowed = "|".join(member.value for member in enum_class)
        problems.append(f"{name} must be one of {allowed}, got {value!r}")
        return default


def _whole_number(value: str, name: str, problems: list[str], required: bool) -> int | None:
    value = (value or "").strip()
    if not value:
        if required:
            problems.append(f"{name} is required")
        return None
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= MAX_SEATS:
        problems.append(f"{name} must be a whole number from 1 to {MAX_SEATS}, got {value!r}")
        return None
    return int(value)


def _text(values: Mapping[str, str | None], key: str) -> str:
    return (values.get(key) or "").strip()


def one_line_problem(name: str, value: str) -> str | None:
    """``title must be a single line`` and the like, or None (ends are stripped first)."""
    problem = single_line_problem(value.strip())
    if problem == LINE_BREAK:
        return f"{name} must be a single line"
    if problem is not None:
        return f"{name} contains a tab or another control character"
    return None


def _one_line_values(values, problems: list[str]) -> None:
    for key in ONE_LINE_KEYS:
        problem = one_line_problem(key, values.get(key) or "")
        if problem:
            problems.append(problem)


def _title_and_format(values, problems: list[str]) -> dict:
    title = _text(values, "title")
    if not title:
        problems.append("title is required")
    event_format = None
    if _text(values, "format"):
        event_format = _choice(EventFormat, _text(values, "format"), "format", problems)
    else:
        problems.append("format is required")
    return {"title": title, "format": event_format}


def _times(values, problems: list[str]) -> dict:
    moments = {}
    for key in ("start", "end"):
        if not _text(values, key):
            problems.append(f"{key} is required")
            continue
        try:
            moments[key] = parse_local_time(_text(values, key))
        except ValueError as exc:
            problems.append(f"{key}: {exc}")
    starts_at, ends_at = moments.get("start"), moments.get("end")
    if starts_at and ends_at and ends_at <= starts_at:
        problems.append("end must be after start")
    return {"starts_at": starts_at, "ends_at": ends_at}


def _seats(values, problems: list[str]) -> dict:
    capacity = _whole_number(_text(values, "capacity"), "capacity", problems, required=True)
    per_municipality = _whole_number(
        _text(values, "per_municipality"), "per_municipality", problems, required=False
    )
    if capacity and per_municipality and per_municipality > capacity:
        problems.append("per_municipality cannot be larger than capacity")
    return {"capacity": capacity, "max_per_municipality": per_municipality}


def _modes(values, problems: list[str]) -> dict:
    """How it takes place, whether it is published, and how its waiting list works."""
    mode = _choice(EventMode, _text(values, "mode"), "mode", problems, default=EventMode.IN_PERSON)
    status = _choice(
        EventStatus, _text(values, "status"), "status", problems, EventStatus.PUBLISHED
    )
    if status == EventStatus.CANCELLED:
        problems.append("status must be draft or published for a new event")
    waitlist_mode = _choice(
        WaitlistMode,
        _text(values, "waitlist_mode"),
        "waitlist_mode",
        problems,
        WaitlistMode.AUTOMATIC,
    )
    return {"mode": mode, "status": status, "waitlist_mode": waitlist_mode}


def _place(values, mode: EventMode, problems: list[str]) -> dict:
    """Venue, address and online link, as far as the mode needs them."""
    online_url = _text(values, "online_link")
    if online_url and not re.match(r"^https?://\S+$", online_url):
        problems.append(f"online_link must start with https://, got {online_url!r}")
    if mode in (EventMode.ONLINE, EventMode.HYBRID) and not online_url:
        problems.append(f"online_link is required for mode {mode.value}")
    venue, address = _text(values, "venue"), _text(values, "address")
    if mode in (EventMode.IN_PERSON, EventMode.HYBRID) and not (venue or address):
        problems.append(f"venue or address is required for mode {mode.value}")
    return {"venue": venue, "address": address, "online_url": online_url}


def _check_lengths(fields: dict, problems: list[str]) -> None:
    for key, limit in MAX_LENGTHS.items():
        if len(fields[key]) > limit:
            name = "online_link" if key == "online_url" else key
            problems.append(f"{name} is longer than {limit} characters")


def _known_topics(
    topic_names: Iterable[str], known_topics: dict[str, Topic], problems: list[str]
) -> list[Topic]:
    topics: list[Topic] = []
    for name in topic_names:
        name = name.strip()
        if not name:
            continue
        topic = known_topics.get(name.casefold())
        if topic is None:
            problems.append(f"unknown topic {name!r} (add it first: flask topics add {name!r})")
        elif topic not in topics:
            topics.append(topic)
    return topics


def parse_event(
    values: Mapping[str, str | None],
    topic_names: Iterable[str],
    known_topics: dict[str, Topic],
) -> EventDraft:
    """Check organiser input given as text; raise InvalidEventInput with every problem found.

    Keys of ``values``: title, format, start, end, capacity, per_municipality, mode, venue,
    address, online_link, summary, description, status, waitlist_mode. Problems are listed in
    that order of fields, topics last; a line break or control character in any value but
    the description comes first.
    """
    problems: list[str] = []
    _one_line_values(values, problems)
    fields = _title_and_format(values, problems)
    fields.update(_times(values, problems))
    fields.update(_seats(values, problems))
    fields.update(_modes(values, problems))
    fields.update(_place(values, fields["mode"], problems))
    fields["summary"] = _text(values, "summary")
    _check_lengths(fields, problems)
    topics = _known_topics(topic_names, known_topics, problems)
    if problems:
        raise InvalidEventInput(problems)
    fields["description"] = _text(values, "description")
    return EventDraft(fields=fields, topics=topics)


def topic_slug(name: str) -> str:
    """The slug of a topic's name, within the column's length."""
    return slugify(name)[:TOPIC_MAX_LENGTH].rstrip("-")


def _check_topic_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > TOPIC_MAX_LENGTH:
        raise InvalidEventInput([f"a topic name has 1 to {TOPIC_MAX_LENGTH} characters"])
    problem = one_line_problem("a topic name", name)
    if problem:
        raise InvalidEventInput([problem])
    return name


def _topic_taken(session: Session, name: str, other_than: Topic | None = None) -> Topic | None:
    """The topic that has ``name`` (in any case) or its slug already, if any."""
    statement = select(Topic).where(
        (func.lower(Topic.name) == name.lower()) | (Topic.slug == topic_slug(name))
    )
    if other_than is not None:
        statement = statement.where(Topic.id != other_than.id)
    return session.scalars(statement).first()


def resolve_topics(session: Session, topic_ids: Iterable[int], new_names: str) -> list[Topic]:
    """The topics an organiser ticked, then those named in ``new_names`` (comma-separated).

    A name a topic has already (in any case) is that topic; a name no topic has yet becomes a
    new topic (added to the session; the caller commits), unless its slug is another topic's:
    that raises TopicTaken.
    """
    chosen = [session.get(Topic, topic_id) for topic_id in topic_ids]
    topics = [topic for topic in chosen if topic is not None]
    for name in new_names.split(","):
        name = name.strip()
        if not name:
            continue
        topic = _topic_taken(session, _check_topic_name(name))
        if topic is None:
            topic = Topic(name=name, slug=topic_slug(name))
            session.add(topic)
        elif topic.name.casefold() != name.casefold():
            raise TopicTaken(name, topic)
        if topic not in topics:
            topics.append(topic)
    return topics


def add_topic(session: Session, name: str) -> Topic:
    """Add a topic (the caller commits); a name or slug that exists already is refused."""
    name = _check_topic_name(name)
    clash = _topic_taken(session, name)
    if clash is not None:
        raise TopicTaken(name, clash)
    topic = Topic(name=name, slug=topic_slug(name))
    session.add(topic)
    return topic


def rename_topic(session: Session, old: str, new: str) -> Topic:
    """Rename a topic; its slug follows the new name, so filter links use the new word."""
    topic = topics_by_name(session).get(old.strip().casefold())
    if topic is None:
        raise InvalidEventInput([f"no topic named {old!r}"])
    new = _check_topic_name(new)
    clash = _topic_taken(session, new, other_than=topic)
    if clash is not None:
        raise TopicTaken(new, clash)
    topic.name, topic.slug = new, topic_slug(new)
    return topic
