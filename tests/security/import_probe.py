"""Measure what one upload costs the server: wall time and peak memory, file by file.

    .venv/bin/python tests/security/import_probe.py FILE...

Prints one JSON object per file: {"file", "seconds", "peak_mb", "baseline_mb", "result"}.

The parent loads Django, openpyxl and the specs once, then forks a child per file; the
child does what the upload view does short of the database — the upload form's checks
(size, name), reading the file, open_workbook, parse_workbook, check_dataset — and exits.
Time is the child's wall time; peak memory is the child's maximum resident set size from
wait4(), which includes the pages it shares with the parent (`baseline_mb`), so it
overstates rather than understates. No database: the expectation is seed 000's
disclosure (新乡市凤泉区医疗保障局, 2023, standard) with the code catalogs read from
accounts_app/data/.
"""

from __future__ import annotations

import csv
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings_test")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import UploadedFile  # noqa: E402

from accounts_app.checking import check_dataset  # noqa: E402
from accounts_app.importing.reader import Expectation, parse_workbook  # noqa: E402
from accounts_app.importing.problems import WorkbookRejected  # noqa: E402
from accounts_app.importing.workbook import open_workbook  # noqa: E402
from accounts_app.specs import RowKind, get_table_set  # noqa: E402
from accounts_app.views.work import UploadForm  # noqa: E402

DATA = ROOT / "accounts_app" / "data"
ENTITY = "新乡市凤泉区医疗保障局"
YEAR = 2023


def _codes(name: str) -> set[str]:
    with (DATA / name).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    edition = max(int(row["year"]) for row in rows if int(row["year"]) <= YEAR)
    return {row["code"] for row in rows if int(row["year"]) == edition}


EXPECTATION = Expectation(
    entity_names={ENTITY},
    entity_label=ENTITY,
    year=YEAR,
    table_set=get_table_set("standard"),
    known_codes={RowKind.SUBJECT: _codes("function_subjects.csv"), RowKind.ECONOMIC: _codes("economic_subjects.csv")},
    catalog_year=YEAR,
)


def upload(path: Path) -> str:
    """The upload view's work on `path`, without the database: a short description of the outcome."""
    with path.open("rb") as handle:
        form = UploadForm(data={}, files={"workbook": UploadedFile(handle, name=path.name, size=path.stat().st_size)})
        if not form.is_valid():
            return "form: " + " ".join(form.errors["workbook"])
        data = form.cleaned_data["workbook"].read()
    try:
        opened = open_workbook(data)
    except WorkbookRejected as rejected:
        return f"rejected: {rejected.problem.code}"
    try:
        result = parse_workbook(opened, EXPECTATION)
    except WorkbookRejected as rejected:
        return f"rejected: {rejected.problem.code}"
    finally:
        opened.close()
    if result.errors:
        return "errors: " + ",".join(sorted({p.code for p in result.errors}))
    findings = check_dataset(result.dataset)
    return "read: " + ",".join(sorted({p.code for p in result.problems + findings}))


def measure(path: Path, work=None) -> dict:
    """`work(path)` (default: upload) in a child process, timed and measured."""
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    read_end, write_end = os.pipe()
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child: one upload, its outcome down the pipe
        os.close(read_end)
        try:
            result = (work or upload)(path)
        except BaseException as error:  # noqa: BLE001 - reported to the parent as a failure
            result = f"crash: {type(error).__name__}: {error}"
        os.write(write_end, result.encode()[:4000])
        os._exit(0)
    os.close(write_end)
    chunks = []
    while chunk := os.read(read_end, 4096):
        chunks.append(chunk)
    os.close(read_end)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - started
    result = b"".join(chunks).decode(errors="replace") or f"died: status {status}"
    return {
        "file": path.name,
        "seconds": round(seconds, 3),
        "peak_mb": round(usage.ru_maxrss / 1024, 1),
        "baseline_mb": round(baseline, 1),
        "result": result,
    }


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(json.dumps(measure(Path(name)), ensure_ascii=False), flush=True)
