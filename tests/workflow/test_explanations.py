"""Explaining warnings: an explanation carries forward to the next version when the same
finding recurs, and one explanation answers every 尾差 at once (services.workflow.findings_explain)."""

from __future__ import annotations

import io
import re

import pytest

from accounts_app.models import AuditEntry, Finding, Version
from accounts_app.services import workflow
from accounts_app.services.findings import ROUNDING
from tests.conftest import corrected_seed_book
from tests.statements import state_the_rest
from tests.workflow.conftest import make_version

pytestmark = pytest.mark.django_db
S = Version.Status
WARNING = Finding.Severity.WARNING


def _explain_each(version, user, text="万元换算尾差"):
    for finding in version.findings.filter(severity=WARNING):
        workflow.warning_explain(finding=finding, actor=workflow.Actor(user), text=text)


def test_the_same_workbook_again_keeps_every_explanation(seed000):
    first = seed000.upload()
    assert first.findings.filter(severity=WARNING, code=ROUNDING).count() == 21
    _explain_each(first, seed000.accountant)

    second = seed000.upload()
    warnings = second.findings.filter(severity=WARNING)
    assert warnings.count() == first.findings.filter(severity=WARNING).count() == 24
    assert set(warnings.values_list("explanation", flat=True)) == {"万元换算尾差"}
    upload = AuditEntry.objects.filter(action=AuditEntry.Action.UPLOAD, version=second).get()
    assert "沿用上一版本对相同提示的说明 24 条" in upload.detail


def test_a_finding_that_changed_is_not_explained_by_the_old_text(seed000):
    first = seed000.upload()
    _explain_each(first, seed000.accountant)
    book = corrected_seed_book("000")
    sheet = next(s for s in book.worksheets if s.title == "Sheet3")  # 公开03表 支出决算表
    # C15 is 210 卫生健康支出 本年支出合计, 364.69 where its parts give 364.68: now 364.70
    assert float(sheet["C15"].value) == pytest.approx(364.69)
    sheet["C15"] = 364.70
    buffer = io.BytesIO()
    book.save(buffer)
    second = seed000.upload(buffer.getvalue())
    c15 = second.findings.filter(sheet="Sheet3", cell="C15")
    assert c15.exists()
    assert all(f.explanation == "" for f in c15), "a finding with other amounts is a new finding"
    elsewhere = second.findings.filter(sheet="公开02表", code=ROUNDING)  # 公开02表 did not change
    assert elsewhere.count() == 6 and all(f.explanation == "万元换算尾差" for f in elsewhere)


def test_one_explanation_answers_every_rounding_warning_in_one_entry(client, seed000):
    version = seed000.upload()
    state_the_rest(version)
    before = AuditEntry.objects.filter(action=AuditEntry.Action.EXPLAIN).count()
    client.force_login(seed000.accountant)
    response = client.post(f"/work/versions/{version.pk}/explain-rounding/", {"explanation": "万元换算产生的尾差"}, follow=True)
    assert "已为 21 条尾差提示填写说明。" in response.content.decode()
    rounding = version.findings.filter(code=ROUNDING)
    assert set(rounding.values_list("explanation", flat=True)) == {"万元换算产生的尾差"}
    assert version.findings.filter(severity=WARNING).exclude(code=ROUNDING).filter(explanation="").count() == 3
    entries = AuditEntry.objects.filter(action=AuditEntry.Action.EXPLAIN)
    assert entries.count() == before + 1
    assert entries.first().detail == "为 21 条尾差提示统一说明：万元换算产生的尾差"
    # the 3 绩效自评表 warnings still need their own: submission says so
    response = client.post(f"/work/versions/{version.pk}/submit/", follow=True)
    assert "还有 3 条提示没有说明原因" in response.content.decode()


def test_explaining_all_leaves_earlier_explanations_unless_asked(seed000):
    version = seed000.upload()
    actor = workflow.Actor(seed000.accountant)
    one = version.findings.filter(code=ROUNDING).first()
    workflow.warning_explain(finding=one, actor=actor, text="表03 与表05 取数口径相同，尾差")
    assert workflow.findings_explain(version=version, actor=actor, text="尾差") == 20
    assert Finding.objects.get(pk=one.pk).explanation == "表03 与表05 取数口径相同，尾差"
    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.findings_explain(version=version, actor=actor, text="尾差")
    assert str(refused.value) == workflow.NOTHING_TO_EXPLAIN
    assert workflow.findings_explain(version=version, actor=actor, text="统一口径", replace=True) == 21
    assert Finding.objects.get(pk=one.pk).explanation == "统一口径"


def test_an_empty_explanation_is_refused_and_changes_nothing(seed000):
    version = seed000.upload()
    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.findings_explain(version=version, actor=workflow.Actor(seed000.accountant), text="  ")
    assert str(refused.value) == workflow.EXPLANATION_EMPTY
    assert not version.findings.exclude(explanation="").exists()


def test_a_submitted_version_takes_no_explanations(client, world):
    version = make_version(world.a, S.SUBMITTED)
    Finding.objects.create(version=version, severity=WARNING, code=ROUNDING, message="尾差")
    with pytest.raises(workflow.TransitionRefused):
        workflow.findings_explain(version=version, actor=workflow.Actor(world.users["accountant_a"]), text="尾差")
    assert not Finding.objects.filter(version=version).exclude(explanation="").exists()


def test_only_the_departments_accountant_explains_them(client, world):
    version = make_version(world.a, S.DRAFT)
    Finding.objects.create(version=version, severity=WARNING, code=ROUNDING, message="尾差")
    for role, status in (("reviewer_1", 404), ("accountant_b", 404), ("accountant_a", 302)):
        client.force_login(world.users[role])
        response = client.post(f"/work/versions/{version.pk}/explain-rounding/", {"explanation": "尾差"})
        assert response.status_code == status, role
    assert Finding.objects.get(version=version).explanation == "尾差"


def test_the_bulk_form_stands_above_the_findings(client, seed000):
    version = seed000.upload()
    client.force_login(seed000.accountant)
    html = client.get(f"/work/versions/{version.pk}/").content.decode()
    assert "为全部 21 条尾差提示（四舍五入产生的差额）填写同一说明" in html
    assert html.index('id="explain-all"') < html.index('id="warning-list"')
    boxes = re.findall(r"<textarea[^>]*>", html)
    assert len(boxes) == 1 + 24  # the form for all, one per warning
    assert all(int(re.search(r'rows="(\d+)"', box).group(1)) >= 5 for box in boxes)
