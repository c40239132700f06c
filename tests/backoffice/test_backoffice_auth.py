"""Logging in and out, session lifetime, password change (throttling: test_login_throttle.py,
ending sessions: test_sessions_end.py)."""

from __future__ import annotations

from datetime import timedelta

from app.extensions import limiter


def test_login_leads_to_the_programme(log_in, client, organiser):
    response = log_in(client, organiser.email)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/events")
    assert "Programm" in client.get("/admin/events").text


def test_login_returns_to_the_page_asked_for_but_never_off_site(password, client, organiser):
    response = client.post(
        "/admin/login?next=/admin/exports", data={"email": organiser.email, "password": password}
    )
    assert response.headers["Location"].endswith("/admin/exports")
    client.post("/admin/logout")
    response = client.post(
        "/admin/login?next=//evil.example/x", data={"email": organiser.email, "password": password}
    )
    assert "evil.example" not in response.headers["Location"]


def test_wrong_password_shows_an_error_at_the_field(log_in, client, organiser):
    response = log_in(client, organiser.email, "falsches-passwort")
    assert response.status_code == 422
    assert "E-Mail-Adresse oder Passwort sind nicht richtig" in response.text
    assert 'aria-invalid="true"' in response.text
    assert client.get("/admin/events").status_code == 302


def test_deactivated_accounts_cannot_log_in(log_in, client, make_user):
    user = make_user(email="weg@kts.example", active=False)
    assert log_in(client, user.email).status_code == 422


def test_login_posts_are_rate_limited_per_address(tmp_path):
    # A separate app with the limiter on: the shared test app runs with it off.
    from flask_migrate import upgrade

    from app import create_app

    limited = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'limit.sqlite'}",
        RATELIMIT_ENABLED=True,
        RATELIMIT_LOGIN="10 per minute",
    )
    try:
        with limited.app_context():
            upgrade()
        client = limited.test_client()
        form = {"email": "niemand@kts.example", "password": "falsch"}
        codes = [client.post("/admin/login", data=form).status_code for _ in range(12)]
        assert client.get("/admin/login").status_code == 200  # only the POST is limited
    finally:
        limiter.enabled = False  # back to the shared app's setting
    assert codes[:10] == [422] * 10
    assert codes[-1] == 429


def test_the_login_session_expires_after_a_working_day(log_in, client, organiser, app):
    assert app.config["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=8)
    response = log_in(client, organiser.email)
    cookie = response.headers["Set-Cookie"]
    assert "Expires=" in cookie
    assert "HttpOnly" in cookie


def test_logout_is_a_post_and_ends_the_session(orga_client):
    assert orga_client.get("/admin/logout").status_code == 405
    response = orga_client.post("/admin/logout")
    assert response.status_code == 302
    assert orga_client.get("/admin/events").status_code == 302


def test_password_change_needs_the_current_password(password, log_in, orga_client, organiser, app):
    response = orga_client.post(
        "/admin/password",
        data={
            "current_password": "falsch",
            "new_password": "ganz-neues-passwort",
            "new_password_repeat": "ganz-neues-passwort",
        },
    )
    assert response.status_code == 422
    assert "bisherige Passwort ist nicht richtig" in response.text
    response = orga_client.post(
        "/admin/password",
        data={
            "current_password": password,
            "new_password": "ganz-neues-passwort",
            "new_password_repeat": "ganz-neues-passwort",
        },
    )
    assert response.status_code == 302
    other = app.test_client()
    assert log_in(other, organiser.email).status_code == 422
    assert log_in(other, organiser.email, "ganz-neues-passwort").status_code == 302


def test_passwords_are_stored_as_scrypt_hashes(password, organiser):
    assert organiser.password_hash.startswith("scrypt:")
    assert password not in organiser.password_hash
