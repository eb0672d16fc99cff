"""Shared by the in-process benchmarks (import_bench, pdf_import_bench): Django set up in this
process on a throwaway SQLite database (unless DATABASE_URL is set), and rounds of timed calls.

Import this module before anything of Django's: it sets the environment and calls
django.setup(). DEBUG stays off as in production (DEBUG=1, as `make bench` sets it, would log
every query of an import in memory).
"""

from __future__ import annotations

import atexit
import gc
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if "DATABASE_URL" not in os.environ:
    _scratch = tempfile.mkdtemp(prefix="bench-")
    atexit.register(shutil.rmtree, _scratch, ignore_errors=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{_scratch}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings_test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

settings.DEBUG = False


def timed(functions: list[Callable[[], object]], repeat: int) -> list[list[float]]:
    """Wall times of `repeat` rounds of each, after one warm-up each; the order rotates, and a
    garbage collection precedes every call."""
    for function in functions:
        function()
    times: list[list[float]] = [[] for _ in functions]
    for round_ in range(repeat):
        shift = round_ % len(functions)
        for index in [*range(shift, len(functions)), *range(shift)]:
            gc.collect()
            start = time.perf_counter()
            functions[index]()
            times[index].append(time.perf_counter() - start)
    return times
