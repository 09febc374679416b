"""A Dendrite instance of its own for the load and fault tests, torn down afterwards.

Its own PostgreSQL database (created, migrated and loaded with the demo), its own var/
folder, a free loopback port, a local SMTP sink, and the three production processes —
gunicorn with production settings (DEBUG off), `manage.py db_worker` and
`manage.py run_scheduler` — each restarted when it exits, as systemd's `Restart=always`
does in deploy/systemd/ (the restarts are counted: a scenario says which it expects).

Only this instance is made lenient, through its environment: the per-address limits on
inquiries and screenings (every simulated person comes from 127.0.0.1) and the e-mail
lease (so a killed worker's e-mail is retried within the run). The form timer is kept:
the driver waits before sending, like a person.
"""

import asyncio
import email
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")
LEAD_URL = re.compile(r"/staff/leads/(\d+)/")
# The PostgreSQL server's admin database, where the benches create their own databases.
ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def postgres_answers() -> bool:
    """Whether the PostgreSQL server at ADMIN_URL takes connections (else a bench skips)."""
    try:
        with psycopg.connect(ADMIN_URL, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def wait_for_health(port: int, timeout: float = 90.0) -> bool:
    """Poll /healthz on the port until it answers 200; False if it never does in time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Received:
    message_id: str
    subject: str
    to: tuple[str, ...]
    lead_id: int | None  # a staff notification names its lead by the link to it


class SmtpSink:
    """Every message the worker sends, as an SMTP server on loopback would receive it."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.port = free_port()
        self.messages: list[Received] = []
        self.lock = threading.Lock()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        raw = envelope.content  # type: ignore[attr-defined]
        message = email.message_from_bytes(raw if isinstance(raw, bytes) else raw.encode())
        body = message.get_payload(decode=True) if not message.is_multipart() else b""
        if message.is_multipart():
            body = message.get_payload(0).get_payload(decode=True)  # type: ignore[union-attr]
        found = LEAD_URL.search((body or b"").decode("utf-8", "replace"))
        received = Received(
            message_id=message.get("Message-ID", ""),
            subject=message.get("Subject", ""),
            to=tuple(envelope.rcpt_tos),  # type: ignore[attr-defined]
            lead_id=int(found.group(1)) if found else None,
        )
        with self.lock:
            self.messages.append(received)
        await asyncio.sleep(0)
        return "250 Message accepted"

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    def snapshot(self) -> list[Received]:
        with self.lock:
            return list(self.messages)


@dataclass
class Service:
    """One supervised process: restarted `restart_delay` seconds after it exits."""

    name: str
    argv: list[str]
    env: dict[str, str]
    log: Path
    restart_delay: float = 2.0
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0
    exits: list[int] = field(default_factory=list)
    supervise: bool = True

    def start(self) -> None:
        handle = self.log.open("ab")
        self.process = subprocess.Popen(
            self.argv, cwd=ROOT, env=self.env, stdout=handle, stderr=subprocess.STDOUT
        )
        handle.close()
        self.starts += 1

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    @property
    def restarts(self) -> int:
        return self.starts - 1

    def children(self) -> list[int]:
        path = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []

    def stop(self) -> None:
        self.supervise = False
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Instance:
    def __init__(
        self,
        run_dir: Path,
        var_dir: Path,
        *,
        database: str = "dendrite_loadfault",
        admin_url: str = "postgres://postgres@127.0.0.1:5432/postgres",
        web_workers: int | None = None,
    ) -> None:
        self.run_dir = run_dir
        self.var_dir = var_dir
        self.database = database
        self.admin_url = admin_url
        self.database_url = admin_url.rsplit("/", 1)[0] + f"/{database}"
        self.port = free_port()
        self.sink = SmtpSink()
        self.services: dict[str, Service] = {}
        self.orphans: set[int] = set()  # gunicorn workers left by a killed master
        self._stop = threading.Event()
        self._monitor: threading.Thread | None = None
        self.env = self._environment(web_workers)

    # -- set-up ----------------------------------------------------------------------
    def _environment(self, web_workers: int | None) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DENDRITE_", "DATABASE_URL", "DJANGO_"))
        }
        env.update(
            DATABASE_URL=self.database_url,
            DENDRITE_SECRET_KEY=secrets.token_urlsafe(60),
            DENDRITE_AUDIT_KEY=secrets.token_urlsafe(40),
            DENDRITE_ALLOWED_HOSTS="127.0.0.1,localhost",
            DENDRITE_SSL_REDIRECT="0",
            DENDRITE_VAR_DIR=str(self.var_dir),
            DENDRITE_BIND=f"127.0.0.1:{self.port}",
            DENDRITE_SITE_URL=f"http://127.0.0.1:{self.port}",
            DENDRITE_EMAIL_HOST="127.0.0.1",
            DENDRITE_EMAIL_PORT=str(self.sink.port),
            DENDRITE_EMAIL_TIMEOUT="5",
            # A killed worker's e-mail is sent again by the sweep once its lease ends.
            DENDRITE_MAIL_LEASE="15",
            DENDRITE_INQUIRY_BURST_LIMIT="1000000",
            DENDRITE_INQUIRY_DAILY_LIMIT="1000000",
            DENDRITE_SCREENING_BURST_LIMIT="1000000",
            DENDRITE_SCREENING_DAILY_LIMIT="1000000",
            DENDRITE_LOG_LEVEL="WARNING",
            DENDRITE_HEALTH_MIN_FREE_DISK_MB="64",
        )
        if web_workers:
            env["DENDRITE_WEB_WORKERS"] = str(web_workers)
        return env

    def manage(self, *args: str, debug: bool = False) -> None:
        env = dict(self.env, DENDRITE_DEBUG="1") if debug else self.env
        with (self.run_dir / "setup.log").open("ab") as log:
            subprocess.run(
                [PYTHON, "manage.py", *args],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                check=True,
            )

    def exists(self) -> bool:
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (self.database,))
            return found.fetchone() is not None

    def create(self) -> None:
        """A fresh database: dropped if a previous run left it, migrated, demo loaded."""
        self.run_dir.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(self.var_dir, ignore_errors=True)
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{self.database}"')
        self.manage("migrate", "--noinput")
        self.manage("collectstatic", "--noinput")
        # The demo's staff have published passwords: load_demo runs only in debug mode.
        self.manage("load_demo", debug=True)

    def start(self) -> None:
        self.sink.start()
        logs = self.run_dir
        self.services = {
            "web": Service(
                "web", [GUNICORN, "--config", "gunicorn.conf.py"], self.env, logs / "web.log"
            ),
            "worker": Service(
                "worker", [PYTHON, "manage.py", "db_worker"], self.env, logs / "worker.log"
            ),
            "scheduler": Service(
                "scheduler",
                [PYTHON, "manage.py", "run_scheduler"],
                self.env,
                logs / "scheduler.log",
                restart_delay=5.0,
            ),
        }
        for service in self.services.values():
            service.start()
        self._monitor = threading.Thread(target=self._supervise, daemon=True)
        self._monitor.start()
        self.wait_ready()

    def _supervise(self) -> None:
        while not self._stop.wait(0.2):
            for service in self.services.values():
                process = service.process
                if service.supervise and process is not None and process.poll() is not None:
                    service.exits.append(process.returncode)
                    time.sleep(service.restart_delay)
                    if service.supervise and not self._stop.is_set():
                        service.start()

    def wait_ready(self, timeout: float = 90.0) -> None:
        """Until /healthz answers 200 (the web app is up)."""
        if not wait_for_health(self.port, timeout):
            raise RuntimeError(f"gunicorn did not answer on port {self.port}; see {self.run_dir}")

    def stop(self) -> None:
        self._stop.set()
        for service in self.services.values():
            service.stop()
        for pid in list(self.orphans):
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.sink.stop()

    def drop(self) -> None:
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')

    # -- faults ----------------------------------------------------------------------
    def web_workers(self) -> list[int]:
        return self.services["web"].children()

    def kill_web_worker(self) -> int:
        pid = self.web_workers()[0]
        os.kill(pid, signal.SIGKILL)
        return pid

    def kill_web_master(self) -> int:
        web = self.services["web"]
        self.orphans.update(web.children())
        pid = web.pid
        os.kill(pid, signal.SIGKILL)
        return pid

    def kill_worker(self) -> int:
        pid = self.services["worker"].pid
        os.kill(pid, signal.SIGKILL)
        return pid

    @contextmanager
    def database_outage(self) -> Iterator[None]:
        """This database only goes away, as in a server restart: every connection to it
        is ended and new ones are refused until the block ends. (Other databases on the
        shared server are untouched.)"""
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'ALTER DATABASE "{self.database}" ALLOW_CONNECTIONS false')
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (self.database,),
            )
            try:
                yield
            finally:
                conn.execute(f'ALTER DATABASE "{self.database}" ALLOW_CONNECTIONS true')

    @contextmanager
    def server_restart(self) -> Iterator[None]:
        """The whole PostgreSQL server stopped (fast: connections cut) and started again
        when the block ends, with `pg_ctlcluster` (root on this machine). Every database
        on the server goes away: only for a machine nobody else is using."""
        version = sorted(os.listdir("/etc/postgresql"))[0]
        ctl = ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main"]
        subprocess.run([*ctl, "stop", "-m", "fast"], check=True)
        try:
            yield
        finally:
            subprocess.run([*ctl, "start"], check=True)

    # -- reading the database ----------------------------------------------------------
    def query(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        with psycopg.connect(self.database_url, autocommit=True) as conn:
            return list(conn.execute(sql, params).fetchall())  # type: ignore[arg-type]
