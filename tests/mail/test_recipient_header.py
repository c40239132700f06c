"""The To header names the person beside the address, and a typed name can never add a header."""

from __future__ import annotations

import email
from email import policy

import pytest

from app.mail.message import build_mime, display_name
from app.models import OutboxMessage

SENDER = "Start Smart <startsmart@example.org>"
HEADERS = {"Subject", "From", "To", "Date", "Message-ID", "Auto-Submitted", "MIME-Version"}
HEADERS |= {"Content-Type", "Content-Transfer-Encoding"}


def sent(name: str, address: str = "erika@musterstadt.example") -> email.message.EmailMessage:
    row = OutboxMessage(
        message_id="<1@startsmart.test>",
        recipient=address,
        recipient_name=name,
        subject="Anmeldung bestätigt",
        body_text="Hallo",
        body_html="<p>Hallo</p>",
        ics="",
    )
    raw = build_mime(row, SENDER).as_bytes(policy=policy.SMTP)
    return email.message_from_bytes(raw, policy=policy.default), raw


def test_to_header_carries_the_display_name_in_angle_brackets():
    message, _ = sent("Erika Mustermann")

    assert message["To"] == "Erika Mustermann <erika@musterstadt.example>"
    assert message["Auto-Submitted"] == "auto-generated"


def test_umlauts_are_encoded_and_come_back_unchanged():
    message, raw = sent("Jürgen Müller-Lüdenscheidt")

    [address] = message["To"].addresses
    assert address.display_name == "Jürgen Müller-Lüdenscheidt"
    assert address.addr_spec == "erika@musterstadt.example"
    assert b"=?utf-8?" in raw.split(b"\r\n\r\n")[0]  # RFC 2047, not raw 8-bit in a header


@pytest.mark.parametrize(
    "name",
    [
        "Erika\r\nBcc: mallory@attacker.example",
        "Erika\nBcc: mallory@attacker.example",
        "Erika\rBcc: mallory@attacker.example",
        "Erika\u2028Bcc: mallory@attacker.example",
        "Erika\x00\x1b[31m\x85Bcc: mallory@attacker.example",
    ],
)
def test_line_breaks_in_a_name_never_start_a_header(name):
    message, _ = sent(name)

    assert set(message.keys()) <= HEADERS
    [address] = message["To"].addresses
    assert address.addr_spec == "erika@musterstadt.example"
    assert "\n" not in address.display_name and "\r" not in address.display_name


def test_address_syntax_in_a_name_stays_part_of_the_name():
    message, _ = sent('Mustermann, Erika "Chefin" <mallory@attacker.example>')

    [address] = message["To"].addresses
    assert address.addr_spec == "erika@musterstadt.example"
    assert address.display_name == 'Mustermann, Erika "Chefin" <mallory@attacker.example>'


def test_invisible_format_characters_are_removed():
    # A right-to-left override could make the name disguise the address beside it.
    assert display_name("Erika\u202e Mustermann\u200b") == "Erika Mustermann"
    assert display_name("  Erika \t\n Mustermann  ") == "Erika Mustermann"
    assert len(display_name("x" * 500)) == 200


def test_without_a_name_the_bare_address_is_used():
    message, _ = sent("")

    assert message["To"] == "erika@musterstadt.example"
    assert sent(" \r\n\t")[0]["To"] == "erika@musterstadt.example"
