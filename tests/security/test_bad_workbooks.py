"""The corpus of hostile and broken uploads (tests/fixtures/bad/), file by file.

Each file is uploaded through the real upload page as the 填报人 of seed 000's disclosure:
no server error and the expected Chinese message on the page. A file that cannot be opened
safely stores nothing (the upload result page, 422); whatever opens is stored as a draft and
the page goes on to it, its problems among the findings there — errors keep the draft from
being submitted (see the README there). Each import also runs in a child process
(tests/security/import_probe.py) that must finish in < 5 s and < 300 MB of peak memory.
"""

from __future__ import annotations

import html
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse

from accounts_app.models import Membership, Version
from tests.fixtures.bad import build_bad_workbooks as corpus

ROOT = Path(__file__).resolve().parents[2]
PROBE = Path(__file__).resolve().parent / "import_probe.py"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_SECONDS = 5.0
MAX_PEAK_MB = 300.0
ALL_CASES = corpus.CASES + [corpus.OVERSIZED]
PARAMS = [pytest.param(case, id=case.name) for case in ALL_CASES]


# -- the files --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_files(tmp_path_factory) -> dict[str, Path]:
    """Every case's file: the committed ones, and the big ones built here (never committed)."""
    built = tmp_path_factory.mktemp("bad-built")
    files = {}
    for case in corpus.CASES:
        if case.committed:
            files[case.name] = corpus.HERE / case.name
        else:
            files[case.name] = built / case.name
            files[case.name].write_bytes(case.build())
    files[corpus.OVERSIZED.name] = corpus.build_oversized(built / corpus.OVERSIZED.name)
    return files


def test_the_corpus_is_complete_and_documented():
    assert len(ALL_CASES) >= 25
    assert len({case.name for case in ALL_CASES}) == len(ALL_CASES)
    committed = {path.name for path in corpus.HERE.iterdir() if path.suffix in (".xlsx", ".txt")}
    assert committed == {case.name for case in corpus.CASES if case.committed}
    for case in corpus.CASES:
        if case.committed:
            assert (corpus.HERE / case.name).stat().st_size <= 128 * 1024, case.name
    assert (corpus.HERE / "README.md").read_text(encoding="utf-8") == corpus.readme(), "rebuild: build_bad_workbooks.py"


def test_the_oversized_file_is_a_real_200_mb_workbook(corpus_files):
    import zipfile

    path = corpus_files[corpus.OVERSIZED.name]
    assert path.stat().st_size > corpus.OVERSIZED_BYTES > settings.WORKBOOK_MAX_UPLOAD_BYTES
    with zipfile.ZipFile(path) as archive:
        assert "xl/workbook.xml" in archive.namelist()


# -- time and memory, in a child process --------------------------------------------------------


@pytest.fixture(scope="module")
def measurements(corpus_files) -> dict[str, dict]:
    paths = [str(corpus_files[case.name]) for case in ALL_CASES]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings_test"}
    env.pop("DATABASE_URL", None)  # the probe needs no database
    done = subprocess.run(
        [sys.executable, str(PROBE), *paths], capture_output=True, text=True, timeout=300, cwd=ROOT, env=env
    )
    assert done.returncode == 0, done.stderr[-3000:]
    found = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    by_name = {item["file"]: item for item in found}
    print("\nimport probe (seconds, peak MB):", max(i["seconds"] for i in found), max(i["peak_mb"] for i in found))
    return by_name


PROBE_RESULTS = {
    corpus.REJECTED: ("rejected:",),
    corpus.FORM_ERROR: ("form:",),
    corpus.ACCEPTED: ("read:",),
    corpus.READ_WITH_ERRORS: ("errors:",),  # reading errors: stored with them (the probe stores nothing)
    corpus.STORED_WITH_ERRORS: ("read:",),  # read without a reading error; the checker's errors come after
}


@pytest.mark.parametrize("case", PARAMS)
def test_reading_the_file_is_bounded_in_time_and_memory(case, measurements):
    measured = measurements[case.name]
    assert measured["seconds"] < MAX_SECONDS, measured
    assert measured["peak_mb"] < MAX_PEAK_MB, measured
    assert measured["result"].startswith(PROBE_RESULTS[case.outcome]), measured


# -- through the upload page --------------------------------------------------------------------


class _Body:
    """A multipart/form-data body read from disk as it is sent: a 200 MB upload without
    200 MB in the test's memory."""

    BOUNDARY = "----bad-workbook-corpus"

    def __init__(self, path: Path):
        self.parts = [
            (
                f"--{self.BOUNDARY}\r\n"
                f'Content-Disposition: form-data; name="workbook"; filename="{path.name}"\r\n'
                f"Content-Type: {XLSX}\r\n\r\n"
            ).encode(),
            path,
            f"\r\n--{self.BOUNDARY}--\r\n".encode(),
        ]
        self.length = len(self.parts[0]) + path.stat().st_size + len(self.parts[2])
        self._file = None
        self._index = 0

    def read(self, size: int = -1) -> bytes:
        out = bytearray()
        while self._index < len(self.parts) and (size < 0 or len(out) < size):
            part = self.parts[self._index]
            want = -1 if size < 0 else size - len(out)
            if isinstance(part, Path):
                if self._file is None:
                    self._file = part.open("rb")
                chunk = self._file.read(want)
                if not chunk or (size >= 0 and len(chunk) < want) or size < 0:
                    self._file.close()
                    self._index += 1
                out += chunk
            else:
                chunk, rest = (part, b"") if want < 0 else (part[:want], part[want:])
                out += chunk
                if rest:
                    self.parts[self._index] = rest
                else:
                    self._index += 1
        return bytes(out)

    def readline(self, size: int = -1) -> bytes:  # pragma: no cover - Django reads in blocks
        return self.read(size)


def upload(client, url: str, path: Path):
    body = _Body(path)
    return client.request(
        REQUEST_METHOD="POST",
        PATH_INFO=url,
        CONTENT_TYPE=f"multipart/form-data; boundary={_Body.BOUNDARY}",
        CONTENT_LENGTH=str(body.length),
        **{"wsgi.input": body},
    )


def stored_counts() -> dict[str, int]:
    """Rows in every table of the app, and files in the media store."""
    counts = {model.__name__: model.objects.count() for model in apps.get_app_config("accounts_app").get_models()}
    counts["media files"] = sum(len(files) for _, _, files in os.walk(settings.MEDIA_ROOT))
    return counts


@pytest.fixture
def accountant(seed_disclosure, django_user_model):
    disclosure = seed_disclosure("000")
    user = django_user_model.objects.create_user("tianbao", password="x")
    Membership.objects.create(user=user, role=Membership.Role.ACCOUNTANT, department=disclosure.department)
    return user, disclosure


def _text(response) -> str:
    """The page's text as read: entities decoded, no-break spaces (filesizeformat's) as spaces."""
    return html.unescape(response.content.decode()).replace("\xa0", " ")


def _section(page: str, marker: str) -> str:
    """The table of the page that starts with `marker` (its attributes), up to its end."""
    start = page.index(marker)
    return page[start : page.index("</table>", start)]


@pytest.mark.django_db
@pytest.mark.parametrize("case", PARAMS)
def test_upload_through_the_page(case, client, accountant, corpus_files):
    user, disclosure = accountant
    client.force_login(user)
    path = corpus_files[case.name]
    before = stored_counts()
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()

    response = upload(client, reverse("work:upload", args=[disclosure.pk]), path)

    elapsed = time.perf_counter() - started
    assert response.status_code < 500
    assert elapsed < MAX_SECONDS
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - peak_before < 100, "the upload was held in memory"
    if case.outcome == corpus.REJECTED:
        assert response.status_code == 422
        page = _text(response)
        assert case.message in page
        assert "未保存：这个文件无法安全打开" in page and "本次上传没有保存任何数据" in page
        assert stored_counts() == before
    elif case.outcome == corpus.FORM_ERROR:
        assert response.status_code == 302
        assert response.url == reverse("work:disclosure", args=[disclosure.pk])
        assert case.message in _text(client.get(response.url))
        assert stored_counts() == before
    else:
        version = Version.objects.get(disclosure=disclosure)
        assert response.status_code == 302 and response.url == reverse("work:version", args=[version.pk])
        page = _text(client.get(response.url))
        assert "已保存为第 1 版（草稿）。" in page
        assert case.message in page
        assert version.status == Version.Status.DRAFT
        errors = version.findings.filter(severity="error")
        if case.outcome == corpus.ACCEPTED:
            assert not errors.exists()
            assert "处错误，改正前不能提交审核" not in page
        else:
            assert errors.filter(message=case.message).exists()
            assert f"已保存为第 1 版（草稿）。有 {errors.count()} 处错误，改正前不能提交审核。" in page
            assert f"<td>{case.message}</td>" in _section(page, 'id="findings"')  # the error, in the findings
            refused = client.post(reverse("work:submit", args=[version.pk]), follow=True)
            assert "须修改工作簿并重新上传后才能提交" in _text(refused)
            version.refresh_from_db()
            assert version.status == Version.Status.DRAFT
