"""The text parts through HTTP: accountants write 概况, facts and 情况说明 on their draft;
a contradicting amount is a finding that blocks submission; text is carried to the next
version, frozen at publication and shown on the public page and in the PDF."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client

from accounts_app.models import Fact, Finding, GlossaryTerm, Version, WrittenText
from accounts_app.narrative.drafting import section_fields
from accounts_app.selectors import version_snapshot
from accounts_app.services import workflow
from tests.conftest import seed_workbook
from tests.workflow.conftest import make_user
from tests.statements import state_the_rest

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed000(seed_disclosure):
    disclosure = seed_disclosure("000")
    accountant = make_user("kuaiji", "accountant", department=disclosure.department)
    reviewer = make_user("shenhe", "reviewer", region=disclosure.department.region)
    other = make_user("other", "accountant", department=make_other_department(disclosure))
    return disclosure, accountant, reviewer, other


def make_other_department(disclosure):
    from accounts_app.models import Department

    return Department.objects.create(region=disclosure.department.region, name="新乡市凤泉区教育局")


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(client, disclosure) -> Version:
    path = seed_workbook("000")
    with path.open("rb") as handle:
        response = client.post(f"/work/disclosures/{disclosure.pk}/upload/", {"workbook": handle})
    assert response.status_code == 302, response.content.decode()[:500]
    return disclosure.versions.order_by("-number").first()


def overview_field(version) -> str:
    """The form field of the first written part of section 一 (收入支出决算总体情况)."""
    section, written = next((s, w) for s, w in section_fields(version_snapshot(version)) if s.key == "overview")
    return f"{section.key}__{written.key}"


def explain_warnings(version, user):
    """Make the version ready but for what a test is about: what must be stated is stated
    (tests.statements), and every warning explained."""
    state_the_rest(version)
    for finding in version.findings.filter(severity="warning"):
        workflow.warning_explain(finding=finding, actor=workflow.Actor(user), text="万元换算尾差")


def test_a_contradiction_carried_to_a_new_version_is_found_again_and_blocks_submission(seed000):
    """Re-uploading the same workbook carries the written text to version 2: its contradiction
    with the figures is found on version 2 too, and version 2 cannot be submitted."""
    disclosure, accountant, _, _ = seed000
    client = login(accountant)
    first = upload(client, disclosure)
    client.post(f"/work/versions/{first.pk}/narrative/text/", {overview_field(first): "本年收入合计 999.99 万元，主要是项目资金增加。"})
    assert first.findings.filter(code="narrative.contradiction").count() == 1

    second = upload(client, disclosure)
    assert second.number == 2
    [finding] = second.findings.filter(code="narrative.contradiction")
    assert (finding.expected, finding.found) == ("373.64 万元", "999.99 万元")
    explain_warnings(second, accountant)
    refused = client.post(f"/work/versions/{second.pk}/submit/", follow=True).content.decode()
    assert "情况说明中有 1 处金额或比例与决算数据不一致" in refused
    second.refresh_from_db()
    assert second.status == Version.Status.DRAFT


def test_submission_checks_the_text_as_it_stands(seed000):
    """A contradiction written by any path (here straight into the store, as no form would)
    is found when the version is submitted, under the row lock, and refuses it."""
    disclosure, accountant, _, _ = seed000
    client = login(accountant)
    version = upload(client, disclosure)
    explain_warnings(version, accountant)
    section, field = overview_field(version).split("__")
    WrittenText.objects.create(version=version, section=section, field=field, text="收入合计 999.99 万元。")
    assert not version.findings.filter(code="narrative.contradiction").exists()

    refused = client.post(f"/work/versions/{version.pk}/submit/", follow=True).content.decode()
    assert "情况说明中有 1 处金额或比例与决算数据不一致" in refused
    version.refresh_from_db()
    assert version.status == Version.Status.DRAFT
    assert version.findings.filter(code="narrative.contradiction").count() == 1


def test_a_contradicting_amount_in_the_reason_is_a_finding_that_blocks_submission(seed000):
    disclosure, accountant, _, _ = seed000
    client = login(accountant)
    version = upload(client, disclosure)
    field = overview_field(version)

    response = client.post(f"/work/versions/{version.pk}/narrative/text/", {field: "本年收入合计 400.00 万元，主要是项目资金增加。"}, follow=True)
    page = response.content.decode()
    assert "1 处金额或比例与决算数据不一致" in page
    [finding] = version.findings.filter(code="narrative.contradiction")
    assert finding.severity == Finding.Severity.ERROR
    assert (finding.expected, finding.found) == ("373.64 万元", "400.00 万元")
    assert "收入合计" in finding.message and "公开01表" in finding.message  # the workbook's own number
    assert "与公开01表 本年收入合计（373.64 万元）不一致" in page  # on the 文字部分 page

    explain_warnings(version, accountant)
    refused = client.post(f"/work/versions/{version.pk}/submit/", follow=True).content.decode()
    assert "情况说明中有 1 处金额或比例与决算数据不一致" in refused
    assert Version.objects.get(pk=version.pk).status == Version.Status.DRAFT

    client.post(f"/work/versions/{version.pk}/narrative/text/", {field: "本年收入合计 373.64 万元，主要是项目资金增加。"})
    assert not version.findings.filter(code="narrative.contradiction").exists()
    client.post(f"/work/versions/{version.pk}/submit/")
    assert Version.objects.get(pk=version.pk).status == Version.Status.SUBMITTED


@pytest.mark.parametrize(
    "text, contradicts",
    [
        ("基本支出 99.70 万元，占 26.68%。", False),
        ("基本支出 99.70 万元，占 30.00%。", True),  # the share of 支出合计 is 26.68%
        ("基本支出比上年增加 12.00 万元。", False),  # a change, not the figure
        ("项目支出 1,273.94 万元。", True),
        ("主要原因是本年度的项目资金有增加。", False),
    ],
)
def test_what_the_check_compares(seed000, text, contradicts):
    disclosure, accountant, _, _ = seed000
    client = login(accountant)
    version = upload(client, disclosure)
    client.post(f"/work/versions/{version.pk}/narrative/text/", {overview_field(version): text})
    assert version.findings.filter(code="narrative.contradiction").exists() is contradicts


def test_profile_facts_and_text_are_saved_carried_forward_and_published(seed000, django_user_model):
    disclosure, accountant, reviewer, _ = seed000
    client = login(accountant)
    version = upload(client, disclosure)
    response = client.post(
        f"/work/versions/{version.pk}/narrative/profile/",
        {
            "duties": "贯彻落实医疗保障方针政策。\n组织实施医疗保障基金监督管理。",
            "organisation": "本局为区政府工作部门。",
            "internal_bodies": "办公室\n基金监管股",
            "units": "新乡市凤泉区医疗保障局（本级）",
            "staff_in_service": "12",
            "staff_retired": "3",
            "staff_other": "",
            "staff_notes": "",
        },
    )
    assert response.status_code == 302
    response = client.post(f"/work/versions/{version.pk}/narrative/facts/", {"operating_cost": "1.67", "operating_cost_last_year": "4.37"})
    assert response.status_code == 302
    assert Fact.objects.get(version=version, key="operating_cost").value == Decimal("1.67")
    assert not Fact.objects.filter(version=version, key="procurement_goods").exists()  # empty: not entered
    page = client.get(f"/work/versions/{version.pk}/narrative/").content.decode()
    assert "机关运行经费支出 1.67 万元" in page
    assert "减少 2.70 万元" in page and "61.78%" in page

    field = overview_field(version)
    client.post(f"/work/versions/{version.pk}/narrative/text/", {field: "本年度的项目资金有增加"})

    second = upload(client, disclosure)  # a corrected workbook: the text comes along
    assert second.number == version.number + 1
    assert second.profile.duties == ["贯彻落实医疗保障方针政策。", "组织实施医疗保障基金监督管理。"]
    assert second.facts.get(key="operating_cost").value == Decimal("1.67")
    assert second.written.get().text == "本年度的项目资金有增加"

    explain_warnings(second, accountant)
    actor = workflow.Actor(reviewer)
    workflow.version_submit(version=second, actor=workflow.Actor(accountant))
    workflow.version_approve(version=second, actor=actor)
    workflow.version_publish(version=second, actor=actor)
    second.refresh_from_db()
    assert second.narrative_sections  # frozen

    public = Client().get(f"/disclosures/{disclosure.pk}/").content.decode()
    assert "组织实施医疗保障基金监督管理。" in public and "内设机构：办公室、基金监管股。" in public
    assert "在职人员 12 人，离退休人员 3 人。" in public
    assert "主要原因是本年度的项目资金有增加。" in public
    assert "机关运行经费支出 1.67 万元" in public
    assert "<dt>财政拨款收入</dt><dd>单位从同级政府财政部门取得的财政预算资金。</dd>" in public  # the standard glossary

    # published text is immutable: the forms refuse it, the frozen text does not follow facts
    refused = client.post(f"/work/versions/{second.pk}/narrative/facts/", {"operating_cost": "9.99"}, follow=True)
    assert "文字部分不能再修改" in refused.content.decode()
    assert second.facts.get(key="operating_cost").value == Decimal("1.67")


def test_who_may_write(seed000):
    disclosure, accountant, reviewer, other = seed000
    version = upload(login(accountant), disclosure)
    url = f"/work/versions/{version.pk}/narrative/profile/"
    data = {"duties": "第一条职责", "organisation": "", "internal_bodies": "", "units": "", "staff_notes": ""}
    assert login(reviewer).get(url).status_code == 404  # reviewers do not see drafts
    assert login(other).get(url).status_code == 404  # nor does another department
    assert login(other).post(url, data).status_code == 404
    assert Client().get(url).status_code == 302  # anonymous: to the login page
    assert login(accountant).post(url, data).status_code == 302
    assert Version.objects.get(pk=version.pk).profile.duties == ["第一条职责"]

    explain_warnings(version, accountant)
    workflow.version_submit(version=version, actor=workflow.Actor(accountant))
    assert login(reviewer).get(url).status_code == 200  # under review: reviewers read
    assert login(reviewer).post(url, {**data, "duties": "审核人改的"}).status_code == 403  # but never write
    refused = login(accountant).post(url, {**data, "duties": "提交后改的"}, follow=True).content.decode()
    assert "文字部分不能再修改" in refused
    assert Version.objects.get(pk=version.pk).profile.duties == ["第一条职责"]


def test_admins_edit_the_glossary_of_a_year(publish_seed, django_user_model):
    version = publish_seed("000")
    assert "为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。" in Client().get(f"/disclosures/{version.disclosure_id}/").content.decode()
    term = GlossaryTerm.objects.get(term="基本支出")
    term.definition = "保障机构正常运转的支出（测试修改）。"
    term.save()  # every cached page is rebuilt
    page = Client().get(f"/disclosures/{version.disclosure_id}/").content.decode()
    assert "保障机构正常运转的支出（测试修改）。" in page
    assert len(re.findall(r"<dt>[^<]+</dt>", page)) >= 18
