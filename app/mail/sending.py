"""One round's SMTP connection, and what an attempt to send one message came to.

The connection is opened when the first message of a round is ready and opened again after it
broke, so that one message's trouble never decides another's fate. Each attempt ends in an
``Outcome``: sent, to be retried, or failed for good.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass

from flask_mail import BadHeaderError

from app.extensions import mail
from app.mail.message import OutboxMailMessage, TimeoutConnection, UnbuildableMessage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """Sent when ``error`` is empty; otherwise retried later, or never when ``permanent``."""

    error: str = ""
    permanent: bool = False

    @property
    def sent(self) -> bool:
        return not self.error


SENT = Outcome()


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    return f"{code} {text}"


def describe(exc: BaseException) -> str:
    """The server's reply as it gave it (``550 5.1.1 ...``), else the exception."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        replies = [_reply(*reply) for reply in exc.recipients.values()]
        return f"{type(exc).__name__}: {'; '.join(replies)}"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{type(exc).__name__}: {_reply(exc.smtp_code, exc.smtp_error)}"
    return f"{type(exc).__name__}: {exc}"


def _permanent_reply(code: int) -> bool:
    # RFC 5321, 4.2.1: a 5yz reply is a permanent negative completion; the same transaction
    # would fail the same way again. A 4yz reply (mailbox full, greylisting) is transient.
    return 500 <= code < 600


def is_permanent(exc: BaseException) -> bool:
    """Whether sending the same message again cannot succeed.

    A refused sender (MAIL FROM) is not counted here even with a 5yz: it is the office's own
    address or login, the same for every message, and retrying gives an administrator the
    time to fix it before MAIL_MAX_ATTEMPTS runs out.
    """
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(_permanent_reply(code) for code, _text in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPDataError):
        return _permanent_reply(exc.smtp_code)
    # A header with a line break, an address that is not ASCII for a server without SMTPUTF8:
    # the message itself is the problem.
    return isinstance(exc, UnbuildableMessage | BadHeaderError | UnicodeError)


def _connection_still_usable(exc: BaseException) -> bool:
    # After a refused sender, recipient or DATA smtplib has sent RSET and the conversation can
    # go on; after anything else (a timeout, a dropped connection, a command that could not be
    # encoded half-way through a transaction) its state is unknown.
    return isinstance(
        exc,
        smtplib.SMTPSenderRefused
        | smtplib.SMTPRecipientsRefused
        | smtplib.SMTPDataError
        | BadHeaderError,
    )


class Postman:
    """Sends the messages of one round over one SMTP connection, reconnecting when needed.

    ``unreachable`` is set when the server could not be reached (or refused the login): the
    rest of the round would fare no better.
    """

    def __init__(self):
        self.connection: TimeoutConnection | None = None
        self.unreachable = False

    def __enter__(self) -> Postman:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def send(self, message: OutboxMailMessage) -> Outcome:
        if self.connection is None:
            try:
                self.connection = TimeoutConnection(mail).__enter__()
            except Exception as exc:  # refused, timed out, TLS or login failed
                self.unreachable = True
                return Outcome(describe(exc))
        try:
            self.connection.send(message)
        except Exception as exc:
            if not _connection_still_usable(exc):
                self.close()
            return Outcome(describe(exc), permanent=is_permanent(exc))
        return SENT

    def close(self) -> None:
        connection, self.connection = self.connection, None
        host = connection.host if connection is not None else None
        if host is None:
            return
        try:
            host.quit()
        except (smtplib.SMTPException, OSError):  # already gone: nothing left to say goodbye to
            host.close()
