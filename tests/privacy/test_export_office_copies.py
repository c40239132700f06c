"""The export (Art. 15 DSGVO) lists the office's copies of mails about the person as well: they
name the contact, their address, phone number and message."""

from __future__ import annotations

import json
from datetime import timedelta

from app.intake.consultation import book_slot, publish_slot
from app.models import SlotChannel


def test_export_lists_the_office_copies_of_consultation_mails(
    orga_client, session, make_interest, now
):
    interest = make_interest(email="kim.export@kommune.example", phone="0171 2223334")
    slot = publish_slot(
        session, now + timedelta(days=3), 60, SlotChannel.PHONE, "Olga", "olga@kts.example", now
    )
    session.commit()
    book_slot(session, interest.token, slot.id, now)
    session.commit()

    response = orga_client.post(
        "/admin/privacy/export", data={"email": "kim.export@kommune.example"}
    )

    mails = json.loads(response.get_data(as_text=True))["mails"]
    [copy] = [mail for mail in mails if mail["kind"] == "consultation_booked_organiser"]
    assert copy["recipient"] == "olga@kts.example"
    assert "0171 2223334" in copy["body_text"]
