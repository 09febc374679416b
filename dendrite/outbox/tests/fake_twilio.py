"""A fake of Twilio's Messages API on this machine (127.0.0.1), for the SDK to talk to.

It answers the two requests the backend makes, as Twilio documents them: create a
message (POST .../Accounts/{sid}/Messages.json, a form) and list the messages to a
number (GET the same URL with ?To=), both behind HTTP Basic auth. `plan` says what
happens to the next creates: "ok"; an error answer (`Refuse(status, code)`); or one
of the failures a real network has — "accept, then drop" (Twilio creates the message
but the answer never arrives), "accept, then 500", "drop" (nothing created, no answer).
`messages` is what Twilio would have sent: the test counts the texts there.
"""

import datetime as dt
import email.utils
import json
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from dendrite.outbox.twilio import QuietHttpClient, TwilioBackend

ACCOUNT_SID = "AC" + "0" * 32
API_KEY = "SK" + "1" * 32
API_SECRET = "fake-twilio-secret-never-logged"
SENDER = "+16175550100"
TWILIO = "https://api.twilio.com"
MESSAGES = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"


@dataclass
class Refuse:
    status: int
    code: int
    message: str = "Refused."


@dataclass
class Fake:
    url: str = ""
    messages: list[dict[str, Any]] = field(default_factory=list)
    plan: list[Any] = field(default_factory=list)  # what the next creates meet, in order
    lookup_plan: list[Refuse] = field(default_factory=list)  # and the next lists
    requests: list[tuple[str, str]] = field(default_factory=list)  # (method, path)
    # What Twilio keeps of a text's body (a trial account's notice, "smart encoding").
    keeps: Callable[[str], str] = lambda body: body

    def creates(self) -> int:
        return sum(1 for method, _ in self.requests if method == "POST")

    def create(self, form: dict[str, str]) -> dict[str, Any]:
        message = {
            "sid": "SM" + secrets.token_hex(16),
            "account_sid": ACCOUNT_SID,
            "api_version": "2010-04-01",
            "to": form["To"],
            "from": form.get("From"),
            "messaging_service_sid": form.get("MessagingServiceSid"),
            "body": self.keeps(form.get("Body", "")),
            "direction": "outbound-api",
            "status": "queued",
            "num_segments": "1",
            "num_media": "0",
            "date_created": email.utils.format_datetime(dt.datetime.now(dt.UTC), usegmt=True),
            "date_updated": email.utils.format_datetime(dt.datetime.now(dt.UTC), usegmt=True),
            "date_sent": None,
            "error_code": None,
            "error_message": None,
            "price": None,
            "price_unit": "USD",
        }
        message["uri"] = MESSAGES.replace(".json", f"/{message['sid']}.json")
        self.messages.append(message)
        return message


def handler_for(fake: Fake) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet, like the backend

        def answer(self, status: int, payload: dict[str, Any]) -> None:
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def authorised(self) -> bool:
            import base64

            expected = base64.b64encode(f"{API_KEY}:{API_SECRET}".encode()).decode()
            if self.headers.get("Authorization") == f"Basic {expected}":
                return True
            self.answer(401, {"code": 20003, "message": "Authenticate", "status": 401})
            return False

        def drop(self) -> None:
            self.close_connection = True
            self.connection.close()

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            fake.requests.append(("GET", url.path))
            if not self.authorised():
                return
            if url.path != MESSAGES:
                self.answer(404, {"code": 20404, "message": "Not found", "status": 404})
                return
            if fake.lookup_plan:
                step = fake.lookup_plan.pop(0)
                self.answer(step.status, {"code": step.code, "message": step.message,
                                          "more_info": "", "status": step.status})  # fmt: skip
                return
            query = {name: values[0] for name, values in parse_qs(url.query).items()}
            size = int(query.get("PageSize", 50))
            found = [m for m in reversed(fake.messages) if m["to"] == query.get("To")]
            self.answer(
                200,
                {
                    "messages": found[:size],
                    "page": 0,
                    "page_size": size,
                    "start": 0,
                    "end": max(len(found[:size]) - 1, 0),
                    "uri": url.path,
                    "first_page_uri": url.path,
                    "next_page_uri": None,
                    "previous_page_uri": None,
                },
            )

        def do_POST(self) -> None:
            url = urlsplit(self.path)
            fake.requests.append(("POST", url.path))
            length = int(self.headers.get("Content-Length", 0))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            if not self.authorised():
                return
            step = fake.plan.pop(0) if fake.plan else "ok"
            if isinstance(step, Refuse):
                self.answer(step.status, {"code": step.code, "message": step.message,
                                          "more_info": "", "status": step.status})  # fmt: skip
            elif step == "drop":
                self.drop()
            elif step == "accept, then drop":
                fake.create(form)
                self.drop()
            elif step == "accept, then 500":
                fake.create(form)
                self.answer(500, {"code": 20500, "message": "Internal error", "status": 500})
            else:
                self.answer(201, fake.create(form))

    return Handler


def start() -> tuple[Fake, ThreadingHTTPServer]:
    fake = Fake()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(fake))
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return fake, server


class ToTheFake(QuietHttpClient):
    """The SDK's own HTTP client, with Twilio's address swapped for the fake's."""

    def __init__(self, fake: Fake) -> None:
        super().__init__(timeout=5)
        self.fake = fake

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        assert url.startswith(TWILIO), url  # the SDK never goes anywhere else
        return super().request(method, self.fake.url + url[len(TWILIO) :], *args, **kwargs)


# The fake the backend below talks to (the `twilio` fixture sets it).
current: Fake | None = None


class FakeTwilioBackend(TwilioBackend):
    """The production backend, sending to the fake: what DENDRITE_SMS_BACKEND names in
    tests that go through the queue."""

    def __init__(self) -> None:
        assert current is not None, "use the twilio fixture"
        super().__init__(http_client=ToTheFake(current))
