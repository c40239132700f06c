"""Back-office accounts: creating and changing them, checking a login, ending their sessions
(used by the pages, the login manager and the CLI)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.backoffice.forms import MIN_PASSWORD_LENGTH
from app.backoffice.throttle import LoginPolicy, claim_attempts, take_back_claims, throttle_keys
from app.core.audit import record
from app.core.database import begin_write
from app.models import User, UserRole, utcnow
from app.models.user import password_matches


class AccountError(Exception):
    pass


class WrongCredentials(AccountError):
    """An unknown address, a deactivated account or a wrong password: one answer for all."""

    def __init__(self):
        super().__init__(_("E-Mail-Adresse oder Passwort sind nicht richtig."))


class LoginThrottled(AccountError):
    """Too many recent failures of this account address from this client address, or of this
    client address: the attempt was not checked."""

    def __init__(self):
        super().__init__(
            _(
                "Zu viele Anmeldeversuche. Bitte warten Sie einen Moment und versuchen Sie es "
                "dann erneut."
            )
        )


def find_user(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def check_login(
    session: Session,
    email: str,
    password: str,
    client_address: str,
    now: datetime,
    policy: LoginPolicy,
) -> User:
    """The account these credentials open, marked as logged in (the caller commits that);
    AccountError if they open none.

    Unknown addresses, deactivated accounts and wrong passwords get the same error after the
    same work, a password hash, so neither the answer nor its time says who has an account.
    While the attempt must wait (see app.backoffice.throttle) LoginThrottled comes before any
    password is checked, alike for every address typed. The attempt is counted and committed
    before the hash, so that guesses sent at the same moment see each other.
    """
    keys = throttle_keys(email, client_address, policy)
    if not claim_attempts(session, keys, now, policy):
        raise LoginThrottled()
    user = find_user(session, email)
    user_id = user.id if user is not None and user.active else None
    password_hash = user.password_hash if user_id is not None else None
    session.commit()  # no transaction (on SQLite: no write lock) held during the slow hash
    if not password_matches(password_hash, password):
        raise WrongCredentials()
    begin_write(session)
    user = session.get(User, user_id)
    if user is None or not user.active:  # deactivated in the meantime
        raise WrongCredentials()
    take_back_claims(session, keys)
    user.last_login_at = now
    return user


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            _("Das Passwort muss mindestens %(num)d Zeichen lang sein.", num=MIN_PASSWORD_LENGTH)
        )


def create_user(session: Session, email: str, password: str, role: str, name: str = "") -> User:
    if find_user(session, email) is not None:
        raise AccountError(_("Ein Konto mit der Adresse %(email)s gibt es schon.", email=email))
    check_password_rules(password)
    user = User(
        email=email.strip().lower(),
        name=name.strip(),
        role=UserRole(role),
        active=True,
        created_at=utcnow(),
    )
    user.set_password(password)
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, email: str, password: str) -> User:
    """A new password (set by the command line); every session of the account ends."""
    user = find_user(session, email)
    if user is None:
        raise AccountError(_("Kein Konto mit der Adresse %(email)s.", email=email))
    check_password_rules(password)
    user.set_password(password)
    end_sessions(user)
    return user


def change_password(user: User, password: str) -> None:
    """The account holder's new password: every session ends, the caller signs in anew."""
    check_password_rules(password)
    user.set_password(password)
    end_sessions(user)


def deactivate_user(session: Session, email: str) -> User:
    user = find_user(session, email)
    if user is None:
        raise AccountError(_("Kein Konto mit der Adresse %(email)s.", email=email))
    user.active = False
    end_sessions(user)
    return user


def end_sessions(user: User) -> None:
    """Every session of the account, on every server, opens nothing any more (user_for_session
    compares the version each session carries)."""
    user.session_version += 1


def sign_out_everywhere(session: Session, actor: User, user: User) -> None:
    """An administrator ends every session of ``user``, recorded in the audit log."""
    before = {"session_version": user.session_version}
    end_sessions(user)
    record(
        session,
        actor,
        "user.signed_out_everywhere",
        user,
        before,
        {"session_version": user.session_version},
    )


def user_for_session(session: Session, session_id: str) -> User | None:
    """The active account a session's ``"<id>:<version>"`` belongs to, if its version is
    current; None for an ended session (logged out, new password, deactivated, signed out
    everywhere) and for anything malformed."""
    user_id, _colon, version = session_id.partition(":")
    try:
        user = session.get(User, int(user_id))
        current = user is not None and user.session_version == int(version)
    except ValueError:
        return None
    return user if current and user.active else None
