"""Personal links: one random token per registration, opening that registration only."""

import re

import pytest
from links import token_in

from app.booking.errors import RegistrationNotFound
from app.booking.registration import cancel_registration, find_by_token
from app.models import RegistrationStatus

S = RegistrationStatus


def test_tokens_carry_at_least_128_random_bits_and_are_unique(make_event, submit):
    event = make_event(capacity=50)
    tokens = [submit(event).token for _ in range(30)]

    assert len(set(tokens)) == len(tokens)
    for token in tokens:
        assert re.fullmatch(r"[A-Za-z0-9_-]+", token)  # URL-safe base64: 6 bits a character
        assert len(token) * 6 >= 128


def test_a_token_opens_its_own_registration_only(session, make_event, submit):
    event = make_event()
    first, second = submit(event), submit(event)

    assert find_by_token(session, first.token).id == first.id
    assert find_by_token(session, second.token).id == second.id


@pytest.mark.parametrize(
    "mangle",
    [
        pytest.param(lambda token: token[:-1], id="shortened"),
        pytest.param(lambda token: token + "x", id="lengthened"),
        pytest.param(lambda token: token.upper(), id="other-case"),
        pytest.param(lambda token: "", id="empty"),
        pytest.param(lambda token: token * 3, id="very-long"),
    ],
)
def test_an_altered_token_opens_nothing(session, make_event, submit, mangle):
    registration = submit(make_event())

    with pytest.raises(RegistrationNotFound):
        find_by_token(session, mangle(registration.token))


def test_cancelling_through_a_token_touches_no_other_registration(
    session, make_event, register, now
):
    event = make_event()
    mine, theirs = register(event), register(event)

    cancel_registration(session, mine.token, now)
    session.commit()

    assert mine.status == S.CANCELLED
    assert theirs.status == S.CONFIRMED


def test_every_mail_carries_a_personal_link_to_its_own_registration(
    session, make_event, register, now, outbox
):
    event = make_event(capacity=1)
    confirmed, _waiting = register(event), register(event)
    cancel_registration(session, confirmed.token, now)
    session.commit()

    mails = outbox()
    assert {mail.kind for mail in mails} >= {"opt_in", "confirmed", "waitlisted", "promoted"}
    for mail in mails:
        owner = find_by_token(session, token_in(mail.body_text))
        assert owner.id == mail.registration_id, mail.kind
