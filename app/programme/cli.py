"""`flask events add|import|list` and `flask topics ...`: the programme from the command line."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import click
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    SEAT_HOLDING_STATUSES,
    Event,
    EventFormat,
    EventMode,
    EventStatus,
    Registration,
    Topic,
    WaitlistMode,
    utcnow,
)
from app.programme.demo import seed_demo
from app.programme.event_input import (
    BERLIN,
    InvalidEventInput,
    add_topic,
    parse_event,
    rename_topic,
    topics_by_name,
)
from app.programme.events import create_event

# Columns of the import file (documented in the README); topics are separated by ";".
CSV_COLUMNS = (
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
    "topics",
    "summary",
    "description",
    "status",
    "waitlist_mode",
)
CSV_REQUIRED = ("title", "format", "start", "end", "capacity")

events_group = AppGroup("events", help="Manage the programme of events.")
topics_group = AppGroup("topics", help="Manage the list of topics events are filed under.")


def _values(enum_class) -> click.Choice:
    return click.Choice([member.value for member in enum_class])


@events_group.command("add")
@click.option("--title", required=True)
@click.option("--format", "event_format", required=True, type=_values(EventFormat))
@click.option("--start", required=True, help="Berlin time, 'YYYY-MM-DD HH:MM'.")
@click.option("--end", required=True, help="Berlin time, 'YYYY-MM-DD HH:MM'.")
@click.option("--capacity", required=True, help="Number of seats.")
@click.option("--per-municipality", default="", help="Most seats one municipality may hold.")
@click.option("--mode", default=EventMode.IN_PERSON.value, type=_values(EventMode))
@click.option("--venue", default="")
@click.option("--address", default="")
@click.option("--online-link", default="", help="Shown to confirmed participants only.")
@click.option("--topic", "topics", multiple=True, help="A topic's name; repeat for several.")
@click.option("--summary", default="")
@click.option("--description", default="")
@click.option("--waitlist-mode", default=WaitlistMode.AUTOMATIC.value, type=_values(WaitlistMode))
@click.option("--draft", is_flag=True, help="Keep it unpublished.")
def add_command(event_format, topics, draft, waitlist_mode, **options) -> None:
    """Add one event and print its slug. It is published unless --draft is given."""
    values = dict(
        options,
        format=event_format,
        status=(EventStatus.DRAFT if draft else EventStatus.PUBLISHED).value,
        waitlist_mode=waitlist_mode,
    )
    try:
        draft_event = parse_event(values, topics, topics_by_name(db.session))
    except InvalidEventInput as exc:
        raise click.ClickException("; ".join(exc.problems)) from None
    event = create_event(db.session, None, draft_event.fields, utcnow(), draft_event.topics)
    db.session.commit()
    click.echo(event.slug)


def read_csv(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line number, fields) pairs. UTF-8 with or without BOM; ";" or "," separate."""
    try:
        content = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        message = f"{path}: not UTF-8 (byte {exc.start}); please save it as UTF-8"
        raise click.ClickException(message) from None
    header_line = content.split("\n", 1)[0]
    try:
        dialect = csv.Sniffer().sniff(header_line, delimiters=";,")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=dialect.delimiter)
    header = [name.strip().lower() for name in next(reader, [])]
    rows = []
    line = reader.line_num + 1
    for record in reader:
        if any(cell.strip() for cell in record):  # blank lines are no events
            rows.append((line, record))
        line = reader.line_num + 1
    return header, rows


def check_header(header: list[str]) -> list[str]:
    problems = []
    unknown = [name for name in header if name not in CSV_COLUMNS]
    if unknown:
        problems.append(f"unknown column(s): {', '.join(unknown)}")
    missing = [name for name in CSV_REQUIRED if name not in header]
    if missing:
        problems.append(f"missing column(s): {', '.join(missing)}")
    return problems


@events_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(file: Path) -> None:
    """Import a programme from a CSV file: every row is checked first; any error stores nothing."""
    header, rows = read_csv(file)
    problems = [f"line 1: {problem}" for problem in check_header(header)]
    if problems:
        _fail(file, problems)
    if not rows:
        raise click.ClickException(f"{file}: no events in the file")

    known = topics_by_name(db.session)
    drafts, seen = [], {}
    with click.progressbar(rows, label="Checking", file=sys.stderr) as bar:
        for line, record in bar:
            if len(record) > len(header):
                problems.append(f"line {line}: more fields than columns in the header")
                continue
            row = dict(zip(header, record, strict=False))
            try:
                draft = parse_event(row, (row.get("topics") or "").split(";"), known)
            except InvalidEventInput as exc:
                problems.extend(f"line {line}: {problem}" for problem in exc.problems)
                continue
            key = (draft.fields["title"].casefold(), draft.fields["starts_at"])
            if key in seen:
                problems.append(f"line {line}: same title and start as line {seen[key]}")
                continue
            seen[key] = line
            drafts.append(draft)
    if problems:
        _fail(file, problems)

    now = utcnow()
    with click.progressbar(drafts, label="Importing", file=sys.stderr) as bar:
        for draft in bar:
            create_event(db.session, None, draft.fields, now, draft.topics)
    db.session.commit()
    click.echo(f"Imported {len(drafts)} events from {file}.")


def _fail(file: Path, problems: list[str]) -> None:
    for problem in problems:
        click.echo(f"{file}: {problem}", err=True)
    click.echo(f"Nothing imported: {len(problems)} problem(s).", err=True)
    raise SystemExit(1)


@events_group.command("list")
@click.option("--all", "show_all", is_flag=True, help="Include past events.")
def list_command(show_all: bool) -> None:
    """List events: start (Berlin time), status, seats taken/capacity, slug and title."""
    seats = (
        select(func.count(Registration.id))
        .where(
            Registration.event_id == Event.id,
            Registration.status.in_(SEAT_HOLDING_STATUSES),
        )
        .scalar_subquery()
    )
    query = select(Event, seats).order_by(Event.starts_at, Event.id)
    if not show_all:
        query = query.where(Event.ends_at >= utcnow())
    for event, held in db.session.execute(query):
        start = event.starts_at.astimezone(BERLIN).strftime("%Y-%m-%d %H:%M")
        click.echo(
            f"{start}  {event.status.value:<9}  {held:>3}/{event.capacity:<3}  "
            f"{event.slug}  {event.title}"
        )


@topics_group.command("list")
def topics_list_command() -> None:
    """List topics: slug and name."""
    for topic in db.session.scalars(select(Topic).order_by(Topic.name)):
        click.echo(f"{topic.slug}  {topic.name}")


@topics_group.command("add")
@click.argument("name")
def topics_add_command(name: str) -> None:
    """Add a topic."""
    try:
        topic = add_topic(db.session, name)
    except InvalidEventInput as exc:
        raise click.ClickException("; ".join(exc.problems)) from None
    db.session.commit()
    click.echo(topic.slug)


@topics_group.command("rename")
@click.argument("old")
@click.argument("new")
def topics_rename_command(old: str, new: str) -> None:
    """Rename a topic; events keep it."""
    try:
        topic = rename_topic(db.session, old, new)
    except InvalidEventInput as exc:
        raise click.ClickException("; ".join(exc.problems)) from None
    db.session.commit()
    click.echo(topic.slug)


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when events exist already.")
@with_appcontext
def seed_demo_command(if_empty: bool) -> None:
    """Load the topics and about a dozen demo events (with seats taken and waiting lists)."""
    if if_empty and db.session.scalar(select(func.count(Event.id))):
        click.echo("Events exist already: no demo data loaded.")
        return
    added = seed_demo(db.session, utcnow())
    db.session.commit()
    click.echo(f"Loaded {added} demo events.")
