"""Measure what importing one PDF costs: wall time and peak memory, file by file.

    .venv/bin/python tests/pdfimport/pdf_probe.py FILE...

Prints one JSON object per file: {"file", "seconds", "peak_mb", "baseline_mb", "result"}.
Measured by tests/security/import_probe.measure, as workbooks are: the parent loads Django,
pdfplumber and the specs once, then forks a child per file that reads it as the import does
short of the database — importing.pdf_reader.open_pdf (every bound) and parse_pdf — and exits.
Peak memory is the child's maximum resident set size from wait4(), shared pages included, so it
overstates rather than understates."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings_test")

import django  # noqa: E402

django.setup()

import pdfplumber  # noqa: E402,F401  - loaded once, in the parent

from accounts_app.importing.pdf_reader import open_pdf, parse_pdf  # noqa: E402
from accounts_app.importing.problems import WorkbookRejected  # noqa: E402
from accounts_app.importing.reader import Expectation  # noqa: E402
from accounts_app.specs import RowKind, get_table_set  # noqa: E402
from tests.security.import_probe import measure  # noqa: E402  - the same fork, time and wait4

ENTITY = "中共上海市普陀区委社会工作部"
EXPECTATION = Expectation(
    entity_names={ENTITY}, entity_label=ENTITY, year=2024, table_set=get_table_set("national_2023"),
    known_codes={RowKind.SUBJECT: set(), RowKind.ECONOMIC: set()}, catalog_year=2024,
)


def read(path: Path) -> str:
    try:
        opened = open_pdf(path.read_bytes())
        result = parse_pdf(opened, EXPECTATION)
    except WorkbookRejected as rejected:
        return f"rejected: {rejected.problem.code}: {rejected.problem.message}"
    return f"read: {sum(t.figure_count for t in result.dataset.tables.values())} figures"


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(json.dumps(measure(Path(name), read), ensure_ascii=False), flush=True)
