"""Participant lists as CSV and XLSX for organisers, safe to open in a spreadsheet.

German Excel expects ``;`` between fields and reads UTF-8 only with a byte-order mark. A cell
that begins with = + - @ (or a tab or carriage return) would be run as a formula ("CSV
injection"), so such values get a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.labels import ATTENDANCE_LABELS, FORMAT_LABELS, REGISTRATION_STATUS_LABELS, in_german
from app.core.laender import land_name
from app.core.timezone import BERLIN
from app.models import Event, EventFormat, Registration, RegistrationStatus

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

HEADERS = (
    "Veranstaltung",
    "Datum",
    "Format",
    "Status",
    "Anwesenheit",
    "Vorname",
    "Nachname",
    "E-Mail",
    "Kommune",
    "Land",
    "AGS",
    "Funktion",
    "Angemeldet am",
)


@dataclass(frozen=True)
class ExportFilter:
    event_id: int | None = None
    statuses: tuple[RegistrationStatus, ...] = (RegistrationStatus.CONFIRMED,)
    format: EventFormat | None = None
    starts_from: datetime | None = None
    starts_until: datetime | None = None


def neutralise(value) -> str:
    """Text for one cell that no spreadsheet will evaluate as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _local(value: datetime | None, fmt: str) -> str:
    return value.astimezone(BERLIN).strftime(fmt) if value else ""


@dataclass(frozen=True)
class GermanLabels:
    """The words of the cells, in German whatever the organiser's language (a ministry report)."""

    formats: dict
    statuses: dict
    attendance: dict

    @classmethod
    def load(cls) -> GermanLabels:
        return cls(
            in_german(FORMAT_LABELS),
            in_german(REGISTRATION_STATUS_LABELS),
            {None: "", **in_german(ATTENDANCE_LABELS)},
        )


def _participants_query(filters: ExportFilter):
    query = (
        select(Registration)
        .join(Event, Registration.event_id == Event.id)
        .order_by(Event.starts_at, Event.id, Registration.last_name, Registration.first_name)
    )
    if filters.event_id is not None:
        query = query.where(Registration.event_id == filters.event_id)
    if filters.statuses:
        query = query.where(Registration.status.in_(filters.statuses))
    if filters.format is not None:
        query = query.where(Event.format == filters.format)
    if filters.starts_from is not None:
        query = query.where(Event.starts_at >= filters.starts_from)
    if filters.starts_until is not None:
        query = query.where(Event.starts_at < filters.starts_until)
    return query


def _cells(registration: Registration, labels: GermanLabels) -> list[str]:
    event = registration.event
    return [
        neutralise(cell)
        for cell in (
            event.title,
            _local(event.starts_at, "%d.%m.%Y %H:%M"),
            labels.formats.get(event.format, event.format),
            labels.statuses.get(registration.status, registration.status),
            labels.attendance.get(registration.attendance, registration.attendance),
            registration.first_name,
            registration.last_name,
            registration.email,
            registration.municipality,
            land_name(registration.state),
            registration.ags,
            registration.role,
            _local(registration.created_at, "%d.%m.%Y %H:%M"),
        )
    ]


def participant_rows(session: Session, filters: ExportFilter) -> list[list[str]]:
    labels = GermanLabels.load()
    return [
        _cells(registration, labels)
        for registration in session.scalars(_participants_query(filters))
    ]


def to_csv(rows: list[list[str]], headers: tuple[str, ...] = HEADERS) -> bytes:
    """The rows (already ``neutralise``d) under ``headers``, for German Excel."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(
    rows: list[list[str]], headers: tuple[str, ...] = HEADERS, title: str = "Teilnehmende"
) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(list(headers))
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = cell.font.copy(bold=True)
    sheet.freeze_panes = "A2"
    for column, header in zip(sheet.columns, headers, strict=True):
        width = max([len(header), *(len(str(c.value or "")) for c in column)])
        sheet.column_dimensions[column[0].column_letter].width = min(50, width + 2)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
