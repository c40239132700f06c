"""The registration form: fields, German errors at each field, and refusal without a 500."""

from __future__ import annotations

import re
from datetime import timedelta

from links import token_in
from sqlalchemy import func, select

from app.booking.registration import find_by_token
from app.models import EventStatus, OutboxMessage, Registration, RegistrationStatus, utcnow

FIELDS = ("municipality", "state", "ags", "first_name", "last_name", "email", "role", "consent")


def count_registrations(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count(Registration.id)))


def error_at(html: str, field: str) -> str:
    """The error text shown at one field (empty when there is none)."""
    match = re.search(rf'<p class="error-message" id="{field}-error">(.*?)</p>', html, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", match.group(1))).strip() if match else ""


def test_form_has_the_named_fields_and_all_sixteen_laender(client, make_event):
    event = make_event()

    html = client.get(f"/events/{event.slug}/register").text

    for name in FIELDS:
        assert f'name="{name}"' in html, name
    options = re.findall(r'<option value="(\d\d)"', html)
    assert options == [f"{n:02d}" for n in range(1, 17)]
    assert ">Nordrhein-Westfalen<" in html and ">Thüringen<" in html


def test_valid_registration_is_stored_as_pending_and_asks_to_check_mail(
    client, session, make_event, form_data
):
    event = make_event()

    response = client.post(f"/events/{event.slug}/register", data=form_data())

    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert "Bitte bestätigen Sie Ihre E-Mail-Adresse" in page.text
    registration = session.scalar(select(Registration))
    assert registration.status == RegistrationStatus.PENDING
    assert (registration.municipality, registration.state, registration.ags) == (
        "Stadt Musterhausen",
        "09",
        "09162000",
    )
    assert registration.role == "Digitalisierungsbeauftragte"
    mail = session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "opt_in"))
    assert mail.recipient == "erika.mustermann@musterhausen.example"
    assert find_by_token(session, token_in(mail.body_text)).id == registration.id


def test_optional_fields_may_stay_empty(client, session, make_event, form_data):
    event = make_event()

    response = client.post(f"/events/{event.slug}/register", data=form_data(ags="", role=""))

    assert response.status_code == 302
    assert session.scalar(select(Registration.ags)) == ""


def test_empty_form_shows_german_errors_at_each_field_and_a_linked_summary(
    client, session, make_event
):
    event = make_event()

    response = client.post(f"/events/{event.slug}/register", data={})

    assert response.status_code == 422
    html = response.text
    assert "Bitte prüfen Sie Ihre Angaben" in html
    expected = {
        "municipality": "Bitte geben Sie den Namen Ihrer Kommune an.",
        "state": "Bitte wählen Sie das Land Ihrer Kommune.",
        "first_name": "Bitte geben Sie Ihren Vornamen an.",
        "last_name": "Bitte geben Sie Ihren Nachnamen an.",
        "email": "Bitte geben Sie Ihre E-Mail-Adresse an.",
        "consent": "Bitte stimmen Sie den Datenschutzhinweisen zu.",
    }
    for field, message in expected.items():
        assert message in error_at(html, field), field
        assert f'<a href="#{field}">{message}</a>' in html, field
        assert re.search(
            rf'id="{field}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="{field}"', html
        )
    assert error_at(html, "ags") == "" and error_at(html, "role") == ""
    assert count_registrations(session) == 0


def test_entered_values_are_kept_after_an_error(client, make_event, form_data):
    event = make_event()

    response = client.post(
        f"/events/{event.slug}/register", data=form_data(email="keine-adresse", consent=None)
    )

    assert response.status_code == 422
    html = response.text
    assert 'value="Stadt Musterhausen"' in html
    assert 'value="Erika"' in html and 'value="Mustermann"' in html
    assert 'value="keine-adresse"' in html
    assert re.search(r'<option selected value="09">|<option value="09" selected', html)
    assert "gültige E-Mail-Adresse" in error_at(html, "email")


def test_ags_must_be_eight_digits(client, make_event, form_data):
    event = make_event()

    for bad in ("0916200", "091620001", "0916200a"):
        response = client.post(f"/events/{event.slug}/register", data=form_data(ags=bad))
        assert response.status_code == 422, bad
        assert error_at(response.text, "ags") == "Fehler: Der AGS besteht aus genau 8 Ziffern."


def test_ags_must_belong_to_the_chosen_land(client, session, make_event, form_data):
    event = make_event()

    response = client.post(
        f"/events/{event.slug}/register", data=form_data(state="05", ags="09162000")
    )

    assert response.status_code == 422
    assert "(09) passen nicht zum gewählten Land (Nordrhein-Westfalen)" in error_at(
        response.text, "ags"
    )
    assert count_registrations(session) == 0


def test_ags_with_spaces_is_accepted(client, session, make_event, form_data):
    event = make_event()

    response = client.post(f"/events/{event.slug}/register", data=form_data(ags="09 162 000"))

    assert response.status_code == 302
    assert session.scalar(select(Registration.ags)) == "09162000"


def test_unknown_land_is_refused_in_german(client, make_event, form_data):
    event = make_event()

    for bad in ("99", "9", "Bayern", "00"):
        response = client.post(f"/events/{event.slug}/register", data=form_data(state=bad))
        assert response.status_code == 422, bad
        assert (
            error_at(response.text, "state") == "Fehler: Bitte wählen Sie ein Land aus der Liste."
        )


def test_overlong_input_is_refused_at_the_field(client, session, make_event, form_data):
    event = make_event()

    response = client.post(
        f"/events/{event.slug}/register",
        data=form_data(municipality="X" * 201, first_name="Y" * 101, role="Z" * 5000),
    )

    assert response.status_code == 422
    assert error_at(response.text, "municipality") == "Fehler: Bitte höchstens 200 Zeichen."
    assert error_at(response.text, "first_name") == "Fehler: Bitte höchstens 100 Zeichen."
    assert error_at(response.text, "role") == "Fehler: Bitte höchstens 200 Zeichen."
    assert count_registrations(session) == 0


def test_same_email_twice_gets_the_answer_of_a_new_registration_and_the_link_by_mail(
    client, session, make_event, form_data
):
    # A different answer for a known address would let anyone find out who registered.
    event = make_event()
    first = client.post(f"/events/{event.slug}/register", data=form_data())

    response = client.post(
        f"/events/{event.slug}/register",
        data=form_data(email="  Erika.Mustermann@Musterhausen.EXAMPLE ", first_name="Erika B."),
    )

    assert (response.status_code, response.headers["Location"]) == (
        first.status_code,
        first.headers["Location"],
    )
    assert (
        client.get(response.headers["Location"]).text == client.get(first.headers["Location"]).text
    )
    assert count_registrations(session) == 1
    kinds = session.scalars(select(OutboxMessage.kind).order_by(OutboxMessage.id)).all()
    assert kinds == ["opt_in", "link_reminder"]


def test_closed_registration_shows_a_clear_page(client, session, make_event, form_data):
    now = utcnow()
    closed = make_event(registration_closes_at=now - timedelta(hours=1))
    not_yet = make_event(registration_opens_at=now + timedelta(days=2))
    cancelled = make_event(status=EventStatus.CANCELLED)
    started = make_event(starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=2))

    for event in (closed, not_yet, cancelled, started):
        for response in (
            client.get(f"/events/{event.slug}/register"),
            client.post(f"/events/{event.slug}/register", data=form_data()),
        ):
            assert response.status_code == 200, event.slug
            assert "Anmeldung nicht möglich" in response.text
            assert 'name="municipality"' not in response.text
    assert count_registrations(session) == 0


def test_malformed_requests_get_a_friendly_page_never_a_500(client, session, make_event, form_data):
    event = make_event()
    url = f"/events/{event.slug}/register"

    cases = [
        # the same field twice, a list where one value belongs
        client.post(url, data={**form_data(), "municipality": ["A", "B"], "consent": ["y", "y"]}),
        # a JSON body instead of a form
        client.post(url, json=form_data()),
        # bytes that are no UTF-8
        client.post(
            url,
            data=b"municipality=%FF%FE&state=09&first_name=A&last_name=B&email=a%40b.de&consent=y",
            content_type="application/x-www-form-urlencoded",
        ),
        # a checkbox with a strange value, an e-mail with a very long local part
        client.post(url, data=form_data(consent="<script>", email="a" * 300 + "@b.de")),
    ]
    for response in cases:
        assert response.status_code in (302, 400, 422), response.status_code
        assert "<html" in response.text

    nul = client.post(url, data=form_data(municipality="Stadt\x00Musterhausen"))
    assert nul.status_code == 400
    assert "Steuerzeichen" in nul.text

    huge = client.post(url, data=form_data(role="x" * 200_000))
    assert huge.status_code == 413
    assert "zu umfangreich" in huge.text


def test_nul_in_address_or_query_is_refused_cleanly(client, make_event):
    make_event()

    for path in ("/events/a%00b", "/?q=a%00b", "/r/abc%00def", "/archiv?topic=%00"):
        response = client.get(path)
        assert response.status_code == 400, path
        assert "Steuerzeichen" in response.text


def test_post_without_csrf_token_is_refused_with_a_friendly_page(
    app, client, session, make_event, form_data, monkeypatch
):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    event = make_event()
    url = f"/events/{event.slug}/register"

    refused = client.post(url, data=form_data())

    assert refused.status_code == 400
    assert "Sitzung abgelaufen" in refused.text
    assert count_registrations(session) == 0

    page = client.get(url).text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    accepted = client.post(url, data=form_data(csrf_token=token))
    assert accepted.status_code == 302
    assert count_registrations(session) == 1
    # The self-service buttons are protected as well.
    registration = session.scalar(select(Registration))
    mail = session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "opt_in"))
    assert client.post(f"/r/{token_in(mail.body_text)}/cancel").status_code == 400
    session.expire_all()
    assert session.get(Registration, registration.id).status == RegistrationStatus.PENDING
