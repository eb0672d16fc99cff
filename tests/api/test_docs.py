"""/api/ is the API's documentation page: Swagger UI from the site's own static files (the CSP
allows no CDN), reading /api/openapi.json. The vendored files are those SHA256SUMS names, with
their licence. (That the page renders, and asks nothing of another site, is tested in a
browser: tests/browser/test_citizen_api_docs.py.)"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from django.contrib.staticfiles import finders
from django.test import Client

VENDOR = Path(__file__).resolve().parents[2] / "static" / "vendor" / "swagger-ui"


def _docs():
    response = Client().get("/api/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    return response, response.content.decode()


def test_api_is_the_documentation_page_reading_the_openapi_description():
    _, html = _docs()
    assert "<h1>公开数据接口</h1>" in html
    assert 'data-openapi-url="/api/openapi.json"' in html
    assert Client().get("/api/openapi.json").status_code == 200


def test_it_loads_nothing_from_another_site_and_runs_no_inline_script():
    response, html = _docs()
    sources = re.findall(r'<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)="([^"]+)"', html)
    assert sources and all(source.startswith("/") and not source.startswith("//") for source in sources), sources
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S)
    assert [attrs for attrs, _ in scripts] == [
        ' src="/static/js/textsize.js"',  # every page's text-size switch (templates/base.html)
        ' src="/static/vendor/swagger-ui/swagger-ui-bundle.js"',
        ' src="/static/js/api-docs.js"',
    ]
    assert all(not body.strip() for _, body in scripts)
    assert "style=" not in html and "<style" not in html
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy


def test_every_asset_the_page_names_is_a_static_file_of_the_site():
    _, html = _docs()
    for path in re.findall(r'(?:src|href)="/static/([^"]+)"', html):
        assert finders.find(path), path


def test_the_vendored_files_are_the_fetched_ones_with_their_licence():
    sums = dict(reversed(line.split("  ")) for line in (VENDOR / "SHA256SUMS").read_text().splitlines())
    assert {"swagger-ui-bundle.js", "swagger-ui.css", "LICENSE", "NOTICE"} <= set(sums)
    for name, digest in sums.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name
    assert "Apache License" in (VENDOR / "LICENSE").read_text()
    readme = (VENDOR / "README.md").read_text()
    version = re.search(r'VERSION="\$\{VERSION:-([0-9.]+)\}"', (VENDOR / "fetch.sh").read_text())[1]
    assert f"| version | {version} |" in readme
    # the stylesheet's source map, which collectstatic's manifest storage looks for, is there
    assert "sourceMappingURL=swagger-ui.css.map" in (VENDOR / "swagger-ui.css").read_text()
    assert (VENDOR / "swagger-ui.css.map").exists()


def test_the_initializer_reads_the_address_from_the_page_and_calls_no_validator():
    script = Path(finders.find("js/api-docs.js")).read_text()
    assert 'getAttribute("data-openapi-url")' in script
    assert "validatorUrl: null" in script
    assert "http" not in script.replace("data-openapi-url", "")


def test_other_addresses_under_api_still_answer_the_json_404():
    response = Client().get("/api/docs")
    assert response.status_code == 404
    assert response.json()["detail"].startswith("没有这个接口地址")
