"""Logging out, a new password, deactivation and "Überall abmelden" end the account's sessions.

A session is a signed cookie; a copy of it (taken from a shared computer, a proxy log, a
stolen laptop) must open nothing once the account's sessions were ended, on any server.
"""

from __future__ import annotations

from fixtures_backoffice import log_in
from flask import g

NEW_PASSWORD = "ganz-neues-passwort"


def visit(client, path="/admin/events"):
    g.pop("_login_user", None)  # judged by this client's cookie alone (see fixtures_backoffice)
    return client.get(path)


def copy_of_session(app, client):
    """Another browser holding the same session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def is_signed_in(client) -> bool:
    response = visit(client)
    if response.status_code == 302:
        assert "/admin/login" in response.headers["Location"]
        return False
    assert response.status_code == 200
    return True


def signed_in_client(app, email):
    client = app.test_client()
    assert log_in(client, email).status_code == 302
    return client


def test_a_cookie_copied_before_logout_opens_nothing_after_it(app, organiser):
    browser = signed_in_client(app, organiser.email)
    copy = copy_of_session(app, browser)
    assert is_signed_in(copy)

    g.pop("_login_user", None)
    browser.post("/admin/logout")

    assert not is_signed_in(browser)
    assert not is_signed_in(copy)
    assert is_signed_in(signed_in_client(app, organiser.email))  # a new login works


def test_a_new_password_ends_other_sessions_and_keeps_this_one(app, organiser, password):
    browser = signed_in_client(app, organiser.email)
    copy = copy_of_session(app, browser)
    elsewhere = signed_in_client(app, organiser.email)

    g.pop("_login_user", None)
    response = browser.post(
        "/admin/password",
        data={
            "current_password": password,
            "new_password": NEW_PASSWORD,
            "new_password_repeat": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302
    assert is_signed_in(browser)
    assert not is_signed_in(copy)
    assert not is_signed_in(elsewhere)


def test_deactivation_ends_the_accounts_sessions(app, admin_client, organiser):
    browser = signed_in_client(app, organiser.email)

    g.pop("_login_user", None)
    admin_client.post(f"/admin/users/{organiser.id}/deactivate")

    assert not is_signed_in(browser)
    assert is_signed_in(admin_client)


def test_an_admin_signs_an_account_out_everywhere(app, admin_client, organiser, audit_entries):
    phone, desk = (signed_in_client(app, organiser.email) for _ in range(2))
    users_page = visit(admin_client, "/admin/users").text
    assert f'action="/admin/users/{organiser.id}/sign-out"' in users_page
    assert "Überall abmelden" in users_page

    g.pop("_login_user", None)
    response = admin_client.post(f"/admin/users/{organiser.id}/sign-out")

    assert response.status_code == 302
    assert "ist jetzt überall abgemeldet" in visit(admin_client, "/admin/users").text
    assert not is_signed_in(phone)
    assert not is_signed_in(desk)
    assert is_signed_in(admin_client)
    [entry] = audit_entries("user.signed_out_everywhere")
    assert (entry.target_type, entry.target_id) == ("user", organiser.id)
    assert entry.actor == "admin@kts.example"
    assert is_signed_in(signed_in_client(app, organiser.email))  # and may log in again


def test_only_admins_sign_others_out_and_only_by_post(app, admin_client, make_user):
    colleague = make_user(email="kollege@kts.example")
    organiser = signed_in_client(app, make_user(email="orga2@kts.example").email)
    colleagues_browser = signed_in_client(app, colleague.email)

    g.pop("_login_user", None)
    assert organiser.post(f"/admin/users/{colleague.id}/sign-out").status_code == 403
    g.pop("_login_user", None)
    assert admin_client.get(f"/admin/users/{colleague.id}/sign-out").status_code == 405
    assert is_signed_in(colleagues_browser)
