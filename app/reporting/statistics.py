"""Figures for the ministry and for planning: registrations, attendance and reach.

Every figure is read from what anonymisation keeps (status, attendance, Land, municipality key,
event), so the numbers stay the same after personal data is removed. The page runs a constant
number of queries (four) however many events and registrations exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Row, case, distinct, func, select
from sqlalchemy.orm import Session

from app.core.laender import LAENDER
from app.core.timezone import BERLIN
from app.models import (
    Attendance,
    Event,
    EventFormat,
    EventStatus,
    Registration,
    RegistrationStatus,
)

S = RegistrationStatus

# A registration counts once its e-mail address was confirmed (or taken by phone): unconfirmed
# and lapsed ones are noise. Cancelled ones count: they are demand.
REGISTERED = Registration.status.not_in((S.PENDING, S.EXPIRED))
CONFIRMED = Registration.status == S.CONFIRMED
WAITLISTED = Registration.status.in_((S.WAITLISTED, S.OFFERED))
ATTENDED = Registration.attendance == Attendance.ATTENDED
NO_SHOW = Registration.attendance == Attendance.NO_SHOW
# A municipality is reached when someone from it holds a seat or came.
REACHED = CONFIRMED | ATTENDED


def _count(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


@dataclass
class Totals:
    events: int = 0
    registrations: int = 0
    confirmed: int = 0
    waitlisted: int = 0
    attended: int = 0
    no_show: int = 0

    def add(self, other: Totals) -> None:
        for name in ("events", "registrations", "confirmed", "waitlisted", "attended", "no_show"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def checked(self) -> int:
        return self.attended + self.no_show

    @property
    def attendance_rate(self) -> float | None:
        """Share of the people whose attendance was recorded at the door who came."""
        return self.attended / self.checked if self.checked else None

    @property
    def no_show_rate(self) -> float | None:
        return self.no_show / self.checked if self.checked else None


@dataclass
class LandRow:
    code: str
    name: str
    totals: Totals
    municipalities: int


@dataclass
class EventDemand:
    event_id: int
    title: str
    starts_at: datetime
    capacity: int
    confirmed: int
    waitlisted: int

    @property
    def ratio(self) -> float:
        """Waiting people per seat: 0.5 means half as many again as there are seats."""
        return self.waitlisted / self.capacity if self.capacity else 0.0


@dataclass
class Statistics:
    total: Totals
    by_format: dict[EventFormat, Totals]
    by_land: list[LandRow]
    by_month: list[tuple[date, Totals]]  # (first day of the month in Berlin, totals)
    waitlist_demand: list[EventDemand]
    municipalities: int
    years: list[int] = field(default_factory=list)


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    start = datetime(year, 1, 1, tzinfo=BERLIN)
    return start, datetime(year + 1, 1, 1, tzinfo=BERLIN)


def _event_filter(year: int | None) -> list:
    conditions = [Event.status == EventStatus.PUBLISHED]
    if year is not None:
        start, end = _year_bounds(year)
        conditions += [Event.starts_at >= start, Event.starts_at < end]
    return conditions


def programme_statistics(session: Session, year: int | None = None) -> Statistics:
    """Published events (of ``year`` in Berlin time, or all) and their registrations."""
    conditions = _event_filter(year)
    events = _event_totals(session, conditions)
    total, by_format, by_month = _add_up(events)
    return Statistics(
        total=total,
        by_format=by_format,
        by_land=_by_land(session, conditions),
        by_month=by_month,
        waitlist_demand=_waitlist_demand(events),
        municipalities=_municipalities_reached(session, conditions),
        years=_years(session),
    )


def _event_totals(session: Session, conditions: list) -> list[tuple[Row, Totals]]:
    """Each event (id, title, format, starts_at, capacity) with its totals: one query."""
    rows = session.execute(
        select(
            Event.id,
            Event.title,
            Event.format,
            Event.starts_at,
            Event.capacity,
            _count(REGISTERED),
            _count(CONFIRMED),
            _count(WAITLISTED),
            _count(ATTENDED),
            _count(NO_SHOW),
        )
        .outerjoin(Registration, Registration.event_id == Event.id)
        .where(*conditions)
        .group_by(Event.id, Event.title, Event.format, Event.starts_at, Event.capacity)
        .order_by(Event.starts_at, Event.id)
    ).all()
    return [(row, Totals(1, *(int(n) for n in row[5:]))) for row in rows]


def _add_up(
    events: list[tuple[Row, Totals]],
) -> tuple[Totals, dict[EventFormat, Totals], list[tuple[date, Totals]]]:
    """The totals of all events, per format and per month of the start (in Berlin)."""
    total = Totals()
    by_format = {fmt: Totals() for fmt in EventFormat}
    by_month: dict[date, Totals] = {}
    for event, totals in events:
        total.add(totals)
        by_format[EventFormat(event.format)].add(totals)
        month = event.starts_at.astimezone(BERLIN).date().replace(day=1)
        by_month.setdefault(month, Totals()).add(totals)
    return total, by_format, sorted(by_month.items())


def _waitlist_demand(events: list[tuple[Row, Totals]]) -> list[EventDemand]:
    """Events with people waiting, the longest line (then the most per seat) first."""
    demand = [
        EventDemand(
            event.id,
            event.title,
            event.starts_at,
            event.capacity,
            totals.confirmed,
            totals.waitlisted,
        )
        for event, totals in events
        if totals.waitlisted
    ]
    demand.sort(key=lambda d: (-d.waitlisted, -d.ratio, d.starts_at))
    return demand


def _by_land(session: Session, conditions: list) -> list[LandRow]:
    """Every Land, those without registrations included, in the order of the AGS."""
    per_land = {
        state: (Totals(0, *(int(n) for n in numbers[:-1])), int(numbers[-1]))
        for state, *numbers in session.execute(
            select(
                Registration.state,
                _count(REGISTERED),
                _count(CONFIRMED),
                _count(WAITLISTED),
                _count(ATTENDED),
                _count(NO_SHOW),
                func.count(distinct(case((REACHED, Registration.municipality_key)))),
            )
            .join(Event, Event.id == Registration.event_id)
            .where(*conditions)
            .group_by(Registration.state)
        )
    }
    return [
        LandRow(code, name, *per_land.get(code, (Totals(), 0))) for code, name in LAENDER.items()
    ]


def _municipalities_reached(session: Session, conditions: list) -> int:
    municipalities = session.scalar(
        select(func.count(distinct(Registration.municipality_key)))
        .join(Event, Event.id == Registration.event_id)
        .where(*conditions, REACHED)
    )
    return int(municipalities or 0)


def _years(session: Session) -> list[int]:
    """The years (in Berlin) from the first published event to the last: the year filter."""
    first, last = session.execute(
        select(func.min(Event.starts_at), func.max(Event.starts_at)).where(
            Event.status == EventStatus.PUBLISHED
        )
    ).one()
    if not (first and last):
        return []
    return list(range(first.astimezone(BERLIN).year, last.astimezone(BERLIN).year + 1))
