"""A tiny SMTP relay for tests, speaking the few verbs Django's SMTP backend uses, and a port
where no relay listens. Each recipient can be refused with a chosen reply ("550 5.1.1 No such
user", "451 4.3.0 Try again later") to test permanent and passing refusals."""

from __future__ import annotations

import email
import email.message
import socket
import socketserver
import threading
from dataclasses import dataclass, field


def closed_port() -> int:
    """A local port nobody listens on: bound, then closed again."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Relay:
    port: int = 0
    # Replies to RCPT TO for some addresses; any other recipient is accepted.
    refusals: dict[str, str] = field(default_factory=dict)
    received: list[email.message.Message] = field(default_factory=list)


class _Session(socketserver.StreamRequestHandler):
    server: _Server

    def handle(self) -> None:
        self._reply("220 test relay ready")
        while line := self.rfile.readline():
            verb, _space, argument = line.decode().strip().partition(" ")
            if verb.upper() == "QUIT":
                self._reply("221 bye")
                return
            self._answer(verb.upper(), argument)

    def _answer(self, verb: str, argument: str) -> None:
        if verb == "RCPT":
            address = argument.split(":", 1)[1].strip().strip("<>")
            self._reply(self.server.relay.refusals.get(address, "250 OK"))
        elif verb == "DATA":
            self._reply("354 end with a dot")
            message = email.message_from_bytes(self._data().replace(b"\r\n", b"\n"))
            self.server.relay.received.append(message)
            self._reply("250 queued")
        elif verb in {"EHLO", "HELO", "MAIL", "RSET", "NOOP"}:
            self._reply("250 OK")
        else:
            self._reply("502 not implemented")

    def _data(self) -> bytes:
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        return b"".join(lines)

    def _reply(self, text: str) -> None:
        self.wfile.write(text.encode() + b"\r\n")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    relay: Relay


def start_relay() -> tuple[Relay, _Server]:
    server = _Server(("127.0.0.1", 0), _Session)
    server.relay = Relay(port=int(server.server_address[1]))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.relay, server
