"""MIME structure of outgoing mail, iMIP invitations included (RFC 6047).

Outlook reads the text/calendar part inside multipart/alternative; some webmail only looks at
attachments, so the same calendar is attached as invite.ics as well.
"""

from __future__ import annotations

import smtplib
import unicodedata
from collections.abc import Callable
from email import errors, policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate

from flask import Flask, current_app
from flask_mail import Connection, Message

from app.models import OutboxMessage

INLINE_IMAGES = "startsmart_inline_images"

# Draws one image for an outbox row, or None when the row has nothing to show.
ImageProvider = Callable[[OutboxMessage], bytes | None]


def register_inline_image(app: Flask, cid: str, provider: ImageProvider) -> None:
    """Let a domain supply an image that its mail templates refer to as ``cid:<cid>``."""
    app.extensions.setdefault(INLINE_IMAGES, {})[cid] = provider


def inline_images(row: OutboxMessage) -> dict[str, bytes]:
    """Images the HTML part refers to by ``cid:``, made at delivery time.

    An image such as the check-in QR code takes tens of milliseconds to draw; drawing it here
    instead of when the mail is queued keeps it out of the seat lock. Embedded as a related
    part (not a data: URI), because Outlook shows no data: images.
    """
    images = {}
    for cid, provider in current_app.extensions.get(INLINE_IMAGES, {}).items():
        if f"cid:{cid}" in row.body_html:
            image = provider(row)
            if image is not None:
                images[cid] = image
    return images


DISPLAY_NAME_LENGTH = 200


class UnbuildableMessage(ValueError):
    """An outbox row that cannot become a message, such as a subject with a line break (which
    would start a header of its own): building it again gives the same result."""


def display_name(name: str) -> str:
    """A name typed by a stranger, made safe for a header: one line, no control characters.

    Line breaks would start a header of their own (header injection); format characters such
    as a right-to-left override would let a name disguise the address beside it.
    """
    name = " ".join(name.split())  # a line break or tab becomes a space
    name = "".join(char for char in name if not unicodedata.category(char).startswith("C"))
    return " ".join(name.split())[:DISPLAY_NAME_LENGTH].strip()


def recipient_header(row: OutboxMessage) -> Address | str:
    """``Erika Mustermann <erika@...>``: a bare address beside HTML with an image is what
    spam looks like to filters (SpamAssassin TO_NO_BRKTS_HTML_IMG)."""
    name = display_name(row.recipient_name or "")
    if not name:
        return row.recipient
    try:
        # Address quotes or encodes the name (RFC 5322/2047); it never ends up as syntax.
        return Address(display_name=name, addr_spec=row.recipient)
    except (ValueError, errors.HeaderParseError):
        return row.recipient


def build_mime(
    row: OutboxMessage, sender: str, images: dict[str, bytes] | None = None
) -> EmailMessage:
    """The row as a MIME message; UnbuildableMessage when a header value would span lines.

    The header policy refuses CR, LF and every other line break (NEL, U+2028, U+2029) in a
    value, where it would end the field and start a header of its own (RFC 5322, 2.2: a field
    ends at CRLF); the forms refuse them earlier, this holds for rows written any other way.
    """
    mime = EmailMessage()
    try:
        mime["Subject"] = row.subject
        mime["From"] = sender
        mime["To"] = recipient_header(row)
        mime["Date"] = formatdate(localtime=False, usegmt=True)
        # The row's Message-ID on every attempt: a retried or repeated delivery is
        # recognisably the same message (RFC 5322, 3.6.4), so a receiver can drop the copy.
        mime["Message-ID"] = row.message_id
        mime["Auto-Submitted"] = "auto-generated"
    except (ValueError, TypeError, errors.HeaderParseError) as exc:
        raise UnbuildableMessage(f"header not allowed: {exc}") from exc
    mime.set_content(row.body_text, subtype="plain", charset="utf-8")
    if row.body_html:
        mime.add_alternative(row.body_html, subtype="html", charset="utf-8")
    if row.ics:
        mime.add_alternative(
            row.ics.encode("utf-8"),
            maintype="text",
            subtype="calendar",
            params={"method": row.ics_method, "charset": "UTF-8"},
            cte="base64",
        )
    if row.ics:
        mime.make_mixed()
        mime.add_attachment(
            row.ics.encode("utf-8"),
            maintype="application",
            subtype="ics",
            filename="invite.ics",
        )
    for cid, png in (images or {}).items():
        # Beside the alternative (not inside it), so that multipart/alternative holds exactly
        # text/plain, text/html and text/calendar as Outlook expects; clients resolve cid:
        # references across the whole message. (add_attachment makes the message mixed.)
        mime.add_attachment(
            png,
            maintype="image",
            subtype="png",
            cid=f"<{cid}>",
            disposition="inline",
            filename=f"{cid.split('@')[0]}.png",
        )
    return mime


class OutboxMailMessage(Message):
    """A Flask-Mail message whose MIME body is built from an outbox row.

    Everything is read from the row when the message is made, so that sending needs neither
    the row nor a database transaction any more.
    """

    def __init__(self, row: OutboxMessage):
        sender = current_app.config["MAIL_DEFAULT_SENDER"]
        super().__init__(subject=row.subject, recipients=[row.recipient], sender=sender)
        self.msgId = row.message_id
        self.outbox_id = row.id
        images = inline_images(row)
        try:
            self._mime = build_mime(row, sender, images)
            # Serialised now, so that a body that cannot be encoded (a lone surrogate, say)
            # is found while building, not half-way through the SMTP conversation.
            # SMTP wants CRLF line ends; mail servers such as Postfix reject bare LF.
            self._bytes = self._mime.as_bytes(policy=policy.SMTP)
        except UnbuildableMessage:
            raise
        except (ValueError, TypeError, errors.MessageError) as exc:
            raise UnbuildableMessage(f"cannot be encoded: {exc}") from exc

    def _message(self):
        return self._mime

    def as_bytes(self) -> bytes:
        return self._bytes


class TimeoutConnection(Connection):
    """Flask-Mail's connection, configured at connect time from ``current_app.config``.

    It sets a socket timeout so that a hanging server cannot block the worker, and it
    ignores Flask-Mail's habit of suppressing all mail when TESTING is on (the tests talk to
    a real SMTP server); MAIL_SUPPRESS_SEND still switches sending off when set explicitly.
    """

    def __enter__(self):
        config = current_app.config
        # The dev mailbox page shows the outbox itself: messages are built, but not sent.
        suppressed = config.get("MAIL_SUPPRESS_SEND") or config.get("DEV_MAILBOX")
        self.host = None if suppressed else self.configure_host()
        self.num_emails = 0
        return self

    def configure_host(self):
        config = current_app.config
        server, port = config.get("MAIL_SERVER"), config.get("MAIL_PORT", 25)
        if not server:
            raise smtplib.SMTPConnectError(0, "MAIL_SERVER is not set")
        timeout = config["MAIL_TIMEOUT"]
        if config.get("MAIL_USE_SSL"):
            host = smtplib.SMTP_SSL(server, port, timeout=timeout)
        else:
            host = smtplib.SMTP(server, port, timeout=timeout)
        if config.get("MAIL_USE_TLS"):
            host.starttls()
        if config.get("MAIL_USERNAME") and config.get("MAIL_PASSWORD"):
            host.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        return host
