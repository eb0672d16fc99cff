"""Shared by the benchmarks: a fresh PostgreSQL database and a temporary directory for each
run, the production-like environment, gunicorn, wrk.

Every run creates its own database `<prefix>_<pid>_<random>` on DATABASE_URL's server
(default postgres@127.0.0.1:5432; the database named in DATABASE_URL is never touched) and
a temporary directory for MEDIA_ROOT, STATIC_ROOT and wrk's scripts, and removes both when
it ends, also after an error, Ctrl-C or SIGTERM. Runs are therefore independent: no data,
stored PDF or cached page of an earlier run is seen by a later one.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the repository's modules: deploy/ (standard library only) and, once set up, Django's
from deploy.replica_cluster import free_port  # noqa: E402
PYTHON = sys.executable
LUA = """
done = function(summary, latency, requests)
  io.write(string.format("P50 %.3f\\nP95 %.3f\\nP99 %.3f\\n", latency:percentile(50)/1000, latency:percentile(95)/1000, latency:percentile(99)/1000))
end
"""
# Not passed on from the caller's environment: a shared Redis would serve pages cached by an
# earlier run (a fresh database reuses the same ids), and the settings module is ours to pick.
NOT_INHERITED = ("REDIS_URL", "PORTAL_CACHE", "DJANGO_SETTINGS_MODULE", "BEHIND_PROXY", "TRUSTED_PROXY_COUNT")


def _with_database(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def server_url() -> str:
    """DATABASE_URL (only its server and user are used), or postgres@127.0.0.1:5432."""
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    if not url.startswith("postgres"):
        sys.exit("this benchmark needs PostgreSQL (DATABASE_URL=postgres://…)")
    return url


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(_with_database(server_url(), "postgres"), autocommit=True) as connection:
        connection.execute(sql)


def _terminate_on_sigterm() -> None:
    """SIGTERM ends the run through the `finally` blocks (Python's default would skip them)."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


@contextmanager
def fresh_database(prefix: str) -> Iterator[str]:
    """The URL of a new, empty database, dropped when the block ends."""
    _terminate_on_sigterm()
    name = f"{prefix}_{os.getpid()}_{secrets.token_hex(3)}"
    _admin(f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE template0')
    try:
        yield _with_database(server_url(), name)
    finally:
        if "django.db" in sys.modules:  # this process's own connections, if Django was set up
            from django.db import connections

            connections.close_all()
        try:
            _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        except Exception as error:  # noqa: BLE001 — report, do not hide the run's own error
            print(f"bench: could not drop database {name}: {error}", file=sys.stderr)


def vacuum_analyze(database_url: str) -> None:
    """After a bulk load: statistics and visibility maps as autovacuum would leave them some
    minutes later, so that every run measures the same steady state."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute("VACUUM (ANALYZE)")


@contextmanager
def scratch(prefix: str) -> Iterator[Path]:
    """A temporary directory (MEDIA_ROOT, STATIC_ROOT, scripts), removed when the block ends."""
    work = Path(tempfile.mkdtemp(prefix=f"{prefix}-"))
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


def environment(database_url: str, work: Path, **extra: str) -> dict:
    """A production-like environment (DEBUG off, manifest static files) on that database."""
    env = {key: value for key, value in os.environ.items() if key not in NOT_INHERITED}
    env.update(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "bench-only",
            "DEBUG": "0",
            "HTTPS": "0",
            "ALLOWED_HOSTS": "127.0.0.1,testserver",
            "STATIC_ROOT": str(work / "static"),
            "MEDIA_ROOT": str(work / "media"),
            "LOG_LEVEL": "WARNING",
            "PYTHONDONTWRITEBYTECODE": "1",
            **extra,
        }
    )
    return env


@contextmanager
def demo_site(prefix: str) -> Iterator[tuple[dict, Path]]:
    """A fresh database with the demo data published (PDFs stored in a fresh MEDIA_ROOT),
    static files collected: the environment and the work directory."""
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    with scratch(prefix) as work, fresh_database(prefix) as url:
        env = environment(url, work)
        manage(env, "migrate", "--noinput")
        manage(env, "load_demo", "--force")
        manage(env, "collectstatic", "--noinput")
        (work / "percentiles.lua").write_text(LUA)
        yield env, work


def setup_django(env: dict) -> None:
    import django

    """Django in this process, with the same settings as the served app."""
    for key in NOT_INHERITED:
        if key not in env:
            os.environ.pop(key, None)
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    django.setup()


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


class Server:
    """gunicorn serving the portal on a free port; `with Server(env, workers) as base_url:`."""

    def __init__(self, env: dict, workers: int):
        self.env, self.workers, self.port = env, workers, free_port()
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> str:
        base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "portal.wsgi:application", "-b", f"127.0.0.1:{self.port}", "-w", str(self.workers),
             "--timeout", "60", "--log-level", "warning"],
            cwd=ROOT,
            env=self.env,
        )
        for _ in range(200):
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn exited at start")
            try:
                urllib.request.urlopen(f"{base}/static/css/portal.css", timeout=1)
                return base
            except OSError:
                time.sleep(0.1)
        self.__exit__()
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *_) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def wrk(url: str, seconds: int, connections: int, work: Path) -> dict:
    urllib.request.urlopen(url).read()  # warm the worker and the cache
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", str(work / "percentiles.lua"), url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}
    for key in ("P50", "P95", "P99"):
        result[key] = float(re.search(rf"{key} ([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    result["errors"] = (int(errors.group(1)) if errors else 0) + (sum(map(int, socket_errors.groups())) if socket_errors else 0)
    return result


def report(rows: list[tuple[str, dict]]) -> None:
    print(f"{'':<34}{'req/s':>10}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'errors':>8}")
    for name, r in rows:
        print(f"{name:<34}{r['rps']:>10.0f}{r['P50']:>10.1f}{r['P95']:>10.1f}{r['P99']:>10.1f}{r['errors']:>8}")
