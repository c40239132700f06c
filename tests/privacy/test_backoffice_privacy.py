"""DSGVO: anonymising after the retention period (cron command), access and erasure by
e-mail address in the back office, and the public privacy notice."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from app.core.audit import record, snapshot
from app.mail.outbox import MailContent, enqueue
from app.models import (
    AuditEntry,
    ExpressionOfInterest,
    Registration,
    RegistrationStatus,
    utcnow,
)

S = RegistrationStatus


def ended_months_ago(make_event, months: float):
    start = utcnow() - timedelta(days=months * 30.5)
    return make_event(starts_at=start - timedelta(hours=3), ends_at=start)


def mail_to(session, registration, kind="confirmed"):
    enqueue(
        session,
        kind,
        MailContent(registration.email, "Betreff", f"Hallo {registration.full_name}"),
        registration.id,
    )
    session.commit()


# --- flask privacy anonymise ---------------------------------------------------------------


def test_anonymise_command_removes_personal_data_after_the_retention_period(
    runner, session, make_event, make_registration, outbox, client
):
    old = ended_months_ago(make_event, 13)
    recent = ended_months_ago(make_event, 11)
    gone = make_registration(
        old,
        S.CONFIRMED,
        first_name="Greta",
        last_name="Geheim",
        email="greta@kommune.example",
        role="Amtsleitung",
        municipality="Fürth",
        ags="09563000",
        attendance="attended",
    )
    kept = make_registration(recent, S.CONFIRMED, first_name="Karl", email="karl@kommune.example")
    old_token = gone.token
    mail_to(session, gone)
    mail_to(session, kept)
    record(session, None, "registration.phone", gone, {}, snapshot(gone))
    session.commit()

    result = runner.invoke(args=["privacy", "anonymise"])

    assert result.exit_code == 0, result.output
    assert "1 registrations of 1 events anonymised" in result.output
    assert "1 mails deleted" in result.output
    session.expire_all()
    gone = session.get(Registration, gone.id)
    assert "Greta" not in gone.first_name and gone.last_name == "" and gone.role == ""
    assert gone.email.endswith(".invalid") and "greta" not in gone.email
    assert gone.anonymised_at is not None
    # What the statistics need stays.
    assert (gone.municipality, gone.state, gone.ags) == ("Fürth", "09", "09563000")
    assert (gone.status, gone.attendance) == (S.CONFIRMED, "attended")
    assert [m.registration_id for m in outbox()] == [kept.id]
    assert client.get(f"/r/{old_token}").status_code == 404
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "registration.phone"))
    assert "Greta" not in entry.after and "greta@" not in entry.after
    assert session.get(Registration, kept.id).first_name == "Karl"

    again = runner.invoke(args=["privacy", "anonymise"])
    assert again.exit_code == 0
    assert "0 registrations of 0 events anonymised" in again.output

    shorter = runner.invoke(args=["privacy", "anonymise", "--months", "6"])
    assert "1 registrations of 1 events anonymised" in shorter.output
    assert session.get(Registration, kept.id).email.endswith(".invalid")


def test_anonymise_reads_the_retention_period_from_the_configuration(
    app, runner, session, make_event, make_registration, monkeypatch
):
    monkeypatch.setitem(app.config, "ANONYMISE_AFTER_MONTHS", 24)
    registration = make_registration(ended_months_ago(make_event, 13), S.CONFIRMED)

    result = runner.invoke(args=["privacy", "anonymise"])

    assert "0 registrations" in result.output and "older than 24 months" in result.output
    session.expire_all()
    assert session.get(Registration, registration.id).anonymised_at is None


# --- access and erasure in the back office --------------------------------------------------


def test_search_and_export_everything_stored_about_an_address(
    orga_client, session, make_event, make_registration, make_interest, audit_entries
):
    event = make_event(title="Kick-off Nord")
    registration = make_registration(
        event, S.CONFIRMED, first_name="Paula", email="Paula@Kommune.example"
    )
    mail_to(session, registration)
    make_interest(municipality="Bamberg", last_name="Person", email="paula@kommune.example")
    make_registration(event, S.CONFIRMED, email="someone.else@kommune.example")

    found = orga_client.post("/admin/privacy", data={"email": "PAULA@kommune.example"})
    html = found.get_data(as_text=True)
    assert 'data-found="registrations">1<' in html
    assert 'data-found="interests">1<' in html
    assert "Kick-off Nord" in html

    response = orga_client.post("/admin/privacy/export", data={"email": "paula@kommune.example"})

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    [exported] = data["registrations"]
    assert exported["first_name"] == "Paula" and exported["event"]["title"] == "Kick-off Nord"
    assert exported["email"] == "Paula@Kommune.example"
    recipients = {mail["recipient"].lower() for mail in data["mails"]}
    assert recipients == {"paula@kommune.example"}
    assert {mail["kind"] for mail in data["mails"]} >= {"confirmed", "interest_opt_in"}
    assert "Kim Person" in {mail["recipient_name"] for mail in data["mails"]}  # the To header
    [interest] = data["interests"]
    assert interest["municipality_name"] == "Bamberg" and interest["last_name"] == "Person"
    assert "someone.else" not in response.get_data(as_text=True)
    [entry] = audit_entries("privacy.exported")
    assert "paula" not in entry.after.lower()


def test_erasure_cancels_upcoming_seats_anonymises_and_is_audited(
    orga_client,
    organiser,
    session,
    make_event,
    make_registration,
    make_interest,
    outbox,
    audit_entries,
):
    upcoming = make_event(capacity=1)
    past = ended_months_ago(make_event, 2)
    seat = make_registration(upcoming, S.CONFIRMED, email="erika@kommune.example")
    waiting = make_registration(upcoming, S.WAITLISTED, email="next@kommune.example")
    came = make_registration(
        past, S.CONFIRMED, email="erika@kommune.example", attendance="attended"
    )
    mail_to(session, seat)
    interest = make_interest(municipality="Bamberg", email="erika@kommune.example")

    refused = orga_client.post("/admin/privacy/erase", data={"email": "erika@kommune.example"})
    assert refused.status_code == 422
    assert "Bitte bestätigen Sie die Löschung." in refused.get_data(as_text=True)
    session.expire_all()
    assert session.get(Registration, seat.id).anonymised_at is None

    response = orga_client.post(
        "/admin/privacy/erase",
        data={"email": "Erika@Kommune.example", "confirm": "y"},
        follow_redirects=True,
    )

    assert response.status_code == 200
    assert "2 Anmeldungen anonymisiert (davon 1 storniert)" in response.get_data(as_text=True)
    session.expire_all()
    seat, waiting, came = (session.get(Registration, r.id) for r in (seat, waiting, came))
    assert seat.status == S.CANCELLED and seat.anonymised_at is not None
    assert waiting.status == S.CONFIRMED  # the freed seat passed on
    assert came.attendance == "attended" and came.email.endswith(".invalid")
    interest = session.get(ExpressionOfInterest, interest.id)
    assert "erika" not in interest.email and interest.last_name == "" and interest.phone == ""
    assert interest.municipality_name == "Bamberg"
    assert all("erika" not in mail.recipient for mail in outbox())
    assert any(mail.registration_id == waiting.id for mail in outbox())  # promotion mail
    erased = audit_entries("registration.erased")
    assert sorted(entry.target_id for entry in erased) == sorted([seat.id, came.id])
    [summary] = audit_entries("privacy.erased")
    assert summary.actor == organiser.email
    assert all("erika" not in entry.before + entry.after for entry in audit_entries())

    again = orga_client.post("/admin/privacy", data={"email": "erika@kommune.example"})
    assert 'data-found="registrations">0<' in again.get_data(as_text=True)
    listed = orga_client.get("/admin/privacy").get_data(as_text=True)
    assert organiser.email in listed.split("Letzte Löschungen")[1]


def test_privacy_pages_need_a_login(client):
    assert client.get("/admin/privacy").status_code == 302
    assert client.post("/admin/privacy/export", data={"email": "a@b.example"}).status_code == 302


# --- public privacy notice -----------------------------------------------------------------


def test_privacy_notice_states_what_is_stored_and_for_how_long(
    app, client, monkeypatch, make_event
):
    monkeypatch.setitem(app.config, "ANONYMISE_AFTER_MONTHS", 18)

    page = client.get("/datenschutz")

    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Datenschutzhinweise" in html
    assert "E-Mail-Adresse" in html and "Kommune" in html
    assert "18 Monate nach dem Ende der Veranstaltung" in html
    assert "style=" not in html

    event = make_event()
    for path in ("/", f"/events/{event.slug}/register"):
        assert 'href="/datenschutz"' in client.get(path).get_data(as_text=True), path
