"""The municipality directory: one record per municipality, its path through the offer, merges.

A municipality is found by its AGS where one is known, else by its normalised name and Land
(the same ``municipality_key`` the booking code gives registrations). Every key ever seen for a
record is kept in ``municipality_keys``, so that registrations, which carry only the key, join
the right record, also after a merge.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime
from difflib import SequenceMatcher

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.booking.municipality import municipality_key, normalise_name
from app.core.laender import LAENDER
from app.core.security import single_line_problem
from app.models import (
    ConsultationBooking,
    ExpressionOfInterest,
    Municipality,
    MunicipalityHistory,
    MunicipalityKey,
    Registration,
    SizeClass,
)

NEAR_DUPLICATE_RATIO = 0.85


class MunicipalityError(Exception):
    """Something the directory refuses, with a reason a user can be shown."""


def keys_for(name: str, state: str, ags: str = "") -> list[str]:
    """The AGS key (when known) first, then the name key: both identify the municipality."""
    keys = [municipality_key(name, state, ags)] if ags else []
    keys.append(municipality_key(name, state, ""))
    return keys


def find_by_keys(session: Session, keys: list[str]) -> Municipality | None:
    for key in keys:
        found = session.scalar(
            select(Municipality).join(MunicipalityKey).where(MunicipalityKey.key == key)
        )
        if found is not None:
            return found
    return None


def _add_key(session: Session, municipality: Municipality, key: str) -> None:
    owner = session.get(MunicipalityKey, key)
    if owner is None:
        municipality.keys.append(MunicipalityKey(key=key))


def record_history(
    session: Session, municipality: Municipality, action: str, detail: str, now: datetime, actor=""
) -> None:
    session.add(
        MunicipalityHistory(
            municipality_id=municipality.id, at=now, actor=actor, action=action, detail=detail
        )
    )


def find_or_create(
    session: Session,
    name: str,
    state: str,
    ags: str = "",
    now: datetime | None = None,
    size_class: SizeClass | None = None,
) -> Municipality:
    """The directory record for this municipality, made on first sight.

    An AGS wins over the name: "Stadt Musterstadt" with AGS 09123000 and "Musterstadt" without
    one end up in the same record. A record first seen without AGS learns it later.
    """
    name = name.strip()
    ags = (ags or "").strip()
    keys = keys_for(name, state, ags)
    municipality = find_by_keys(session, keys[:1]) if ags else None
    if municipality is None:
        by_name = find_by_keys(session, keys[-1:])
        # Two places of the same name in one Land differ by AGS: never fold those together.
        if by_name is not None and (not ags or not by_name.ags or by_name.ags == ags):
            municipality = by_name
    if municipality is None:
        municipality = Municipality(name=name, state=state, ags=ags, size_class=size_class)
        if now is not None:
            municipality.created_at = municipality.updated_at = now
        session.add(municipality)
    else:
        if ags and not municipality.ags:
            municipality.ags = ags
        if size_class is not None:
            municipality.size_class = size_class
    for key in keys:
        _add_key(session, municipality, key)
    session.flush()
    return municipality


def set_model_project(
    session: Session, municipality: Municipality, flag: bool, now: datetime, actor="", source=""
) -> bool:
    """Set the funded-model-project flag; returns whether it changed (and was recorded)."""
    if municipality.is_model_project == flag:
        return False
    municipality.is_model_project = flag
    municipality.updated_at = now
    detail = "Modellprojekt: ja" if flag else "Modellprojekt: nein"
    if source:
        detail += f" ({source})"
    record_history(session, municipality, "model_project", detail, now, actor)
    return True


@dataclass
class ImportResult:
    flagged: int = 0
    unchanged: int = 0
    created: int = 0
    errors: list[str] = field(default_factory=list)


def _land_code(value: str) -> str | None:
    value = value.strip()
    if value in LAENDER:
        return value
    if value.isdigit() and len(value) == 1:
        return f"0{value}"
    for code, name in LAENDER.items():
        if name.lower() == value.lower():
            return code
    return None


def import_model_projects(session: Session, text: str, now: datetime, actor="") -> ImportResult:
    """Flag the municipalities of a CSV (columns ``name``, ``land``, optional ``ags``).

    ``land`` is the Land's name or its two-digit code. All or nothing: with any error, nothing
    is changed and the errors carry line numbers. Municipalities not yet known are created.
    """
    sample = text[:2048]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")), dialect=dialect)
    headers = {(name or "").strip().lower() for name in reader.fieldnames or []}
    result = ImportResult()
    if not {"name", "land"} <= headers:
        result.errors.append("Die Kopfzeile braucht die Spalten name und land (ags optional).")
        return result
    rows = []
    for line, raw in enumerate(reader, start=2):
        row = {(key or "").strip().lower(): (value or "").strip() for key, value in raw.items()}
        name, ags = row.get("name", ""), row.get("ags", "").replace(" ", "")
        state = _land_code(row.get("land", ""))
        if not name:
            result.errors.append(f"Zeile {line}: Name fehlt.")
        elif single_line_problem(name):
            result.errors.append(
                f"Zeile {line}: Der Name muss in einer Zeile stehen, ohne Tabulator und "
                "Steuerzeichen."
            )
        if state is None:
            result.errors.append(f"Zeile {line}: Land „{row.get('land', '')}“ unbekannt.")
        if ags and (len(ags) != 8 or not ags.isdigit()):
            result.errors.append(f"Zeile {line}: AGS „{ags}“ hat nicht genau 8 Ziffern.")
        elif ags and state and ags[:2] != state:
            result.errors.append(f"Zeile {line}: AGS „{ags}“ passt nicht zum Land.")
        rows.append((name, state, ags))
    if result.errors:
        return result
    for name, state, ags in rows:
        existing = find_by_keys(session, keys_for(name, state, ags))
        municipality = find_or_create(session, name, state, ags, now)
        if existing is None:
            result.created += 1
        if set_model_project(session, municipality, True, now, actor, source="CSV-Import"):
            result.flagged += 1
        else:
            result.unchanged += 1
    return result


def merge(
    session: Session, source: Municipality, target: Municipality, now: datetime, actor=""
) -> Municipality:
    """Fold ``source`` into ``target``: keys, interests and history move; ``source`` goes."""
    if source.id == target.id:
        raise MunicipalityError(_("Ein Eintrag kann nicht mit sich selbst zusammengeführt werden."))
    if source.ags and target.ags and source.ags != target.ags:
        raise MunicipalityError(
            _("Die beiden Einträge haben verschiedene AGS und sind daher verschiedene Kommunen.")
        )
    session.execute(
        update(MunicipalityKey)
        .where(MunicipalityKey.municipality_id == source.id)
        .values(municipality_id=target.id)
    )
    session.execute(
        update(ExpressionOfInterest)
        .where(ExpressionOfInterest.municipality_id == source.id)
        .values(municipality_id=target.id)
    )
    session.execute(
        update(MunicipalityHistory)
        .where(MunicipalityHistory.municipality_id == source.id)
        .values(municipality_id=target.id)
    )
    target.ags = target.ags or source.ags
    target.size_class = target.size_class or source.size_class
    target.is_model_project = target.is_model_project or source.is_model_project
    target.updated_at = now
    record_history(
        session,
        target,
        "merge",
        f"„{source.name}“ (Nr. {source.id}) zusammengeführt mit „{target.name}“",
        now,
        actor,
    )
    session.flush()
    session.expire(source)
    session.delete(source)
    session.flush()
    session.expire(target)
    return target


@dataclass(frozen=True)
class NearDuplicate:
    first: Municipality
    second: Municipality
    ratio: float


def near_duplicates(
    session: Session, threshold: float = NEAR_DUPLICATE_RATIO
) -> list[NearDuplicate]:
    """Pairs in the same Land whose normalised names are alike (e.g. "Sankt" and "St.")."""
    by_state: dict[str, list[tuple[str, Municipality]]] = {}
    for municipality in session.scalars(select(Municipality).order_by(Municipality.id)):
        by_state.setdefault(municipality.state, []).append(
            (_comparable(municipality.name), municipality)
        )
    pairs = []
    for entries in by_state.values():
        for index, (name_a, first) in enumerate(entries):
            for name_b, second in entries[index + 1 :]:
                if first.ags and second.ags and first.ags != second.ags:
                    continue
                ratio = SequenceMatcher(None, name_a, name_b).ratio()
                if ratio >= threshold:
                    pairs.append(NearDuplicate(first, second, round(ratio, 2)))
    return sorted(pairs, key=lambda pair: -pair.ratio)


def _comparable(name: str) -> str:
    text = normalise_name(name)
    for long, short in (("sankt ", "st "), ("bad ", ""), ("an der ", "a d "), ("am ", "a ")):
        text = text.replace(long, short)
    return text.replace(" ", "")


def registrations_of(session: Session, municipality: Municipality) -> list[Registration]:
    keys = select(MunicipalityKey.key).where(MunicipalityKey.municipality_id == municipality.id)
    return list(
        session.scalars(
            select(Registration)
            .where(Registration.municipality_key.in_(keys))
            .order_by(Registration.created_at)
        )
    )


@dataclass(frozen=True)
class PathEntry:
    at: datetime
    kind: str  # registration, interest, consultation, record
    text: str
    status: str = ""


def path_of(session: Session, municipality: Municipality) -> list[PathEntry]:
    """Everything the office knows about the municipality, oldest first: its history page."""
    entries = []
    for registration in registrations_of(session, municipality):
        status = registration.status.value
        attendance = getattr(registration, "attendance", None)  # set by the back office
        if attendance:
            status = f"{status}, {attendance}"
        entries.append(
            PathEntry(
                registration.created_at,
                "registration",
                f"{registration.event.title} ({registration.full_name})",
                status,
            )
        )
    interests = session.scalars(
        select(ExpressionOfInterest).where(ExpressionOfInterest.municipality_id == municipality.id)
    ).all()
    for interest in interests:
        entries.append(
            PathEntry(
                interest.created_at,
                "interest",
                f"Interessensbekundung ({interest.full_name})",
                f"{interest.status.value}, {interest.stage.value}",
            )
        )
    if interests:
        bookings = session.scalars(
            select(ConsultationBooking).where(
                ConsultationBooking.interest_id.in_([interest.id for interest in interests])
            )
        ).all()
        for booking in bookings:
            entries.append(
                PathEntry(
                    booking.created_at,
                    "consultation",
                    f"Initialberatung am {booking.slot.starts_at:%Y-%m-%d %H:%M} UTC "
                    f"({booking.slot.organiser_name})",
                    booking.status.value,
                )
            )
    for item in session.scalars(
        select(MunicipalityHistory).where(MunicipalityHistory.municipality_id == municipality.id)
    ):
        entries.append(PathEntry(item.at, "record", item.detail, item.actor))
    return sorted(entries, key=lambda entry: entry.at)


def directory(
    session: Session, search: str = "", state: str = "", model_project: bool | None = None
) -> list[Municipality]:
    statement = select(Municipality).order_by(Municipality.name)
    if search:
        statement = statement.where(func.lower(Municipality.name).contains(search.lower()))
    if state:
        statement = statement.where(Municipality.state == state)
    if model_project is not None:
        statement = statement.where(Municipality.is_model_project.is_(model_project))
    return list(session.scalars(statement))


def sync_from_registrations(session: Session, now: datetime) -> int:
    """Make directory records for municipalities known so far only from registrations."""
    known = select(MunicipalityKey.key)
    rows = session.execute(
        select(
            Registration.municipality_key,
            func.max(Registration.municipality),
            func.max(Registration.state),
            func.max(Registration.ags),
        )
        .where(Registration.municipality_key.not_in(known))
        .group_by(Registration.municipality_key)
    ).all()
    for _key, name, state, ags in rows:
        find_or_create(session, name, state, ags or "", now)
    return len(rows)
