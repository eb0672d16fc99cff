"""Issue 18's "tried" list, one test per bullet, as a department and a reviewer meet it over
HTTP on seed 000 (新乡市凤泉区医疗保障局, which reports 机关运行经费 76.23 万元 and, here,
six cars): what was published false or empty before is now refused, flagged or drafted true."""

from __future__ import annotations

import pytest

from accounts_app.models import Finding, Version
from accounts_app.specs.facts import VEHICLE_KINDS
from tests.checklist.test_rules import ITEMS_000
from tests.narrative.steps import facts_post, narrative_page, submit
from tests.narrative.test_writing import explain_warnings

pytestmark = pytest.mark.django_db

NO_VEHICLES = {f"vehicles__{code}": "无" for code, _ in VEHICLE_KINDS}


def _drafted(page: str) -> str:
    return page.split('id="narrative-sections"', 1)[1]


def _status(version) -> str:
    return Version.objects.get(pk=version.pk).status


def test_unknown_operating_cost_and_vehicles_are_not_drafted_as_none_or_zero_nor_submitted(draft):
    """「我部门无机关运行经费支出」 and 「公务用车保有量为 0 辆」 for facts nobody entered."""
    client, version, accountant = draft
    page = _drafted(narrative_page(client, version))
    for false in ("无机关运行经费", "保有量为 0 辆", "无车辆", "共有车辆 0 辆"):
        assert false not in page
    assert "还有" in submit(client, version) and _status(version) == Version.Status.DRAFT

    explain_warnings(version, accountant)  # states the rest as 「无」; then the department's own figures:
    facts_post(client, version, operating_cost="76.23", car_holding="6", **{**NO_VEHICLES, "vehicles__leaders": "2", "vehicles__enforcement": "4"})
    page = _drafted(narrative_page(client, version))
    assert "2023 年度机关运行经费支出 76.23 万元" in page
    assert "公务用车保有量为 6 辆" in page and "共有车辆 6 辆" in page
    assert "无机关运行经费" not in page and "无车辆" not in page


def test_three_cars_in_the_statistics_and_none_in_the_assets_is_flagged(draft):
    """「公务用车保有量为 3 辆」 beside 「我部门无车辆…」 while the check said nothing was wrong."""
    client, version, accountant = draft
    explain_warnings(version, accountant)
    facts_post(client, version, car_holding="3", equipment_over_1m="无", **NO_VEHICLES)
    page = narrative_page(client, version)
    assert "公务用车保有量为 3 辆" in page and "无车辆" in page  # what the department entered, drafted as entered
    assert "未发现文字与数据不一致" not in page
    [found] = version.findings.filter(code="rule.car_holding")
    assert "公务用车保有量为 3 辆" in found.message and "为 0 辆" in found.message and found.message in page
    assert "还有 1 条提示没有说明原因" in submit(client, version)
    assert _status(version) == Version.Status.DRAFT


def test_empty_performance_headings_and_unexplained_items_are_neither_printed_nor_submitted(draft):
    """十三（一）绩效管理工作开展情况 with nothing under it; 五（三） items differing from 年初预算 without a reason."""
    client, version, _ = draft
    facts_post(client, version, initial_budget__2101501="5.76")  # 行政运行: 决算 37.01 is 543% of it
    page = narrative_page(client, version)
    assert "绩效管理工作开展情况</h4>" not in _drafted(page)
    assert "（一）绩效管理工作开展情况·绩效管理工作开展情况”未填写" in page
    assert version.findings.filter(severity=Finding.Severity.MISSING, column="reason_2101501").exists()
    assert "必须说明的内容没有填写" in submit(client, version) and _status(version) == Version.Status.DRAFT


def test_a_total_initial_budget_far_from_its_items_is_an_error(draft):
    """「完成年初预算的 16.75%」 of 2,230.80 万元 when the per-项 年初预算 add up to far less."""
    client, version, accountant = draft
    explain_warnings(version, accountant)
    items = ITEMS_000  # each 项's 年初预算 as its 决算 (公开05表): they add up to 373.63
    facts_post(client, version, initial_budget_total="2230.80", **{f"initial_budget__{code}": value for code, value in items.items()})
    [found] = version.findings.filter(code="rule.initial_budget_total")
    assert found.severity == Finding.Severity.ERROR
    assert "年初预算合计为 2,230.80 万元" in found.message and "之和为 373.63 万元" in found.message
    assert found.message in narrative_page(client, version)
    assert "文字部分、补充数据或附件中有 1 处错误" in submit(client, version)
    assert _status(version) == Version.Status.DRAFT


def test_wording_nan_and_an_empty_first_part_are_refused(draft):
    """A cover of 「单位决算」 in a 部门决算; NaN in the 附件's 偏差度 cells; an empty 第一部分 accepted."""
    client, version, _ = draft
    page = client.get(f"/work/versions/{version.pk}/").content.decode()
    nan = version.findings.filter(code="rule.evaluation_number")
    assert nan.count() == 21 and all("「NaN」" in f.message and "单元格" in f.message for f in nan)
    assert "「NaN」" in page

    response = client.post(
        f"/work/versions/{version.pk}/narrative/sections/",
        {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0", "form-0-title": "2023年度单位决算编制说明", "form-0-body": "略。"},
    )
    assert response.status_code in (200, 302)
    assert version.findings.filter(code="rule.kind_wording").exists()

    narrative = narrative_page(client, version)
    assert "第一部分 概况的“职责”未填写" in narrative and "第一部分 概况的“人员情况”未填写" in narrative
    assert "必须说明的内容没有填写" in submit(client, version)
    assert _status(version) == Version.Status.DRAFT
