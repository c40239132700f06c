"""Slowing down password guessing without letting a stranger lock an organiser out.

Failed logins are counted per pair of account address and client address, and per client
address over all accounts. After a few free failures each further attempt of that key waits
a delay that doubles from one second up to a cap (OWASP ASVS 4.0 V2.2.1: anti-automation that
does not become a denial of service); a success ends the pair's delays. A stranger elsewhere
counts only against their own address, never against the organiser's.

An attempt is counted *before* its password is checked ("claimed"), in a transaction of its
own that commits at once: guesses sent in the same instant see each other's claims and only
the free ones get as far as the hash. A success then takes its own claim back.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.core.database import begin_write
from app.models.user import LoginFailure

FIRST_DELAY = timedelta(seconds=1)
PRUNE_BATCH = 100


@dataclass(frozen=True)
class LoginPolicy:
    free_failures: int  # per account and client address before delays begin
    address_free_failures: int  # per client address, over all accounts
    max_delay: timedelta
    window: timedelta  # failures are counted from the first for this long, then forgotten
    secret: bytes  # keys the hashes of the addresses

    @classmethod
    def from_config(cls, config) -> LoginPolicy:
        return cls(
            free_failures=config["LOGIN_FREE_FAILURES"],
            address_free_failures=config["LOGIN_ADDRESS_FREE_FAILURES"],
            max_delay=timedelta(seconds=config["LOGIN_MAX_DELAY_SECONDS"]),
            window=timedelta(hours=config["LOGIN_FAILURE_WINDOW_HOURS"]),
            secret=config["SECRET_KEY"].encode(),
        )


@dataclass(frozen=True)
class ThrottleKey:
    key: str
    free_failures: int
    forget_on_success: bool  # the pair starts afresh; the address only takes its claim back


def throttle_keys(email: str, client_address: str, policy: LoginPolicy) -> list[ThrottleKey]:
    """The pair's key first, then the address's: the order in which their rows are locked."""

    def digest(*parts: str) -> str:
        message = "\0".join(parts).encode()
        return hmac.new(policy.secret, message, hashlib.sha256).hexdigest()

    address = client_address or "unknown"
    return [
        ThrottleKey(digest("pair", email.strip().lower(), address), policy.free_failures, True),
        ThrottleKey(digest("address", address), policy.address_free_failures, False),
    ]


def delay_after(failures: int, free_failures: int, max_delay: timedelta) -> timedelta:
    """How long the next attempt must wait after ``failures`` counted attempts."""
    if failures < free_failures:
        return timedelta(0)
    doublings = min(failures - free_failures, 32)  # 2**32 s is far beyond any cap
    return min(FIRST_DELAY * 2**doublings, max_delay)


def claim_attempts(
    session: Session, keys: list[ThrottleKey], now: datetime, policy: LoginPolicy
) -> bool:
    """Count an attempt for every key and commit, or change nothing and return False while
    any key must still wait."""
    begin_write(session)
    _prune(session, now - policy.window)
    for key in keys:
        if not _claim(session, key, now, policy):
            session.rollback()
            return False
    session.commit()
    return True


def _claim(session: Session, key: ThrottleKey, now: datetime, policy: LoginPolicy) -> bool:
    # Compare and set: on PostgreSQL two claims of one key may run at once; the loser re-reads.
    # Each lost round means another claim counted, so the key reaches its wait within a few.
    for _ in range(key.free_failures + 3):
        row = session.execute(
            select(
                LoginFailure.failures, LoginFailure.first_failure_at, LoginFailure.last_failure_at
            ).where(LoginFailure.key == key.key)
        ).first()
        if row is None:
            if _insert_first(session, key.key, now):
                return True
            continue
        failures, first = row.failures, row.first_failure_at
        wait = delay_after(failures, key.free_failures, policy.max_delay)
        if first <= now - policy.window:
            failures, first = 0, now  # its window has passed: forgotten
        elif wait and now < row.last_failure_at + wait:
            # (Only with a wait: a request that read its clock just before another one's
            # claim would otherwise see that claim "in the future".)
            return False
        counted = session.execute(
            update(LoginFailure)
            .where(LoginFailure.key == key.key, LoginFailure.failures == row.failures)
            .values(failures=failures + 1, first_failure_at=first, last_failure_at=now)
        )
        if counted.rowcount == 1:
            return True
    return False


def _insert_first(session: Session, key: str, now: datetime) -> bool:
    dialect = session.get_bind().dialect.name
    dialect_insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    inserted = session.execute(
        dialect_insert(LoginFailure)
        .values(key=key, failures=1, first_failure_at=now, last_failure_at=now)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(LoginFailure.key)  # (rowcount is not reliable here on every driver)
    )
    return inserted.first() is not None


def take_back_claims(session: Session, keys: list[ThrottleKey]) -> None:
    """After a success: the pair starts afresh, the address forgets this one attempt."""
    for key in keys:
        if key.forget_on_success:
            session.execute(delete(LoginFailure).where(LoginFailure.key == key.key))
        else:
            session.execute(
                update(LoginFailure)
                .where(LoginFailure.key == key.key, LoginFailure.failures > 0)
                .values(failures=LoginFailure.failures - 1)
            )


def _prune(session: Session, cutoff: datetime) -> None:
    # Rows whose window has passed count for nothing: a few are dropped with each attempt, so
    # the table stays small and keeps no hash of an address longer than needed (Art. 5(1)(e)
    # DSGVO). Rows another attempt holds are skipped: pruning never waits and never deadlocks.
    stale = (
        select(LoginFailure.key)
        .where(LoginFailure.first_failure_at <= cutoff)
        .limit(PRUNE_BATCH)
        .with_for_update(skip_locked=True)
    )
    session.execute(delete(LoginFailure).where(LoginFailure.key.in_(stale.scalar_subquery())))
