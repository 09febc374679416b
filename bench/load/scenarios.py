"""The load and fault scenarios (docs/benchmarks.md, "Load and faults").

Each returns a plain dict of figures. Simulated people are threads, each with its own
`Browser`; an inquiry or a screening waits out the form timer (3 s) like a person.
"""

import hashlib
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from itertools import count
from typing import Any

from django_otp.oath import totp

from .client import CHART_LINK, Browser, Sample, read_form, timed
from .instance import Instance

FORM_WAIT = 3.3  # the inquiry and screening timers refuse a form sent within 3 s
PUBLIC_PAGES = [
    "/",
    "/ketamine-for-depression-and-anxiety/",
    "/ketamine-for-alcohol-and-substance-use/",
    "/your-infusion-day/",
    "/locations/",
    "/questions/",
    "/privacy/",
    "/contact/",
    "/screening/",
]
STAFF_PAGES = ["/staff/", "/staff/leads/", "/staff/patients/", "/staff/schedule/", "/staff/tasks/"]
# The demo's staff who see leads and charts (dendrite/demo/staff.py).
STAFF = [
    "frontdesk.boston",
    "nurse.boston",
    "prescriber.boston",
    "frontdesk.hartford",
    "nurse.hartford",
    "prescriber.hartford",
]
DEMO_PASSWORD = "demo-Dendrite-2026"  # published with the demo (dendrite/demo/staff.py)


def demo_code(username: str) -> str:
    """The demo user's current TOTP code (the key as dendrite.demo.staff.demo_key)."""
    key = hashlib.sha256(f"dendrite-demo-totp:{username}".encode()).digest()[:20]
    return f"{totp(key):06d}"


def percentile(values: list[float], pct: float) -> float:
    """Nearest rank."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, round(pct / 100 * len(ordered) + 0.4999))
    return ordered[min(rank, len(ordered)) - 1]


def summary(samples: list[Sample]) -> dict[str, Any]:
    seconds = [s.seconds for s in samples]
    errors = [s for s in samples if not s.ok]
    return {
        "requests": len(samples),
        "errors": len(errors),
        "error_kinds": dict(Counter(s.error for s in errors)),
        "p50_ms": round(percentile(seconds, 50) * 1000, 1),
        "p95_ms": round(percentile(seconds, 95) * 1000, 1),
        "p99_ms": round(percentile(seconds, 99) * 1000, 1),
        "max_ms": round(max(seconds, default=0) * 1000, 1),
    }


# -- what one person does ------------------------------------------------------------------
@dataclass
class Inquiry:
    email: str
    acknowledged: bool = False  # the client received the redirect to "thanks"
    confirmed_on_retry: bool = False  # a resend was told "already sent"
    tries: int = 0


def csrf_form(html: str) -> tuple[dict[str, str], Any]:
    form = read_form(html)
    return {k: v for k, v in form.hidden.items() if k == "csrfmiddlewaretoken"}, form


_PHONES = count(1000)
_PHONES_LOCK = threading.Lock()


def phone() -> str:
    """A number of its own for each simulated person: one phone (or e-mail) shared by
    two submissions makes them one person's leads (leads/linking.py)."""
    with _PHONES_LOCK:
        number = next(_PHONES) % 10000
    return f"(617) 555-{number:04d}"


def inquiry_form(browser: Browser, samples: list[Sample], tag: str) -> dict[str, Any] | None:
    page = timed(browser, samples, "inquiry GET", "GET", "/contact/")
    if page.status != 200:
        return None
    hidden, form = csrf_form(page.body)
    email = f"bench+{tag}@example.test"
    return {
        **hidden,
        "token": form.hidden.get("token", ""),
        "website": "",
        "name": f"Bench {tag}",
        "email": email,
        "phone": phone(),
        "location": random.choice(form.radios.get("location", [""])),
        "reasons": form.checkboxes.get("reasons", [""])[:1],
        "preferred_contact_method": "email",
        "preferred_contact_time": form.radios.get("preferred_contact_time", [""])[0],
        "consent_to_contact": "on",
        "message": "Sent by the load test.",
    }


def post_inquiry(
    browser: Browser, samples: list[Sample], data: dict[str, Any], *, retries: int = 0
) -> Inquiry:
    """Send the form; with no answer or a server error, press Send again (as a person
    would) up to `retries` times, with the same form."""
    inquiry = Inquiry(email=data["email"])
    for attempt in range(retries + 1):
        inquiry.tries += 1
        answer = timed(browser, samples, "inquiry POST", "POST", "/contact/", data, expect=(302,))
        if answer.status == 302 and answer.location.endswith("/contact/thanks/"):
            inquiry.acknowledged = True
            return inquiry
        if answer.status == 400 and attempt and "already" in answer.body.lower():
            inquiry.confirmed_on_retry = True
            return inquiry
        if answer.status and answer.status < 500:
            return inquiry  # refused for a reason a resend would not change
        time.sleep(1.0)
    return inquiry


def do_inquiry(browser: Browser, samples: list[Sample], tag: str, inquiries: list[Inquiry]) -> None:
    data = inquiry_form(browser, samples, tag)
    if data is None:
        return
    time.sleep(FORM_WAIT)
    inquiries.append(post_inquiry(browser, samples, data))
    timed(browser, samples, "inquiry thanks", "GET", "/contact/thanks/")


def do_screening(
    browser: Browser, samples: list[Sample], tag: str, think: Callable[[], None]
) -> None:
    """The first three steps of the self-screening: about you, mood (PHQ-9), anxiety (GAD-7)."""
    browser.cookies.pop("sessionid", None)  # a new visitor
    timed(browser, samples, "screening start", "GET", "/screening/")
    page = timed(browser, samples, "screening step", "GET", "/screening/step/contact/")
    if page.status != 200:
        return
    hidden, form = csrf_form(page.body)
    data = {
        **hidden,
        "token": form.hidden.get("token", ""),
        "website": "",
        "age_band": "35-44",
        "name": f"Bench screening {tag}",
        "email": f"bench-screening+{tag}@example.test",
        "phone": phone(),
        "location": random.choice(form.radios.get("location", [""])),
        "sex": "female",
        "consent": "on",
    }
    time.sleep(FORM_WAIT)
    answer = timed(
        browser, samples, "screening POST", "POST", "/screening/step/contact/", data, expect=(302,)
    )
    for _ in range(2):  # mood, then anxiety: every question answered "not at all"
        if answer.status != 302 or "/screening/step/" not in answer.location:
            return
        think()
        path = answer.location.split("://", 1)[-1]
        path = path[path.index("/") :] if not path.startswith("/") else path
        page = timed(browser, samples, "screening step", "GET", path)
        if page.status != 200:
            return
        hidden, form = csrf_form(page.body)
        data = {**hidden, **{name: values[0] for name, values in form.radios.items()}}
        think()
        answer = timed(browser, samples, "screening POST", "POST", path, data, expect=(302,))


def do_staff(
    browser: Browser, samples: list[Sample], charts: list[str], think: Callable[[], None]
) -> None:
    for path in random.sample(STAFF_PAGES, 3):
        answer = timed(browser, samples, "staff page", "GET", path, expect=(200, 302))
        if answer.status == 302:  # the schedule opens on today's page at the user's location
            target = answer.location.split("://", 1)[-1]
            target = target[target.index("/") :] if not target.startswith("/") else target
            timed(browser, samples, "staff page", "GET", target)
        think()
    if charts:
        timed(browser, samples, "staff chart", "GET", random.choice(charts))


def do_public(browser: Browser, samples: list[Sample], think: Callable[[], None]) -> None:
    for path in random.sample(PUBLIC_PAGES, 3):
        timed(browser, samples, "public page", "GET", path)
        think()


def sign_in(instance: Instance, username: str) -> dict[str, str]:
    """Password, then the authenticator code, through the real pages: the session's cookies."""
    browser = Browser("127.0.0.1", instance.port)
    samples: list[Sample] = []
    page = timed(browser, samples, "login", "GET", "/accounts/login/")
    hidden, _ = csrf_form(page.body)
    answer = timed(
        browser,
        samples,
        "login",
        "POST",
        "/accounts/login/",
        {**hidden, "username": username, "password": DEMO_PASSWORD},
        expect=(302,),
    )
    page = timed(browser, samples, "verify", "GET", "/accounts/verify/")
    hidden, _ = csrf_form(page.body)
    answer = timed(
        browser,
        samples,
        "verify",
        "POST",
        "/accounts/verify/",
        {**hidden, "token": demo_code(username)},
        expect=(302,),
    )
    if answer.status != 302 or any(not s.ok for s in samples):
        raise RuntimeError(f"could not sign in {username}: {[s.error for s in samples]}")
    return dict(browser.cookies)


def staff_charts(instance: Instance, cookies: dict[str, str]) -> list[str]:
    browser = Browser("127.0.0.1", instance.port)
    browser.cookies = dict(cookies)
    page = browser.request("GET", "/staff/patients/")
    return sorted({link for link in read_form(page.body).links if CHART_LINK.match(link)})


# -- checking what was stored and sent -------------------------------------------------------
def high_water(instance: Instance) -> dict[str, int]:
    leads = instance.query("SELECT coalesce(max(id), 0) FROM leads_lead")[0][0]
    mail = instance.query("SELECT coalesce(max(id), 0) FROM outbox_email")[0][0]
    return {"lead": int(leads), "email": int(mail), "sink": len(instance.sink.snapshot())}  # type: ignore[call-overload]


def wait_for_mail(instance: Instance, since: dict[str, int], timeout: float) -> float:
    """Until every e-mail queued since `since` is sent (or failed for good); seconds taken."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        open_rows = instance.query(
            "SELECT count(*) FROM outbox_email WHERE id > %s AND status IN ('pending', 'sending')",
            (since["email"],),
        )[0][0]
        if not open_rows:
            break
        time.sleep(1.0)
    return round(time.monotonic() - started, 1)


def delivery(
    instance: Instance, since: dict[str, int], inquiries: list[Inquiry], timeout: float = 240.0
) -> dict[str, Any]:
    """Every acknowledged inquiry stored, each stored one's staff notification and
    acknowledgement e-mail received by the SMTP sink exactly once."""
    waited = wait_for_mail(instance, since, timeout)
    rows = instance.query(
        "SELECT id, email FROM leads_lead WHERE id > %s AND email LIKE 'bench+%%'",
        (since["lead"],),
    )
    stored = {str(email): int(pk) for pk, email in rows}  # type: ignore[call-overload]
    acknowledged = [i.email for i in inquiries if i.acknowledged]
    lost = [email for email in acknowledged if email not in stored]
    received = instance.sink.snapshot()[since["sink"] :]
    notes = Counter(m.lead_id for m in received if m.lead_id is not None)
    thanks = Counter(to for m in received for to in m.to if to.startswith("bench+"))
    ids = Counter(m.message_id for m in received)
    statuses = dict(
        instance.query(
            "SELECT status, count(*) FROM outbox_email WHERE id > %s GROUP BY status",
            (since["email"],),
        )
    )
    retried = instance.query(
        "SELECT count(*) FROM outbox_email WHERE id > %s AND attempts > 1", (since["email"],)
    )[0][0]
    answered = {i.email for i in inquiries if i.acknowledged or i.confirmed_on_retry}
    return {
        "inquiries_sent": len(inquiries),
        "acknowledged": len(acknowledged),
        "confirmed_on_retry": sum(i.confirmed_on_retry for i in inquiries),
        "stored": len(stored),
        "stored_unanswered": len(set(stored) - answered),
        "lost": len(lost),
        "staff_notifications_missing": sum(1 for pk in stored.values() if notes[pk] == 0),
        "staff_notifications_twice": sum(1 for pk in stored.values() if notes[pk] > 1),
        "acknowledgements_missing": sum(1 for email in stored if thanks[email] == 0),
        "acknowledgements_twice": sum(1 for email in stored if thanks[email] > 1),
        "messages_received": len(received),
        "same_message_id_twice": sum(1 for n in ids.values() if n > 1),
        "outbox": {str(k): int(v) for k, v in statuses.items()},
        "outbox_sent_after_a_retry": int(retried),  # type: ignore[call-overload]  # type: ignore[call-overload]
        "seconds_to_send_all": waited,
    }


# -- the scenarios -----------------------------------------------------------------------------
def mixed(
    instance: Instance,
    *,
    users: int,
    seconds: float,
    think: tuple[float, float] = (1.0, 5.0),
    ramp: float = 10.0,
    weights: tuple[int, int, int, int] = (40, 20, 15, 25),
    during: Callable[[float], None] | None = None,
) -> dict[str, Any]:
    """`users` people for `seconds`: public pages, screening steps, inquiries and staff
    pages (weights in that order), each pausing `think` seconds between pages. `during`
    runs in its own thread, given the start time (the PostgreSQL outage uses it)."""
    sessions = [sign_in(instance, name) for name in STAFF]
    # Each location's charts, for its own staff (the first three sign-ins are Boston's).
    charts = [staff_charts(instance, sessions[1]), staff_charts(instance, sessions[4])]
    since = high_water(instance)
    start = time.monotonic()
    deadline = start + seconds
    samples: list[list[Sample]] = [[] for _ in range(users)]
    inquiries: list[Inquiry] = []

    def person(n: int) -> None:
        rng = random.Random(n)
        time.sleep(ramp * n / users)
        browser = Browser("127.0.0.1", instance.port)

        def pause() -> None:
            time.sleep(rng.uniform(*think))

        visit = 0
        while time.monotonic() < deadline:
            visit += 1
            tag = f"{int(start)}.{n}.{visit}"
            kind = rng.choices(["public", "screening", "inquiry", "staff"], weights)[0]
            if kind == "public":
                browser.cookies.clear()
                do_public(browser, samples[n], pause)
            elif kind == "screening":
                do_screening(browser, samples[n], tag, pause)
            elif kind == "inquiry":
                browser.cookies.clear()
                do_inquiry(browser, samples[n], tag, inquiries)
            else:
                which = n % len(sessions)
                browser.cookies = dict(sessions[which])
                do_staff(browser, samples[n], charts[which // 3], pause)
            pause()
        browser.close()

    threads = [threading.Thread(target=person, args=(n,), daemon=True) for n in range(users)]
    for thread in threads:
        thread.start()
    side = threading.Thread(target=during, args=(start,), daemon=True) if during else None
    if side:
        side.start()
    for thread in threads:
        thread.join()
    if side:
        side.join()
    elapsed = time.monotonic() - start
    every = [s for person_samples in samples for s in person_samples]
    by_label: dict[str, list[Sample]] = {}
    for sample in every:
        by_label.setdefault(sample.label, []).append(sample)
    return {
        "users": users,
        "seconds": round(elapsed, 1),
        "throughput_rps": round(len(every) / elapsed, 1),
        "all": summary(every),
        "by_kind": {label: summary(group) for label, group in sorted(by_label.items())},
        "samples": every,
        "start": start,
        "delivery": delivery(instance, since, inquiries),
    }


def burst(
    instance: Instance,
    *,
    count: int,
    fault: Callable[[], object] | None = None,
    fault_after: float = 1.0,
    retries: int = 3,
    check: bool = True,
) -> dict[str, Any]:
    """`count` inquiries sent at once (each form fetched first, the timer waited out),
    with `fault` done `fault_after` seconds into the sending."""
    since = high_water(instance)
    samples: list[list[Sample]] = [[] for _ in range(count)]
    forms: list[dict[str, Any] | None] = [None] * count
    browsers = [Browser("127.0.0.1", instance.port) for _ in range(count)]
    inquiries: list[Inquiry | None] = [None] * count
    tag = f"{int(time.time())}"

    def fetch(n: int) -> None:
        forms[n] = inquiry_form(browsers[n], samples[n], f"{tag}.{n}")

    def send(n: int) -> None:
        data = forms[n]
        if data is not None:
            inquiries[n] = post_inquiry(browsers[n], samples[n], data, retries=retries)

    run_all(fetch, count)
    time.sleep(FORM_WAIT)
    faults: list[object] = []
    timer = None
    if fault is not None:
        timer = threading.Timer(fault_after, lambda: faults.append(fault()))
        timer.start()
    started = time.monotonic()
    run_all(send, count)
    sending = time.monotonic() - started
    if timer:
        timer.join()
    posts = [s for person in samples for s in person if s.label == "inquiry POST"]
    done = [i for i in inquiries if i is not None]
    return {
        "inquiries": count,
        "forms_fetched": sum(f is not None for f in forms),
        "fault": [str(f) for f in faults],
        "sending_seconds": round(sending, 1),
        "posts": summary(posts),
        "delivery": delivery(instance, since, done) if check else None,
        "since": since,
        "sent": done,
    }


def run_all(work: Callable[[int], None], count: int) -> None:
    threads = [threading.Thread(target=work, args=(n,), daemon=True) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def outage_windows(
    samples: list[Sample], start: float, down: float, up: float, grace: float = 1.0
) -> dict[str, Any]:
    """Errors before, during (a request that overlapped the outage, or ended within
    `grace` seconds of its end) and after the database outage."""
    before, during, after = [], [], []
    for s in samples:
        begins, ends = s.started - start, s.started - start + s.seconds
        if ends < down:
            before.append(s)
        elif begins > up + grace:
            after.append(s)
        else:
            during.append(s)
    return {
        "before": summary(before),
        "during": summary(during),
        "after": summary(after),
        "first_error_after_s": min(
            (round(s.started - start - up, 1) for s in after if not s.ok), default=None
        ),
    }


def worker_killed(
    instance: Instance, *, count: int, kills: int, every: float = 0.1
) -> dict[str, Any]:
    """The task worker is stopped, `count` inquiries queue their e-mails, then the worker
    starts and is killed (SIGKILL) `kills` times while sending, each once it has sent
    another share of the queue (plus up to `every` seconds)."""
    worker = instance.services["worker"]
    worker.stop()
    queued = burst(instance, count=count, check=False)  # nothing sent: the worker is down
    since_sink = len(instance.sink.snapshot())
    worker.supervise = True
    worker.start()
    killed = []
    expected = 2 * count  # each inquiry: the staff notification and the acknowledgement
    step = max(1, expected // (kills + 2))
    for _ in range(kills):
        # Killed while sending: once it has sent another share of the queue since it started.
        mark = len(instance.sink.snapshot())
        deadline = time.monotonic() + 60
        while len(instance.sink.snapshot()) - mark < step and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(random.uniform(0, every))
        sent = len(instance.sink.snapshot()) - since_sink
        killed.append({"pid": instance.kill_worker(), "sent_before_kill": sent})
        time.sleep(worker.restart_delay + 0.5)  # the supervisor starts it again
    return {
        "posts": queued["posts"],
        "kills": killed,
        "delivery": delivery(instance, queued["since"], queued["sent"]),
    }


def quiet_outage(instance: Instance, *, seconds: float = 2.0, probes: int = 40) -> dict[str, Any]:
    """The database restarts while nobody uses the site (a night-time upgrade): then
    `probes` visitors one after another, enough to reach every web worker."""
    browser = Browser("127.0.0.1", instance.port)
    samples: list[Sample] = []
    for _ in range(probes):  # every worker holds an open database connection
        timed(browser, samples, "before", "GET", "/locations/")
    with instance.database_outage():
        time.sleep(seconds)
    time.sleep(1.0)
    after: list[Sample] = []
    for _ in range(probes):
        timed(browser, after, "after", "GET", "/locations/")
    return {"before": summary(samples), "after": summary(after)}
