"""Replica benchmark: the public pages read from a streaming standby, against the primary alone.

    .venv/bin/python bench/replica_bench.py [--departments 1000] [--requests 100]

Starts a throwaway primary and a hot standby made from it by pg_basebackup on this machine
(deploy/replica_cluster.py), fills the primary (migrate; `generate_synthetic --departments N
--years 2022-2023`; one demo disclosure approved and not yet published, made by
tests/replica/site.py as for the replica test), waits for the standby to replay it, and serves
the portal with gunicorn (2 workers, cache off) twice on the same data: on the primary alone,
then with DATABASE_REPLICA_URLS = the standby. Each public page is requested `--requests`
times in turn by an anonymous client; printed per page: p50/p95 of both runs and their ratio
(standby/primary), and the transactions each server committed in the site's database during
each run (pg_stat_database), which shows where the reads went.

Then the demo disclosure is published over HTTP by its 审核人 on the replicated site: the
reviewer's own next page (pinned to the primary) and an anonymous reader's (the standby) are
checked for it, and how long the anonymous reader waited to see it is printed (replication
lag as a reader sees it). Needs Debian's PostgreSQL server programs (as the replica test).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import time
from contextlib import ExitStack

import requests
from server import PYTHON, ROOT, Server, environment, manage, scratch

from deploy import replica_cluster  # the repository's root is on the path (server)

PAGES = {  # name: path (the synthetic data's first region and latest year, filled in below)
    "list": "/",
    "filtered year+region": "/?year={year}&region={region}",
    "search 教育局": "/?q=教育局",
    "compare region+year": "/compare/?region={region}&year={year}",
    "board region+year": "/board/?region={region}&year={year}",
    "api disclosures": "/api/disclosures",
    "api figures, column": "/api/figures?year={year}&region={region}&column=basic",
}
SERVERS = ("primary", "standby")


def committed(cluster: replica_cluster.Cluster) -> dict[str, int]:
    """Transactions committed so far in the site's database, on each server."""
    sql = f"SELECT xact_commit FROM pg_stat_database WHERE datname = '{cluster.database}'"
    return {server: int(cluster.query(getattr(cluster, f"{server}_port"), sql)) for server in SERVERS}


def measure(base: str, paths: dict[str, str], requests_per_page: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name in paths}
    with requests.Session() as client:
        for name, path in paths.items():
            for _ in range(20):  # warm-up: the workers' connections, imports and the servers' caches
                client.get(base + path, timeout=60).raise_for_status()
            for _ in range(requests_per_page):
                started = time.perf_counter()
                client.get(base + path, timeout=60).raise_for_status()
                times[name].append((time.perf_counter() - started) * 1000)
    return times


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.95) - 1)]


def run(env: dict, cluster: replica_cluster.Cluster, paths: dict[str, str], requests_per_page: int):
    with Server(env, workers=2) as base:
        before = committed(cluster)
        times = measure(base, paths, requests_per_page)
        time.sleep(1)  # the statistics collector's delay
        after = committed(cluster)
    return times, {server: after[server] - before[server] for server in SERVERS}


def publish_and_watch(env: dict, site: dict) -> None:
    """The reviewer publishes; their next page and an anonymous reader's are checked."""
    with Server(env, workers=2) as base:
        page = f"{base}/disclosures/{site['disclosure']}/"
        reviewer = requests.Session()
        reviewer.get(f"{base}/accounts/login/", timeout=30)
        reviewer.post(f"{base}/accounts/login/", timeout=30, data={
            "username": site["reviewer"], "password": site["password"], "csrfmiddlewaretoken": reviewer.cookies["csrftoken"]})
        published = reviewer.post(f"{base}/work/versions/{site['version']}/publish/", timeout=120, allow_redirects=False,
                                  headers={"X-CSRFToken": reviewer.cookies["csrftoken"]})
        done = time.monotonic()
        own = reviewer.get(page, timeout=30)
        print(f"publication: {published.status_code}; the reviewer's next page {own.status_code}, "
              f"{'shows it' if site['entity'] in own.text else 'does NOT show it'} (read on the primary: pinned)")
        while time.monotonic() - done < 30:
            if requests.get(page, timeout=30).status_code == 200:
                print(f"an anonymous reader (the standby) sees it {(time.monotonic() - done) * 1000:.0f} ms after the publication")
                return
            time.sleep(0.01)
        print("an anonymous reader did NOT see it within 30 s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--departments", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    with ExitStack() as stack:
        work = stack.enter_context(scratch("replica-bench"))
        cluster = stack.enter_context(replica_cluster.running())
        primary = environment(cluster.primary_url, work, PORTAL_CACHE="dummy", TASKS_BACKEND="immediate")
        manage(primary, "migrate", "--noinput")
        started = time.monotonic()
        manage(primary, "generate_synthetic", "--departments", str(args.departments), "--years", "2022-2023")
        done = subprocess.run([PYTHON, "tests/replica/site.py"], cwd=ROOT, env=primary, check=True, capture_output=True, text=True)
        site = json.loads(done.stdout.strip().splitlines()[-1])
        manage(primary, "collectstatic", "--noinput")
        cluster.query(cluster.primary_port, "VACUUM (ANALYZE)", database=cluster.database)
        print(f"{args.departments} departments × 2 years generated on the primary in {time.monotonic() - started:.0f} s; "
              f"the standby caught up in {cluster.wait_for_catchup(timeout=300):.1f} s")
        region = cluster.query(cluster.primary_port, "SELECT code FROM accounts_app_region WHERE code LIKE '99%' ORDER BY code LIMIT 1",
                               database=cluster.database)
        paths = {name: path.format(region=region, year=2023) for name, path in PAGES.items()}
        replicated = {**primary, "DATABASE_REPLICA_URLS": cluster.standby_url}
        alone, alone_served = run(primary, cluster, paths, args.requests)
        spread, spread_served = run(replicated, cluster, paths, args.requests)
        print(f"\n{args.requests} requests per page, anonymous, cache off, gunicorn -w 2; ratio: p95 with the standby / p95 on the primary alone")
        print(f"{'page':<26}{'primary p50':>12}{'p95':>8}{'standby p50':>13}{'p95':>8}{'ratio':>8}")
        for name in paths:
            a, s = alone[name], spread[name]
            print(f"{name:<26}{statistics.median(a):>12.1f}{p95(a):>8.1f}{statistics.median(s):>13.1f}{p95(s):>8.1f}{p95(s) / p95(a):>8.2f}")
        print(f"\ntransactions committed during the run: primary alone {alone_served}; with the standby {spread_served}")
        publish_and_watch(replicated, site)


if __name__ == "__main__":
    main()
