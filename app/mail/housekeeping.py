"""The worker's housekeeping: jobs the domains register, run before each delivery round.

The mail layer knows no domain. Booking registers the expiry of offers and unconfirmed
registrations, the intake the lapse of unconfirmed expressions of interest, the feeds the
pruning of stored VEVENTs; `flask worker` (and, in development, the inline delivery) runs them
all. Each job takes the session and the clock, and commits its own work.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from flask import Flask, current_app
from sqlalchemy.orm import Session

from app.core.database import TryAgain
from app.models import utcnow

log = logging.getLogger(__name__)

Job = Callable[[Session, datetime], object]
REGISTRY = "startsmart_housekeeping"


def register_job(app: Flask, name: str, job: Job) -> None:
    app.extensions.setdefault(REGISTRY, {})[name] = job


def registered_jobs(app: Flask | None = None) -> dict[str, Job]:
    return dict((app or current_app).extensions.get(REGISTRY, {}))


def run_housekeeping(session: Session, now: datetime | None = None) -> None:
    """Every registered job once; a job whose lock is busy waits for the next round."""
    now = now or utcnow()
    for name, job in registered_jobs().items():
        try:
            job(session, now)
        except TryAgain:  # another process holds the lock
            session.rollback()
            log.info("housekeeping job %s postponed: lock busy", name)
