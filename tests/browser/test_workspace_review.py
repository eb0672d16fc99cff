"""The reviewer's workspace in a real browser (issue 20): a correction under review on the
deadline board, the comparison of tables and text with the 更正说明, a comment made by
clicking a table row and shown on that row, the audit log filtered and paged, and the version
list's labels once the correction is public. Screenshots under artifacts/screenshots/workspace-review-*."""

from __future__ import annotations

import re

import pytest

from accounts_app.models import AuditEntry, Membership
from accounts_app.services import narrative, workflow
from accounts_app.services.audit import audit
from accounts_app.services.findings import ROUNDING
from tests.browser.conftest import PASSWORD, login
from tests.conftest import corrected_seed_bytes
from tests.statements import state_the_rest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NOTE = "更正机关运行经费：原填 70.00 万元，应为 76.23 万元。"
ROW = "2080505 机关事业单位基本养老保险缴费支出"


def _ready(disclosure, accountant, *, operating_cost: str, note: str = ""):
    """The corrected seed uploaded, stated, explained (one entry for the 尾差) and submitted."""
    actor = workflow.Actor(accountant)
    version = workflow.version_upload(
        disclosure=disclosure, data=corrected_seed_bytes("000"), filename="seed_000.xlsx", actor=actor
    ).version
    state_the_rest(version)
    narrative.facts_save(version=version, values={("operating_cost", ""): operating_cost}, actor=actor)
    if version.findings.filter(code=ROUNDING, explanation="").exists():  # version 2 keeps version 1's
        workflow.findings_explain(version=version, actor=actor, text="四舍五入尾差")
    for finding in version.findings.filter(severity="warning", explanation=""):
        workflow.warning_explain(finding=finding, actor=actor, text="原表如此")
    return workflow.version_submit(version=version, actor=actor, correction_note=note)


def test_review_a_correction(browser, live_server, seed_disclosure, django_user_model, screenshot):
    disclosure = seed_disclosure("000")
    accountant = django_user_model.objects.create_user("kuaiji", password=PASSWORD)
    Membership.objects.create(user=accountant, role="accountant", department=disclosure.department)
    reviewer = django_user_model.objects.create_user("shenhe", password=PASSWORD)
    Membership.objects.create(user=reviewer, role="reviewer", region=disclosure.region)
    first = _ready(disclosure, accountant, operating_cost="70.00")
    workflow.version_approve(version=first, actor=workflow.Actor(reviewer))
    workflow.version_publish(version=first, actor=workflow.Actor(reviewer))
    second = _ready(disclosure, accountant, operating_cost="76.23", note=NOTE)

    # the board: the correction under review counts as 审核中
    review = login(browser, live_server, "shenhe")
    assert review.inner_text("#deadline-counts [data-count=under_review]") == "1"
    assert "更正审核中" in review.inner_text(f"#deadlines tr[data-disclosure='{disclosure.pk}']")
    screenshot(review, "workspace-review-1-board")
    review.click(f"#deadlines a[href='/work/disclosures/{disclosure.pk}/']")
    listed = review.inner_text("#versions")
    assert "已公开（现行）" in listed and "已提交" in listed

    # the comparison: the same tables, the text that changed, the 更正说明
    review.click(f"#versions a[href='/work/versions/{second.pk}/']")
    changes = review.locator("#changes-previous")
    assert "决算表数据没有变化" in changes.inner_text()
    assert NOTE in review.inner_text("#changes-correction-note")
    fact = changes.locator("tr", has_text="机关运行经费支出")
    assert fact.locator("del").inner_text() == "70.00" and fact.locator("ins").inner_text() == "76.23"
    changes.screenshot(path=str(_shot("workspace-review-2-changes")))

    # a comment made by clicking the row it is about
    row = review.locator("#table-expense tr", has_text="机关事业单位基本养老保险缴费支出")
    row.locator("a.row-comment-link").click()
    assert review.locator("#comment-row").is_visible()
    assert review.evaluate("document.querySelector('#comment-row').previousElementSibling.dataset.rows") == "2080505"
    assert review.inner_text("#comment-target") == f"针对：公开03表「支出决算表」 {ROW}"
    review.fill("#id_text", "缴费支出请与表05核对")
    review.locator("#table-expense").screenshot(path=str(_shot("workspace-review-3-commenting")))
    review.click("#comment-button")
    assert "意见已保存。" in review.inner_text("ul.messages")
    assert f"〔公开03表「支出决算表」 {ROW}〕：缴费支出请与表05核对" in review.inner_text("#comments")
    assert "shenhe：缴费支出请与表05核对" in review.locator("#table-expense tr", has_text=ROW.split()[1]).inner_text()

    desk = login(browser, live_server, "kuaiji")
    desk.goto(f"{live_server.url}/work/versions/{second.pk}/")
    on_row = desk.locator("#table-expense tr", has_text=ROW.split()[1])
    assert "缴费支出请与表05核对" in on_row.inner_text() and on_row.locator("a.row-comment-link").count() == 0
    screenshot(desk, "workspace-review-4-accountant-sees-row")

    # the audit log: filtered by action and person, and paged
    for n in range(55):
        audit(workflow.Actor(reviewer), AuditEntry.Action.COMMENT, disclosure, second, f"批量意见 {n}")
    review.goto(f"{live_server.url}/work/audit/")
    assert "第 1 / 2 页" in review.inner_text("#audit-count")
    review.click("ul.pagination >> text=2")
    assert "第 2 / 2 页" in review.inner_text("#audit-count")
    review.select_option("#id_action", "edit")
    review.select_option("#id_actor", label="kuaiji")
    review.click("#audit-filter button[type=submit]")
    rows = review.locator("#audit tbody tr").all_inner_texts()
    assert rows and all("修改文字部分" in row and "kuaiji" in row for row in rows)
    assert any("修改补充数据：机关运行经费支出 76.23" in row for row in rows)
    explained = AuditEntry.objects.filter(action=AuditEntry.Action.EXPLAIN, version=second)
    assert explained.count() <= 1  # the 尾差 carried from version 1, or explained in one entry
    screenshot(review, "workspace-review-5-audit")

    # approved and published: the list says which version the public reads
    review.goto(f"{live_server.url}/work/versions/{second.pk}/")
    review.click("#approve-button")
    review.click("#publish-button")
    assert review.inner_text("#version-status") == "已公开"
    review.goto(f"{live_server.url}/work/disclosures/{disclosure.pk}/")
    statuses = dict(
        re.findall(r"第 (\d) 版\s+(已公开（[^）]*）)", review.inner_text("#versions"))
    )
    assert statuses == {"2": "已公开（现行）", "1": "已公开（已被第 2 版更正）"}
    screenshot(review, "workspace-review-6-versions")
    review.goto(f"{live_server.url}/work/")
    assert review.inner_text("#deadline-counts [data-count=under_review]") == "0"


def _shot(name):
    from tests.browser.conftest import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / f"{name}.png"
