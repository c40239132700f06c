"""Back-office accounts: organisers and administrators who log in to run the programme, and
the recent failed logins that slow down guessing their passwords."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models.event import enum_column
from app.models.types import UTCDateTime, utcnow


class UserRole(enum.StrEnum):
    ADMIN = "admin"  # everything, including managing accounts
    ORGANISER = "organiser"  # programme, registrations, check-in, exports


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[UserRole] = mapped_column(enum_column(UserRole), default=UserRole.ORGANISER)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Part of every session of this account (see get_id); raising it ends them all, on
    # every server, since a session is nothing but a signed cookie.
    session_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        return password_matches(self.password_hash, password)

    def get_id(self) -> str:
        """What Flask-Login keeps in the session: the account and its session version."""
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.role == UserRole.ADMIN

    @property
    def display_name(self) -> str:
        return self.name or self.email

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


# A scrypt hash of a random password nobody knows, with the cost of set_password's (werkzeug's
# scrypt defaults: N=32768, r=8, p=1). Checked when no account matches, so that an unknown
# address takes as long to refuse as a wrong password and the answer's timing tells nobody
# who has an account.
STAND_IN_HASH = (
    "scrypt:32768:8:1$jpINYJaYTy6PBPYQ$2b32a0e941a36a60"
    "2aba6675d6128fcccd0c3d694fe0044fdb2456fb6cc5022b7b982c21439bf806d15312"
    "dc38539c525c50177ca82ec56b01378ff06fd82af5"
)


def password_matches(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` fits the hash; without a hash (no such account) it never fits, but
    costs the same."""
    matches = check_password_hash(password_hash or STAND_IN_HASH, password)
    return matches and password_hash is not None


class LoginFailure(db.Model):
    """Recent failed logins of one key: an (account address, client address) pair, or a client
    address alone. The key is a keyed hash (HMAC), so the table holds neither the addresses
    typed nor the client addresses (data minimisation, Art. 5(1)(c) DSGVO)."""

    __tablename__ = "login_failures"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    # Failures count within a window from the first; the worker drops rows past it.
    first_failure_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime)
