"""The timeliness and quality board in a real browser: from the home page to the board, sorted
by a column, filtered, and its CSV downloaded. Screenshots under artifacts/screenshots."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts_app.models import Department, Disclosure
from accounts_app.services.quality import version_quality_refresh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEALTH, EDUCATION = "新乡市凤泉区医疗保障局", "新乡市凤泉区教育局"


def _statuses(page) -> list[str]:
    return page.locator("#board tbody tr td:nth-child(7)").all_inner_texts()


def test_open_sort_filter_and_download_the_board(browser, live_server, publish_seed, screenshot):
    version = publish_seed("000")
    Disclosure.objects.filter(pk=version.disclosure_id).update(approval_date=timezone.localdate() - timedelta(days=25))
    version.refresh_from_db()
    version_quality_refresh(version=version)  # at publication
    Department.objects.create(region=version.disclosure.department.region, name=EDUCATION)

    context = browser.new_context(locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    page.click("#board-link")
    page.wait_for_selector("#board")
    assert page.inner_text("#board-region option[selected]") == "新乡市凤泉区"
    rows = page.locator("#board tbody tr").all_inner_texts()
    assert len(rows) == 2 and HEALTH in rows[0] and "逾期 5 天公开" in rows[0] and EDUCATION in rows[1]
    screenshot(page, "board")

    page.click("#board thead >> text=公开情况")  # ascending: 逾期公开 before 未公开
    page.wait_for_url("**sort=status**")
    assert _statuses(page) == ["逾期 5 天公开", "未公开（未登记批复日期）"]
    page.click("#board thead >> text=公开情况")  # and back
    page.wait_for_url("**sort=-status**")
    assert _statuses(page) == ["未公开（未登记批复日期）", "逾期 5 天公开"]
    screenshot(page, "board-sorted")

    page.select_option("#id_status", "late")
    page.click("#board-filters button[type=submit]")
    page.wait_for_url("**status=late**")
    assert page.locator("#board tbody tr").count() == 1

    with page.expect_download() as download:
        page.click("#board-csv")
    assert download.value.suggested_filename == "board-410704-2023.csv"
    with open(download.value.path(), encoding="utf-8-sig") as handle:
        rows = list(csv.reader(io.StringIO(handle.read())))
    assert rows[0][:4] == ["地区", "年度", "部门", "公开主体"]
    assert len(rows) == 2 and rows[1][3] == HEALTH and rows[1][8] == "逾期 5 天公开" and rows[1][9] == "5"
    assert rows[1][11] == f"{version.quality['total']:.2f}" and rows[1][12] == version.quality["grade"]
    context.close()  # before the live server stops: no request left in flight
