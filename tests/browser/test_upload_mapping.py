"""Uploading a workbook whose sheet the portal cannot identify, in a real browser: the
version page says first what each sheet was read as, the accountant says on the mapping
page what the sheet is, the same workbook is read again as the next version, and the
department's choice is remembered for the next upload. Then who may not reach that page."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from accounts_app.models import Membership, Version
from accounts_app.services import workflow
from tests.browser.conftest import PASSWORD, login
from tests.conftest import seed_workbook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHEET = "公开02表"
TITLE = "收入决算表"


def _untitled_workbook(tmp_path: Path) -> Path:
    """seed_000.xlsx with the title cell of 公开02表 (「收入决算表」) emptied."""
    workbook = openpyxl.load_workbook(seed_workbook("000"))
    sheet = workbook[SHEET]
    titles = [cell for row in sheet.iter_rows(min_row=1, max_row=4) for cell in row if cell.value and TITLE in str(cell.value)]
    assert len(titles) == 1, [cell.coordinate for cell in titles]
    titles[0].value = None
    path = tmp_path / "seed_000_untitled_02.xlsx"
    workbook.save(path)
    return path


def _sheet_rows(page) -> dict[str, dict[str, str]]:
    """The #sheets table of a version page: sheet name → its columns."""
    rows = page.locator("#sheets tbody tr")
    found = {}
    for i in range(rows.count()):
        cells = [text.strip() for text in rows.nth(i).locator("td").all_inner_texts()]
        sheet, read_as, status, lines, figures, headline, reason = cells
        found[sheet] = {"read_as": read_as, "status": status, "rows": lines, "figures": figures, "reason": reason}
    return found


def _reading_before_findings(page) -> bool:
    return page.evaluate(
        """() => {
            const reading = document.querySelector('#reading'), findings = document.querySelector('#findings');
            return !!(reading && findings && (reading.compareDocumentPosition(findings) & Node.DOCUMENT_POSITION_FOLLOWING));
        }"""
    )


def _upload(page, live_server, disclosure, path: Path) -> Version:
    page.goto(f"{live_server.url}/work/disclosures/{disclosure.pk}/")
    page.set_input_files("input[name=workbook]", str(path))
    page.click("text=上传并检查")
    page.wait_for_url(re.compile(r"/work/versions/\d+/$"))
    page.wait_for_selector("#version-status")
    pk = int(re.search(r"/work/versions/(\d+)/$", page.url).group(1))
    return Version.objects.get(pk=pk)


def _assert_other_tables_read(sheets: dict[str, dict[str, str]]):
    """Every 公开NN表 but 公开02表 is read, under the department's own number."""
    tables = [name for name in sheets if re.fullmatch(r"公开\d\d表", name) and name != SHEET]
    assert len(tables) >= 7, sheets.keys()
    for name in tables:
        assert sheets[name]["status"] == "已读取", (name, sheets[name])
        assert sheets[name]["read_as"].startswith(f"{name}「"), (name, sheets[name])
    assert sheets["公开01表"]["read_as"] == "公开01表「收入支出决算总表」", sheets["公开01表"]


def test_unidentified_sheet_is_mapped_and_remembered(browser, live_server, seed_disclosure, django_user_model, screenshot, tmp_path):
    disclosure = seed_disclosure("000")
    accountant = django_user_model.objects.create_user("kuaiji", password=PASSWORD)
    Membership.objects.create(user=accountant, role="accountant", department=disclosure.department)
    workbook = _untitled_workbook(tmp_path)

    desk = login(browser, live_server, "kuaiji")
    desk.goto(f"{live_server.url}/work/disclosures/{disclosure.pk}/")
    assert desk.locator("#template-link").is_visible()

    # 1. upload: stored as a draft although one sheet cannot be identified
    first = _upload(desk, live_server, disclosure, workbook)
    assert first.number == 1 and desk.inner_text("#version-status") == "草稿"
    screenshot(desk, "upload-mapping-1-unidentified")
    assert _reading_before_findings(desk), "读取情况 must come before the findings"
    assert desk.inner_text("#h-reading") == "读取情况"
    sheets = _sheet_rows(desk)
    assert sheets[SHEET]["status"] == "无法确定是哪张表", sheets[SHEET]
    assert sheets[SHEET]["read_as"] == "" and sheets[SHEET]["reason"], sheets[SHEET]
    _assert_other_tables_read(sheets)
    summary = desk.inner_text("#reading-summary")
    assert f"共 {len(sheets)} 个工作表" in summary, summary
    read = sum(1 for s in sheets.values() if s["status"].startswith("已读取"))
    assert f"读取了 {read} 张公开表" in summary, summary
    assert re.search(r"错误 \d+ 处", summary) and "改正错误后才能提交审核" in summary, summary
    assert "有工作表需要确认" in desk.inner_text("#reading")
    assert "secondary" not in (desk.get_attribute("#map-link", "class") or "")

    # 2. the mapping page: each sheet with its first rows and a choice
    desk.click("#map-link")
    desk.wait_for_url(f"{live_server.url}/work/versions/{first.pk}/sheets/")
    section = desk.locator("section.sheet-choice", has=desk.locator(f"h2:has-text('工作表「{SHEET}」')"))
    assert section.count() == 1
    assert section.locator("h2").inner_text() == f"工作表「{SHEET}」：无法确定是哪张表"
    assert "本年收入合计" in section.locator("table.preview").inner_text()
    select = section.locator("select")
    assert select.input_value() == "auto"
    options = {o.get_attribute("value"): o.inner_text() for o in select.locator("option").all()}
    assert options["auto"] == "自动识别" and options[""] == "不是公开表（不读取）"
    assert options["income"].startswith(f"公开02表 {TITLE}（栏目：本年收入合计、财政拨款收入"), options["income"]
    select.select_option("income")
    screenshot(desk, "upload-mapping-2-choose")
    desk.click("#sheets-submit")

    # 3. read again as version 2, 公开02表 now read as the department said
    desk.wait_for_url(re.compile(r"/work/versions/\d+/$"))
    second = Version.objects.get(disclosure=disclosure, number=2)
    assert desk.url == f"{live_server.url}/work/versions/{second.pk}/"
    assert "已按指定重新读取为第 2 版" in desk.inner_text("ul.messages")
    screenshot(desk, "upload-mapping-3-remapped")
    sheets = _sheet_rows(desk)
    assert sheets[SHEET]["status"] == "已读取（按本部门的指定）", sheets[SHEET]
    assert sheets[SHEET]["read_as"] == f"{SHEET}「{TITLE}」", sheets[SHEET]
    assert sheets[SHEET]["reason"] == "", sheets[SHEET]
    _assert_other_tables_read(sheets)
    errors = desk.locator("#findings tr.finding-error")
    about_sheet = [t for t in errors.all_inner_texts() if SHEET in t or TITLE in t or "income" in t]
    assert about_sheet == [], about_sheet
    assert "有工作表需要确认" not in desk.inner_text("#reading")
    first.refresh_from_db()
    assert first.status == Version.Status.DISCARDED

    desk.goto(f"{live_server.url}/work/disclosures/{disclosure.pk}/")
    listed = desk.inner_text("#versions")
    assert "第 2 版" in listed and "第 1 版" not in listed, listed
    assert "另有 1 个已作废的草稿未列出" in desk.inner_text("#discarded-count")
    screenshot(desk, "upload-mapping-4-versions")

    # 4. the same workbook again: read without asking
    third = _upload(desk, live_server, disclosure, workbook)
    assert third.number == 3
    screenshot(desk, "upload-mapping-5-remembered")
    sheets = _sheet_rows(desk)
    assert sheets[SHEET]["status"] == "已读取（按本部门的指定）", sheets[SHEET]
    assert sheets[SHEET]["read_as"] == f"{SHEET}「{TITLE}」", sheets[SHEET]
    _assert_other_tables_read(sheets)
    assert "有工作表需要确认" not in desk.inner_text("#reading")
    assert "secondary" in (desk.get_attribute("#map-link", "class") or "")


def test_mapping_page_refused_to_others(client, seed_disclosure, django_user_model, tmp_path):
    """Reviewers do not see drafts (404), nor does another department's accountant; the
    anonymous are sent to log in. None of them can remap the draft."""
    disclosure = seed_disclosure("000")
    accountant = django_user_model.objects.create_user("kuaiji", password=PASSWORD)
    Membership.objects.create(user=accountant, role="accountant", department=disclosure.department)
    reviewer = django_user_model.objects.create_user("shenhe", password=PASSWORD)
    Membership.objects.create(user=reviewer, role="reviewer", region=disclosure.region)
    other = seed_disclosure("001")
    assert other.department_id != disclosure.department_id
    stranger = django_user_model.objects.create_user("waibu", password=PASSWORD)
    Membership.objects.create(user=stranger, role="accountant", department=other.department)

    path = _untitled_workbook(tmp_path)
    outcome = workflow.version_upload(
        disclosure=disclosure, data=path.read_bytes(), filename=path.name, actor=workflow.Actor(accountant)
    )
    assert outcome.accepted
    draft = outcome.version
    url = f"/work/versions/{draft.pk}/sheets/"
    post = {f"sheet-{n}": "income" for n in range(30)}

    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), response
    response = client.post(url, post)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), response

    for username in ("shenhe", "waibu"):
        client.force_login(django_user_model.objects.get(username=username))
        assert client.get(url).status_code == 404, username
        assert client.post(url, post).status_code == 404, username
        assert client.get(f"/work/versions/{draft.pk}/").status_code == 404, username
        client.logout()

    client.force_login(accountant)
    assert client.get(url).status_code == 200
    assert list(Version.objects.filter(disclosure=disclosure).values_list("number", "status")) == [(1, "draft")]
