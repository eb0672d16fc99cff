"""A change to the 科目目录 reaches the versions still being worked on: a code an administrator
adds loses its 「不在科目目录中」 warning, a code removed gets one, over the admin's own pages."""

from __future__ import annotations

import pytest

from accounts_app.models import FiscalYear, FunctionSubject
from accounts_app.services import workflow
from tests.fixtures.bad import build_bad_workbooks as corpus
from tests.statements import state_the_rest

WARNING = "科目编码 2101598「其他医疗保障管理事务支出」不在 2023 年度科目目录中"


@pytest.fixture
def uploaded(seed_disclosure, admin_user):
    path = corpus.HERE / "32_unknown_code.xlsx"
    outcome = workflow.version_upload(
        disclosure=seed_disclosure("000"), data=path.read_bytes(), filename=path.name, actor=workflow.Actor(admin_user)
    )
    assert outcome.accepted
    return outcome.version


def _page(client, version) -> str:
    return client.get(f"/work/versions/{version.pk}/").content.decode()


@pytest.mark.django_db
def test_a_code_added_to_the_catalog_drops_its_warning_and_a_code_removed_brings_it_back(admin_client, uploaded):
    version = uploaded
    assert WARNING in _page(admin_client, version)
    rows = version.findings.filter(code="row.unknown_code")
    assert rows.count() == 3 and {f.row for f in rows} == {"2101598"}  # 收入, 支出, 一般公共预算支出

    year = FiscalYear.objects.get(year=2023)
    response = admin_client.post(
        "/admin/accounts_app/functionsubject/add/",
        {"year": year.pk, "code": "2101598", "name": "其他医疗保障管理事务支出", "description": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert WARNING not in _page(admin_client, version)
    assert not version.findings.filter(code="row.unknown_code").exists()

    subject = FunctionSubject.objects.get(year=year, code="2101598")
    response = admin_client.post(f"/admin/accounts_app/functionsubject/{subject.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert WARNING in _page(admin_client, version)
    restored = version.findings.filter(code="row.unknown_code")
    assert restored.count() == 3 and all(f.sheet and f.cell.startswith("A") for f in restored)


@pytest.mark.django_db
def test_a_published_version_keeps_what_it_was_published_with(admin_client, uploaded, admin_user):
    version = uploaded
    actor = workflow.Actor(admin_user)
    for finding in version.findings.filter(severity="warning"):
        workflow.warning_explain(finding=finding, actor=actor, text="目录未收录，按表中名称")
    state_the_rest(version)
    workflow.version_submit(version=version, actor=actor)
    workflow.version_approve(version=version, actor=actor)
    workflow.version_publish(version=version, actor=actor)
    year = FiscalYear.objects.get(year=2023)
    admin_client.post(
        "/admin/accounts_app/functionsubject/add/",
        {"year": year.pk, "code": "2101598", "name": "其他医疗保障管理事务支出", "description": ""},
    )
    assert version.findings.filter(code="row.unknown_code").count() == 3
