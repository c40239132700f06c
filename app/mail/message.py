"""MIME structure of outgoing mail, iMIP invitations included (RFC 6047).

Outlook reads the text/calendar part inside multipart/alternative; some webmail only looks at
attachments, so the same calendar is attached as invite.ics as well.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import formatdate

from flask import current_app
from flask_mail import Connection, Message

from app.models import OutboxMessage


def build_mime(row: OutboxMessage, sender: str) -> EmailMessage:
    mime = EmailMessage()
    mime["Subject"] = row.subject
    mime["From"] = sender
    mime["To"] = row.recipient
    mime["Date"] = formatdate(localtime=False, usegmt=True)
    mime["Message-ID"] = row.message_id
    mime["Auto-Submitted"] = "auto-generated"
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
        mime.make_mixed()
        mime.add_attachment(
            row.ics.encode("utf-8"),
            maintype="application",
            subtype="ics",
            filename="invite.ics",
        )
    return mime


class OutboxMailMessage(Message):
    """A Flask-Mail message whose MIME body is built from an outbox row."""

    def __init__(self, row: OutboxMessage):
        sender = current_app.config["MAIL_DEFAULT_SENDER"]
        super().__init__(subject=row.subject, recipients=[row.recipient], sender=sender)
        self.msgId = row.message_id
        self._mime = build_mime(row, sender)

    def _message(self):
        return self._mime


class TimeoutConnection(Connection):
    """Flask-Mail's connection, with a socket timeout so a hanging server cannot block us."""

    def configure_host(self):
        timeout = current_app.config["MAIL_TIMEOUT"]
        mail = self.mail
        if mail.use_ssl:
            host = smtplib.SMTP_SSL(mail.server, mail.port, timeout=timeout)
        else:
            host = smtplib.SMTP(mail.server, mail.port, timeout=timeout)
        if mail.use_tls:
            host.starttls()
        if mail.username and mail.password:
            host.login(mail.username, mail.password)
        return host
