"""Import benchmark: per seed workbook, import+check+store against openpyxl's bare load.

    DEBUG=1 .venv/bin/python bench/import_bench.py [--repeat 7]

Both are timed in the same run on the same bytes; the figure that matters is the ratio
(target ≤ 2×). Uses a throwaway SQLite database unless DATABASE_URL is set (each run then
adds versions to that database's seed disclosures).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='import-bench-')}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings_test")

import django  # noqa: E402

django.setup()

import openpyxl  # noqa: E402
from django.core.management import call_command  # noqa: E402

from accounts_app.services.demo import DEMO_DISCLOSURES, WORKBOOKS  # noqa: E402
from accounts_app.services.catalogs import catalogs_load  # noqa: E402
from accounts_app.services.imports import workbook_import  # noqa: E402
from accounts_app.services.organisations import SEED_REGIONS, disclosure_ensure, region_ensure  # noqa: E402


def timed(function, repeat: int) -> float:
    """Median wall time of `repeat` calls, after one warm-up call."""
    function()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_memory(function) -> int:
    tracemalloc.start()
    function()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    catalogs_load()

    print(f"{'workbook':<16}{'bytes':>8}{'openpyxl load':>15}{'import+check+store':>20}{'ratio':>8}{'peak MB (ours/openpyxl)':>26}")
    ratios = []
    for demo in DEMO_DISCLOSURES:
        data = (WORKBOOKS / demo.workbook).read_bytes()
        region = region_ensure(SEED_REGIONS[demo.region])
        disclosure = disclosure_ensure(region=region, entity=demo.entity, year=demo.year, kind=demo.kind)

        def bare_load():
            openpyxl.load_workbook(io.BytesIO(data)).close()

        def our_import():
            outcome = workbook_import(disclosure=disclosure, data=data, filename=demo.workbook)
            assert outcome.accepted, [str(p) for p in outcome.errors]

        baseline = timed(bare_load, args.repeat)
        ours = timed(our_import, args.repeat)
        ratio = ours / baseline
        ratios.append(ratio)
        memory = f"{peak_memory(our_import) / 2**20:.1f} / {peak_memory(bare_load) / 2**20:.1f}"
        print(f"{demo.workbook:<16}{len(data):>8}{baseline * 1000:>13.1f}ms{ours * 1000:>18.1f}ms{ratio:>7.2f}×{memory:>26}")
    print(f"median ratio {statistics.median(ratios):.2f}× (target ≤ 2×), worst {max(ratios):.2f}×")


if __name__ == "__main__":
    main()
