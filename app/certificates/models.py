"""A certificate of attendance issued to one registration.

Kept beside its domain (as Indico keeps a module's models with it): nothing outside
``app.certificates`` reads this table. The row holds no personal data: the name, municipality
and event it certifies are read from the registration each time the PDF is built or the
verification page is opened, and its verification code is an HMAC over them (see ``rules``),
so anonymising the registration voids the code without touching this table.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models import Registration
from app.models.types import UTCDateTime


class Certificate(db.Model):
    __tablename__ = "certificates"
    __table_args__ = (
        # At most one valid certificate per registration: two clicks on "create" at once, or a
        # participant and an organiser at the same moment, cannot give two.
        Index(
            "uq_certificates_live_registration",
            "registration_id",
            unique=True,
            sqlite_where=text("revoked_at IS NULL"),
            postgresql_where=text("revoked_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    registration: Mapped[Registration] = relationship(lazy="joined", innerjoin=True)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def __repr__(self) -> str:
        state = "revoked" if self.is_revoked else "valid"
        return f"<Certificate {self.id} registration={self.registration_id} {state}>"
