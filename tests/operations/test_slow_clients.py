"""Slow clients cannot take the site down: behind the front of deploy/nginx.conf, 50
connections that each send a request line and one header and then stop (opened again
whenever the front drops them) are held for 20 s, while a reader asking for the home page
and a static file every 0.5 s gets every answer within 1 s.

Bare sync gunicorn workers serve one connection each until it ends, so there the same
siege stalls every other request (docs/deployment.md, "The front").

The site is production-like and tiny: a fresh database (beside DATABASE_URL's on PostgreSQL,
else a SQLite file) migrated, static files collected, gunicorn -w 2 with the production
settings as docker-compose.yml sets them, and deploy/nginx-local.sh in front. No nginx is a
failure, not a skip: the front is part of the deployment.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import selectors
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pytest

from tests.processes import free_port, start

ROOT = Path(__file__).resolve().parents[2]
NGINX_CONF = ROOT / "deploy" / "nginx.conf"
SLOW_CLIENTS = 50
HOLD = 20.0  # seconds the slow connections are kept up
EVERY = 0.5  # the reader asks every … s
WITHIN = 1.0  # … and each answer must come within … s
PATHS = ("/", "/static/css/portal.css")
# What the TLS proxy in front of the front would send; the portal runs with HTTPS=1.
READER_HEADERS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}


def nginx_setting(name: str) -> str:
    found = re.search(rf"^\s*{name}\s+([^;]+);", NGINX_CONF.read_text(encoding="utf-8"), re.MULTILINE)
    assert found, f"{name} is not set in {NGINX_CONF}"
    return found.group(1)


# -- the siege (also usable against bare gunicorn, to see the difference) ------------------


@dataclass
class Answer:
    at: float  # seconds into the siege
    path: str
    status: int | str  # the HTTP status, or what went wrong
    seconds: float

    @property
    def good(self) -> bool:
        return isinstance(self.status, int) and 200 <= self.status < 400 and self.seconds < WITHIN


@dataclass
class Siege:
    answers: list[Answer] = field(default_factory=list)
    opened: int = 0  # slow connections opened, the first SLOW_CLIENTS and their replacements
    held: list[float] = field(default_factory=list)  # how long each of the first ones lasted before the server closed it
    errors: list[str] = field(default_factory=list)


def ask(host: str, port: int, path: str, timeout: float) -> tuple[int | str, float]:
    started = time.monotonic()
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.request("GET", path, headers=READER_HEADERS)
        response = connection.getresponse()
        response.read()
        status: int | str = response.status
    except (OSError, http.client.HTTPException) as error:
        status = f"{type(error).__name__}: {error}"
    finally:
        connection.close()
    return status, time.monotonic() - started


def _hold_slow_connections(host: str, port: int, siege: Siege, ready: threading.Event, stop: threading.Event) -> None:
    """SLOW_CLIENTS connections, each a request line and one header and then silence; one
    closed by the server is opened again at once."""
    selector = selectors.DefaultSelector()

    def open_one(first: bool) -> None:
        try:
            connection = socket.create_connection((host, port), timeout=5)
            connection.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        except OSError as error:
            siege.errors.append(f"slow connection: {error}")
            return
        connection.setblocking(False)
        selector.register(connection, selectors.EVENT_READ, (time.monotonic(), first))
        siege.opened += 1

    try:
        for _ in range(SLOW_CLIENTS):
            open_one(first=True)
        ready.set()
        while not stop.is_set():
            for key, _ in selector.select(timeout=0.1):
                try:
                    closed = not key.fileobj.recv(4096)
                except OSError:  # reset
                    closed = True
                if closed:
                    opened_at, first = key.data
                    if first:
                        siege.held.append(time.monotonic() - opened_at)
                    selector.unregister(key.fileobj)
                    key.fileobj.close()
                    open_one(first=False)
    finally:
        ready.set()
        for key in list(selector.get_map().values()):
            key.fileobj.close()
        selector.close()


def siege(host: str, port: int, *, hold: float = HOLD, timeout: float = 5.0) -> Siege:
    """Slow connections kept up for `hold` seconds while a reader asks for PATHS every EVERY s."""
    result = Siege()
    ready, stop = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_slow_connections, args=(host, port, result, ready, stop), daemon=True)
    holder.start()
    try:
        ready.wait(30)
        start = next_tick = time.monotonic()
        while next_tick < start + hold:
            for path in PATHS:
                status, seconds = ask(host, port, path, timeout)
                result.answers.append(Answer(round(time.monotonic() - start, 1), path, status, seconds))
            next_tick = max(next_tick + EVERY, time.monotonic())  # late answers: ask again at once
            time.sleep(max(0.0, next_tick - time.monotonic()))
    finally:
        stop.set()
        holder.join(10)
    return result


# -- the site ------------------------------------------------------------------------------


def _with_database(url: str, name: str) -> str:
    return urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(path=f"/{name}"))


@contextmanager
def fresh_database(work: Path) -> Iterator[str]:
    """A new empty database on DATABASE_URL's PostgreSQL server, dropped at the end; a SQLite
    file in `work` otherwise."""
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith("postgres"):
        yield f"sqlite:///{work / 'site.sqlite3'}"
        return
    import psycopg

    name = f"slow_clients_{os.getpid()}_{secrets.token_hex(3)}"
    admin = _with_database(server, "postgres")
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE template0')
    try:
        yield _with_database(server, name)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def site_environment(database_url: str, work: Path) -> dict:
    """The production settings as docker-compose.yml gives them: DEBUG off, HTTPS behind two
    proxies (the TLS proxy, then the front)."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("DJANGO_", "MEDIA_S3_")) and key not in ("REDIS_URL", "PORTAL_CACHE", "DEBUG", "TASKS_BACKEND")}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings", DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1", HTTPS="1", BEHIND_PROXY="1", TRUSTED_PROXY_COUNT="2",
        DATABASE_URL=database_url, STATIC_ROOT=str(work / "static"), MEDIA_ROOT=str(work / "media"),
        LOG_LEVEL="WARNING", PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def prepare(env: dict, work: Path) -> None:
    """migrate and collectstatic, side by side (neither needs the other)."""
    steps = {}
    for name, args in (("migrate", ("migrate", "--noinput")), ("collectstatic", ("collectstatic", "--noinput"))):
        with (work / f"{name}.log").open("wb") as log:
            steps[name] = subprocess.Popen([sys.executable, "manage.py", *args], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    for name, step in steps.items():
        if step.wait(timeout=300) != 0:
            pytest.fail(f"manage.py {name} failed:\n{(work / f'{name}.log').read_text()[-3000:]}")


def wait_until_answering(port: int, processes: dict[str, tuple[subprocess.Popen, Path]]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for name, (process, log) in processes.items():
            if process.poll() is not None:
                pytest.fail(f"{name} exited at start:\n{log.read_text()[-3000:]}")
        status, _ = ask("127.0.0.1", port, "/", timeout=5)
        if status == 200:
            return
        time.sleep(0.2)
    logs = "\n".join(f"--- {name}\n{log.read_text()[-2000:]}" for name, (_, log) in processes.items())
    pytest.fail(f"the site did not answer 200 through nginx within 60 s (last: {status})\n{logs}")


# -- the test ------------------------------------------------------------------------------


def test_slow_clients_do_not_delay_other_readers(tmp_path):
    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        pytest.fail("nginx is not installed: apt-get install nginx (the front of deploy/nginx.conf; .ci/run installs it)")
    header_timeout = int(nginx_setting("client_header_timeout").rstrip("s"))
    assert header_timeout < HOLD - 5, "the siege must outlast client_header_timeout to see it at work"

    with ExitStack() as stack:
        env = site_environment(stack.enter_context(fresh_database(tmp_path)), tmp_path)
        prepare(env, tmp_path)
        gunicorn_port, nginx_port = free_port(), free_port()
        logs = {name: tmp_path / f"{name}.log" for name in ("gunicorn", "nginx")}
        gunicorn = start(stack, [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "-w", "2",
                                 "-b", f"127.0.0.1:{gunicorn_port}", "--timeout", "60", "--log-level", "warning"],
                         logs["gunicorn"], env)
        nginx = start(stack, ["bash", str(ROOT / "deploy" / "nginx-local.sh"), str(tmp_path / "nginx"),
                              f"127.0.0.1:{nginx_port}", f"127.0.0.1:{gunicorn_port}"], logs["nginx"])
        wait_until_answering(nginx_port, {"gunicorn": (gunicorn, logs["gunicorn"]), "nginx": (nginx, logs["nginx"])})

        result = siege("127.0.0.1", nginx_port)

    bad = [answer for answer in result.answers if not answer.good]
    slowest = max(result.answers, key=lambda answer: answer.seconds)
    assert not bad, (
        f"{len(bad)} of {len(result.answers)} requests were not answered 2xx/3xx within {WITHIN} s while "
        f"{SLOW_CLIENTS} slow clients were held: " + "; ".join(f"{a.at} s {a.path} → {a.status} in {a.seconds:.2f} s" for a in bad[:10])
    )
    assert len(result.answers) >= 2 * HOLD / EVERY * 0.9, f"only {len(result.answers)} requests in {HOLD} s"
    assert not result.errors, result.errors[:5]
    # Each slow connection was held by the front and dropped at client_header_timeout.
    assert len(result.held) == SLOW_CLIENTS, f"{len(result.held)} of {SLOW_CLIENTS} slow connections were dropped within {HOLD} s"
    assert all(header_timeout - 1 <= held <= header_timeout + 5 for held in result.held), (
        f"slow connections dropped after {min(result.held):.1f}–{max(result.held):.1f} s, expected about {header_timeout} s"
    )
    print(f"{len(result.answers)} requests, the slowest {slowest.seconds * 1000:.0f} ms; {result.opened} slow connections, "
          f"dropped after {min(result.held):.1f}–{max(result.held):.1f} s")


def test_the_front_takes_the_largest_workbook_the_portal_accepts():
    """client_max_body_size: the workbook limit (WORKBOOK_MAX_UPLOAD_BYTES, default 20 MiB)
    plus at most 2 MiB for the form's other fields, so that the form's own message, not
    nginx's 413 page, answers a workbook near the limit."""
    from django.conf import settings

    size = nginx_setting("client_max_body_size")
    limit = int(size[:-1]) * {"k": 1024, "m": 1024 * 1024}[size[-1].lower()]
    assert settings.WORKBOOK_MAX_UPLOAD_BYTES < limit <= settings.WORKBOOK_MAX_UPLOAD_BYTES + 2 * 1024 * 1024, size
