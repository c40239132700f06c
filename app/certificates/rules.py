"""Who gets a certificate of attendance, issuing and revoking one, and its verification code.

A certificate is for a registration marked as attended at the door and not anonymised. Its
verification code is an HMAC, keyed with a key derived from SECRET_KEY, over the certificate's
number, the day it was issued and what it certifies (name, municipality, event title, start
and end): nobody can make a valid code without the key, nor find one by counting, and a code
printed on a certificate whose name or event no longer matches the records (a correction,
anonymisation after the retention period, an erasure) stops opening the verification page.
The code is never stored: it is computed again from those inputs whenever the PDF is built.

Like every domain function, these take a session and ``now`` and leave the commit to the
caller.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.certificates.models import Certificate
from app.core.audit import record
from app.core.database import begin_write, lock_row, lock_rows
from app.core.urls import external_url
from app.models import Attendance, Event, Registration, User

# 15 bytes of the HMAC: 120 bits, far past guessing, as 24 base32 letters and digits.
MAC_BYTES = 15
# The number stays below 10^9, within PostgreSQL's integer: a longer one is no code of ours.
CODE_PATTERN = re.compile(r"^([1-9][0-9]{0,8})-([a-z2-7]{24})$")
MAX_CODE_LENGTH = 40
# Changing this voids every code issued so far; it separates this key from SECRET_KEY's
# other uses (sessions, CSRF).
KEY_PURPOSE = b"startsmart certificate of attendance v1"


class CertificateError(Exception):
    """A certificate cannot be issued; the view turns it into a message."""


class NotAttended(CertificateError):
    """Only a person marked as attended at the door (and not anonymised) gets a certificate."""


class RevokedByOrganisers(CertificateError):
    """The organisers revoked this person's certificate: only they may issue a new one."""


def is_eligible(registration: Registration) -> bool:
    return registration.attendance == Attendance.ATTENDED and registration.anonymised_at is None


def is_valid(certificate: Certificate) -> bool:
    """Not revoked, and its registration still counts as attended (a mark can be undone)."""
    return not certificate.is_revoked and is_eligible(certificate.registration)


def certificates_of(session: Session, registration_id: int) -> list[Certificate]:
    """Every certificate of one registration, the newest first."""
    return list(
        session.scalars(
            select(Certificate)
            .where(Certificate.registration_id == registration_id)
            .order_by(Certificate.id.desc())
        )
    )


@dataclass(frozen=True)
class PersonalState:
    """What the person's own page offers: nothing, a button to create one, or the download."""

    eligible: bool
    certificate: Certificate | None  # the valid one, if any
    revoked: bool  # the latest was revoked by the organisers and none is valid

    @property
    def can_create(self) -> bool:
        return self.eligible and self.certificate is None and not self.revoked


def personal_state(session: Session, registration: Registration) -> PersonalState:
    if not is_eligible(registration):
        return PersonalState(eligible=False, certificate=None, revoked=False)
    latest = next(iter(certificates_of(session, registration.id)), None)
    live = latest if latest is not None and not latest.is_revoked else None
    return PersonalState(
        eligible=True, certificate=live, revoked=latest is not None and latest.is_revoked
    )


def _new_certificate(session: Session, registration: Registration, now: datetime) -> Certificate:
    # Whole seconds: the issue date is part of the code and must read back the same from
    # either database.
    certificate = Certificate(registration=registration, issued_at=now.replace(microsecond=0))
    session.add(certificate)
    session.flush()
    return certificate


def issue_certificate(
    session: Session, registration_id: int, now: datetime, actor: User | None = None
) -> Certificate:
    """The registration's valid certificate, issued now if it has none.

    ``actor`` None is the participant on their own page: after the organisers revoked a
    certificate they cannot make a new one themselves (RevokedByOrganisers). An organiser may
    issue a new one, and that is written to the audit log.
    """
    begin_write(session)
    registration = lock_row(session, Registration, registration_id)
    if not is_eligible(registration):
        raise NotAttended()
    earlier = certificates_of(session, registration.id)
    if earlier and not earlier[0].is_revoked:
        return earlier[0]
    if earlier and actor is None:
        raise RevokedByOrganisers()
    certificate = _new_certificate(session, registration, now)
    if actor is not None:
        after = {"certificate_id": certificate.id, "issued_at": certificate.issued_at}
        record(session, actor, "registration.certificate_issued", registration, {}, after)
    return certificate


def issue_for_event(session: Session, actor: User | None, event_id: int, now: datetime) -> int:
    """Certificates for every attended participant of the event who never had one; how many.

    Revoked certificates are left alone: the organisers revoked them on purpose, and a new one
    for such a person is issued one by one. Lock order as everywhere: the event, then its
    registrations.
    """
    begin_write(session)
    event = lock_row(session, Event, event_id)
    registrations = lock_rows(
        session,
        select(Registration)
        .where(
            Registration.event_id == event_id,
            Registration.attendance == Attendance.ATTENDED,
            Registration.anonymised_at.is_(None),
        )
        .order_by(Registration.id),
        of=Registration,
    ).scalars()
    having = set(
        session.scalars(
            select(Certificate.registration_id)
            .join(Registration)
            .where(Registration.event_id == event_id)
        )
    )
    issued = [
        _new_certificate(session, registration, now)
        for registration in registrations
        if registration.id not in having
    ]
    if issued:
        after = {"certificates_issued": len(issued)}
        record(session, actor, "event.certificates_issued", event, {}, after)
    return len(issued)


def revoke_certificate(
    session: Session, actor: User | None, certificate_id: int, now: datetime
) -> Certificate:
    """Revoke a certificate (its verification page says so from now on); idempotent."""
    begin_write(session)
    certificate = lock_row(session, Certificate, certificate_id)
    if certificate.is_revoked:
        return certificate
    certificate.revoked_at = now
    record(
        session,
        actor,
        "registration.certificate_revoked",
        certificate.registration,
        {"certificate_id": certificate.id, "revoked_at": None},
        {"certificate_id": certificate.id, "revoked_at": now},
    )
    return certificate


@dataclass(frozen=True)
class EventCertificateRow:
    """One line of the organisers' list: a participant and their certificates, newest first."""

    registration: Registration
    certificates: list[Certificate]

    @property
    def current(self) -> Certificate | None:
        return self.certificates[0] if self.certificates else None

    @property
    def eligible(self) -> bool:
        return is_eligible(self.registration)

    @property
    def valid(self) -> Certificate | None:
        current = self.current
        return current if current is not None and is_valid(current) else None


def event_certificates(session: Session, event_id: int) -> list[EventCertificateRow]:
    """Everyone attended at the event, and anyone who ever had a certificate for it, by name.

    Two queries, whatever the number of participants.
    """
    certificates = session.scalars(
        select(Certificate)
        .join(Registration)
        .where(Registration.event_id == event_id)
        .order_by(Certificate.id.desc())
    ).all()
    by_registration: dict[int, list[Certificate]] = {}
    for certificate in certificates:
        by_registration.setdefault(certificate.registration_id, []).append(certificate)
    registrations = session.scalars(
        select(Registration)
        .where(
            Registration.event_id == event_id,
            (Registration.attendance == Attendance.ATTENDED)
            | Registration.id.in_(list(by_registration) or [0]),
        )
        .order_by(Registration.last_name, Registration.first_name, Registration.id)
    ).all()
    return [
        EventCertificateRow(registration, by_registration.get(registration.id, []))
        for registration in registrations
    ]


def valid_certificates(session: Session, event_id: int) -> list[Certificate]:
    """The event's valid certificates, by the participants' names (for the ZIP)."""
    return [row.valid for row in event_certificates(session, event_id) if row.valid is not None]


# --- the verification code ---------------------------------------------------------------------


def _key() -> bytes:
    secret = current_app.config["SECRET_KEY"].encode("utf-8")
    return hmac.new(secret, KEY_PURPOSE, hashlib.sha256).digest()


def _instant(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds")


def _certified(certificate: Certificate) -> bytes:
    """What the code vouches for, in one unambiguous encoding (a JSON array)."""
    registration = certificate.registration
    event = registration.event
    return json.dumps(
        [
            certificate.id,
            _instant(certificate.issued_at),
            registration.first_name,
            registration.last_name,
            registration.municipality,
            event.title,
            _instant(event.starts_at),
            _instant(event.ends_at),
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")


def _mac(certificate: Certificate) -> str:
    digest = hmac.new(_key(), _certified(certificate), hashlib.sha256).digest()
    return base64.b32encode(digest[:MAC_BYTES]).decode("ascii").lower()


def verification_code(certificate: Certificate) -> str:
    """The certificate's number and its HMAC: "42-k7zq…", printed and in the QR code."""
    return f"{certificate.id}-{_mac(certificate)}"


def verification_url(certificate: Certificate) -> str:
    return external_url("certificates.verify", code=verification_code(certificate))


def find_by_code(session: Session, code: str) -> Certificate | None:
    """The certificate this code belongs to, revoked or not; None for any other code.

    Letters are compared in lower case (people type codes off paper); the HMAC is compared
    in constant time. An anonymised registration has no certificate any more.
    """
    if not code or len(code) > MAX_CODE_LENGTH:
        return None
    match = CODE_PATTERN.match(code.strip().lower())
    if match is None:
        return None
    certificate = session.get(Certificate, int(match.group(1)))
    if certificate is None or certificate.registration.anonymised_at is not None:
        return None
    if not hmac.compare_digest(_mac(certificate), match.group(2)):
        return None
    return certificate
