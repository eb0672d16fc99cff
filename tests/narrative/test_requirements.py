"""Unknown is not zero, and what must be stated is stated (issue 18, items 1–2), over HTTP as
an accountant works: a fact not entered is never drafted as 0 or 无, it is listed under
待填写 with a link to its field and keeps the version from being submitted; 「无」 chosen is
said as such; a heading with nothing under it is not printed; each difference needs its reason."""

from __future__ import annotations

from decimal import Decimal

import pytest

from accounts_app.models import Fact, Finding, Version
from accounts_app.selectors import version_dataset
from accounts_app.specs.reasons import ANY_DIFFERENCE, THRESHOLDS, ReasonThreshold
from accounts_app.specs.tables.subject_tables import GPB_EXPENSE
from tests.narrative.steps import facts_post, narrative_page, submit
from tests.narrative.test_writing import explain_warnings

pytestmark = pytest.mark.django_db


def test_operating_cost_unknown_blocks_submission_none_says_so_and_a_figure_is_quoted(draft):
    client, version, accountant = draft
    explain_warnings(version, accountant)  # everything else stated (services.completion)
    facts_post(client, version, operating_cost="")  # then 机关运行经费 not entered: unknown
    page = narrative_page(client, version)
    assert "待填写（1 项" in page
    assert f'href="/work/versions/{version.pk}/narrative/facts/#id_operating_cost"' in page
    assert "补充数据“机关运行经费支出”未填写" in page
    assert "无机关运行经费" not in page and "机关运行经费支出 0" not in page
    refused = submit(client, version)
    assert "还有 1 项必须说明的内容没有填写" in refused
    assert Version.objects.get(pk=version.pk).status == Version.Status.DRAFT

    facts_post(client, version, operating_cost="无")
    assert Fact.objects.get(version=version, key="operating_cost").value is None  # 「无」, not 0.00
    page = narrative_page(client, version)
    assert "2023 年度我部门无机关运行经费支出。" in page and "待填写" not in page

    facts_post(client, version, operating_cost="76.23")
    page = narrative_page(client, version)
    assert "2023 年度机关运行经费支出 76.23 万元" in page and "无机关运行经费" not in page
    assert not version.findings.filter(severity=Finding.Severity.MISSING).exists()


def test_vehicles_unknown_are_neither_zero_nor_none(draft):
    client, version, _ = draft
    page = narrative_page(client, version)
    assert "共有车辆" not in page and "无车辆" not in page and "保有量为 0 辆" not in page
    assert "补充数据“车辆（按用途）：机要通信用车”未填写" in page
    assert "补充数据“单位价值100万元（含）以上设备”未填写" in page

    kinds = ("provincial", "leaders", "confidential", "emergency", "enforcement", "special", "retired", "other")
    facts_post(client, version, equipment_over_1m="无", **{f"vehicles__{kind}": "无" for kind in kinds})
    assert "2023 年期末，我部门无车辆和单位价值 100 万元（含）以上设备。" in narrative_page(client, version)

    facts_post(client, version, vehicles__other="6")
    page = narrative_page(client, version)
    assert "共有车辆 6 辆" in page and "其他用车 6 辆" in page and "无车辆" not in page


def test_an_empty_part_is_not_printed_under_its_heading_and_is_listed_instead(draft):
    client, version, _ = draft
    page = narrative_page(client, version)
    drafted = page.split('id="narrative-sections"', 1)[1]
    assert "绩效管理工作开展情况</h4>" not in drafted  # nothing written: no heading
    assert "（一）绩效管理工作开展情况·绩效管理工作开展情况”未填写" in page  # but listed to fill in
    assert "第一部分 概况的“职责”未填写" in page and "第一部分 概况的“人员情况”未填写" in page
    refused = submit(client, version)
    assert "必须说明的内容没有填写" in refused


def test_each_item_that_differs_from_its_initial_budget_needs_its_reason(draft):
    client, version, accountant = draft
    explain_warnings(version, accountant)
    facts_post(client, version, initial_budget__2101501="58.40")  # 行政运行: 决算 differs from 58.40
    [missing] = version.findings.filter(severity=Finding.Severity.MISSING, column="reason_2101501")
    assert "2101501" in missing.message and "差异原因" in missing.message
    page = narrative_page(client, version)
    assert f'href="/work/versions/{version.pk}/narrative/text/#id_{missing.row}__reason_2101501"' in page
    client.post(f"/work/versions/{version.pk}/narrative/text/", {f"{missing.row}__reason_2101501": "人员经费增加。"})
    assert not version.findings.filter(severity=Finding.Severity.MISSING).exists()
    assert "决算数大于年初预算数的主要原因是人员经费增加。" in narrative_page(client, version) or "决算数小于年初预算数的主要原因是人员经费增加。" in narrative_page(client, version)


def test_a_regions_threshold_spares_small_differences_their_reason(draft, monkeypatch):
    client, version, accountant = draft
    explain_warnings(version, accountant)
    final = version_dataset(version).get(GPB_EXPENSE).value("2101501", "total")
    monkeypatch.setitem(THRESHOLDS, version.disclosure.region.code, ReasonThreshold(percent=Decimal("10")))

    facts_post(client, version, initial_budget__2101501=str((final * Decimal("0.95")).quantize(Decimal("0.01"))))
    assert not version.findings.filter(severity=Finding.Severity.MISSING, column="reason_2101501").exists()
    facts_post(client, version, initial_budget__2101501=str((final * Decimal("0.80")).quantize(Decimal("0.01"))))
    assert version.findings.filter(severity=Finding.Severity.MISSING, column="reason_2101501").exists()


def test_the_threshold_needs_both_the_amount_and_the_share():
    rule = ReasonThreshold(percent=Decimal("10"), amount=Decimal("5"))
    assert not rule.requires(Decimal("104"), Decimal("100"))  # 4 万元, 4%
    assert not rule.requires(Decimal("108"), Decimal("100"))  # 8 万元 but 8%
    assert not rule.requires(Decimal("14"), Decimal("10"))  # 40% but 4 万元
    assert rule.requires(Decimal("120"), Decimal("100"))
    assert rule.requires(Decimal("6"), Decimal("0"))  # from nothing: any share
    assert not rule.requires(None, Decimal("100")) and not rule.requires(Decimal("1"), None)
    assert ANY_DIFFERENCE.requires(Decimal("100.01"), Decimal("100"))


@pytest.mark.parametrize(
    "typed, refused",
    [("³⁷³", "请填写数字"), ("1e5", "请填写数字"), ("٣٧", "请填写数字"), ("NaN", "请填写数字"),
     ("123456789012345.67", "数字过大"), ("-5", "不小于 0"), ("1.234", "最多两位小数")],
)
def test_a_fact_is_read_by_the_importers_number_parser(draft, typed, refused):
    client, version, _ = draft
    response = client.post(f"/work/versions/{version.pk}/narrative/facts/", {"operating_cost": typed})
    assert response.status_code == 200 and refused in response.content.decode()
    assert not Fact.objects.filter(version=version, key="operating_cost").exists()


def test_full_width_digits_and_separators_are_a_figure(draft):
    client, version, _ = draft
    facts_post(client, version, operating_cost="７６．２３")
    assert Fact.objects.get(version=version, key="operating_cost").value == Decimal("76.23")
