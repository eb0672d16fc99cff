"""The pages around a version: the summary at the top of an upload's result, the blank
template in the workspace, the upload answered to its script, the version list's labels, the
comparison of the text part, and boxes a paragraph high."""

from __future__ import annotations

import re

import pytest

from accounts_app.models import Version
from accounts_app.services import narrative
from tests.statements import state_the_rest
from tests.workflow.conftest import make_version

pytestmark = pytest.mark.django_db
S = Version.Status


def _section(html: str, anchor: str) -> str:
    start = html.index(f'id="{anchor}"')
    return html[start : html.index("</section>", start)]


def test_the_result_of_an_upload_starts_with_what_the_checks_found(client, seed000):
    client.force_login(seed000.accountant)
    from tests.conftest import corrected_seed_bytes
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        f"/work/disclosures/{seed000.disclosure.pk}/upload/",
        {"workbook": SimpleUploadedFile("seed_000.xlsx", corrected_seed_bytes("000"))},
        follow=True,
    )
    html = response.content.decode()
    version = seed000.disclosure.versions.get()
    missing = version.findings.filter(severity="missing").count()
    assert missing
    summary = html[html.index('id="summary"') : html.index("</nav>", html.index('id="summary"'))]
    assert '<span id="summary-errors">没有错误</span>' in summary
    assert '<a href="#warnings" class="finding-warning" id="summary-warnings">提示 24 条（24 条未说明）</a>' in summary
    assert f'<a href="/work/versions/{version.pk}/narrative/#to-state" id="summary-to-state">待填写 {missing} 项</a>' in summary
    assert html.index('id="summary"') < html.index('id="reading"') < html.index('id="warnings"')
    assert 'id="to-state"' in client.get(f"/work/versions/{version.pk}/narrative/").content.decode()


def test_errors_are_listed_apart_and_counted(client, world):
    version = make_version(world.a, S.DRAFT)
    version.findings.create(severity="error", code="check.mismatch", message="合计不符", sheet="公开02表", cell="C8")
    version.findings.create(severity="warning", code="check.rounding", message="尾差", explanation="尾差")
    client.force_login(world.users["accountant_a"])
    html = client.get(f"/work/versions/{version.pk}/").content.decode()
    assert '<a href="#errors" class="finding-error" id="summary-errors">错误 1 处</a>' in html
    assert "提示 1 条（均已说明）" in html
    assert 'id="summary-to-state">没有待填写的内容' in html
    assert "合计不符" in _section(html, "findings")[_section(html, "findings").index('id="errors"') :]


def test_the_blank_template_is_in_the_workspace(client, world):
    client.force_login(world.users["accountant_a"])
    for page in ("/work/", f"/work/disclosures/{world.a.pk}/"):
        assert f'href="/work/disclosures/{world.a.pk}/template.xlsx"' in client.get(page).content.decode(), page
    response = client.get(f"/work/disclosures/{world.a.pk}/template.xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_upload_answers_its_script_with_where_to_go(client, world, template_upload):
    client.force_login(world.users["accountant_a"])
    response = client.post(
        f"/work/disclosures/{world.a.pk}/upload/", {"workbook": template_upload(world.a)}, HTTP_X_REQUESTED_WITH="XMLHttpRequest"
    )
    version = world.a.versions.get()
    assert response.status_code == 200 and response.json() == {"location": f"/work/versions/{version.pk}/"}
    # its message waits for that page
    assert "已保存为第 1 版（草稿）" in client.get(f"/work/versions/{version.pk}/").content.decode()
    refused = client.post(f"/work/disclosures/{world.a.pk}/upload/", {}, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert refused.json() == {"location": f"/work/disclosures/{world.a.pk}/"}
    page = client.get(f"/work/disclosures/{world.a.pk}/").content.decode()
    assert 'id="upload-form"' in page and "js/upload.js" in page and 'id="upload-progress"' in page


def test_the_version_list_says_which_published_version_is_current(client, world):
    first = make_version(world.a, S.PUBLISHED)
    second = make_version(world.a, S.PUBLISHED)
    third = make_version(world.a, S.SUBMITTED)
    client.force_login(world.users["reviewer_1"])
    html = client.get(f"/work/disclosures/{world.a.pk}/").content.decode()
    rows = dict(re.findall(r'href="/work/versions/(\d+)/">第 \d+ 版</a></td>\s*<td><span class="status[^"]*">([^<]*)</span>', html))
    assert rows == {str(first.pk): "已公开（已被第 2 版更正）", str(second.pk): "已公开（现行）", str(third.pk): "已提交"}
    page = client.get(f"/work/versions/{first.pk}/").content.decode()
    assert '<small id="version-superseded">（已被第 2 版更正）</small>' in page


def test_the_comparison_shows_the_text_changes_and_the_correction_note(client, seed000):
    first = seed000.upload()
    state_the_rest(first)
    narrative.facts_save(version=first, values={("operating_cost", ""): "70.00"})
    second = seed000.upload()
    narrative.facts_save(version=second, values={("operating_cost", ""): "76.23"})
    narrative.written_save(version=second, values={("overview", "reason"): "主要原因是参保人数增加，经办业务量上升。"})
    narrative.profile_save(version=second, values={"staff_in_service": 12})
    Version.objects.filter(pk=second.pk).update(correction_note="更正机关运行经费")
    client.force_login(seed000.accountant)
    html = client.get(f"/work/versions/{second.pk}/").content.decode()
    section = _section(html, "changes-previous")
    assert "决算表数据没有变化" in section  # the same workbook
    assert "更正说明：</strong>更正机关运行经费" in section
    text = section[section.index('id="changes-previous-text"') :]
    assert "<td>补充数据</td><td>机关运行经费支出</td>" in text
    assert re.search(r"<td>机关运行经费支出</td>\s*<td class=\"text-diff\">(.*?)</td>", text, re.S).group(1) == "<del>70.00</del><ins>76.23</ins>"
    assert "第三部分 情况说明" in text and "一、收入支出决算总体情况说明 · 总体情况：主要原因" in text
    assert "参保人数增加" in text
    assert "<td>第一部分 概况</td><td>在职人员</td>" in text


def test_no_text_change_is_said_so(client, seed000):
    first = seed000.upload()
    second = seed000.upload()
    client.force_login(seed000.accountant)
    section = _section(client.get(f"/work/versions/{second.pk}/").content.decode(), "changes-previous")
    assert "决算表数据没有变化" in section and "文字部分（概况、补充数据、情况说明、其他章节、绩效自评表）没有变化" in section
    assert first.number == 1


@pytest.mark.parametrize(
    "page",
    ["", "narrative/profile/", "narrative/text/", "narrative/sections/", "narrative/evaluations/{evaluation}/"],
)
def test_every_box_to_write_in_is_a_paragraph_high(client, seed000, page):
    version = seed000.upload()
    client.force_login(seed000.accountant)
    html = client.get(f"/work/versions/{version.pk}/{page.format(evaluation=version.evaluations.first().pk)}").content.decode()
    boxes = re.findall(r"<textarea[^>]*>", html)
    assert boxes, page
    for box in boxes:
        assert int(re.search(r'rows="(\d+)"', box).group(1)) >= 5, box
        assert "cols=\"80\"" not in box and "style=" not in box, box
