"""HTTP benchmark: gunicorn on PostgreSQL serving the demo data.

    .venv/bin/python bench/http_bench.py [--seconds 10] [--connections 16] [--workers 2]

Measures, in one run and with the same client (wrk), requests/s of
  - a static file served by the same server (whitenoise): the baseline,
  - a published disclosure page with the page cache on,
  - the same page with caching off (PORTAL_CACHE=dummy), and its p95 latency both
    under the same load and with one request per worker at a time (the render itself),
  - the stored PDF of a published version through its view, against a static file of the
    same size (a copy of that PDF served by whitenoise),
and prints the ratios. Targets: cached page ≥ 0.5 × static; uncached p95 < 100 ms;
stored PDF ≥ 0.8 × the static file of the same size.
Needs PostgreSQL (a database made for the run on DATABASE_URL's server, default
postgres@127.0.0.1:5432, and dropped at the end; MEDIA_ROOT and STATIC_ROOT are temporary
too) and wrk (apt-get install wrk).
"""

from __future__ import annotations

import argparse
import shutil

from server import Server, demo_site, report, setup_django, wrk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with demo_site("bench_http") as (env, work):
        setup_django(env)
        from accounts_app.models import Disclosure

        disclosure = Disclosure.objects.filter(current_version__isnull=False).select_related("current_version").order_by("pk").first()
        version = disclosure.current_version
        page = f"/disclosures/{disclosure.pk}/"
        pdf = f"/disclosures/{disclosure.pk}/versions/{version.number}/disclosure.pdf"
        size = version.pdf.size
        shutil.copyfile(version.pdf.path, work / "static" / "bench-same-size.pdf")  # before gunicorn starts: whitenoise scans at start

        def measure(base: str, path: str, connections: int = args.connections) -> dict:
            return wrk(f"{base}{path}", args.seconds, connections, work)

        results = {}
        with Server(env, args.workers) as base:
            results["static"] = measure(base, "/static/css/portal.css")
            results["cached"] = measure(base, page)
            results["static pdf"] = measure(base, "/static/bench-same-size.pdf")
            results["stored pdf"] = measure(base, pdf)
        with Server({**env, "PORTAL_CACHE": "dummy"}, args.workers) as base:
            results["uncached"] = measure(base, page)
            results["uncached-w"] = measure(base, page, args.workers)  # one request per worker at a time

    print(f"gunicorn -w {args.workers}, wrk -t2 -c{args.connections} -d{args.seconds}s, page {page}, PDF {size / 1024:.0f} KB")
    report(
        [
            ("static file (baseline)", results["static"]),
            ("disclosure page, cached", results["cached"]),
            ("disclosure page, uncached", results["uncached"]),
            (f"uncached, {args.workers} connections", results["uncached-w"]),
            ("static file, size of the PDF", results["static pdf"]),
            ("stored PDF via its view", results["stored pdf"]),
        ]
    )
    cached = results["cached"]["rps"] / results["static"]["rps"]
    stored = results["stored pdf"]["rps"] / results["static pdf"]["rps"]
    print(f"cached page / static file = {cached:.2f} (target ≥ 0.5)")
    print(
        f"uncached page p95 = {results['uncached-w']['P95']:.1f} ms at {args.workers} connections, "
        f"{results['uncached']['P95']:.1f} ms at {args.connections} (target < 100 ms)"
    )
    print(f"stored PDF / static file of the same size = {stored:.2f} (target ≥ 0.8)")
    errors = sum(r["errors"] for r in results.values())
    if errors:
        raise SystemExit(f"{errors} failed requests (non-2xx/3xx or socket errors)")


if __name__ == "__main__":
    main()
