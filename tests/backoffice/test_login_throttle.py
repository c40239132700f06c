"""The login tells nobody who has an account, and nobody can lock an organiser out.

Unknown addresses, wrong passwords and deactivated accounts get the same answer after the same
work (a password hash each time); repeated failures slow down only the pair of account and
client address that failed (and, far later, that client address), with delays that double.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from crowd import run_at_once
from flask import g
from sqlalchemy import select
from werkzeug.security import generate_password_hash

import app.backoffice.pages as login_pages
import app.models.user as user_model
from app.backoffice.accounts import AccountError, LoginThrottled, check_login
from app.backoffice.throttle import LoginPolicy
from app.models import User, utcnow
from app.models.user import LoginFailure

WRONG = "falsch-falsch-falsch"
OFFICE, STRANGER = "192.0.2.10", "203.0.113.66"


@pytest.fixture
def clock(monkeypatch):
    """The login pages' clock, standing still until a test moves it."""

    class Clock:
        now = utcnow().replace(microsecond=0)

        def advance(self, **delta):
            self.now += timedelta(**delta)

    frozen = Clock()
    monkeypatch.setattr(login_pages, "utcnow", lambda: frozen.now)
    return frozen


def attempt(client, email, password, address=OFFICE):
    g.pop("_login_user", None)  # judged by this client's cookie alone (see fixtures_backoffice)
    return client.post(
        "/admin/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def page(response, email) -> tuple[int, str]:
    """Status and page with the typed address (echoed in the e-mail field) blanked out."""
    return response.status_code, response.text.replace(email, "ADDRESS")


def test_unknown_addresses_and_deactivated_accounts_run_a_password_hash_too(
    client, organiser, make_user, monkeypatch
):
    deactivated = make_user(email="weg@kts.example", active=False)
    calls = []

    def counting_check(password_hash, password):
        calls.append(password_hash)
        return check_password_hash(password_hash, password)

    check_password_hash = user_model.check_password_hash
    monkeypatch.setattr(user_model, "check_password_hash", counting_check)

    for email in ("niemand@kts.example", organiser.email, deactivated.email):
        calls.clear()
        assert attempt(client, email, WRONG).status_code == 422
        assert len(calls) == 1, email
        assert calls[0].startswith("scrypt:32768:8:1$"), "a hash of the same cost"


def test_the_stand_in_hash_costs_as_much_as_a_real_password(organiser):
    method = organiser.password_hash.split("$")[0]
    assert user_model.STAND_IN_HASH.split("$")[0] == method


def test_unknown_wrong_and_throttled_read_the_same_for_every_address(
    client, organiser, password, clock
):
    unknown = "niemand@kts.example"
    answers = []
    for _ in range(6):  # past the old lockout after five
        answers.append(
            (
                page(attempt(client, unknown, WRONG), unknown),
                page(attempt(client, organiser.email, WRONG), organiser.email),
            )
        )
    # While throttled, even the right password gets the same answer as anybody else.
    answers.append(
        (
            page(attempt(client, unknown, WRONG), unknown),
            page(attempt(client, organiser.email, password), organiser.email),
        )
    )

    for for_unknown, for_organiser in answers:
        assert for_unknown == for_organiser
    statuses = {status for (status, _), _ in answers}
    assert statuses == {422}
    assert "E-Mail-Adresse oder Passwort sind nicht richtig" in answers[0][0][1]
    assert "Bitte warten Sie einen Moment" in answers[-1][0][1]
    assert all("gesperrt" not in text for (_, text), _ in answers)


def test_a_stranger_elsewhere_never_delays_the_organiser(client, organiser, password, clock):
    for _ in range(20):
        attempt(client, organiser.email, WRONG, address=STRANGER)
    assert attempt(client, organiser.email, WRONG, address=STRANGER).status_code == 422

    response = attempt(client, organiser.email, password, address=OFFICE)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/events")


def test_the_wait_doubles_and_a_success_ends_it(client, organiser, password, clock):
    for _ in range(3):  # LOGIN_FREE_FAILURES
        attempt(client, organiser.email, WRONG)
    assert "Bitte warten" in attempt(client, organiser.email, password).text
    clock.advance(seconds=1)
    assert "nicht richtig" in attempt(client, organiser.email, WRONG).text  # checked again
    clock.advance(seconds=1)
    assert "Bitte warten" in attempt(client, organiser.email, password).text  # now 2 s
    clock.advance(seconds=1)
    assert attempt(client, organiser.email, password).status_code == 302
    client.post("/admin/logout")

    for _ in range(3):  # a fresh start: the free attempts again
        assert "nicht richtig" in attempt(client, organiser.email, WRONG).text


POLICY = LoginPolicy(
    free_failures=3,
    address_free_failures=100,
    max_delay=timedelta(minutes=5),
    window=timedelta(hours=24),
    secret=b"test",
)


def refusal(session, email, password, address, now, policy=POLICY):
    try:
        check_login(session, email, password, address, now, policy)
    except LoginThrottled:
        return "wait"
    except AccountError:
        return "wrong"
    finally:
        session.commit()
    return "in"


def test_the_wait_doubles_up_to_the_cap(session, organiser, now):
    for _ in range(3):
        refusal(session, organiser.email, WRONG, OFFICE, now)
    for wait in (1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300):
        just_before = now + timedelta(seconds=wait - 0.5)
        assert refusal(session, organiser.email, WRONG, OFFICE, just_before) == "wait", wait
        now += timedelta(seconds=wait)
        assert refusal(session, organiser.email, WRONG, OFFICE, now) == "wrong", wait


def test_many_accounts_tried_from_one_address_slow_that_address_only(
    session, make_user, password, now
):
    colleague = make_user(email="kollegin@kts.example")
    policy = replace(POLICY, address_free_failures=5)
    for number in range(5):
        assert refusal(session, f"n{number}@kts.example", WRONG, STRANGER, now, policy) == "wrong"
    assert refusal(session, colleague.email, password, STRANGER, now, policy) == "wait"
    assert refusal(session, colleague.email, password, OFFICE, now, policy) == "in"


def test_failures_are_forgotten_a_day_after_the_first(session, organiser, now):
    for _ in range(3):
        refusal(session, organiser.email, WRONG, OFFICE, now)
    refusal(session, organiser.email, WRONG, OFFICE, now + timedelta(seconds=1))
    later = now + timedelta(hours=25)
    answers = [refusal(session, organiser.email, WRONG, OFFICE, later) for _ in range(4)]
    assert answers == ["wrong", "wrong", "wrong", "wait"]  # the free attempts again


def test_failed_logins_are_not_kept_past_their_window(session, organiser, now):
    refusal(session, organiser.email, WRONG, STRANGER, now)
    refusal(session, "jemand@kts.example", WRONG, OFFICE, now + timedelta(hours=25))
    kept = session.scalars(select(LoginFailure.first_failure_at)).all()
    assert kept == [now + timedelta(hours=25)] * 2  # the new pair and address only


def test_simultaneous_guesses_get_no_more_than_the_free_attempts(wide_app, session, now):
    # Ten guesses in the same instant: the attempt is counted before its hash is checked, so
    # only the free ones are checked at all.
    session.add(
        User(
            email="ziel@kts.example",
            password_hash=generate_password_hash("richtig-langes-passwort", method="scrypt"),
            created_at=now,
        )
    )
    session.commit()

    def guess(session):
        return refusal(session, "ziel@kts.example", WRONG, STRANGER, now)

    outcome = run_at_once(wide_app, [guess] * 10)

    assert outcome.errors == []
    assert sorted(outcome.results) == ["wait"] * 7 + ["wrong"] * 3
