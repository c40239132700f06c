"""Materials of an event: files (slides, the minutes) and links, public or for participants."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.event import Event, enum_column
from app.models.types import UTCDateTime, utcnow


class MaterialKind(enum.StrEnum):
    FILE = "file"  # stored by the service (app.materials.storage)
    LINK = "link"  # an https address elsewhere


class MaterialVisibility(enum.StrEnum):
    PUBLIC = "public"  # on the event page and in the archive
    PARTICIPANTS = "participants"  # only on the personal page of confirmed or attended people


def new_material_key() -> str:
    # What a download address carries instead of the row's id, so that addresses cannot be
    # counted through. It is not what grants access (the visibility and, for participants,
    # their personal link do that), which is why it is stored as it is and not as a hash.
    return secrets.token_urlsafe(18)


class Material(db.Model):
    __tablename__ = "materials"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(32), unique=True, default=new_material_key)
    kind: Mapped[MaterialKind] = mapped_column(enum_column(MaterialKind))
    title: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(2), default="de")
    visibility: Mapped[MaterialVisibility] = mapped_column(enum_column(MaterialVisibility))
    # Links: the address. Files: the store's random name, the name shown on download (made
    # safe when uploaded) and the type found in the content, never the one the browser sent.
    url: Mapped[str] = mapped_column(String(500), default="")
    stored_name: Mapped[str] = mapped_column(String(64), default="")
    filename: Mapped[str] = mapped_column(String(200), default="")
    content_type: Mapped[str] = mapped_column(String(100), default="")
    size: Mapped[int] = mapped_column(Integer, default=0)
    # How often the file was downloaded; deliberately not by whom (nothing to erase later).
    downloads: Mapped[int] = mapped_column(Integer, default=0)
    added_by: Mapped[str] = mapped_column(String(254), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped[Event] = relationship()

    @property
    def is_file(self) -> bool:
        return self.kind == MaterialKind.FILE

    @property
    def is_public(self) -> bool:
        return self.visibility == MaterialVisibility.PUBLIC

    def __repr__(self) -> str:
        return f"<Material {self.id} {self.kind} {self.visibility}>"
