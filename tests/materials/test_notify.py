"""Publishing a material can tell the participants: one mail each, in their language, with the
link to their own page, queued in the same transaction; nobody else gets one."""

from __future__ import annotations

import re

from material_files import minimal_pdf

from app.models import Attendance, RegistrationStatus

S = RegistrationStatus


def test_notify_queues_one_mail_per_participant_in_their_language(
    make_event, make_registration, upload, outbox, visitor
):
    event = make_event(title="Kick-off Nord")
    erika = make_registration(event, S.CONFIRMED, first_name="Erika", language="de")
    jane = make_registration(event, S.CONFIRMED, first_name="Jane", language="en")
    present = make_registration(
        event, S.CANCELLED, first_name="Paul", attendance=Attendance.ATTENDED
    )
    for status in (S.PENDING, S.WAITLISTED, S.OFFERED, S.CANCELLED, S.EXPIRED):
        make_registration(event, status)

    response = upload(event, minimal_pdf(), "folien.pdf", title="Folien der Vorträge", notify="y")

    assert response.status_code == 302
    mails = outbox("materials_published")
    assert sorted(mail.registration_id for mail in mails) == sorted([erika.id, jane.id, present.id])
    by_person = {mail.registration_id: mail for mail in mails}
    german, english = by_person[erika.id], by_person[jane.id]
    assert german.subject == "Neue Unterlagen: Kick-off Nord"
    assert english.subject == "New materials: Kick-off Nord"
    assert "Guten Tag Erika" in german.body_text
    assert "Folien der Vorträge" in german.body_text and "Folien der Vorträge" in german.body_html
    assert "Dear Jane" in english.body_text
    assert "neue Unterlagen" not in english.body_text
    # The link in the mail opens the person's own page, where the material is listed.
    link = re.search(r"http://startsmart\.test(/r/[\w-]+)", german.body_text).group(1)
    page = visitor.get(link)
    assert page.status_code == 200
    assert "Folien der Vorträge" in page.text


def test_flash_says_how_many_were_told(make_event, make_registration, upload, office):
    event = make_event()
    make_registration(event, S.CONFIRMED)
    make_registration(event, S.CONFIRMED)

    upload(event, minimal_pdf(), "folien.pdf", notify="y")

    page = office.get(f"/admin/events/{event.id}/materials").text
    assert "2 Personen werden per E-Mail benachrichtigt." in page


def test_without_the_choice_nobody_is_mailed(
    make_event, make_registration, upload, add_link, outbox
):
    event = make_event()
    make_registration(event, S.CONFIRMED)

    upload(event, minimal_pdf(), "folien.pdf")
    add_link(event)

    assert outbox("materials_published") == []


def test_a_link_can_notify_too(make_event, make_registration, add_link, outbox):
    event = make_event()
    person = make_registration(event, S.CONFIRMED)

    assert add_link(event, notify="y").status_code == 302

    [mail] = outbox("materials_published")
    assert mail.registration_id == person.id
    assert "Protokoll" in mail.body_text


def test_a_refused_upload_mails_nobody(make_event, make_registration, upload, outbox):
    event = make_event()
    make_registration(event, S.CONFIRMED)

    response = upload(event, b"<html></html>", "folien.pdf", notify="y")

    assert response.status_code == 422
    assert outbox("materials_published") == []
