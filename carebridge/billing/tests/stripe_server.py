"""A tiny stand-in for Stripe's API on a local port: the real stripe library builds and sends
its requests to it, and the tests read exactly what was sent."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

SESSION = {
    "id": "cs_test_a1",
    "object": "checkout.session",
    "url": "https://checkout.stripe.com/c/pay/cs_test_a1",
    "payment_status": "unpaid",
}
REFUND = {"id": "re_test_1", "object": "refund", "amount": 0, "status": "succeeded"}
CARD_ERROR = {"error": {"type": "invalid_request_error", "message": "No such payment_intent"}}


@dataclass
class Sent:
    method: str
    path: str
    form: dict[str, str]
    headers: dict[str, str]


@dataclass
class FakeStripe:
    base: str = ""
    requests: list[Sent] = field(default_factory=list)
    # Answer every request with this status and body instead (an error from Stripe).
    failure: tuple[int, dict[str, object]] | None = None


def _handler(fake: FakeStripe) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            form = dict(parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))
            headers = {name.lower(): value for name, value in self.headers.items()}
            fake.requests.append(Sent("POST", self.path, form, headers))
            status, answer = fake.failure or self._answer()
            body = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _answer(self) -> tuple[int, dict[str, object]]:
            if self.path == "/v1/checkout/sessions":
                return 200, SESSION
            if self.path == "/v1/refunds":
                return 200, REFUND
            return 404, {"error": {"type": "invalid_request_error", "message": "no route"}}

        def log_message(self, format: str, *args: object) -> None:
            return

    return Handler


@contextmanager
def fake_stripe() -> Iterator[FakeStripe]:
    fake = FakeStripe()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    fake.base = f"http://127.0.0.1:{server.server_address[1]}"
    # A short poll, so that shutting the server down after each test takes milliseconds, not the
    # default half second.
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
