"""The published PDF, read back with poppler: tables, figures as text, embedded fonts,
headers on continued pages, reproducible bytes, and a fetcher that fetches nothing."""

from __future__ import annotations

import hashlib
import http.server
import re
import subprocess
import threading
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command

from accounts_app.models import Version
from accounts_app.rendering.pdf import html_pdf
from accounts_app.services.pdfs import version_pdf
from accounts_app.specs import specs_for_year
from tests.seeds.transcriptions import SEEDS, printed_figures

pytestmark = pytest.mark.django_db
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "pdf"
PAGE_RANGE = {"000": (24, 36), "001": (14, 30), "002": (14, 32)}  # 000: + 附件, 14 绩效自评表 on landscape pages


def _poppler(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def _pages(path: Path) -> list[str]:
    return _poppler("pdftotext", "-layout", str(path), "-").split("\f")


@pytest.fixture(scope="module")
def artifacts():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.mark.parametrize("seed", SEEDS)
def test_published_pdf(publish_seed, seed, artifacts):
    version = publish_seed(seed)
    path = Path(version.pdf.path)
    for old in artifacts.glob(f"seed-{seed}-*.png"):
        old.unlink()
    # the pages as images first, so that they are there to look at when an assertion fails
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(path), str(artifacts / f"seed-{seed}")], check=True)
    data = path.read_bytes()
    assert version.pdf_sha256 == hashlib.sha256(data).hexdigest()
    pages = [page for page in _pages(path) if page.strip()]

    info = _poppler("pdfinfo", str(path))
    count = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    low, high = PAGE_RANGE[seed]
    assert low <= count <= high, count

    fonts = _poppler("pdffonts", str(path)).splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # the "emb" column

    text = "\n".join(pages)
    specs = specs_for_year(version.disclosure.year.year)
    expected = printed_figures(seed)  # in the form the document prints
    for table in expected:
        assert specs[table].title in text, table
    # every figure as printed text (thousands separators), as many times as the tables hold it
    wanted = Counter(
        f"{amount:,.2f}" if specs[table].unit_of(row, column).value == "money" else f"{int(amount)}"
        for table, cells in expected.items()
        for (row, column), amount in cells.items()
        if amount is not None
    )
    found = Counter(re.findall(r"(?<![\d,.])\d{1,3}(?:,\d{3})*\.\d{2}(?![\d])", text))
    missing = {amount: n for amount, n in wanted.items() if "." in amount and found[amount] < n}
    assert not missing, missing

    # a table continued on a following page repeats its header there
    body = pages[2:]  # after the cover and the contents
    starts = [(key, next(i for i, page in enumerate(body) if specs[key].title in page)) for key in expected]
    starts.sort(key=lambda item: item[1])
    part3 = next(i for i, page in enumerate(body) if "第三部分" in page)
    for n, (key, start) in enumerate(starts):
        end = starts[n + 1][1] if n + 1 < len(starts) else part3
        header = specs[key].value_columns[0].label
        for page in body[start:end]:
            assert header in page, (key, header)


def test_same_data_same_bytes(publish_seed):
    version = publish_seed("001")
    first = Path(version.pdf.path).read_bytes()
    assert version_pdf(version) == first
    call_command("render_pdfs", "--disclosure", str(version.disclosure_id))
    version.refresh_from_db()
    assert hashlib.sha256(Path(version.pdf.path).read_bytes()).hexdigest() == hashlib.sha256(first).hexdigest()


class _Counting(http.server.BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self):
        type(self).hits += 1
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"GIF89a")

    def log_message(self, *args):
        pass


def test_the_fetcher_reaches_neither_network_nor_disk(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    server = http.server.HTTPServer(("127.0.0.1", 0), _Counting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    html = f"""<html><head><link rel="stylesheet" href="http://127.0.0.1:{port}/x.css">
      <link rel="attachment" href="file://{secret}"></head><body>
      <img src="file:///etc/passwd"><img src="http://127.0.0.1:{port}/a.png"><img src="{secret}">
      <p style="background: url(http://127.0.0.1:{port}/b.png)">正文</p></body></html>"""
    try:
        data = html_pdf(html)
    finally:
        server.shutdown()
    assert _Counting.hits == 0
    assert b"TOP-SECRET" not in data and b"root:x:0" not in data
    assert data.startswith(b"%PDF")


def test_user_text_is_escaped_in_the_pdf(publish_seed, tmp_path):
    version = publish_seed("000")
    note = '<img src="file:///etc/passwd"> <link rel=attachment href="file:///etc/passwd"> 更正说明'
    Version.objects.filter(pk=version.pk).update(correction_note=note)
    version.refresh_from_db()
    path = tmp_path / "note.pdf"
    path.write_bytes(version_pdf(version))
    text = _poppler("pdftotext", str(path), "-")
    assert '<img src="file:///etc/passwd">' in text
    assert b"root:x:0" not in path.read_bytes()


def test_stored_pdf_is_served_as_a_file(client, publish_seed, django_assert_num_queries):
    version = publish_seed("000")
    url = f"/disclosures/{version.disclosure_id}/versions/{version.number}/disclosure.pdf"
    first = client.get(url)
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    body = b"".join(first.streaming_content)
    assert hashlib.sha256(body).hexdigest() == version.pdf_sha256
    assert first["ETag"] == f'"{version.pdf_sha256}"'
    with django_assert_num_queries(0):  # published and immutable: served from the cache's record
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_a_lost_pdf_file_is_a_404_not_an_error(client, publish_seed):
    version = publish_seed("001")
    url = f"/disclosures/{version.disclosure_id}/versions/{version.number}/disclosure.pdf"
    assert client.get(url).status_code == 200  # fills the cache's record of the path
    Path(version.pdf.path).unlink()
    response = client.get(url)
    assert response.status_code == 404
    assert "PDF 文件缺失" in response.content.decode()
