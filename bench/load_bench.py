"""Load benchmark: gunicorn on PostgreSQL with the seed and synthetic data, driven by wrk
over a mix of pages.

    .venv/bin/python bench/load_bench.py [--seconds 60] [--connections 50] [--workers 4] [--departments 2000]

The database (portal_load) gets the demo data (`load_demo --force`: the three seeds,
published with their PDFs) and `generate_synthetic` (reused while it holds what was asked).
wrk's Lua script picks every request at random from a weighted list of paths: the home
page, lists (pages, region, keyword, compare, department, API), disclosure pages across all
disclosures, and downloads (the seeds' PDFs, table CSVs, whole workbooks, API figures).
Requires zero errors (non-2xx/3xx answers, timeouts, socket errors); prints requests/s and
p50/p95/p99. Needs PostgreSQL (DATABASE_URL, default …/portal_load) and wrk.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request

from server import manage, prepare, report, serve, setup_django

PORT = 8792
SCRIPT = """
paths = {%(paths)s}
init = function(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("P50 %%.3f\\nP95 %%.3f\\nP99 %%.3f\\n", latency:percentile(50)/1000, latency:percentile(95)/1000, latency:percentile(99)/1000))
  io.write(string.format("ERRORS connect=%%d read=%%d write=%%d status=%%d timeout=%%d\\n", e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def weighted_paths(rng: random.Random) -> dict[str, list[str]]:
    """Paths of each kind of request, from the data in the database."""
    from accounts_app.models import Department, Disclosure, Region, Version

    published = list(
        Disclosure.objects.filter(current_version__status=Version.Status.PUBLISHED).values_list(
            "pk", "current_version__number", "year__year", "department__region__code", "department__region_id"
        )
    )
    seeds = [
        (d, n) for d, n in Version.objects.filter(status=Version.Status.PUBLISHED).exclude(pdf="").values_list("disclosure_id", "number")
    ]
    regions = list(Region.objects.values_list("pk", "code"))
    years = sorted({row[2] for row in published})
    departments = list(Department.objects.filter(disclosures__isnull=False).distinct().values_list("pk", flat=True))
    pages = max(1, len(published) // 25)
    sample = [rng.choice(published) for _ in range(400)]
    keywords = ("教育局", "医疗保障局", "卫生", "公安", "文化", "第一中学", "财政局", "东城区")
    return {
        "home": ["/"],
        "lists": [f"/?page={rng.randint(1, pages)}" for _ in range(50)]
        + [f"/?region={pk}" for pk, _ in regions]
        + [f"/?q={word}" for word in keywords]
        + [f"/compare/?region={code}&year={rng.choice(years)}" for _, code in regions]
        + [f"/departments/{rng.choice(departments)}/" for _ in range(50)]
        + [f"/api/disclosures?year={rng.choice(years)}&region={code}" for _, code in regions]
        + ["/api/disclosures", "/api/disclosures?q=教育局"],
        "disclosure pages": [f"/disclosures/{pk}/" for pk, *_ in sample],
        "downloads": [f"/disclosures/{d}/versions/{n}/disclosure.pdf" for d, n in seeds] * 20
        + [f"/disclosures/{pk}/versions/{n}/tables/expense.csv" for pk, n, *_ in sample[:40]]
        + [f"/disclosures/{pk}/versions/{n}/tables.xlsx" for pk, n, *_ in sample[40:60]]
        + [f"/api/figures?year={year}&region={code}&table=expense" for _, n, year, code, _ in sample[60:80]],
    }


def render_missing_pdfs(env: dict) -> None:
    """PDFs recorded in a reused database but not in this run's fresh MEDIA_ROOT."""
    from django.core.files.storage import default_storage

    from accounts_app.models import Version

    for disclosure, name in Version.objects.exclude(pdf="").values_list("disclosure_id", "pdf"):
        if not default_storage.exists(name):
            manage(env, "render_pdfs", "--disclosure", str(disclosure))


MIX = {"home": 10, "lists": 30, "disclosure pages": 40, "downloads": 20}  # % of requests


def mixed(paths: dict[str, list[str]], rng: random.Random, size: int = 2000) -> list[str]:
    return [rng.choice(paths[kind]) for kind, share in MIX.items() for _ in range(size * share // 100)]


def lua_string(path: str) -> str:
    return '"' + urllib.parse.quote(path, safe="/?=&") + '"'


def check_all(paths: dict[str, list[str]]) -> None:
    """Every distinct path answers 200 once before the run (and warms the caches)."""
    for path in sorted({p for group in paths.values() for p in group}):
        with urllib.request.urlopen(f"http://127.0.0.1:{PORT}{urllib.parse.quote(path, safe='/?=&')}") as answer:
            if answer.status != 200:
                sys.exit(f"{path}: HTTP {answer.status}")


def run_wrk(script, seconds: int, connections: int) -> dict:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script), f"http://127.0.0.1:{PORT}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}
    result["requests"] = int(re.search(r"(\d+) requests in", out).group(1))
    for key in ("P50", "P95", "P99"):
        result[key] = float(re.search(rf"{key} ([\d.]+)", out).group(1))
    errors = dict(re.findall(r"(\w+)=(\d+)", re.search(r"ERRORS (.*)", out).group(1)))
    result["error_detail"] = {k: int(v) for k, v in errors.items()}
    result["errors"] = sum(result["error_detail"].values())
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--departments", type=int, default=2000)
    parser.add_argument("--years", default="2019-2023")
    args = parser.parse_args()
    env, work = prepare("portal_load")
    setup_django(env)
    from accounts_app.models import Disclosure

    started = time.monotonic()
    first, last = (int(y) for y in args.years.split("-"))
    wanted = args.departments * (last - first + 1)
    have = Disclosure.objects.filter(department__region__code__startswith="99").count()
    if have != wanted:
        if have:
            sys.exit(f"portal_load holds {have} synthetic disclosures, not {wanted}: drop the database to change the size")
        manage(env, "generate_synthetic", "--departments", str(args.departments), "--years", args.years)
        print(f"synthetic data generated in {time.monotonic() - started:.0f} s")
    render_missing_pdfs(env)
    rng = random.Random(7)
    paths = weighted_paths(rng)
    script = work / "mix.lua"
    script.write_text(SCRIPT % {"paths": ",".join(lua_string(p) for p in mixed(paths, rng))}, encoding="utf-8")
    server = serve(env, PORT, args.workers)
    try:
        check_all(paths)
        result = run_wrk(script, args.seconds, args.connections)
    finally:
        server.terminate()
        server.wait()
    total = Disclosure.objects.filter(current_version__isnull=False).count()
    print(
        f"gunicorn -w {args.workers} on PostgreSQL, {total} published disclosures; wrk -t2 -c{args.connections} "
        f"-d{args.seconds}s over {sum(len(v) for v in paths.values())} paths, mix {MIX}"
    )
    report([("mixed load", result)])
    print(f"{result['requests']} requests, errors: {result['error_detail']}")
    shutil.rmtree(work, ignore_errors=True)
    if result["errors"]:
        sys.exit("errors under load: the target is zero")


if __name__ == "__main__":
    main()
