"""Events made on the command line (`flask events add`, `flask events import`) have their
`event.created` entry in the audit log, like those made in the back office."""

from __future__ import annotations

import json

from sqlalchemy import select

from app.models import Event


def created_entries(audit_entries) -> dict[int, dict]:
    return {entry.event_id: entry for entry in audit_entries("event.created")}


def test_events_add_writes_the_created_entry(runner, session, audit_entries):
    result = runner.invoke(
        args=[
            "events", "add", "--title", "Kick-off Süd", "--format", "kickoff",
            "--start", "2031-02-02 10:00", "--end", "2031-02-02 15:00", "--capacity", "40",
            "--venue", "Rathaus Ulm",
        ]
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    event = session.scalars(select(Event)).one()
    entry = created_entries(audit_entries)[event.id]
    assert (entry.actor, entry.user_id) == ("system", None)
    after = json.loads(entry.after)
    assert after["title"] == "Kick-off Süd" and after["capacity"] == 40


def test_events_import_writes_a_created_entry_for_each_event(
    runner, session, audit_entries, tmp_path
):
    path = tmp_path / "programm.csv"
    path.write_text(
        "title;format;start;end;capacity;venue\n"
        "Kick-off Nord;kickoff;2031-02-02 10:00;2031-02-02 15:00;80;Rathaus Kiel\n"
        "Werkstatt Ost;workshop;2031-03-03 10:00;2031-03-03 15:00;20;Rathaus Jena\n",
        encoding="utf-8",
    )

    result = runner.invoke(args=["events", "import", str(path)])

    assert result.exit_code == 0, result.output
    events = session.scalars(select(Event).order_by(Event.starts_at)).all()
    entries = created_entries(audit_entries)
    assert [json.loads(entries[event.id].after)["title"] for event in events] == [
        "Kick-off Nord",
        "Werkstatt Ost",
    ]
