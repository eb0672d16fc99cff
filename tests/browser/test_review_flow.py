"""The whole review flow in a real browser: upload, submit, return with a row comment,
fix, resubmit, approve, publish, read it publicly, correct it, see the history."""

from __future__ import annotations

import pytest

from accounts_app.models import Membership, Version
from tests.browser.conftest import PASSWORD, login
from tests.conftest import corrected_seed_bytes
from tests.statements import state_the_rest
from tests.seeds.transcriptions import load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload_and_submit(page, live_server, disclosure, correction_note=""):
    page.goto(f"{live_server.url}/work/disclosures/{disclosure.pk}/")
    page.set_input_files(
        "input[name=workbook]", files=[{"name": "seed_000.xlsx", "mimeType": XLSX, "buffer": corrected_seed_bytes("000")}]
    )
    page.click("text=上传并检查")
    page.wait_for_selector("#version-status")
    # the text part stated (its own browser-free tests: tests/narrative/test_requirements.py)
    state_the_rest(disclosure.versions.order_by("-number").first())
    page.reload()
    # the 尾差 warnings answered at once, the others one by one (a re-upload keeps them all)
    if page.locator("#warning-list tr.unexplained").count() and page.locator("#explain-all-button").count():
        page.fill("#id_explanation", "万元换算产生的尾差")
        page.click("#explain-all-button")
    while page.locator("#warning-list tr.unexplained").count():
        row = page.locator("#warning-list tr.unexplained").first
        row.locator("textarea").fill("原表如此印制，已核对。")
        row.locator("button").click()
        page.wait_for_load_state()
    if correction_note:
        page.fill("#correction_note", correction_note)
    page.click("#submit-button")
    assert page.inner_text("#version-status") == "已提交"


def test_review_flow(browser, live_server, seed_disclosure, django_user_model, screenshot):
    disclosure = seed_disclosure("000")
    accountant = django_user_model.objects.create_user("kuaiji", password=PASSWORD)
    Membership.objects.create(user=accountant, role="accountant", department=disclosure.department)
    reviewer = django_user_model.objects.create_user("shenhe", password=PASSWORD)
    Membership.objects.create(user=reviewer, role="reviewer", region=disclosure.region)

    desk = login(browser, live_server, "kuaiji")
    _upload_and_submit(desk, live_server, disclosure)
    screenshot(desk, "flow-1-submitted")
    first = Version.objects.get(disclosure=disclosure, number=1)

    review = login(browser, live_server, "shenhe")
    review.click(f"#queue a[href='/work/versions/{first.pk}/']")
    review.click("#table-expense tr[data-rows='2080505'] a.row-comment-link")
    review.fill("#id_text", "缴费支出请核对")
    review.click("#comment-button")
    assert "〔公开03表「支出决算表」 2080505 机关事业单位基本养老保险缴费支出〕" in review.inner_text("#comments")
    review.fill("#id_reason", "请核对表03 2080505 行后重新提交")
    review.click("#return-button")
    assert review.inner_text("#version-status") == "退回"
    screenshot(review, "flow-2-returned")

    desk.goto(f"{live_server.url}/work/notifications/")
    assert "被退回：请核对表03 2080505 行后重新提交" in desk.inner_text("#notifications")
    _upload_and_submit(desk, live_server, disclosure)
    second = Version.objects.get(disclosure=disclosure, number=2)
    assert "数据没有变化" in desk.inner_text("#changes-previous")

    review.goto(f"{live_server.url}/work/versions/{second.pk}/")
    review.click("#approve-button")
    assert review.inner_text("#version-status") == "审核通过"
    review.click("#publish-button")
    assert review.inner_text("#version-status") == "已公开"

    public = browser.new_context(locale="zh-CN").new_page()
    public.goto(f"{live_server.url}/")
    public.click(f"text={disclosure.entity_name}")
    total = load("000")["tables"]["income_expense"]["blocks"][0][-1]  # 收入总计 line
    amount = next(iter(total[2].values()))
    assert f"{float(amount):,.2f}" in public.inner_text("#table-income_expense")
    screenshot(public, "flow-3-published")

    _upload_and_submit(desk, live_server, disclosure, correction_note="更正第三部分所附表05的项目支出说明")
    third = Version.objects.get(disclosure=disclosure, number=3)
    review.goto(f"{live_server.url}/work/versions/{third.pk}/")
    review.click("#approve-button")
    review.click("#publish-button")
    assert review.inner_text("#version-status") == "已公开"

    public.goto(f"{live_server.url}/disclosures/{disclosure.pk}/")
    assert "更正第三部分所附表05的项目支出说明" in public.inner_text("#correction")
    history = public.inner_text("#history")
    assert "第 3 版" in history and "第 2 版" in history and "（现行）" in history
    public.click("#history >> text=第 2 版")
    assert "已被更正" in public.inner_text("#superseded")
    screenshot(public, "flow-4-history")
