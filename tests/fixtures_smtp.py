"""A real SMTP server on loopback (aiosmtpd) that records every message it accepts."""

from __future__ import annotations

import asyncio
import email
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email import policy

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes

    @property
    def message(self) -> email.message.EmailMessage:
        return email.message_from_bytes(self.content, policy=policy.default)


@dataclass
class RecordingHandler:
    """Accepts mail; ``refuse_next`` answers that many DATA commands with a 451.

    ``refuse_recipients`` maps an address to the reply its RCPT TO gets (e.g. a 550);
    ``on_accept`` is called with each accepted message before the 250 goes back.
    """

    received: list[Received] = field(default_factory=list)
    refused: list[Received] = field(default_factory=list)
    refuse_next: int = 0
    refuse_recipients: dict[str, str] = field(default_factory=dict)
    on_accept: Callable[[Received], None] | None = None
    delay: float = 0.0
    # Hold every message until this many SMTP connections are open (at most gate_timeout),
    # so that concurrent workers really overlap however fast or slow each one starts.
    gate: int = 0
    gate_timeout: float = 45.0
    sessions: set[int] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse_recipients:
            return self.refuse_recipients[address]
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.sessions.add(id(session))
        deadline = time.monotonic() + self.gate_timeout
        while len(self.sessions) < self.gate and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        if self.delay:
            await asyncio.sleep(self.delay)
        entry = Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content)
        with self.lock:
            if self.refuse_next > 0:
                self.refuse_next -= 1
                self.refused.append(entry)
                return "451 4.3.0 Please try again later"
            self.received.append(entry)
        if self.on_accept is not None:
            self.on_accept(entry)
        return "250 Message accepted for delivery"

    def message_ids(self) -> list[str]:
        return [entry.message["Message-ID"] for entry in self.received]


class SmtpServer:
    """An aiosmtpd server on a free loopback port that can be stopped and started again."""

    def __init__(self, port: int):
        self.port = port
        self.handler = RecordingHandler()
        self.controller: Controller | None = None

    def start(self) -> SmtpServer:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        return [entry.message for entry in self.handler.received]


@pytest.fixture
def smtp_port(app, monkeypatch) -> int:
    """A loopback port the app sends mail to; nothing listens there yet."""
    port = free_port()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 5)
    return port


@pytest.fixture
def smtp_down(smtp_port):
    server = SmtpServer(smtp_port)
    yield server
    server.stop()


@pytest.fixture
def smtp(smtp_down):
    return smtp_down.start()
