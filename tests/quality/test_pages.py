"""公开质量 stored and shown: on the public page of a published disclosure, and on the version's
workspace page to the 填报人 before submitting and to the 审核人 before approving, each point
with its item and the rule or finding behind it. A published 单位决算 changes its
department's 所属单位 coverage, and the department's page follows. The write services store
the score (upload, every text or fact saved, submission, publication); no test sets it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from accounts_app.checking.quality import Score
from accounts_app.models import Membership, Version
from accounts_app.services import workflow
from accounts_app.services.organisations import SEED_REGIONS, disclosure_ensure, region_ensure
from tests.conftest import publish_workbook, seed_workbook
from tests.statements import state_the_rest
from tests.workflow.conftest import make_user

pytestmark = pytest.mark.django_db


def test_the_public_page_shows_the_score_and_where_each_point_came_from(client, publish_seed):
    version = publish_seed("000")
    score = Score.from_data(Version.objects.get(pk=version.pk).quality)  # stored at publication
    html = client.get(f"/disclosures/{version.disclosure_id}/").content.decode()
    assert 'id="quality"' in html
    assert f"总分 <strong>{score.total:.2f}</strong> 分" in html and f"等级 <strong>{score.grade}</strong>" in html
    for dimension in score.dimensions:
        assert f"<td>{dimension.label}</td>" in html
        for item in dimension.items:
            assert item.label in html and f"<code>{item.rule}</code>" in html
    assert "<code>timeliness.no_approval_date</code>" in html  # publish_seed registers no 批复 date

    Version.objects.filter(pk=version.pk).update(quality=None)
    cache.clear()
    assert "尚未评分" in client.get(f"/disclosures/{version.disclosure_id}/").content.decode()


@pytest.fixture
def draft(seed_disclosure, django_user_model):
    """Seed 000 uploaded by its 填报人, with everything stated, and its 审核人."""
    disclosure = seed_disclosure("000")
    accountant = django_user_model.objects.create_user("qa_acc", password="x")
    Membership.objects.create(user=accountant, role=Membership.Role.ACCOUNTANT, department=disclosure.department)
    reviewer = django_user_model.objects.create_user("qa_rev", password="x")
    Membership.objects.create(user=reviewer, role=Membership.Role.REVIEWER, region=disclosure.department.region)
    workflow.approval_date_set(disclosure=disclosure, actor=workflow.Actor(reviewer), date=timezone.localdate() - timedelta(days=25))
    path = seed_workbook("000")
    version = workflow.version_upload(
        disclosure=disclosure, data=path.read_bytes(), filename=path.name, actor=workflow.Actor(accountant)
    ).version
    state_the_rest(version)
    for finding in version.findings.filter(severity="warning"):
        workflow.warning_explain(finding=finding, actor=workflow.Actor(accountant), text="万元换算尾差")
    return version, accountant, reviewer


def test_the_accountant_sees_the_score_before_submitting_and_the_reviewer_before_approving(client, draft):
    version, accountant, reviewer = draft
    client.force_login(accountant)
    html = client.get(f"/work/versions/{version.pk}/").content.decode()
    assert "公开质量（提交、审核前自查）" in html and 'id="submit-button"' in html
    assert html.index('id="quality"') < html.index('id="submit-panel"')
    assert "<code>timeliness.overdue</code>" in html and "尚未公开，已逾期 5 天" in html

    workflow.version_submit(version=version, actor=workflow.Actor(accountant))
    client.force_login(reviewer)
    html = client.get(f"/work/versions/{version.pk}/").content.decode()
    assert 'id="approve-button"' in html and html.index('id="quality"') < html.index('id="review-panel"')
    assert "<code>timeliness.overdue</code>" in html


def test_an_upload_is_scored_before_anything_is_written(client, seed_disclosure):
    disclosure = seed_disclosure("000")
    accountant = make_user("kuaiji", "accountant", department=disclosure.department)
    client.force_login(accountant)
    with seed_workbook("000").open("rb") as handle:
        assert client.post(f"/work/disclosures/{disclosure.pk}/upload/", {"workbook": handle}).status_code == 302
    version = disclosure.versions.get()
    assert version.quality and version.quality["total"]
    html = client.get(f"/work/versions/{version.pk}/").content.decode()
    assert "id=\"quality-total\"" in html and "<code>narrative.fact_missing</code>" in html  # the facts not entered cost their points


def test_a_unit_published_later_completes_its_departments_coverage(client, catalogs, django_user_model, django_capture_on_commit_callbacks):
    user = django_user_model.objects.create_superuser("qa_pub", "qa_pub@example.gov.cn", "x")
    region = region_ensure(info=SEED_REGIONS["南昌市红谷滩区"])
    name = "南昌市红谷滩区医疗保障局"
    unit = disclosure_ensure(region=region, entity=name, year=2023, kind="unit")
    department = disclosure_ensure(region=region, entity=name, year=2023, kind="department")
    published = publish_workbook(department, "002", user)
    assert "所属单位（含本级）未公开单位决算 1 个" in client.get(f"/disclosures/{department.pk}/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        publish_workbook(unit, "002", user)
    published.refresh_from_db()
    openness = next(d for d in published.quality["dimensions"] if d["key"] == "openness")
    assert openness["points"] == 10
    html = client.get(f"/disclosures/{department.pk}/").content.decode()  # the cached page was dropped
    assert "所属单位（含本级）已公开单位决算 1/1 个" in html
