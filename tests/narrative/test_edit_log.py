"""Every edit of the text part is in the audit log, once, with a short summary of what
changed; saving a form that changes nothing logs nothing."""

from __future__ import annotations

import pytest

from accounts_app.models import AuditEntry
from accounts_app.services.audit import EDIT

pytestmark = pytest.mark.django_db


def _edits(version) -> list[str]:
    return list(AuditEntry.objects.filter(version=version, action=EDIT).order_by("id").values_list("detail", flat=True))


def test_facts_and_reasons_are_logged_by_name(draft):
    client, version, accountant = draft
    url = f"/work/versions/{version.pk}/narrative/"
    assert client.post(url + "facts/", {"operating_cost": "76.23", "initial_budget__2101501": "30"}).status_code == 302
    # in the form's order
    assert _edits(version) == ["修改补充数据：一般公共预算财政拨款支出年初预算（按项）：2101501 30.00；机关运行经费支出 76.23"]
    client.post(url + "facts/", {"operating_cost": "76.23"})  # unchanged
    client.post(url + "facts/", {"vehicles__enforcement": "无", "operating_cost": ""})
    assert _edits(version)[1:] == ["修改补充数据：机关运行经费支出 清空；车辆（按用途）：执法执勤用车 无"]

    # 2101501: 30.00 年初预算 against 37.01 决算 asks for its reason, in 五（三）
    response = client.post(url + "text/", {"gpb_detail__reason_2101501": "新增人员经费。", "overview__reason": "业务量增加。"})
    assert response.status_code == 302
    assert _edits(version)[-1] == "修改情况说明：一、主要原因；五（三）2101501 差异原因"
    entry = AuditEntry.objects.filter(version=version, action=EDIT).first()
    assert entry.actor == accountant


def test_profile_sections_and_evaluations_are_logged(draft):
    client, version, accountant = draft
    url = f"/work/versions/{version.pk}/narrative/"
    client.post(url + "profile/", {"duties": "负责医疗保障。", "organisation": "内设办公室。", "staff_in_service": "12"})
    assert _edits(version) == ["修改部门概况：部门职责、机构设置、在职人员"]
    management = {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0", "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "1000"}
    client.post(url + "sections/", {**management, "form-0-title": "重点工作完成情况", "form-0-body": "完成了……", "form-0-table": ""})
    assert _edits(version)[-1] == "修改其他章节：重点工作完成情况"
    evaluation = version.evaluations.first()
    client.post(url + f"evaluations/{evaluation.pk}/delete/")
    assert _edits(version)[-1] == f"删除绩效自评表：{evaluation.get_kind_display()}“{evaluation.name}”"


def test_the_log_page_lists_them(client, draft, seed_disclosure):
    from tests.workflow.conftest import make_user

    accountant_client, version, _ = draft
    accountant_client.post(f"/work/versions/{version.pk}/narrative/facts/", {"operating_cost": "76.23"})
    reviewer = make_user("shenhe", "reviewer", region=version.disclosure.department.region)
    client.force_login(reviewer)
    html = client.get("/work/audit/?action=edit").content.decode()
    assert "修改文字部分" in html and "修改补充数据：机关运行经费支出 76.23" in html
