"""Creating and changing back-office accounts (used by the admin pages and the CLI)."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.backoffice.forms import MIN_PASSWORD_LENGTH
from app.models import User, UserRole, utcnow


class AccountError(Exception):
    pass


def find_user(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def check_login(
    session: Session,
    email: str,
    password: str,
    now: datetime,
    *,
    max_failures: int,
    lockout: timedelta,
) -> User:
    """The account these credentials open, marked as logged in; AccountError if they open none.

    After ``max_failures`` wrong passwords in a row the account is locked for ``lockout``, so a
    password cannot be guessed by trying; the caller commits the count either way.
    """
    user = find_user(session, email)
    if user is not None and user.locked_until and user.locked_until > now:
        raise AccountError(
            _(
                "Zu viele Fehlversuche: Das Konto ist vorübergehend gesperrt. Bitte versuchen "
                "Sie es in einigen Minuten erneut."
            )
        )
    if user is None or not user.active or not user.check_password(password):
        if user is not None:
            _count_failure(user, now, max_failures, lockout)
        raise AccountError(_("E-Mail-Adresse oder Passwort sind nicht richtig."))
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    return user


def _count_failure(user: User, now: datetime, max_failures: int, lockout: timedelta) -> None:
    user.failed_logins += 1
    if user.failed_logins >= max_failures:
        user.locked_until = now + lockout
        user.failed_logins = 0


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
        failed_logins=0,
        created_at=utcnow(),
    )
    user.set_password(password)
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, email: str, password: str) -> User:
    user = find_user(session, email)
    if user is None:
        raise AccountError(_("Kein Konto mit der Adresse %(email)s.", email=email))
    check_password_rules(password)
    user.set_password(password)
    user.failed_logins = 0
    user.locked_until = None
    return user


def deactivate_user(session: Session, email: str) -> User:
    user = find_user(session, email)
    if user is None:
        raise AccountError(_("Kein Konto mit der Adresse %(email)s.", email=email))
    user.active = False
    return user
