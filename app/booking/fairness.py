"""Fair allocation: which waiting municipality goes first when a seat frees up.

Per event, two options: municipalities that have not yet attended an event of the same format
go first (``Event.priority_newcomers``), and funded model projects are treated equally, moved
behind everyone else, or excluded (``Event.model_projects``). The waiting list is ordered by
priority class, then by the time of joining it; ``app.booking.allocation.waitlist_order`` is the
one place that applies this order, for promotions and for the positions people are shown.

A registration knows its municipality only by ``municipality_key`` (``ags:…`` or
``name:<Land>:<name>``); the municipality directory (``municipality_keys``) ties every key ever
seen for one municipality together, also after a merge, so attendance under another spelling
counts and a model-project flag set on the record applies.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.booking.municipality import municipality_key
from app.models import Attendance, Event, Municipality, MunicipalityKey, Registration
from app.models.event import ModelProjectPolicy


@dataclass(frozen=True)
class Claimant:
    """What the ordering needs to know of one registration (read as a row, not an object)."""

    id: int
    municipality_key: str
    municipality: str
    state: str
    ags: str

    @property
    def keys(self) -> tuple[str, ...]:
        """Its own key and, when it gave an AGS, the name key a record may be known by."""
        if self.ags:
            return (self.municipality_key, municipality_key(self.municipality, self.state, ""))
        return (self.municipality_key,)


@dataclass(frozen=True)
class Standing:
    """How a waiting registration ranks; lower sorts first."""

    model_project: bool = False
    repeat_attendee: bool = False
    excluded: bool = False  # a model project at an event that excludes them: never promoted

    def rank(self, event: Event) -> tuple[int, int]:
        model_rank = int(self.model_project and event.model_projects != ModelProjectPolicy.EQUAL)
        return model_rank, int(event.priority_newcomers and self.repeat_attendee)


NO_PRIORITY = Standing()


@dataclass(frozen=True)
class _Record:
    id: int
    ags: str
    is_model_project: bool


def _directory(session: Session, keys: set[str]) -> tuple[dict[str, _Record], dict[int, set]]:
    """The directory records known by any of ``keys``: by key, and every key of each record."""
    if not keys:
        return {}, {}
    holders = select(MunicipalityKey.municipality_id).where(MunicipalityKey.key.in_(keys))
    rows = session.execute(
        select(
            MunicipalityKey.key,
            Municipality.id,
            Municipality.ags,
            Municipality.is_model_project,
        )
        .join(Municipality, Municipality.id == MunicipalityKey.municipality_id)
        .where(MunicipalityKey.municipality_id.in_(holders))
    ).all()
    by_key: dict[str, _Record] = {}
    keys_of: dict[int, set] = {}
    for key, record_id, ags, flag in rows:
        by_key[key] = _Record(record_id, ags or "", bool(flag))
        keys_of.setdefault(record_id, set()).add(key)
    return by_key, keys_of


def _record_for(claimant: Claimant, by_key: dict[str, _Record]) -> _Record | None:
    """The directory record of ``claimant``, found the way the directory itself finds one.

    Its own key first; by name only when the record has no AGS or the same one: two places of
    the same name in one Land differ by AGS and are never taken for each other.
    """
    record = by_key.get(claimant.municipality_key)
    if record is not None or not claimant.ags:
        return record
    by_name = by_key.get(claimant.keys[-1])
    if by_name is not None and by_name.ags in ("", claimant.ags):
        return by_name
    return None


def standings(session: Session, event: Event, claimants: Iterable[Claimant]) -> dict[int, Standing]:
    """The standing of each claimant (by registration id) at ``event``: two queries at most."""
    claimants = list(claimants)
    if not claimants or not event.has_fair_allocation:
        return {claimant.id: NO_PRIORITY for claimant in claimants}
    by_key, keys_of = _directory(session, {key for c in claimants for key in c.keys})
    records = {claimant.id: _record_for(claimant, by_key) for claimant in claimants}
    same_municipality = {
        claimant.id: {claimant.municipality_key}
        | (keys_of[records[claimant.id].id] if records[claimant.id] else set())
        for claimant in claimants
    }
    attended: set[str] = set()
    if event.priority_newcomers:
        all_keys = set().union(*same_municipality.values())
        attended = set(
            session.scalars(
                select(Registration.municipality_key)
                .join(Event, Event.id == Registration.event_id)
                .where(
                    Registration.attendance == Attendance.ATTENDED,
                    Registration.event_id != event.id,
                    Event.format == event.format,
                    Registration.municipality_key.in_(all_keys),
                )
                .distinct()
            )
        )
    excluding = event.model_projects == ModelProjectPolicy.EXCLUDED
    result = {}
    for claimant in claimants:
        record = records[claimant.id]
        model_project = record is not None and record.is_model_project
        result[claimant.id] = Standing(
            model_project=model_project,
            repeat_attendee=bool(same_municipality[claimant.id] & attended),
            excluded=excluding and model_project,
        )
    return result


def is_excluded(session: Session, event: Event, claimant: Claimant) -> bool:
    """Whether ``claimant`` is a funded model project and ``event`` excludes those."""
    if event.model_projects != ModelProjectPolicy.EXCLUDED:
        return False
    return standings(session, event, [claimant])[claimant.id].excluded


def claimant_of(registration: Registration) -> Claimant:
    return Claimant(
        registration.id,
        registration.municipality_key,
        registration.municipality,
        registration.state,
        registration.ags,
    )
