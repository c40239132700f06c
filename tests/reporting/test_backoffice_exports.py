"""Participant exports: German headers, Excel-friendly CSV, XLSX, no formula injection."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from openpyxl import load_workbook

from app.models import EventFormat, RegistrationStatus, utcnow
from app.reporting.exports import HEADERS, neutralise

S = RegistrationStatus


def test_cells_a_spreadsheet_would_run_are_neutralised():
    for dangerous in ("=1+1", "+49 30 123", "-2", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(dangerous) == "'" + dangerous
    assert neutralise("Müller") == "Müller"
    assert neutralise(None) == ""


def test_event_csv_opens_in_german_excel(orga_client, make_event, make_registration):
    event = make_event()
    make_registration(event, S.CONFIRMED, last_name='=HYPERLINK("http://x")', first_name="Jörg")
    make_registration(event, S.WAITLISTED, last_name="Wartend")
    response = orga_client.get(f"/admin/events/{event.id}/export.csv")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == list(HEADERS)
    assert rows[0][:3] == ["Veranstaltung", "Datum", "Format"]
    assert len(rows) == 2  # confirmed only by default
    assert rows[1][HEADERS.index("Nachname")].startswith("'=")
    assert rows[1][HEADERS.index("Vorname")] == "Jörg"


def test_event_xlsx_has_headers_and_no_formulas(orga_client, make_event, make_registration):
    event = make_event()
    make_registration(event, S.CONFIRMED, municipality="=cmd|' /C calc'!A0")
    response = orga_client.get(f"/admin/events/{event.id}/export.xlsx?status=all")
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = list(sheet.values)
    assert list(values[0]) == list(HEADERS)
    cell = values[1][HEADERS.index("Kommune")]
    assert cell.startswith("'=")
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_export_across_events_with_filters(orga_client, make_event, make_registration):
    now = utcnow()
    workshop = make_event(title="Werkstatt", format=EventFormat.WORKSHOP)
    kickoff = make_event(title="Auftakt", format=EventFormat.KICKOFF)
    later = make_event(
        title="Später",
        format=EventFormat.WORKSHOP,
        starts_at=now + timedelta(days=200),
        ends_at=now + timedelta(days=200, hours=2),
    )
    for event in (workshop, kickoff, later):
        make_registration(event, S.CONFIRMED)
    assert orga_client.get("/admin/exports").status_code == 200
    until = (now + timedelta(days=60)).date().isoformat()
    response = orga_client.get(
        f"/admin/exports/participants.csv?format=workshop&status=confirmed&starts_until={until}"
    )
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert [row[0] for row in rows[1:]] == ["Werkstatt"]
    everything = orga_client.get("/admin/exports/participants.xlsx")
    sheet = load_workbook(io.BytesIO(everything.data)).active
    assert sorted(r[0] for r in list(sheet.values)[1:]) == ["Auftakt", "Später", "Werkstatt"]
