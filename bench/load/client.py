"""A small HTTP/1.1 client for the load driver: the standard library only.

One `Browser` per simulated person: its own cookies, a connection it reopens whenever
gunicorn closes it (sync workers close after every response), no redirect following
(the driver checks each answer itself), and a note of every request's time and outcome.
"""

import http.client
import re
import time
import urllib.parse
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookies import SimpleCookie


@dataclass
class Answer:
    status: int  # 0: no HTTP answer at all (refused, reset, timed out)
    body: str
    location: str
    error: str = ""


@dataclass(frozen=True)
class Sample:
    """One request as the client saw it."""

    label: str
    started: float  # time.monotonic()
    seconds: float
    status: int
    ok: bool
    error: str


class Browser:
    def __init__(self, host: str, port: int, *, timeout: float = 60.0) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(
        self, method: str, path: str, form: dict[str, str | list[str]] | None = None
    ) -> Answer:
        headers = {"Host": f"{self.host}:{self.port}", "User-Agent": "dendrite-bench-load"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read().decode("utf-8", "replace")
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    self._keep(value)
            if response.will_close:
                self.close()
            return Answer(response.status, data, response.getheader("Location") or "")
        except (OSError, http.client.HTTPException) as error:
            self.close()
            return Answer(0, "", "", type(error).__name__)

    def _keep(self, header: str) -> None:
        for name, morsel in SimpleCookie(header).items():
            if morsel["max-age"] == "0" or not morsel.value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value


class FormReader(HTMLParser):
    """The fields of the page's forms: hidden values, and each radio group's choices."""

    def __init__(self) -> None:
        super().__init__()
        self.hidden: dict[str, str] = {}
        self.radios: dict[str, list[str]] = {}
        self.checkboxes: dict[str, list[str]] = {}
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "input":
            kind = a.get("type", "text")
            if kind == "hidden" and a.get("name"):
                self.hidden[a["name"]] = a.get("value", "")
            elif kind == "radio" and a.get("name"):
                self.radios.setdefault(a["name"], []).append(a.get("value", ""))
            elif kind == "checkbox" and a.get("name"):
                self.checkboxes.setdefault(a["name"], []).append(a.get("value", "on"))
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"])


def read_form(html: str) -> FormReader:
    reader = FormReader()
    reader.feed(html)
    return reader


def timed(
    browser: Browser,
    samples: list[Sample],
    label: str,
    method: str,
    path: str,
    form: dict[str, str | list[str]] | None = None,
    expect: tuple[int, ...] = (200,),
) -> Answer:
    """Send one request and note it: ok when the status is one expected."""
    started = time.monotonic()
    answer = browser.request(method, path, form)
    seconds = time.monotonic() - started
    ok = answer.status in expect
    error = answer.error or ("" if ok else f"HTTP {answer.status}")
    samples.append(Sample(label, started, seconds, answer.status, ok, error))
    return answer


CHART_LINK = re.compile(r"^/staff/patients/(\d+)/$")
