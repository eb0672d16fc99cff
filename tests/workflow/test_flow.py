"""The rules of the flow over HTTP: what blocks a submission, corrections, notices."""

from __future__ import annotations

import pytest
from django.core import mail

from accounts_app.models import Finding, Notification, Version
from tests.workflow.conftest import make_version

pytestmark = pytest.mark.django_db
S = Version.Status


def _finding(version, severity, message="1栏 = Σ(2…7)栏：相差 0.01"):
    return Finding.objects.create(version=version, severity=severity, code="check.rounding", message=message)


def _status(version):
    return Version.objects.get(pk=version.pk).status


def test_errors_block_submission(client, world):
    version = make_version(world.a, S.DRAFT)
    _finding(version, "error", "合计不等于各类之和")
    client.force_login(world.users["accountant_a"])
    response = client.post(f"/work/versions/{version.pk}/submit/", follow=True)
    assert "检查发现 1 处错误，须修改工作簿并重新上传后才能提交。" in response.content.decode()
    assert _status(version) == S.DRAFT


def test_warnings_need_an_explanation(client, world):
    version = make_version(world.a, S.DRAFT)
    warning = _finding(version, "warning")
    client.force_login(world.users["accountant_a"])
    response = client.post(f"/work/versions/{version.pk}/submit/", follow=True)
    assert "还有 1 条提示没有说明原因" in response.content.decode()
    client.post(f"/work/findings/{warning.pk}/explain/", {"explanation": "万元换算的尾差"})
    assert Finding.objects.get(pk=warning.pk).explanation == "万元换算的尾差"
    client.post(f"/work/versions/{version.pk}/submit/")
    assert _status(version) == S.SUBMITTED


def test_only_one_version_under_review(client, world):
    make_version(world.a, S.SUBMITTED)
    second = make_version(world.a, S.DRAFT)
    client.force_login(world.users["accountant_a"])
    response = client.post(f"/work/versions/{second.pk}/submit/", follow=True)
    assert "已有一个版本在审核中" in response.content.decode()
    assert _status(second) == S.DRAFT


def test_return_needs_a_reason_and_notifies_the_accountants(client, world, django_capture_on_commit_callbacks):
    version = make_version(world.a, S.SUBMITTED)
    client.force_login(world.users["reviewer_1"])
    response = client.post(f"/work/versions/{version.pk}/return/", {"reason": "  "}, follow=True)
    assert "退回须写明理由" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/work/versions/{version.pk}/return/", {"reason": "表03 第2080501行 基本支出有误"})
    assert _status(version) == S.RETURNED
    notice = Notification.objects.get(recipient=world.users["accountant_a"])
    assert "被退回：表03 第2080501行 基本支出有误" in notice.message
    assert mail.outbox and world.users["accountant_a"].email in mail.outbox[-1].to
    assert not Notification.objects.filter(recipient=world.users["accountant_b"]).exists()


def test_submission_notifies_the_regions_reviewers_only(client, world):
    version = make_version(world.a, S.DRAFT)
    client.force_login(world.users["accountant_a"])
    client.post(f"/work/versions/{version.pk}/submit/")
    assert Notification.objects.filter(recipient=world.users["reviewer_1"], message__contains="已提交审核").exists()
    assert not Notification.objects.filter(recipient=world.users["reviewer_2"]).exists()


def test_a_correction_needs_its_note_and_replaces_the_public_version(client, world):
    first = make_version(world.a, S.PUBLISHED)
    correction = make_version(world.a, S.DRAFT)
    client.force_login(world.users["accountant_a"])
    response = client.post(f"/work/versions/{correction.pk}/submit/", follow=True)
    assert "须填写更正说明" in response.content.decode()
    client.post(f"/work/versions/{correction.pk}/submit/", {"correction_note": "更正表05 2101101 项目支出"})
    client.force_login(world.users["reviewer_1"])
    client.post(f"/work/versions/{correction.pk}/approve/")
    client.post(f"/work/versions/{correction.pk}/publish/")
    assert _status(correction) == S.PUBLISHED and _status(first) == S.PUBLISHED

    client.logout()
    page = client.get(f"/disclosures/{world.a.pk}/").content.decode()
    assert f"第 {correction.number} 版" in page and "更正表05 2101101 项目支出" in page
    old = client.get(f"/disclosures/{world.a.pk}/versions/{first.number}/").content.decode()
    assert "已被更正" in old


def test_published_versions_cannot_be_moved(client, world):
    version = make_version(world.a, S.PUBLISHED)
    client.force_login(world.users["admin"])
    for action in ("submit", "return", "approve", "publish"):
        response = client.post(f"/work/versions/{version.pk}/{action}/", {"reason": "x"}, follow=True)
        assert "当前为“已公开”" in response.content.decode()
    assert _status(version) == S.PUBLISHED


def test_scheduled_publication(client, world):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    version = make_version(world.a, S.APPROVED)
    client.force_login(world.users["reviewer_1"])
    at = timezone.localtime() + timedelta(minutes=5)
    response = client.post(f"/work/versions/{version.pk}/publish/", {"at": at.strftime("%Y-%m-%dT%H:%M")}, follow=True)
    assert "将于" in response.content.decode()
    assert _status(version) == S.APPROVED
    call_command("publish_due")
    assert _status(version) == S.APPROVED
    Version.objects.filter(pk=version.pk).update(publish_at=timezone.now() - timedelta(seconds=1))
    call_command("publish_due")
    assert _status(version) == S.PUBLISHED


def test_reviewer_sees_changes_against_the_previous_version(client, world, seed_disclosure):
    import io

    import openpyxl

    from accounts_app.services import workflow
    from tests.conftest import seed_workbook

    disclosure = seed_disclosure("000")
    actor = workflow.Actor(world.users["admin"])
    first = workflow.version_upload(disclosure=disclosure, data=seed_workbook("000").read_bytes(), filename="v1.xlsx", actor=actor)
    book = openpyxl.load_workbook(seed_workbook("000"))
    sheet = next(s for s in book.worksheets if s.cell(1, 1).value == "收入决算表")
    row = next(r for r in range(1, sheet.max_row + 1) if str(sheet.cell(r, 1).value) == "2101301")
    sheet.cell(row, 3).value = 156.0  # 城乡医疗救助 本年收入合计 155.00 → 156.00
    buffer = io.BytesIO()
    book.save(buffer)
    second = workflow.version_upload(disclosure=disclosure, data=buffer.getvalue(), filename="v2.xlsx", actor=actor)
    assert second.version.number == first.version.number + 1
    client.force_login(world.users["admin"])
    html = client.get(f"/work/versions/{second.version.pk}/").content.decode()
    section = html[html.index('id="changes-previous"') :]
    section = section[: section.index("</section>")]
    assert "2101301" in section and "155.00" in section and "156.00" in section and "+1.00" in section
