"""The expression-of-interest self-service: its buttons are rate-limited like every public
button (booking or cancelling sends two mails), and a repeated form mails the link at most
once an hour."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.intake.errors import DuplicateInterest
from app.intake.interest import REMINDER_INTERVAL, submit_interest


@pytest.mark.parametrize("action", ["bestaetigen", "termin", "termin/absagen"])
def test_interest_buttons_are_rate_limited(other_app, make_interest, make_slot, action):
    limited = other_app(RATELIMIT_ENABLED=True, RATELIMIT_PUBLIC_FORMS="2 per minute")
    interest = make_interest()
    slot = make_slot()
    client = limited.test_client()
    url = f"/interessensbekundung/{interest.token}/{action}"

    statuses = [client.post(url, data={"slot_id": str(slot.id)}).status_code for _ in range(3)]

    assert statuses == [302, 302, 429]


def test_a_repeated_expression_of_interest_reminds_at_most_once_an_hour(
    session, make_interest_application, now, outbox
):
    application = make_interest_application()
    submit_interest(session, application, now)
    session.commit()

    hour = int(REMINDER_INTERVAL.total_seconds() // 60)
    for minutes in (0, 30, hour - 1, hour):
        with pytest.raises(DuplicateInterest):
            submit_interest(session, application, now + timedelta(minutes=minutes))
        session.commit()

    # At 0 and 60 minutes (REMINDER_INTERVAL after the first), not at 30 or 59.
    assert len(outbox("interest_link_reminder")) == 2
