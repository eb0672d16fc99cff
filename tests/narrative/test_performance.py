"""第五部分 附件: the 绩效自评表 of seed 000, uploaded with the workbook (one sheet each,
found by title), stored as printed, recomputed into warnings where the printed scores
do not add up, and shown on the public page and in the PDF."""

from __future__ import annotations

import io
import json
import subprocess
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts_app.importing import performance
from accounts_app.models import Finding, Version
from accounts_app.narrative_forms import EvaluationForm, FundFormSet, IndicatorFormSet
from accounts_app.services import workflow
from accounts_app.selectors import version_evaluations
from accounts_app.services.findings import version_findings_refresh
from tests.conftest import FIXTURES, corrected_seed_book
from tests.narrative.test_writing import explain_warnings, login, upload
from tests.workflow.conftest import make_user
from tests.statements import state_the_rest

pytestmark = pytest.mark.django_db

NAMES = [
    "综合业务费",
    "新乡市凤泉区医疗保障局",  # the 部门整体支出绩效自评表
    "城乡医疗救助",
    "公补医疗费",
    "2022年医疗服务与保障能力提升补助资金",
    "城乡医疗救助（新财预【2022】342号）",
    "城乡医疗救助（新财预【2023】169号）",
    "离退休医疗费",
    "困难群众基本医疗参保费一",
    "城乡居民医疗配套费上解资金",
    "其他医疗保障管理事务支出（新财预【2022】343号）",
    "城乡居民医疗配套费",
    "困难群众基本医疗参保费",
    "能力提升补助资金（新财预【2023】200号）",
]
TOTALS = ["95.42", "98", "90.57", "91.75", "94.99", "95.2", "93.9", "97.01", "100", "99.35", "94.8", "99.16", "96.4", "94.2"]
# What does not recompute in the seed, as (code, 表, row, cell, expected, found):
SEED_FINDINGS = {
    # 部门整体: 分值 10 × 执行率 91.05% = 9.11, printed 10 (in H4: a row's finding points at its 得分)
    ("performance.score", "新乡市凤泉区医疗保障局", "部门预算总额", "H4", "9.11", "10"),
    # prints three 资金管理情况 rows (no 预算绩效管理情况): 4.99 + 15 + 70 and 10 + 15 + 70
    ("performance.total", "2022年医疗服务与保障能力提升补助资金", "总分", "", "89.99", "94.99"),
    ("performance.total_weight", "2022年医疗服务与保障能力提升补助资金", "总分", "", "95", "100"),
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# -- the seed's 附件 as transcribed (tests/fixtures/seeds/000_performance.json) -------------


def _number(text: str) -> Decimal | None:
    return None if text in ("", "-", "—") else Decimal(text.replace("%", "").strip())


def transcribed() -> list[dict]:
    """The seed's evaluations as they should be stored: numbers as Decimal, "—" as None,
    merged 一级/二级指标 carried down."""
    document = json.loads((FIXTURES / "seeds" / "000_performance.json").read_text(encoding="utf-8"))
    evaluations = []
    for printed in document["evaluations"]:
        indicators, level1, level2 = [], "", ""
        for row in printed.get("management", []):
            item, explanation, weight, score, reason = row
            indicators.append({"group": "management", "level1": "", "level2": "", "level3": item, "target": explanation,
                               "actual": "", "weight": _number(weight), "score": _number(score), "deviation": "", "reason": reason})
        for row in printed["indicators"]:
            if row[0]:
                level1, level2 = row[0], row[1]
            elif row[1]:
                level2 = row[1]
            indicators.append({"group": "indicator", "level1": level1, "level2": level2, "level3": row[2], "target": row[3],
                               "actual": row[4], "weight": _number(row[5]), "score": _number(row[6]), "deviation": row[7], "reason": row[8]})
        evaluations.append({
            "kind": "overall" if printed["title"].startswith("部门整体") else "project",
            "name": printed["name"],
            "department": printed["department"],
            "implementer": printed["implementer"],
            "goal_expected": printed["goal"][0],
            "goal_actual": printed["goal"][1],
            "tasks": [{"name": name, "content": content, "result": result} for name, content, result in printed.get("tasks", [])],
            "funds": [
                {"label": label.rstrip(":："), **dict(zip(("initial_budget", "full_budget", "executed", "weight", "rate", "score"), map(_number, values)))}
                for label, *values in printed["funds"]
            ],
            "indicators": indicators,
            "total_weight": _number(printed["total"][0]),
            "total_score": _number(printed["total"][1]),
        })
    return evaluations


def stored(version) -> list[dict]:
    """Every stored evaluation as plain data, without positions, cells and sheets."""
    drop = {"position", "cell", "sheet"}

    def strip(row: dict) -> dict:
        return {key: value for key, value in row.items() if key not in drop}

    return [
        {**strip(data), "funds": [strip(f) for f in data["funds"]], "indicators": [strip(i) for i in data["indicators"]]}
        for data in (e.as_data() for e in version_evaluations(version))
    ]


def performance_findings(version) -> set[tuple]:
    return set(
        version.findings.filter(code__startswith="performance.").values_list("code", "table", "row", "cell", "expected", "found")
    )


# -- workbooks ----------------------------------------------------------------------------------


@pytest.fixture
def seed000(seed_disclosure):
    disclosure = seed_disclosure("000")
    accountant = make_user("kuaiji", "accountant", department=disclosure.department)
    return disclosure, accountant


def book() -> openpyxl.Workbook:
    return corrected_seed_book("000")


def evaluation_sheet(workbook, name: str):
    """The sheet of the 绩效自评表 named `name` (found by its content, like the importer)."""
    return next(s for s in workbook.worksheets if any(c.value == name for row in s.iter_rows(max_row=3) for c in row))


def cell_with(sheet, value):
    return next(c for row in sheet.iter_rows() for c in row if c.value == value)


def post(client, disclosure, workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = SimpleUploadedFile("seed_000.xlsx", buffer.getvalue(), content_type=XLSX)
    return client.post(f"/work/disclosures/{disclosure.pk}/upload/", {"workbook": data})


# -- importing -----------------------------------------------------------------------------------


def test_the_seed_evaluations_are_stored_as_printed(seed000):
    disclosure, accountant = seed000
    version = upload(login(accountant), disclosure)

    evaluations = list(version.evaluations.all())
    assert [e.name for e in evaluations] == NAMES
    assert [e.get_kind_display() for e in evaluations[:2]] == ["项目支出绩效自评表", "部门整体支出绩效自评表"]
    assert [e.total_score for e in evaluations] == [Decimal(t) for t in TOTALS]
    assert {e.total_weight for e in evaluations} == {Decimal(100)}
    assert [e.sheet for e in evaluations] == [f"附件{n}" for n in range(1, 15)]
    assert stored(version) == transcribed()  # every evaluation, every row, every field

    fund = evaluations[0].funds.get(label="年度资金总额")
    assert (fund.initial_budget, fund.full_budget, fund.executed, fund.weight, fund.rate, fund.score, fund.cell) == (
        Decimal("5.00"), Decimal("5.00"), Decimal("2.71"), Decimal("10.00"), Decimal("54.20"), Decimal("5.42"), "I5"
    )
    assert evaluations[0].funds.get(label="财政拨款").weight is None  # printed "-"
    row = evaluations[3].indicators.get(level3="全区行政、事业单位职工人数")
    assert (row.level1, row.level2, row.target, row.actual, row.weight, row.score, row.deviation, row.reason) == (
        "产出指标", "数量指标", "≥3323人", "500人", Decimal("5.00"), Decimal("0.75"), "-84.95", "资金落实不到位"
    )
    overall = evaluations[1]
    carried = overall.indicators.get(level3="专项资金细化率")  # 一级指标 merged over 19 rows
    assert (carried.level1, carried.level2) == ("投入管理指标", "工作目标管理")
    assert overall.tasks[4]["name"] == "基金监管、医保窗口等工作" and len(overall.tasks) == 5
    assert overall.goal_expected.startswith("从实际出发，以落实民生为核心")
    assert [m.level3 for m in evaluations[4].management_rows] == ["安排科学性", "拨付合规性", "使用规范性"]


def test_both_ways_of_printing_the_rate_are_read():
    """执行率 as text "54.2 %" (综合业务费) or as 0.0567 formatted 0.00% (城乡医疗救助)."""
    workbook = book()
    as_text = evaluation_sheet(workbook, "综合业务费")["H5"]
    as_number = evaluation_sheet(workbook, "城乡医疗救助")["G5"]
    assert as_text.value == "54.2 %"
    assert (as_number.value, as_number.number_format) == (pytest.approx(0.0567), "0.00%")


def test_the_recomputed_scores_match_or_are_findings(seed000):
    disclosure, accountant = seed000
    version = upload(login(accountant), disclosure)
    assert performance_findings(version) == SEED_FINDINGS

    # recomputed here independently: 总分 = Σ得分 holds exactly where no finding says otherwise
    for evaluation in version.evaluations.prefetch_related("funds", "indicators"):
        scores = [f.score for f in evaluation.funds.all()] + [i.score for i in evaluation.indicators.all()]
        adds_up = sum(s for s in scores if s is not None) == evaluation.total_score
        reported = version.findings.filter(code="performance.total", table=evaluation.name).exists()
        assert adds_up is not reported, evaluation.name

    score = version.findings.get(code="performance.score")
    assert score.severity == Finding.Severity.WARNING
    assert (score.sheet, score.column, score.rule) == ("附件2", "得分", "资金得分 = 分值 × 执行率")
    assert score.message == (
        "部门整体支出绩效自评表「新乡市凤泉区医疗保障局」「部门预算总额」行的得分（单元格 H4）："
        "应为 9.11（分值 10 × 执行率 91.05%），表中为 10。"
    )
    assert version.findings.get(code="performance.total").message == (
        "项目支出绩效自评表「2022年医疗服务与保障能力提升补助资金」的总分：各项得分合计为 89.99"
        "（资金 4.99 + 资金管理 15 + 绩效指标 70），表中总分为 94.99，相差 5。"
    )
    assert not version.findings.filter(code__startswith="performance.", table="公补医疗费").exists()  # 0.75 ≤ 5

    # warnings: explained, the version goes to review
    explain_warnings(version, accountant)
    workflow.version_submit(version=version, actor=workflow.Actor(accountant))
    assert Version.objects.get(pk=version.pk).status == Version.Status.SUBMITTED


def test_a_wrong_rate_is_a_finding(seed000):
    disclosure, accountant = seed000
    workbook = book()
    sheet = evaluation_sheet(workbook, "综合业务费")
    assert sheet["C6"].value == "财政拨款"
    sheet["H6"] = "45.8 %"  # 2.71 ÷ 5 is 54.2%
    assert post(login(accountant), disclosure, workbook).status_code == 302
    version = disclosure.versions.get()
    assert performance_findings(version) == SEED_FINDINGS | {
        ("performance.rate", "综合业务费", "财政拨款", "I6", "54.20%", "45.80%")
    }
    assert version.findings.get(code="performance.rate").message == (
        "项目支出绩效自评表「综合业务费」「财政拨款」行的执行率（单元格 I6）：应为 54.20%"
        "（全年执行数 2.71 ÷ 全年预算数 5.00 × 100%），表中为 45.80%，相差 8.4 个百分点。"
    )


def test_a_score_above_its_weight_is_a_finding(seed000):
    disclosure, accountant = seed000
    workbook = book()
    sheet = evaluation_sheet(workbook, "公补医疗费")
    cell_with(sheet, "全区行政、事业单位职工人数").offset(column=4).value = 5.75  # 分值 5
    post(login(accountant), disclosure, workbook)
    version = disclosure.versions.get()
    assert performance_findings(version) - SEED_FINDINGS == {
        ("performance.over_weight", "公补医疗费", "全区行政、事业单位职工人数", "G19", "5", "5.75"),
        ("performance.total", "公补医疗费", "总分", "", "96.75", "91.75"),
    }


def test_a_text_in_a_number_cell_is_an_error_that_blocks_submission(seed000):
    disclosure, accountant = seed000
    workbook = book()
    score = cell_with(evaluation_sheet(workbook, "城乡医疗救助"), "救助参保人数").offset(column=4)
    score.value = "十分"
    client = login(accountant)
    response = post(client, disclosure, workbook)
    version = Version.objects.get(disclosure=disclosure)  # stored as a draft, with the error
    assert response.status_code == 302 and response.url == f"/work/versions/{version.pk}/"
    page = client.get(response.url).content.decode()
    message = "绩效自评表「城乡医疗救助」「救助参保人数」行的「得分」应为数字，表中为「十分」。"
    assert "已保存为第 1 版（草稿）。有 1 处错误，改正前不能提交审核。" in page
    assert f"<td>错误</td><td>附件3</td><td>{score.coordinate}</td><td>数字</td><td>十分</td><td>{message}</td>" in page
    [error] = version.findings.filter(severity=Finding.Severity.ERROR)
    assert (error.code, error.sheet, error.cell, error.table, error.row, error.column, error.message) == (
        "evaluation.bad_number", "附件3", score.coordinate, "performance", "城乡医疗救助", "得分", message
    )
    # the evaluation that could not be read is left out; the other 13 are stored
    assert list(version.evaluations.values_list("name", flat=True)) == [n for n in NAMES if n != "城乡医疗救助"]
    with pytest.raises(workflow.TransitionRefused) as refused:
        state_the_rest(version)
        workflow.version_submit(version=version, actor=workflow.Actor(accountant))
    assert str(refused.value) == "检查发现 1 处错误，须修改工作簿并重新上传后才能提交。"
    assert Version.objects.get(pk=version.pk).status == Version.Status.DRAFT


def test_a_missing_total_row_is_an_error(seed000):
    from accounts_app.services.imports import workbook_import

    disclosure, accountant = seed000
    workbook = book()
    sheet = evaluation_sheet(workbook, "离退休医疗费")
    cell_with(sheet, "总分").value = None
    buffer = io.BytesIO()
    workbook.save(buffer)
    outcome = workbook_import(disclosure=disclosure, data=buffer.getvalue(), filename="no-total.xlsx", user=accountant)
    [error] = outcome.errors
    assert (error.code, error.sheet, str(error)) == (
        "evaluation.missing_total", "附件8", "工作表「附件8」 单元格 A1：绩效自评表「离退休医疗费」缺少“总分”行。"
    )
    # stored as a draft without that evaluation, the error with it
    version = outcome.version
    assert version.status == Version.Status.DRAFT
    others = [n for n in NAMES if n != "离退休医疗费"]
    assert outcome.evaluations == others
    assert list(version.evaluations.values_list("name", flat=True)) == others
    assert list(version.findings.filter(severity=Finding.Severity.ERROR).values_list("code", "sheet", "cell", "message")) == [
        ("evaluation.missing_total", "附件8", "A1", "绩效自评表「离退休医疗费」缺少“总分”行。")
    ]
    with pytest.raises(workflow.TransitionRefused) as refused:
        state_the_rest(version)
        workflow.version_submit(version=version, actor=workflow.Actor(accountant))
    assert str(refused.value) == "检查发现 1 处错误，须修改工作簿并重新上传后才能提交。"


def test_evaluations_one_under_another_on_one_sheet_read_alike():
    """A sheet holding several 绩效自评表, each from its title down, reads like one per sheet."""
    workbook = book()

    def rows(name):
        sheet = evaluation_sheet(workbook, name)
        return [tuple(performance._shown(c) for c in row) for row in sheet.iter_rows(max_col=9)]

    first, second = rows("综合业务费"), rows("公补医疗费")
    together, problems = performance.parse_sheet("附件", first + [(None,) * 9] + second)
    alone = [performance.parse_sheet("附件", part)[0][0] for part in (first, second)]
    assert not problems
    assert [e.name for e in together] == ["综合业务费", "公补医疗费"]
    assert together[0] == alone[0]
    assert together[1].funds[0].cell == f"H{len(first) + 1 + 5}"  # cells of the whole sheet (the row's 得分)
    assert [replace(row, cell="") for row in together[1].indicators] == [replace(row, cell="") for row in alone[1].indicators]


# -- versions and forms --------------------------------------------------------------------------


def test_a_new_workbook_replaces_the_evaluations_one_without_them_keeps_them(seed000):
    disclosure, accountant = seed000
    client = login(accountant)
    first = upload(client, disclosure)
    second = upload(client, disclosure)  # brings its own: not added to the carried ones
    assert second.evaluations.count() == 14 and performance_findings(second) == SEED_FINDINGS

    workbook = book()
    for sheet in [s for s in workbook.worksheets if s.title.startswith("附件")]:
        workbook.remove(sheet)
    post(client, disclosure, workbook)
    third = disclosure.versions.order_by("-number").first()
    assert third.number == 3
    assert stored(third) == stored(first)  # carried forward
    assert performance_findings(third) == SEED_FINDINGS  # and recomputed for the new version


def _form_data(evaluation) -> dict:
    """The evaluation form as the page fills it in."""
    data = {}
    form = EvaluationForm(instance=evaluation)
    data.update({name: form[name].value() for name in form.fields if form[name].value() is not None})
    for formset in (FundFormSet(instance=evaluation, prefix="funds"), IndicatorFormSet(instance=evaluation, prefix="indicators")):
        management = formset.management_form
        data.update({f"{formset.prefix}-{name}": management[name].value() for name in management.fields})
        for row in formset.forms:
            data.update({row.add_prefix(name): row[name].value() for name in row.fields if row[name].value() not in (None, False)})
    return data


def test_correcting_a_score_in_the_form_clears_its_finding_and_explanations_stay(seed000):
    disclosure, accountant = seed000
    client = login(accountant)
    version = upload(client, disclosure)
    total = version.findings.get(code="performance.total")
    workflow.warning_explain(finding=total, actor=workflow.Actor(accountant), text="原表漏印“预算绩效管理情况”一行")

    overall = version.evaluations.get(kind="overall")
    data = _form_data(overall)
    fund = next(key for key, value in data.items() if value == "部门预算总额")
    data[fund.replace("label", "score")] = "9.11"
    data["total_score"] = "97.11"  # 98 - 10 + 9.11: the total follows the corrected score
    response = client.post(f"/work/versions/{version.pk}/narrative/evaluations/{overall.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]

    assert overall.funds.get(label="部门预算总额").score == Decimal("9.11")
    assert {f[0] for f in performance_findings(version)} == {"performance.total", "performance.total_weight"}
    assert version.findings.get(code="performance.total").explanation == "原表漏印“预算绩效管理情况”一行"
    page = client.get(f"/work/versions/{version.pk}/narrative/").content.decode()
    assert "各项得分合计为 89.99" in page

    version_findings_refresh(version=version)  # idempotent
    assert version.findings.filter(code__startswith="performance.").count() == 2


# -- publishing ------------------------------------------------------------------------------------


def test_the_public_page_and_the_pdf_show_the_annex(publish_seed):
    version = publish_seed("000")
    page = Client().get(f"/disclosures/{version.disclosure_id}/").content.decode()
    assert page.count('class="evaluation"') == 14
    for text in ("项目支出绩效自评表：综合业务费", "部门整体支出绩效自评表", "年度履职目标", "投入管理指标", "资金落实不到位", "95.42", "54.20%"):
        assert text in page, text

    pdf = subprocess.run(["pdftotext", "-layout", str(Path(version.pdf.path)), "-"], check=True, capture_output=True, text=True).stdout
    for text in ("绩效自评表", "综合业务费", "城乡居民医疗配套费上解资金", "95.42", "资金落实不到位"):
        assert text in pdf, text
