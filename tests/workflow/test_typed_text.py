"""What a person typed survives a refused action: the page that says why shows the text again."""

from __future__ import annotations

import pytest

from accounts_app.models import Comment, Finding, Version
from tests.workflow.conftest import make_version

pytestmark = pytest.mark.django_db
S = Version.Status
NOTE = "更正表05 2101101 项目支出：原填 12.00 万元，应为 21.00 万元。"


def _textarea(html: str, name: str) -> str:
    start = html.index(f'name="{name}"')
    return html[html.index(">", start) + 1 : html.index("</textarea>", start)].removeprefix("\n")  # as browsers read it


def test_a_refused_submission_keeps_the_correction_note(client, world):
    make_version(world.a, S.PUBLISHED)
    correction = make_version(world.a, S.DRAFT)
    Finding.objects.create(version=correction, severity="warning", code="check.rounding", message="尾差")
    client.force_login(world.users["accountant_a"])
    response = client.post(f"/work/versions/{correction.pk}/submit/", {"correction_note": NOTE}, follow=True)
    html = response.content.decode()
    assert "还有 1 条提示没有说明原因" in html
    assert _textarea(html, "correction_note") == NOTE
    # kept with the draft too: a later visit still has it
    assert Version.objects.get(pk=correction.pk).correction_note == NOTE
    assert _textarea(client.get(f"/work/versions/{correction.pk}/").content.decode(), "correction_note") == NOTE


def test_a_refused_comment_keeps_its_text_and_row(client, world):
    version = make_version(world.a, S.SUBMITTED)
    client.force_login(world.users["reviewer_1"])
    text = "请说明 9999999 的来源"
    response = client.post(f"/work/versions/{version.pk}/comment/", {"target": "expense:9999999", "text": text}, follow=True)
    html = response.content.decode()
    assert "本版本没有这张表" in html  # this version holds no tables at all
    assert _textarea(html, "text") == text
    assert not Comment.objects.filter(version=version).exists()


def test_a_refused_return_keeps_its_reason(client, world):
    version = make_version(world.a, S.APPROVED)  # no longer returnable
    client.force_login(world.users["reviewer_1"])
    reason = "表03 第2080501行 基本支出有误，请核对"
    response = client.post(f"/work/versions/{version.pk}/return/", {"reason": reason}, follow=True)
    html = response.content.decode()
    assert "只有“已提交”的版本可以这样操作" in html
    assert Version.objects.get(pk=version.pk).status == S.APPROVED


def test_a_refused_explanation_is_shown_again(client, world):
    version = make_version(world.a, S.DRAFT)
    finding = Finding.objects.create(version=version, severity="error", code="check.mismatch", message="合计不符")
    client.force_login(world.users["accountant_a"])
    response = client.post(f"/work/findings/{finding.pk}/explain/", {"explanation": "我们核对过"}, follow=True)
    assert "只有提示需要说明" in response.content.decode()
    assert Finding.objects.get(pk=finding.pk).explanation == ""


def test_what_was_kept_is_shown_once(client, world):
    version = make_version(world.a, S.SUBMITTED)
    client.force_login(world.users["reviewer_1"])
    client.post(f"/work/versions/{version.pk}/comment/", {"target": "expense:1", "text": "第一次写的意见"})
    assert "第一次写的意见" in client.get(f"/work/versions/{version.pk}/").content.decode()
    assert "第一次写的意见" not in client.get(f"/work/versions/{version.pk}/").content.decode()
