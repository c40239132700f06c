from sqlalchemy import select

from app.booking.registration import Applicant, confirm_email, submit_registration
from app.models import OutboxMessage, RegistrationStatus, utcnow


def applicant(n, **kw):
    values = dict(
        municipality=f"Stadt {n}",
        state="09",
        first_name="A",
        last_name=f"B{n}",
        email=f"p{n}@x.example",
    )
    values.update(kw)
    return Applicant(**values)


def test_confirm_fills_then_waitlists(session, make_event):
    event = make_event(capacity=2)
    tokens = []
    for n in range(3):
        reg = submit_registration(session, event, applicant(n), utcnow())
        session.commit()
        tokens.append(reg.token)
    results = []
    for token in tokens:
        result = confirm_email(session, token, utcnow())
        session.commit()
        results.append((result.allocation.status, result.allocation.position))
    assert results == [
        (RegistrationStatus.CONFIRMED, None),
        (RegistrationStatus.CONFIRMED, None),
        (RegistrationStatus.WAITLISTED, 1),
    ]
    kinds = session.scalars(select(OutboxMessage.kind).order_by(OutboxMessage.id)).all()
    assert kinds.count("opt_in") == 3 and kinds.count("confirmed") == 2
