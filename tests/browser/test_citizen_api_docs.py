"""A citizen looking for the data as data: from the home page to the API's documentation,
which renders (Swagger UI, from the site's own files) with no request leaving the site —
not for a script, a stylesheet, a font or a validator badge — and whose 「Try it out」
asks the site itself."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_render_with_every_request_to_the_site_itself(browser, live_server, screenshot):
    context = browser.new_context(locale="zh-CN")
    requests, problems = [], []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))

    page.goto(f"{live_server.url}/")
    page.click("#api-docs-link")
    page.wait_for_url(f"{live_server.url}/api/")
    page.wait_for_selector("#swagger-ui .opblock-summary-path")
    paths = page.locator("#swagger-ui .opblock-summary-path").all_inner_texts()
    assert "/api/disclosures" in paths and "/api/years/{year}/figures.csv" in paths
    assert "部门决算公开平台 公开数据接口" in page.inner_text("#swagger-ui .info .title")
    screenshot(page, "citizen-api-docs")

    # one operation opened and tried: the answer comes from the site
    operation = page.locator("#operations-公开数据-disclosure_list")
    operation.locator(".opblock-summary-control").click()
    operation.locator("button.try-out__btn").click()
    operation.locator("button.execute").click()
    status = operation.locator(".live-responses-table tr.response .response-col_status").first
    status.wait_for()
    assert status.inner_text().strip() == "200"
    assert '"count": 0' in operation.locator(".live-responses-table .microlight").first.inner_text()
    screenshot(page, "citizen-api-docs-tried")

    site = urlsplit(live_server.url)
    web = [url for url in requests if urlsplit(url).scheme in ("http", "https")]
    assert f"{live_server.url}/api/openapi.json" in web
    assert any(url.startswith(f"{live_server.url}/api/disclosures?") for url in web)
    assert [url for url in web if urlsplit(url).netloc != site.netloc] == []
    assert {urlsplit(url).scheme for url in requests} <= {"http", "data"}
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
    context.close()
