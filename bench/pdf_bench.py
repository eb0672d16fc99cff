"""PDF benchmark.

    .venv/bin/python bench/pdf_bench.py [--seconds 10]

1. Render time and pages of each seed disclosure's PDF, with the fonts we use
   (WenQuanYi Micro Hei first) and, for comparison in the same run, Noto Sans CJK first.
   Target: under 3 s per disclosure.
2. Serving: requests/s of a stored PDF through its view against a static file of the
   same size served by the same gunicorn (whitenoise). Target: ≥ 0.8 of the static file.
Needs PostgreSQL (a database made for the run on DATABASE_URL's server, default
postgres@127.0.0.1:5432, and dropped at the end; MEDIA_ROOT and STATIC_ROOT are temporary
too), wrk and pdfinfo (poppler-utils).
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import time

from server import Server, demo_site, report, setup_django, wrk

NOTO_FIRST = '<style>html { font-family: "Noto Sans CJK SC", sans-serif !important; }</style></head>'


def timed(function, repeat=3) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def pages(data: bytes, work) -> int:
    path = work / "probe.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    with demo_site("bench_pdf") as (env, work):
        setup_django(env)
        from accounts_app.models import Disclosure
        from accounts_app.rendering.pdf import html_pdf, version_html

        print(f"{'disclosure':<36}{'pages':>6}{'WenQuanYi s':>13}{'Noto CJK s':>12}{'ratio':>8}")
        disclosures = list(Disclosure.objects.filter(current_version__isnull=False).select_related("current_version").order_by("pk"))
        slowest = 0.0
        for disclosure in disclosures:
            version = disclosure.current_version
            html = version_html(version)
            ours, data = timed(lambda: html_pdf(html))
            noto, _ = timed(lambda: html_pdf(html.replace("</head>", NOTO_FIRST, 1)))
            slowest = max(slowest, ours)
            name = f"{disclosure.entity_name} {disclosure.year.year}"
            print(f"{name:<36}{pages(data, work):>6}{ours:>13.2f}{noto:>12.2f}{noto / ours:>7.2f}×")

        version = disclosures[0].current_version
        size = version.pdf.size
        shutil.copyfile(version.pdf.path, work / "static" / "bench-same-size.pdf")  # before gunicorn starts
        pdf_url = f"/disclosures/{disclosures[0].pk}/versions/{version.number}/disclosure.pdf"
        with Server(env, 2) as base:
            static = wrk(f"{base}/static/bench-same-size.pdf", args.seconds, args.connections, work)
            stored = wrk(f"{base}{pdf_url}", args.seconds, args.connections, work)
    print(f"slowest render {slowest:.2f} s (target < 3 s)")
    print(f"\nserving a {size / 1024:.0f} KB PDF, gunicorn -w 2, wrk -c{args.connections} -d{args.seconds}s")
    report([("static file, same size", static), ("stored PDF via its view", stored)])
    print(f"stored / static = {stored['rps'] / static['rps']:.2f} (target ≥ 0.8)")


if __name__ == "__main__":
    main()
