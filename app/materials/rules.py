"""Who sees which material, and what organisers do to materials (add, change, remove).

Public materials are on the event page and in the archive. The others are only for people
who took part or hold a seat: a confirmed registration, or one marked present at the door,
reached through that person's own link. Every change is in the audit log and bumps the
event's ``updated_at``, which the cached event and archive pages key on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from app.core.audit import diff, record
from app.materials.content import CheckedFile
from app.materials.storage import MaterialStore
from app.models import (
    Attendance,
    Event,
    EventStatus,
    Material,
    MaterialKind,
    MaterialVisibility,
    Registration,
    RegistrationStatus,
    User,
)

LANGUAGES = ("de", "en")
# Events whose public page is shown (app.programme.catalogue.find_visible_event).
VISIBLE_EVENT_STATUSES = (EventStatus.PUBLISHED, EventStatus.CANCELLED)


@dataclass(frozen=True)
class MaterialFields:
    """What an organiser says about a material, whether file or link."""

    title: str
    language: str
    visibility: MaterialVisibility


# Who receives materials ---------------------------------------------------------------------


def participant_condition():
    """A confirmed seat, or present at the door (whatever happened to the seat afterwards)."""
    return or_(
        Registration.status == RegistrationStatus.CONFIRMED,
        Registration.attendance == Attendance.ATTENDED,
    )


def receives_materials(registration: Registration) -> bool:
    if registration.anonymised_at is not None:
        return False
    return (
        registration.status == RegistrationStatus.CONFIRMED
        or registration.attendance == Attendance.ATTENDED
    )


def participants(session: Session, event_id: int) -> list[Registration]:
    """The people of an event who receive its materials, anonymised ones left out."""
    return list(
        session.scalars(
            select(Registration)
            .where(
                Registration.event_id == event_id,
                participant_condition(),
                Registration.anonymised_at.is_(None),
            )
            .order_by(Registration.last_name, Registration.first_name, Registration.id)
        )
    )


# Lists --------------------------------------------------------------------------------------


def _ordered(statement):
    return statement.order_by(Material.created_at, Material.id)


def event_materials(session: Session, event_id: int) -> list[Material]:
    """Every material of the event (the back office)."""
    return list(session.scalars(_ordered(select(Material).where(Material.event_id == event_id))))


def public_materials(session: Session, event_ids: list[int]) -> dict[int, list[Material]]:
    """The public materials of several events (one query), by event id."""
    by_event: dict[int, list[Material]] = {event_id: [] for event_id in event_ids}
    if event_ids:
        rows = session.scalars(
            _ordered(
                select(Material).where(
                    Material.event_id.in_(event_ids),
                    Material.visibility == MaterialVisibility.PUBLIC,
                )
            )
        )
        for material in rows:
            by_event[material.event_id].append(material)
    return by_event


def materials_for(session: Session, registration: Registration) -> list[Material]:
    """What the person's own page lists: all materials of the event, if they receive them."""
    if not receives_materials(registration):
        return []
    return event_materials(session, registration.event_id)


def find_public_file(session: Session, key: str) -> Material | None:
    """A public file of a visible event, by its key."""
    return session.scalar(
        select(Material)
        .join(Event, Event.id == Material.event_id)
        .where(
            Material.key == key,
            Material.kind == MaterialKind.FILE,
            Material.visibility == MaterialVisibility.PUBLIC,
            Event.status.in_(VISIBLE_EVENT_STATUSES),
        )
    )


def find_file_for(session: Session, registration: Registration, key: str) -> Material | None:
    """A file of the person's event, by its key, if they receive materials."""
    if not receives_materials(registration):
        return None
    return session.scalar(
        select(Material).where(
            Material.key == key,
            Material.kind == MaterialKind.FILE,
            Material.event_id == registration.event_id,
        )
    )


def count_download(session: Session, material: Material) -> None:
    """One more download, counted in the database so that concurrent downloads all count."""
    session.execute(
        update(Material)
        .where(Material.id == material.id)
        .values(downloads=Material.downloads + 1)
        .execution_options(synchronize_session=False)
    )


# Changes ------------------------------------------------------------------------------------


def _audited(material: Material) -> dict:
    data = {
        "material_id": material.id,
        "kind": material.kind.value,
        "title": material.title,
        "language": material.language,
        "visibility": material.visibility.value,
    }
    if material.is_file:
        data.update(filename=material.filename, size=material.size)
    else:
        data["url"] = material.url
    return data


def _added(
    session: Session, actor: User | None, event: Event, material: Material, now: datetime
) -> Material:
    session.add(material)
    event.updated_at = now
    session.flush()
    record(session, actor, "event.material_added", event, {}, _audited(material))
    return material


def _new(event: Event, actor: User | None, fields: MaterialFields, kind, now, **values):
    return Material(
        event_id=event.id,
        kind=kind,
        title=fields.title,
        language=fields.language,
        visibility=fields.visibility,
        added_by=actor.email if actor is not None else "system",
        created_at=now,
        updated_at=now,
        **values,
    )


def add_file(
    session: Session,
    store: MaterialStore,
    actor: User | None,
    event: Event,
    fields: MaterialFields,
    upload: CheckedFile,
    now: datetime,
) -> Material:
    """Store the checked upload and add it to the event; the caller commits.

    The file is in the store before the row exists: should the transaction fail, the caller
    removes it again (``stored_name``), a file without a row being harmless, a row without a
    file not.
    """
    upload.stream.seek(0)
    stored_name = store.save(upload.stream)
    material = _new(
        event,
        actor,
        fields,
        MaterialKind.FILE,
        now,
        stored_name=stored_name,
        filename=upload.filename,
        content_type=upload.file_type.content_type,
        size=upload.size,
    )
    return _added(session, actor, event, material, now)


def add_link(
    session: Session,
    actor: User | None,
    event: Event,
    fields: MaterialFields,
    url: str,
    now: datetime,
) -> Material:
    """Add a link (an https address checked by the form) to the event; the caller commits."""
    return _added(
        session, actor, event, _new(event, actor, fields, MaterialKind.LINK, now, url=url), now
    )


def change_material(
    session: Session, actor: User | None, material: Material, fields: MaterialFields, now: datetime
) -> bool:
    """Change title, language and visibility; returns whether anything changed."""
    before = _audited(material)
    material.title = fields.title
    material.language = fields.language
    material.visibility = fields.visibility
    old, new = diff(before, _audited(material))
    if not new:
        return False
    old["material_id"] = new["material_id"] = material.id
    material.updated_at = now
    material.event.updated_at = now
    record(session, actor, "event.material_changed", material.event, old, new)
    return True


def remove_material(session: Session, actor: User | None, material: Material, now: datetime) -> str:
    """Delete the material's row; returns the stored file's name ("" for a link).

    The caller removes the file from the store after the commit: before it, a failed commit
    would leave a row whose file is gone.
    """
    record(session, actor, "event.material_deleted", material.event, _audited(material), {})
    material.event.updated_at = now
    session.delete(material)
    return material.stored_name
