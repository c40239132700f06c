"""Back-office fixtures: accounts, logging in, a client logged in as an organiser or an admin,
and the audit log."""

from __future__ import annotations

import pytest
from flask import g
from sqlalchemy import select

from app.backoffice.accounts import create_user
from app.models import AuditEntry

PASSWORD = "richtig-langes-passwort"


@pytest.fixture
def make_user(session):
    def factory(
        email="orga@kts.example", role="organiser", password=PASSWORD, active=True, name="Olga Orga"
    ):
        user = create_user(session, email, password, role, name=name)
        user.active = active
        session.commit()
        return user

    return factory


def log_in(client, email, password=PASSWORD):
    # The test's app context outlives requests, and Flask-Login caches the user in ``g``:
    # forget it so that each client is judged by its own session cookie, as in production.
    g.pop("_login_user", None)
    return client.post("/admin/login", data={"email": email, "password": password})


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture(name="log_in")
def log_in_fixture():
    return log_in


@pytest.fixture
def organiser(make_user):
    return make_user()


@pytest.fixture
def orga_client(client, organiser):
    response = log_in(client, organiser.email)
    assert response.status_code == 302
    return client


@pytest.fixture
def admin_client(client, make_user):
    admin = make_user(email="admin@kts.example", role="admin")
    assert log_in(client, admin.email).status_code == 302
    return client


@pytest.fixture
def audit_entries(session):
    def read(action=None):
        query = select(AuditEntry).order_by(AuditEntry.id)
        if action:
            query = query.where(AuditEntry.action == action)
        session.expire_all()
        return list(session.scalars(query))

    return read
