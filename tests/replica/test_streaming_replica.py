"""Reads on a streaming replica, a writer on the primary: the portal runs under gunicorn with
DATABASE_URL = a PostgreSQL primary and DATABASE_REPLICA_URLS = its hot standby, both started
on this machine by deploy/replica_cluster.py, and is used over HTTP.

Who served a request is read on the servers' side: both log every statement
(log_statement=all), and the statements the site ran on each during a request are counted
there; nothing in the portal reports where it read. To show the pin is needed, the standby's
replay is paused before the publication: the standby then lags on purpose, and an anonymous
reader served by it still sees the disclosure unpublished while the reviewer who published it,
and a visitor who has just written, are served by the primary and see it. Replay resumed and
caught up, the anonymous reader sees it from the standby.

The page cache is off (PORTAL_CACHE=dummy): a page served from it reads no database at all,
and the routing is what is measured here. The publication completes in the request
(TASKS_BACKEND=immediate, as in the test suite) instead of in a worker.

No PostgreSQL server programs is a failure, not a skip (.ci/run installs them).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Iterator

import pytest
import requests

from deploy import replica_cluster
from tests.processes import free_port, start

ROOT = Path(__file__).resolve().parents[2]
PIN_SECONDS = 4  # short, so that the test also sees the pin end
SERVERS = ("primary", "standby")
# A statement of a client, as the servers log it with log_line_prefix '%m [%p] %d '.
STATEMENT = re.compile(r"^\S+ \S+ \S+ \[\d+\] (\S+) LOG:  (?:statement|execute [^:]*): (.*)$", re.MULTILINE)


def statements(cluster: replica_cluster.Cluster, server: str) -> list[str]:
    """The statements run on `server` in the site's database, in order."""
    text = cluster.log(server).read_text(encoding="utf-8", errors="replace")
    return [sql for database, sql in STATEMENT.findall(text) if database == cluster.database]


@contextmanager
def served(cluster: replica_cluster.Cluster) -> Iterator[dict[str, list[str]]]:
    """{"primary": [...], "standby": [...]}: the statements each server ran during the block."""
    before = {server: len(statements(cluster, server)) for server in SERVERS}
    seen: dict[str, list[str]] = {}
    yield seen
    for server in SERVERS:
        seen[server] = statements(cluster, server)[before[server]:]


def site_environment(cluster: replica_cluster.Cluster, work: Path, *, replicas: bool) -> dict:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("DJANGO_", "MEDIA_S3_"))
           and key not in ("REDIS_URL", "DATABASE_REPLICA_URLS", "REPLICA_PIN_SECONDS", "CONN_MAX_AGE")}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings", DEBUG="1", HTTPS="0", SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1", DATABASE_URL=cluster.primary_url, MEDIA_ROOT=str(work / "media"),
        TASKS_BACKEND="immediate", PORTAL_CACHE="dummy", LOG_LEVEL="WARNING", PYTHONDONTWRITEBYTECODE="1",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    if replicas:
        env.update(DATABASE_REPLICA_URLS=cluster.standby_url, REPLICA_PIN_SECONDS=str(PIN_SECONDS))
    return env


def run(command: list[str], env: dict, what: str) -> str:
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    if done.returncode != 0:
        pytest.fail(f"{what} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    return done.stdout


def start_site(stack: ExitStack, env: dict, work: Path) -> str:
    """gunicorn with two workers (the pin cookie must hold across processes); its address."""
    port, log = free_port(), work / "gunicorn.log"
    process = start(stack, [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "-w", "2", "-b", f"127.0.0.1:{port}",
                            "--timeout", "120", "--log-level", "warning"], log, env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited at start:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(f"{base}/", timeout=30).status_code == 200:
                return base
        except requests.ConnectionError:  # not listening yet
            pass
        time.sleep(0.2)
    pytest.fail(f"the site did not answer within 60 s:\n{log.read_text()[-3000:]}")


def pin_cookie(response: requests.Response) -> str | None:
    """The Set-Cookie header of the pin cookie, if the response sets it."""
    found = [header for header in response.raw.headers.getlist("Set-Cookie") if header.startswith("primary_pin=")]
    return found[0] if found else None


def sign_in(base: str, username: str, password: str) -> requests.Session:
    session = requests.Session()
    session.get(f"{base}/accounts/login/", timeout=30)
    response = session.post(f"{base}/accounts/login/", timeout=30, allow_redirects=False, data={
        "username": username, "password": password, "csrfmiddlewaretoken": session.cookies["csrftoken"]})
    assert response.status_code == 302, f"login of {username} refused: {response.status_code}"
    return session


def reads_only_on(seen: dict[str, list[str]], server: str) -> None:
    other = "primary" if server == "standby" else "standby"
    assert seen[server], f"no statement on the {server}: {seen}"
    assert not seen[other], f"the {other} was read: {seen[other][:5]}"


def test_public_reads_on_the_standby_and_writers_on_the_primary(tmp_path):
    try:
        replica_cluster.server_bindir()
    except replica_cluster.ClusterError as missing:
        pytest.fail(str(missing))
    started = time.monotonic()
    with ExitStack() as stack:
        cluster = stack.enter_context(replica_cluster.running(log_statements=True))
        # Migrations and content on the primary, by processes without replicas configured.
        run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            site_environment(cluster, tmp_path, replicas=False), "migrate")
        site = json.loads(run([sys.executable, "tests/replica/site.py"], site_environment(cluster, tmp_path, replicas=False),
                              "tests/replica/site.py").strip().splitlines()[-1])
        cluster.wait_for_catchup()
        base = start_site(stack, site_environment(cluster, tmp_path, replicas=True), tmp_path)
        page = f"{base}/disclosures/{site['disclosure']}/"

        # (a) An anonymous reader of the public site and the API is served by the standby.
        with served(cluster) as seen:
            listed = requests.get(f"{base}/api/disclosures", timeout=30)
            home = requests.get(f"{base}/", timeout=30)
        assert listed.status_code == 200 and home.status_code == 200
        assert site["entity"] not in listed.text  # approved, not yet published
        reads_only_on(seen, "standby")
        assert any("accounts_app_disclosure" in sql for sql in seen["standby"])
        assert pin_cookie(listed) is None and pin_cookie(home) is None

        # From now on the standby lags behind everything written on the primary.
        cluster.replay_pause()

        # (b) The reviewer publishes over HTTP (a write: the primary, and the pin cookie) ...
        reviewer = sign_in(base, site["reviewer"], site["password"])
        with served(cluster) as seen:
            published = reviewer.post(f"{base}/work/versions/{site['version']}/publish/", timeout=120,
                                      allow_redirects=False, headers={"X-CSRFToken": reviewer.cookies["csrftoken"]})
        assert published.status_code == 302, published.status_code
        reads_only_on(seen, "primary")
        cookie = pin_cookie(published)
        assert cookie and f"Max-Age={PIN_SECONDS}" in cookie and "HttpOnly" in cookie, cookie
        # ... and reads the public page at once: from the primary, published.
        with served(cluster) as seen:
            own = reviewer.get(page, timeout=30)
        assert own.status_code == 200 and site["entity"] in own.text
        reads_only_on(seen, "primary")

        # Meanwhile an anonymous reader is served by the (paused) standby: not yet published.
        with served(cluster) as seen:
            stale = requests.get(page, timeout=30)
        assert stale.status_code == 404
        reads_only_on(seen, "standby")

        # A visitor who has just written (a failed login, which the lockout records) reads
        # from the primary for REPLICA_PIN_SECONDS, without a session.
        visitor = requests.Session()
        visitor.get(f"{base}/accounts/login/", timeout=30)
        wrote = visitor.post(f"{base}/accounts/login/", timeout=30, data={
            "username": site["reviewer"], "password": "wrong", "csrfmiddlewaretoken": visitor.cookies["csrftoken"]})
        pinned_at = time.monotonic()
        assert wrote.status_code == 200 and pin_cookie(wrote)
        assert "sessionid" not in visitor.cookies
        with served(cluster) as seen:
            fresh = visitor.get(page, timeout=30)
        assert fresh.status_code == 200 and site["entity"] in fresh.text
        reads_only_on(seen, "primary")

        # (c) Replay resumed and caught up: the anonymous reader sees the publication, from the standby.
        cluster.replay_resume()
        cluster.wait_for_catchup()
        with served(cluster) as seen:
            shown = requests.get(page, timeout=30)
            listed = requests.get(f"{base}/api/disclosures", timeout=30)
        assert shown.status_code == 200 and site["entity"] in shown.text
        assert site["entity"] in listed.text
        reads_only_on(seen, "standby")

        # The pin ends after REPLICA_PIN_SECONDS, also for a client that keeps sending the
        # cookie (its age is checked in its signature, not trusted to the browser).
        value = wrote.cookies["primary_pin"]
        time.sleep(max(0.0, pinned_at + PIN_SECONDS + 1.1 - time.monotonic()))
        with served(cluster) as seen:
            after = requests.get(page, timeout=30, headers={"Cookie": f"primary_pin={value}"})
        assert after.status_code == 200
        reads_only_on(seen, "standby")
        assert cluster.replication()[0]["state"] == "streaming"
    print(f"replica test: {time.monotonic() - started:.1f} s")
