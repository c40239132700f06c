"""Personal links to a registration: minted for each mail, stored only as hashes.

Only the SHA-256 of a token is stored (``app.core.tokens``), so a mail queued later (a seat
passed on by the waiting list, an offer, a change to the event, a resend by an organiser, an
organisers' message) cannot repeat the link of an earlier mail: nobody knows that token any
more. Each such mail gets a new link of its own instead, and every link stays valid until the
registration is anonymised or erased. The alternative, one link replaced by each new mail,
would make the link in the confirmation mail, the one people keep, stop working as soon as
any later mail went out; a link a person holds must keep working.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from app.core.tokens import get_by_token, hash_token, new_token
from app.core.urls import external_url
from app.models import Registration, RegistrationLink


def issue_link(session: Session, registration: Registration, now: datetime) -> str:
    """A new personal token for ``registration``; returns it (also left in ``.token``).

    The plain token lives only in memory, for the mail being made now in this transaction.
    """
    token = new_token()
    session.add(
        RegistrationLink(registration=registration, token_hash=hash_token(token), created_at=now)
    )
    registration.token = token
    return token


def manage_url(session: Session, registration: Registration, now: datetime) -> str:
    """The address of the person's self-service page, with a link minted for this mail."""
    return external_url("booking.manage", token=issue_link(session, registration, now))


def find_registration(session: Session, token: str, not_found) -> Registration:
    """The one registration this personal link opens; ``not_found`` is raised for any other."""
    return get_by_token(session, RegistrationLink.token_hash, token, not_found, entity=Registration)


def revoke_links(session: Session, registration_ids: list[int]) -> int:
    """End every personal link of these registrations (anonymisation, erasure)."""
    if not registration_ids:
        return 0
    result = session.execute(
        delete(RegistrationLink)
        .where(RegistrationLink.registration_id.in_(registration_ids))
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0
