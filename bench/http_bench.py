"""HTTP benchmark: gunicorn on PostgreSQL serving the demo data.

    .venv/bin/python bench/http_bench.py [--seconds 10] [--connections 16]

Measures, in one run and with the same client (wrk), requests/s of
  - a static file served by the same server (whitenoise): the baseline,
  - a published disclosure page with the page cache on,
  - the same page with caching off (PORTAL_CACHE=dummy), and its p95 latency both
    under the same load and with one request per worker at a time (the render itself),
and prints the ratios. Targets: cached ≥ 0.5 × static; uncached p95 < 100 ms.
Needs PostgreSQL (DATABASE_URL, default …/portal_bench) and wrk (apt-get install wrk).
"""

from __future__ import annotations

import argparse
import shutil

from server import prepare, report, serve, setup_django, wrk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    env, work = prepare("portal_bench")
    setup_django(env)
    from accounts_app.models import Disclosure

    page = f"/disclosures/{Disclosure.objects.filter(current_version__isnull=False).order_by('pk').first().pk}/"
    results = {}
    for label, extra in (("cached", {}), ("uncached", {"PORTAL_CACHE": "dummy"})):
        server = serve({**env, **extra}, 8791, args.workers)
        try:
            if label == "cached":
                results["static"] = wrk("http://127.0.0.1:8791/static/css/portal.css", args.seconds, args.connections, work)
            results[label] = wrk(f"http://127.0.0.1:8791{page}", args.seconds, args.connections, work)
            if label == "uncached":  # one request per worker at a time: the render's own latency
                results["uncached-2"] = wrk(f"http://127.0.0.1:8791{page}", args.seconds, args.workers, work)
        finally:
            server.terminate()
            server.wait()
    print(f"gunicorn -w {args.workers}, wrk -t2 -c{args.connections} -d{args.seconds}s, page {page}")
    report(
        [
            ("static file (baseline)", results["static"]),
            ("disclosure page, cached", results["cached"]),
            ("disclosure page, uncached", results["uncached"]),
            (f"uncached, {args.workers} connections", results["uncached-2"]),
        ]
    )
    ratio = results["cached"]["rps"] / results["static"]["rps"]
    print(
        f"cached / static = {ratio:.2f} (target ≥ 0.5); uncached p95 = {results['uncached-2']['P95']:.1f} ms at "
        f"{args.workers} connections, {results['uncached']['P95']:.1f} ms at {args.connections} (target < 100 ms)"
    )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
