"""Scale benchmark: public pages and API with 2,000 departments × 5 years on PostgreSQL.

    .venv/bin/python bench/scale_bench.py [--departments 2000] [--years 2019-2023] [--requests 40]

Two databases, built once by `manage.py generate_synthetic` and reused while they hold
what was asked: portal_scale (the full data) and portal_scale_small (20 departments ×
2 years). Each page is requested in-process through Django's test client with the cache
off (PORTAL_CACHE=dummy, so the disclosure page is rendered every time), after a few
warm-up requests; p50/p95 of the full data and the SQL queries of one request on both
databases are printed. Targets: p95 < 100 ms; the same number of queries on both.
Needs PostgreSQL (DATABASE_URL's server, default postgres@127.0.0.1:5432).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from server import PYTHON, ROOT, ensure_database

SERVER = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_scale").rsplit("/", 1)[0]
STATIC_ROOT = Path(tempfile.gettempdir()) / "portal-scale-bench-static"
SMALL = (20, "2022-2023")
TARGET_MS = 100.0


def environment(database: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"{SERVER}/{database}",
        "SECRET_KEY": "bench-only",
        "DEBUG": "0",
        "HTTPS": "0",
        "ALLOWED_HOSTS": "testserver",
        "PORTAL_CACHE": "dummy",
        "LOG_LEVEL": "ERROR",
        "STATIC_ROOT": str(STATIC_ROOT),
    }


def synthetic_count(url: str) -> int | None:
    """Published synthetic disclosures in the database (None: not migrated yet)."""
    import psycopg

    with psycopg.connect(url) as connection:
        try:
            return connection.execute(
                "SELECT count(*) FROM accounts_app_disclosure d JOIN accounts_app_department p ON p.id = d.department_id"
                " JOIN accounts_app_region r ON r.id = p.region_id WHERE r.code LIKE '99%%'"
            ).fetchone()[0]
        except psycopg.errors.UndefinedTable:
            return None


def years_of(text: str) -> list[int]:
    first, last = (int(part) for part in text.split("-"))
    return list(range(first, last + 1))


def build(database: str, departments: int, years: str) -> str:
    """The database holding exactly the synthetic data asked for; how it was obtained."""
    env = environment(database)
    url = env["DATABASE_URL"]
    ensure_database(url)
    wanted = departments * len(years_of(years))
    found = synthetic_count(url)
    if found == wanted:
        subprocess.run([PYTHON, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        return "reused"
    if found:  # another size: start again
        import psycopg

        admin = f"{SERVER}/postgres"
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE "{database}" WITH (FORCE)')
        ensure_database(url)
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    started = time.monotonic()
    subprocess.run(
        [PYTHON, "manage.py", "generate_synthetic", "--departments", str(departments), "--years", years],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return f"generated in {time.monotonic() - started:.0f} s"


# -- in the child process: one database ------------------------------------------------


def pages() -> list[tuple[str, str]]:
    """(name, path) of the pages measured, aimed at the first synthetic region, its latest
    year and its first department: the same places in the small and the full data."""
    from accounts_app.models import Department, Disclosure, FiscalYear, Region

    region = Region.objects.filter(code__startswith="99").order_by("code").first()
    year = FiscalYear.objects.filter(disclosures__department__region=region).order_by("-year").first()
    department = Department.objects.filter(region=region).order_by("pk").first()
    disclosure = Disclosure.objects.filter(department=department, year=year).first()
    version = disclosure.current_version_id
    figures = f"year={year.year}&region={region.code}&table=expense&code=208&code_prefix=true"
    return [
        ("list", "/"),
        ("list, page 40", "/?page=40"),
        ("list, sorted by time", "/?sort=-published"),
        ("search 教育局", "/?q=教育局"),
        ("filtered year+region", f"/?year={year.pk}&region={region.pk}"),
        ("compare region+year", f"/compare/?region={region.code}&year={year.year}"),
        ("department page", f"/departments/{department.pk}/"),
        ("disclosure page", f"/disclosures/{disclosure.pk}/"),
        ("api disclosures", "/api/disclosures"),
        ("api disclosures filtered", f"/api/disclosures?year={year.year}&region={region.code}"),
        ("api disclosures q", "/api/disclosures?q=教育局"),
        ("api disclosure", f"/api/disclosures/{disclosure.pk}"),
        ("api version", f"/api/versions/{version}"),
        ("api table", f"/api/versions/{version}/tables/expense"),
        ("api figures filtered", f"/api/figures?{figures}"),
        ("api figures, all", "/api/figures"),
        ("api figures, offset 100000", "/api/figures?offset=100000"),
    ]


def measure(requests: int) -> dict:
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    results = {}
    for name, path in pages():
        for _ in range(3):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        queries = len(captured)  # read now: the list is the connection's, reset by the next request
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        results[name] = {
            "path": path,
            "queries": queries,
            "p50": statistics.median(times),
            "p95": times[max(0, round(0.95 * len(times)) - 1)],
        }
    return results


def run_child(database: str, requests: int) -> dict:
    out = subprocess.run(
        [PYTHON, __file__, "--measure", "--requests", str(requests)],
        cwd=ROOT,
        env=environment(database),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--departments", type=int, default=2000)
    parser.add_argument("--years", default="2019-2023")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.requests)))
        return
    full_size = f"{args.departments} departments × {len(years_of(args.years))} years"
    print(f"portal_scale ({full_size}): {build('portal_scale', args.departments, args.years)}")
    print(f"portal_scale_small ({SMALL[0]} × 2): {build('portal_scale_small', *SMALL)}")
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT, env=environment("portal_scale"), check=True, stdout=subprocess.DEVNULL,
    )
    small, full = run_child("portal_scale_small", args.requests), run_child("portal_scale", args.requests)
    print(f"\n{args.requests} requests per page, in-process, cache off; queries of one request, small vs full data")
    print(f"{'page':<28}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}{'small':>7}  ok")
    failures = 0
    for name, result in full.items():
        ok = result["p95"] < TARGET_MS and result["queries"] == small[name]["queries"]
        failures += not ok
        print(
            f"{name:<28}{result['p50']:>9.1f}{result['p95']:>9.1f}{result['queries']:>9}{small[name]['queries']:>7}"
            f"  {'yes' if ok else 'NO'}"
        )
    print(f"\ntarget: p95 < {TARGET_MS:.0f} ms and queries independent of the data; {failures} page(s) miss it")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
