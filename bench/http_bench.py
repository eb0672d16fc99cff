"""HTTP benchmark: gunicorn on PostgreSQL serving the demo data.

    .venv/bin/python bench/http_bench.py [--seconds 10] [--connections 16]

Measures, in one run and with the same client (wrk), requests/s of
  - a static file served by the same server (whitenoise): the baseline,
  - a published disclosure page with the page cache on,
  - the same page with caching off (PORTAL_CACHE=dummy), and its p95 latency,
and prints the ratios. Targets: cached ≥ 0.5 × static; uncached p95 < 100 ms.
Needs PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/portal_bench)
and wrk (apt-get install wrk).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
LUA = """
done = function(summary, latency, requests)
  io.write(string.format("P50 %.3f\\nP95 %.3f\\nP99 %.3f\\n", latency:percentile(50)/1000, latency:percentile(95)/1000, latency:percentile(99)/1000))
end
"""


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def serve(env, port: int, workers: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "portal.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", str(workers), "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/static/css/portal.css", timeout=1)
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("gunicorn did not start")


def wrk(url: str, seconds: int, connections: int, script: Path) -> dict:
    urllib.request.urlopen(url).read()  # warm the cache / the worker
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", str(script), url], capture_output=True, text=True, check=True
    ).stdout
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}
    for key in ("P50", "P95", "P99"):
        result[key] = float(re.search(rf"{key} ([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    result["errors"] = int(errors.group(1)) if errors else 0
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench")
    if not url.startswith("postgres"):
        sys.exit("http_bench needs PostgreSQL (DATABASE_URL=postgres://…)")
    ensure_database(url)
    work = Path(tempfile.mkdtemp(prefix="http-bench-"))
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-only",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(work / "static"),
        "MEDIA_ROOT": str(work / "media"),
        "LOG_LEVEL": "WARNING",
    }
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo", "--force")
    manage(env, "collectstatic", "--noinput")
    script = work / "percentiles.lua"
    script.write_text(LUA)

    import django

    os.environ.update({k: env[k] for k in ("DATABASE_URL", "SECRET_KEY")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    sys.path.insert(0, str(ROOT))
    django.setup()
    from accounts_app.models import Disclosure

    page = f"/disclosures/{Disclosure.objects.filter(current_version__isnull=False).order_by('pk').first().pk}/"
    static = "/static/css/portal.css"
    results = {}
    for label, extra in (("cached", {}), ("uncached", {"PORTAL_CACHE": "dummy"})):
        server = serve({**env, **extra}, 8791, args.workers)
        try:
            if label == "cached":
                results["static"] = wrk(f"http://127.0.0.1:8791{static}", args.seconds, args.connections, script)
            results[label] = wrk(f"http://127.0.0.1:8791{page}", args.seconds, args.connections, script)
        finally:
            server.terminate()
            server.wait()
    print(f"gunicorn -w {args.workers}, wrk -t2 -c{args.connections} -d{args.seconds}s, page {page}")
    print(f"{'':<24}{'req/s':>10}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'errors':>8}")
    for key, name in (("static", "static file (baseline)"), ("cached", "disclosure, cached"), ("uncached", "disclosure, uncached")):
        r = results[key]
        print(f"{name:<24}{r['rps']:>10.0f}{r['P50']:>10.1f}{r['P95']:>10.1f}{r['P99']:>10.1f}{r['errors']:>8}")
    ratio = results["cached"]["rps"] / results["static"]["rps"]
    print(f"cached / static = {ratio:.2f} (target ≥ 0.5); uncached p95 = {results['uncached']['P95']:.1f} ms (target < 100 ms)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
