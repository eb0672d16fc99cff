"""Load benchmark: gunicorn on PostgreSQL with the seed and synthetic data, driven by wrk
over a mix of pages.

    .venv/bin/python bench/load_bench.py [--seconds 60] [--connections 50] [--workers 4] [--departments 2000]

A database made for the run (on DATABASE_URL's server, default postgres@127.0.0.1:5432;
dropped at the end, as are the temporary MEDIA_ROOT and STATIC_ROOT) gets the demo data
(`load_demo --force`, then the worker, `db_worker --batch`: the three seeds published with
their PDFs and download files) and `generate_synthetic` (about 140 s for the default 2,000
departments × 5 years), then VACUUM (ANALYZE). The synthetic versions are written as
published without the files the worker stores at publication: the files the mix downloads
are stored for them as the worker would (`store_downloads`), so that every download is a
stored file, as in production. wrk's
Lua script picks every request at random from a weighted list of paths: the home page,
lists (pages, region, keyword, compare, department, API), disclosure pages across all
disclosures, and downloads (the seeds' PDFs, table CSVs, whole workbooks, API figures).
Requires zero errors (non-2xx/3xx answers, timeouts, socket errors); prints requests/s and
p50/p95/p99, and the ratio to the baseline measured in the same run by the same gunicorn and
wrk: a static file (whitenoise), which no page can beat. Needs PostgreSQL and wrk.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from server import Server, demo_site, manage, report, setup_django, vacuum_analyze, wrk
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
            "pk", "current_version__number", "year__year", "department__region__code"
        )
    )
    seeds = [
        (d, n) for d, n in Version.objects.filter(status=Version.Status.PUBLISHED).exclude(pdf="").values_list("disclosure_id", "number")
    ]
    regions = list(Region.objects.values_list("code", flat=True))
    years = sorted({row[2] for row in published})
    departments = list(Department.objects.filter(disclosures__isnull=False).distinct().values_list("pk", flat=True))
    pages = max(1, len(published) // 25)
    sample = [rng.choice(published) for _ in range(400)]
    keywords = ("教育局", "医疗保障局", "卫生", "公安", "文化", "第一中学", "财政局", "东城区")
    return {
        "home": ["/"],
        "lists": [f"/?page={rng.randint(1, pages)}" for _ in range(50)]
        + [f"/?region={code}" for code in regions]
        + [f"/?q={word}" for word in keywords]
        + [f"/compare/?region={code}&year={rng.choice(years)}" for code in regions]
        + [f"/departments/{rng.choice(departments)}/" for _ in range(50)]
        + [f"/api/disclosures?year={rng.choice(years)}&region={code}" for code in regions]
        + ["/api/disclosures", "/api/disclosures?q=教育局"],
        "disclosure pages": [f"/disclosures/{pk}/" for pk, *_ in sample],
        "downloads": [f"/disclosures/{d}/versions/{n}/disclosure.pdf" for d, n in seeds] * 20
        + [f"/disclosures/{pk}/versions/{n}/tables/expense.csv" for pk, n, *_ in sample[:40]]
        + [f"/disclosures/{pk}/versions/{n}/tables.xlsx" for pk, n, *_ in sample[40:60]]
        + [f"/api/figures?year={year}&region={code}&table=expense" for _, n, year, code in sample[60:80]],
    }


MIX = {"home": 10, "lists": 30, "disclosure pages": 40, "downloads": 20}  # % of requests


DOWNLOAD_PATH = re.compile(r"^/disclosures/(\d+)/versions/(\d+)/(?:tables\.xlsx|tables/([-\w]+)\.(csv|xlsx))$")


def store_downloads(paths: dict[str, list[str]]) -> int:
    """Store the workbooks and tables the mix downloads, as services.publication stores them
    for a version it publishes (VersionFile); those already stored are left. The count stored."""
    from django.core.files.base import ContentFile

    from accounts_app.models import Version, VersionFile
    from accounts_app.services.downloads import WORKBOOK, version_table, version_workbook

    stored = 0
    for path in sorted(set(paths["downloads"])):
        if not (match := DOWNLOAD_PATH.match(path)):
            continue
        version = Version.objects.get(disclosure_id=match[1], number=match[2])
        name = f"{match[3]}.{match[4]}" if match[3] else WORKBOOK
        if VersionFile.objects.filter(version=version, name=name).exists():
            continue
        download = version_table(version=version, table=match[3], fmt=match[4]) if match[3] else version_workbook(version=version)
        item = VersionFile(
            version=version, name=name, filename=download.filename, content_type=download.content_type,
            sha256=hashlib.sha256(download.data).hexdigest(), size=len(download.data),
        )
        item.file.save(name, ContentFile(download.data), save=False)
        item.save()
        stored += 1
    return stored


def mixed(paths: dict[str, list[str]], rng: random.Random, size: int = 2000) -> list[str]:
    return [rng.choice(paths[kind]) for kind, share in MIX.items() for _ in range(size * share // 100)]


def lua_string(path: str) -> str:
    return '"' + urllib.parse.quote(path, safe="/?=&") + '"'


def fetch(base: str, path: str) -> int:
    with urllib.request.urlopen(f"{base}{urllib.parse.quote(path, safe='/?=&')}") as answer:
        answer.read()
        return answer.status


def check_all(base: str, paths: dict[str, list[str]]) -> None:
    """Every distinct path answers 200 once before the run (and warms the caches)."""
    for path in sorted({p for group in paths.values() for p in group}):
        if (status := fetch(base, path)) != 200:
            sys.exit(f"{path}: HTTP {status}")


def warm(base: str, paths: dict[str, list[str]], workers: int, rounds: int) -> float:
    """Without REDIS_URL every gunicorn worker has a cache of its own, which it fills itself:
    each distinct path is asked by as many clients at once as there are workers, `rounds`
    times, so that the measured run finds the pages in (nearly) every worker's cache, as a
    site does after its first minutes. The seconds it took."""
    started = time.monotonic()
    distinct = sorted({p for group in paths.values() for p in group})
    with ThreadPoolExecutor(workers) as pool:
        for _ in range(rounds):
            for path in distinct:
                list(pool.map(fetch, [base] * workers, [path] * workers))
    return time.monotonic() - started


def run_wrk(base: str, script, seconds: int, connections: int) -> dict:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script), base],
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
    parser.add_argument("--warm-rounds", type=int, default=3, help="rounds of warm() before the measured run (0: none)")
    args = parser.parse_args()
    with demo_site("bench_load") as (env, work):
        setup_django(env)
        manage(env, "db_worker", "--batch", "--no-startup-delay", "--no-reload")  # the seeds' publications
        started = time.monotonic()
        manage(env, "generate_synthetic", "--departments", str(args.departments), "--years", args.years)
        vacuum_analyze(env["DATABASE_URL"])
        print(f"synthetic data ({args.departments} departments, {args.years}) generated and vacuumed in {time.monotonic() - started:.0f} s")
        from accounts_app.models import Disclosure

        total = Disclosure.objects.filter(current_version__isnull=False).count()
        rng = random.Random(7)
        paths = weighted_paths(rng)
        print(f"{store_downloads(paths)} download files stored for the synthetic versions")
        script = work / "mix.lua"
        script.write_text(SCRIPT % {"paths": ",".join(lua_string(p) for p in mixed(paths, rng))}, encoding="utf-8")
        with Server(env, args.workers) as base:
            check_all(base, paths)
            if args.warm_rounds:
                print(f"every worker's cache warmed in {warm(base, paths, args.workers, args.warm_rounds):.0f} s")
            baseline = wrk(f"{base}/static/css/portal.css", min(args.seconds, 10), args.connections, work)
            result = run_wrk(base, script, args.seconds, args.connections)
    print(
        f"gunicorn -w {args.workers} on PostgreSQL, {total} published disclosures; wrk -t2 -c{args.connections} "
        f"-d{args.seconds}s over {sum(len(v) for v in paths.values())} paths, mix {MIX}"
    )
    report([("static file (baseline)", baseline), ("mixed load", result)])
    print(f"{result['requests']} requests, errors: {result['error_detail']}")
    print(f"mixed load / static file = {result['rps'] / baseline['rps']:.3f} (requests/s)")
    if result["errors"] or baseline["errors"]:
        sys.exit("errors under load: the target is zero")


if __name__ == "__main__":
    main()
