"""Protection of the public forms: rate limit, honeypot, headers, cookies, production secrets."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app import create_app
from app.models import OutboxMessage, Registration
from config import INSECURE_SECRET_KEY

LONG_SECRET = "k" * 48


def test_rate_limit_gives_a_friendly_german_429_page(other_app, make_event, form_data, session):
    limited = other_app(RATELIMIT_ENABLED=True, RATELIMIT_PUBLIC_FORMS="3 per minute")
    event = make_event()
    client = limited.test_client()
    url = f"/events/{event.slug}/register"

    answers = [
        client.post(url, data=form_data(email=f"person{n}@kommune.example")).status_code
        for n in range(3)
    ]
    blocked = client.post(url, data=form_data(email="person4@kommune.example"))

    assert answers == [302, 302, 302]
    assert blocked.status_code == 429
    assert "Zu viele Anfragen" in blocked.text
    assert "Bitte warten Sie eine Minute" in blocked.text
    assert blocked.headers["Retry-After"]
    assert blocked.headers["Content-Security-Policy"]
    session.rollback()  # end the read snapshot taken before the other app wrote
    assert session.scalar(select(func.count(Registration.id))) == 3
    # Reading pages is not limited, only sending forms.
    assert client.get(url).status_code == 200


def test_behind_a_trusted_proxy_each_visitor_has_their_own_limit(other_app, make_event, form_data):
    proxied = other_app(
        RATELIMIT_ENABLED=True, RATELIMIT_PUBLIC_FORMS="2 per minute", TRUSTED_PROXIES=1
    )
    event = make_event()
    client = proxied.test_client()
    url = f"/events/{event.slug}/register"

    def post(visitor: str, n: int) -> int:
        return client.post(
            url,
            data=form_data(email=f"v{n}@kommune.example"),
            headers={"X-Forwarded-For": visitor},
            environ_base={"REMOTE_ADDR": "10.0.0.1"},  # the proxy
        ).status_code

    assert [post("203.0.113.7", n) for n in range(3)] == [302, 302, 429]
    # Another municipality behind the same proxy is not blocked by the first one's requests.
    assert post("198.51.100.9", 3) == 302


def test_self_service_buttons_are_rate_limited_too(
    other_app, make_event, make_registration, session
):
    limited = other_app(RATELIMIT_ENABLED=True, RATELIMIT_PUBLIC_FORMS="2 per minute")
    registration = make_registration(make_event())
    client = limited.test_client()

    statuses = [client.post(f"/r/{registration.token}/confirm").status_code for _ in range(3)]

    assert statuses == [302, 302, 429]


def test_filled_honeypot_stores_nothing_but_looks_like_success(
    client, session, make_event, form_data
):
    event = make_event()

    bot = client.post(
        f"/events/{event.slug}/register", data=form_data(website="https://spam.example")
    )
    person = client.post(f"/events/{event.slug}/register", data=form_data(email="echt@a.de"))

    assert bot.status_code == person.status_code == 302
    assert bot.headers["Location"] == person.headers["Location"]
    assert session.scalars(select(Registration.email)).all() == ["echt@a.de"]
    assert session.scalars(select(OutboxMessage.recipient)).all() == ["echt@a.de"]


def test_honeypot_is_hidden_from_people(client, make_event):
    event = make_event()

    html = client.get(f"/events/{event.slug}/register").text

    assert '<div class="honeypot" aria-hidden="true">' in html
    assert 'name="website" tabindex="-1" autocomplete="off"' in html


@pytest.mark.parametrize(
    "path", ["/", "/archiv", "/events/{slug}", "/events/{slug}/register", "/gibt-es-nicht"]
)
def test_security_headers_on_every_page(client, make_event, path):
    event = make_event()

    response = client.get(path.format(slug=event.slug))

    csp = response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_security_headers_on_error_and_static_responses(client):
    for response in (
        client.post("/"),  # 405
        client.get("/static/css/site.css"),
        client.get("/?q=%00"),  # 400
    ):
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_carry_no_inline_script_or_style(client, make_event, make_registration):
    event = make_event()
    registration = make_registration(event)
    for path in (
        "/",
        f"/events/{event.slug}",
        f"/events/{event.slug}/register",
        f"/r/{registration.token}",
        "/gibt-es-nicht",
    ):
        html = client.get(path).text
        assert " style=" not in html, path
        assert "<style" not in html, path
        for script in html.split("<script")[1:]:
            assert script.lstrip().startswith('src="/static/'), path
        assert "http://" not in html.replace("http://startsmart.test", ""), path


def test_session_cookie_is_httponly_and_samesite(client):
    response = client.get("/?lang=en")

    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # tests run over plain http


def test_production_session_cookie_is_secure(other_app):
    production = other_app(
        "production",
        SECRET_KEY=LONG_SECRET,
        RATELIMIT_ENABLED=False,
        SQLALCHEMY_DATABASE_URI="sqlite://",
    )

    response = production.test_client().get("/gibt-es-nicht?lang=en")

    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert response.status_code == 404
    assert '<html lang="en">' in response.text


@pytest.mark.parametrize("secret", [INSECURE_SECRET_KEY, "", "too-short"])
def test_production_refuses_to_start_without_a_real_secret_key(secret):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production", SECRET_KEY=secret, SQLALCHEMY_DATABASE_URI="sqlite://")
