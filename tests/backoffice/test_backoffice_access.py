"""Every back-office URL needs a login; account management needs the admin role."""

from __future__ import annotations

import pytest

PLACEHOLDERS = {"int": "1", "default": "x"}
ADMIN_ONLY = {"backoffice.user_list", "backoffice.user_deactivate", "backoffice.user_sign_out"}


def admin_urls(app):
    """Every registered /admin rule with each of its methods, arguments filled in."""
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/admin"):
            continue
        url = rule.rule
        for argument in rule.arguments:
            converter = type(rule._converters[argument]).__name__
            value = "1" if converter == "IntegerConverter" else "x"
            url = url.replace(f"<int:{argument}>", value).replace(f"<{argument}>", value)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, url


def test_the_walk_covers_the_whole_back_office(app):
    endpoints = {endpoint for endpoint, _, _ in admin_urls(app)}
    assert len(endpoints) >= 25
    assert {
        "checkin.checkin",
        "reporting_admin.event_export",
        "booking_admin.registration_promote",
    } <= endpoints


def test_every_back_office_url_redirects_anonymous_visitors_to_the_login(client, app):
    checked = 0
    for endpoint, method, url in admin_urls(app):
        if endpoint == "backoffice.login":
            continue
        response = client.open(url, method=method)
        assert response.status_code == 302, (method, url, response.status_code)
        assert "/admin/login" in response.headers["Location"], (method, url)
        assert b"<table" not in response.data
        checked += 1
    assert checked >= 25


def test_the_login_page_is_the_only_page_open_to_anonymous_visitors(client):
    response = client.get("/admin/login")
    assert response.status_code == 200
    assert "Anmeldung für das Organisationsteam" in response.text


def test_organisers_get_403_on_every_admin_only_url(orga_client, app):
    walked = [(e, m, u) for e, m, u in admin_urls(app) if e in ADMIN_ONLY]
    assert {e for e, _, _ in walked} == ADMIN_ONLY
    for _endpoint, method, url in walked:
        response = orga_client.open(url, method=method)
        assert response.status_code == 403, (method, url)


def test_admins_may_manage_accounts(admin_client, make_user):
    other = make_user(email="zweite@kts.example")
    page = admin_client.get("/admin/users")
    assert page.status_code == 200
    assert other.email in page.text
    response = admin_client.post(f"/admin/users/{other.id}/deactivate")
    assert response.status_code == 302
    assert "Deaktiviert" in admin_client.get("/admin/users").text


def test_admin_creates_an_account_that_can_log_in(log_in, admin_client, app):
    response = admin_client.post(
        "/admin/users",
        data={
            "email": "neu@kts.example",
            "name": "Nele Neu",
            "role": "organiser",
            "password": "ein-sicheres-passwort",
        },
    )
    assert response.status_code == 302
    other = app.test_client()
    assert log_in(other, "neu@kts.example", "ein-sicheres-passwort").status_code == 302
    assert other.get("/admin/events").status_code == 200


@pytest.mark.parametrize("password", ["kurz"])
def test_admin_account_form_refuses_short_passwords(admin_client, password):
    response = admin_client.post(
        "/admin/users", data={"email": "neu@kts.example", "role": "organiser", "password": password}
    )
    assert response.status_code == 422
    assert "mindestens 12 Zeichen" in response.text
