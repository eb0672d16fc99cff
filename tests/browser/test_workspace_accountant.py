"""The accountant's workspace in a real browser (issue 20): the blank template, an upload
with its progress, the summary at the top of its result, one explanation for every 尾差,
the 绩效自评表 finding at its score cell, boxes a paragraph high, the same workbook again
with its explanations kept, and the 更正说明 kept through a refused submission.
Screenshots under artifacts/screenshots/workspace-*."""

from __future__ import annotations

import io
import time

import openpyxl
import pytest

from accounts_app.models import Membership, Version
from accounts_app.services import workflow
from tests.browser.conftest import PASSWORD, login
from tests.conftest import corrected_seed_book, corrected_seed_bytes
from tests.statements import state_the_rest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOTE = "更正公开03表 210 卫生健康支出的本年支出合计（原为 364.69 万元）。"


@pytest.fixture
def desk(browser, live_server, seed_disclosure, django_user_model):
    disclosure = seed_disclosure("000")
    accountant = django_user_model.objects.create_user("kuaiji", password=PASSWORD)
    Membership.objects.create(user=accountant, role="accountant", department=disclosure.department)
    return login(browser, live_server, "kuaiji"), disclosure, accountant


def _upload(page, live_server, disclosure, data: bytes, name="seed_000.xlsx"):
    page.goto(f"{live_server.url}/work/disclosures/{disclosure.pk}/")
    page.set_input_files("input[name=workbook]", files=[{"name": name, "mimeType": XLSX, "buffer": data}])
    page.click("#upload-button")
    page.wait_for_url("**/work/versions/*/")
    return disclosure.versions.order_by("-number").first()


def _box_fits(page, selector) -> dict:
    """A text area's rows and its width against the column (its parent's content box)."""
    return page.eval_on_selector(
        selector,
        """el => {
            const parent = el.parentElement, style = getComputedStyle(parent);
            const inner = parent.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
            return {rows: el.rows, ratio: el.getBoundingClientRect().width / inner};
        }""",
    )


def test_template_upload_progress_summary_and_explanations(desk, live_server, screenshot, monkeypatch):
    page, disclosure, accountant = desk
    page.goto(f"{live_server.url}/work/")
    page.click(f"#disclosures a[href='/work/disclosures/{disclosure.pk}/']")
    with page.expect_download() as download:
        page.click("#template-link")
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as handle:
        book = openpyxl.load_workbook(io.BytesIO(handle.read()))
    assert len(book.sheetnames) >= 9

    # the upload, slowed down on the server: its bytes, then 「检查中」 until the answer
    upload = workflow.version_upload

    def slow(**kwargs):
        time.sleep(1.5)
        return upload(**kwargs)

    monkeypatch.setattr(workflow, "version_upload", slow)
    data = corrected_seed_bytes("000")
    page.set_input_files("input[name=workbook]", files=[{"name": "seed_000.xlsx", "mimeType": XLSX, "buffer": data}])
    page.click("#upload-button")
    page.locator("#upload-status", has_text="检查中").wait_for(timeout=5000)
    assert page.get_attribute("#upload-bar", "value") is None  # indeterminate while checking
    assert int(page.get_attribute("#upload-bar", "max")) >= len(data)  # the bytes sent, counted
    screenshot(page, "workspace-1-checking")
    page.wait_for_url("**/work/versions/*/")
    version = disclosure.versions.get()
    assert "已保存为第 1 版（草稿）" in page.inner_text("ul.messages")

    # the summary at the top, each count linking to its list
    summary = page.inner_text("#summary")
    assert "没有错误" in summary and "提示 24 条（24 条未说明）" in summary and "待填写" in summary
    screenshot(page, "workspace-2-summary")
    page.click("#summary-warnings")
    assert page.url.endswith("#warnings")

    # the 绩效自评表 finding points at the score, H4, not at the row's label
    score = page.locator("#warning-list tr", has_text="「部门预算总额」行的得分")
    assert score.locator("td").nth(2).inner_text() == "H4"
    assert "（单元格 H4）" in score.inner_text()

    # boxes a paragraph high, as wide as their column
    fits = _box_fits(page, "#id_explanation")
    assert fits["rows"] >= 5 and fits["ratio"] > 0.95, fits
    fits = _box_fits(page, "#warning-list textarea")
    assert fits["rows"] >= 5 and fits["ratio"] > 0.95, fits

    # one explanation for all 21 尾差
    page.fill("#id_explanation", "金额由元换算为万元时四舍五入产生的尾差。")
    page.click("#explain-all-button")
    assert "已为 21 条尾差提示填写说明。" in page.inner_text("ul.messages")
    assert "提示 24 条（3 条未说明）" in page.inner_text("#summary")
    for _ in range(3):
        row = page.locator("#warning-list tr.unexplained").first
        row.locator("textarea").fill("原表如此印制，已核对。")
        row.locator("button").click()
        page.wait_for_load_state()
    assert "提示 24 条（均已说明）" in page.inner_text("#summary")
    screenshot(page, "workspace-3-explained")

    # the text part stated, the version goes through review and is published
    state_the_rest(version)
    page.reload()
    page.click("#submit-button")
    assert page.inner_text("#version-status") == "已提交"
    actor = workflow.Actor(accountant)
    workflow.version_approve(version=version, actor=actor)
    workflow.version_publish(version=version, actor=actor)

    # the same workbook again: every explanation kept
    second = _upload(page, live_server, disclosure, corrected_seed_bytes("000"))
    assert second.number == 2
    assert "上一版本对相同提示的 24 条说明已沿用。" in page.inner_text("ul.messages")
    assert "提示 24 条（均已说明）" in page.inner_text("#summary")
    screenshot(page, "workspace-4-carried")


def test_the_correction_note_survives_a_refused_submission(desk, live_server, screenshot, publish_seed):
    page, disclosure, accountant = desk
    publish_seed("000")
    book = corrected_seed_book("000")
    book["Sheet3"]["C15"] = 364.70  # a new 尾差, not explained before
    buffer = io.BytesIO()
    book.save(buffer)
    version = _upload(page, live_server, disclosure, buffer.getvalue(), "seed_000-更正.xlsx")
    assert version.number == 2
    state_the_rest(version)
    page.reload()
    assert "未说明" in page.inner_text("#summary")
    fits = _box_fits(page, "#correction_note")
    assert fits["rows"] >= 5 and fits["ratio"] > 0.95, fits
    page.fill("#correction_note", NOTE)
    page.click("#submit-button")
    assert "条提示没有说明原因" in page.inner_text("ul.messages")
    assert page.input_value("#correction_note") == NOTE
    screenshot(page, "workspace-5-refused-note-kept")

    page.fill("#id_explanation", "四舍五入尾差。")
    page.click("#explain-all-button")
    assert page.input_value("#correction_note") == NOTE  # kept with the draft
    page.click("#submit-button")
    assert page.inner_text("#version-status") == "已提交"
    assert Version.objects.get(pk=version.pk).correction_note == NOTE
