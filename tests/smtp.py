"""Real mail servers on loopback for the tests: aiosmtpd, a refusing one, a silent one."""

import asyncio
import email
import email.policy
import socket
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller

from tests.helpers import free_port


@dataclass
class Received:
    """One message as the server got it."""

    mail_from: str
    rcpt_tos: list[str]
    raw: bytes

    @property
    def message(self) -> email.message.EmailMessage:
        return email.message_from_bytes(self.raw, policy=email.policy.default)

    @property
    def message_id(self) -> str:
        return self.message["Message-ID"]


@dataclass
class Recorder:
    """An aiosmtpd handler that keeps every message; `reply` lets a test refuse them.

    `reply_rcpt` answers RCPT TO (e.g. "550 5.1.1 no such user"); `reply_data` answers the
    message itself (e.g. "421 4.3.2 try later"); `hold` makes DATA wait that many seconds
    after the message is recorded, and `arrived` is set for each message that came in.
    """

    reply_rcpt: str | None = None
    reply_data: str | None = None
    hold: dict[int, float] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    arrived: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reply_rcpt:
            return self.reply_rcpt
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.reply_data:
            return self.reply_data
        with self.lock:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos),
                                          envelope.original_content or envelope.content))
            number = len(self.received)
        self.arrived.set()
        if number in self.hold:
            await asyncio.sleep(self.hold[number])
        return "250 OK"

    def message_ids(self) -> list[str]:
        with self.lock:
            return [item.message_id for item in self.received]


@contextmanager
def smtp_server(handler: Recorder | None = None, port: int | None = None):
    """An aiosmtpd server on 127.0.0.1; yields (handler, port)."""
    handler = handler or Recorder()
    controller = Controller(handler, hostname="127.0.0.1", port=port or free_port())
    controller.start()
    try:
        yield handler, controller.port
    finally:
        controller.stop()


@contextmanager
def silent_server():
    """A socket that accepts connections (the kernel completes them) and never says a word."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    try:
        yield sock.getsockname()[1]
    finally:
        sock.close()


def mail_config(port: int, **extra) -> dict:
    """App settings that send to a server on this loopback port."""
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port, "MAIL_USE_TLS": False,
            "MAIL_USERNAME": None, "MAIL_PASSWORD": None, **extra}
