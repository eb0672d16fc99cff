"""A scan, a PDF of something else, an encrypted PDF and a PDF of 2,000 pages (and a stream
bomb) are refused with a clear Chinese message, each in under 5 s and 300 MB of peak memory
(measured in a child process, tests/pdfimport/pdf_probe.py); through the admin's one-file
import the message is shown and nothing is stored."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from accounts_app import messages
from accounts_app.models import Version

from . import hostile
from .conftest import SHANGHAI_PDF

PROBE = Path(__file__).resolve().parent / "pdf_probe.py"
ROOT = Path(__file__).resolve().parents[2]
MAX_SECONDS, MAX_PEAK_MB = 5.0, 300.0
CASES = {
    "scanned.pdf": ("pdf.scanned", hostile.scanned),
    "notice.pdf": ("pdf.no_tables", hostile.something_else),
    "encrypted.pdf": ("pdf.encrypted", lambda: hostile.encrypted(SHANGHAI_PDF.read_bytes())),
    "pages-2000.pdf": ("pdf.too_many_pages", hostile.many_pages),
    "bomb.pdf": ("pdf.bomb", hostile.stream_bomb),
}


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile-pdf")
    built = {}
    for name, (_, build) in CASES.items():
        built[name] = folder / name
        built[name].write_bytes(build())
    return built


@pytest.fixture(scope="module")
def measured(files) -> dict[str, dict]:
    output = subprocess.run(
        [sys.executable, str(PROBE), *map(str, files.values())], capture_output=True, text=True, check=True, cwd=ROOT, timeout=300
    ).stdout
    found = {}
    for line in output.splitlines():
        if line.startswith("{"):
            row = json.loads(line)
            found[row["file"]] = row
    return found


@pytest.mark.parametrize("name", list(CASES))
def test_it_is_refused_quickly_with_a_clear_message(measured, name):
    code, _ = CASES[name]
    row = measured[name]
    assert row["result"].startswith(f"rejected: {code}: "), row
    assert messages.MESSAGES[code].split("{")[0] in row["result"]  # the registry's text
    assert row["seconds"] < MAX_SECONDS, row
    assert row["peak_mb"] < MAX_PEAK_MB, row
    print(json.dumps(row, ensure_ascii=False))


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["scanned.pdf", "encrypted.pdf"])
def test_the_admin_shows_the_refusal_and_stores_nothing(files, name, putuo, admin_user, client):
    client.force_login(admin_user)
    with files[name].open("rb") as handle:
        response = client.post(
            reverse("admin:accounts_app_version_import_pdf"),
            {"region": putuo.pk, "published_on": "2025-09-16", "pdf": handle},
        )
    assert response.status_code == 200
    code, _ = CASES[name]
    assert messages.render(code)[:12] in response.content.decode()
    assert not Version.objects.exists()
