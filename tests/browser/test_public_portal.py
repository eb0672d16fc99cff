"""The public portal in a real browser: from the home page to each seed disclosure,
every part, a table's downloads, the compare and department pages. Screenshots are
saved under artifacts/screenshots."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from accounts_app.specs import get_table_set
from tests.seeds.transcriptions import SEEDS, load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def published(publish_seed):
    return {seed: publish_seed(seed) for seed in SEEDS}


def test_home_to_every_seed_disclosure(browser, live_server, published, screenshot):
    page = browser.new_context(locale="zh-CN", accept_downloads=True).new_page()
    page.goto(f"{live_server.url}/")
    screenshot(page, "portal-home")
    for seed, version in published.items():
        entity = load(seed)["entity"]
        page.goto(f"{live_server.url}/")
        page.fill("#id_q", entity[-6:])
        page.click("#search button[type=submit]")
        page.click(f"#disclosure-list >> text={entity}")
        page.wait_for_selector("#toc")
        for part in ("第一部分", "第二部分", "第三部分", "第四部分", "第五部分"):
            page.click(f"#toc >> text={part}")
            anchor = page.evaluate("location.hash")
            assert page.locator(anchor).is_visible()
        screenshot(page, f"portal-disclosure-{seed}")

        table = get_table_set(version.table_set)
        key = "expense"
        with page.expect_download() as download:
            page.click(f"#table-{key} ~ p.downloads >> text=Excel")
        with open(download.value.path(), "rb") as handle:
            book = openpyxl.load_workbook(io.BytesIO(handle.read()))
        assert book.worksheets[0].cell(2, 1).value == "支出决算表"
        assert book.worksheets[0].cell(1, 1).value == table.label_of("expense")
        with page.expect_download() as download:
            page.click(f"#table-{key} ~ p.downloads >> text=CSV")
        with open(download.value.path(), encoding="utf-8-sig") as handle:
            rows = list(csv.reader(io.StringIO(handle.read())))
        assert rows[0][:2] == ["科目编码", "科目名称"]
        assert any(row[0] == "合计" for row in rows)

    page.goto(f"{live_server.url}/compare/")
    assert page.locator("#compare").is_visible()
    screenshot(page, "portal-compare")
    first = published["000"].disclosure
    page.goto(f"{live_server.url}/departments/{first.department_id}/")
    assert "2023" in page.inner_text("#trend")
    screenshot(page, "portal-department")


def test_phone_width_scrolls_tables_not_the_page(browser, live_server, published, screenshot):
    page = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{live_server.url}/disclosures/{published['000'].disclosure_id}/")
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= 400, page_width
    scroller = page.locator("#table-income_expense")
    assert scroller.evaluate("el => el.scrollWidth > el.clientWidth")
    screenshot(page, "portal-phone")
