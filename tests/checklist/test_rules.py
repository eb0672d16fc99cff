"""The reviewer's checklist (checking.checklist): every rule has a passing and a failing
fixture, each a real seed workbook read through the real importer (the pure reader, no
database) with facts, written parts, 概况, other sections or 绩效自评表 set on its Snapshot.
A failing fixture gives a finding of that rule, with the rule's severity and a Chinese
message naming the place; a passing one gives none of it."""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Callable

import pytest

from accounts_app.checking import check_dataset
from accounts_app.checking.checklist import RULES, RULES_BY_ID, checklist_problems
from accounts_app.importing.reader import Expectation, ParseResult, parse_workbook
from accounts_app.importing.workbook import open_workbook
from accounts_app.messages import MESSAGES
from accounts_app.snapshot import Snapshot
from accounts_app.specs import get_table_set
from accounts_app.specs.facts import VEHICLE_KINDS
from tests.conftest import seed_workbook
from tests.seeds.transcriptions import load as load_transcription

ROOT = Path(__file__).resolve().parents[2]
TABLE_SETS = {"000": "standard", "002": "jiangxi"}
D = Decimal
NIL = None  # a fact the accountant entered as 「无」


@cache
def _read(seed: str) -> tuple[ParseResult, dict]:
    info = load_transcription(seed)
    path = seed_workbook(seed)
    expectation = Expectation(
        entity_names={info["entity"]}, entity_label=info["entity"], year=info["year"], table_set=get_table_set(TABLE_SETS[seed])
    )
    opened = open_workbook(path.read_bytes())
    try:
        return parse_workbook(opened, expectation), info
    finally:
        opened.close()


def seed_snapshot(seed: str = "000", **facts) -> Snapshot:
    """The seed as imported (its own copy), its entity named, with `facts` entered ({key or (key, code): value})."""
    result, info = _read(seed)
    snapshot = Snapshot(
        dataset=copy.deepcopy(result.dataset), kind=info["kind"], evaluations=copy.deepcopy(result.evaluations)
    )
    snapshot.entity = info["entity"]
    snapshot.facts = {(key if isinstance(key, tuple) else (key, "")): value for key, value in facts.items()}
    return snapshot


def with_facts(snapshot: Snapshot, facts: dict) -> Snapshot:
    snapshot.facts.update({(k if isinstance(k, tuple) else (k, "")): v for k, v in facts.items()})
    return snapshot


def with_written(snapshot: Snapshot, section: str, field: str, text: str) -> Snapshot:
    snapshot.written[(section, field)] = text
    return snapshot


def set_cell(snapshot: Snapshot, table: str, row: str, column: str, value, cell: str = "") -> Snapshot:
    line = snapshot.dataset.get(table).lines[row]
    line.values[column] = value
    if cell:
        line.cells[column] = cell
    return snapshot


def no_nan(snapshot: Snapshot) -> Snapshot:
    """The seed's 附件 with its NaN 偏差度 written as the department meant them."""
    for evaluation in snapshot.evaluations:
        evaluation.indicators = [replace(row, deviation="0%") if row.deviation == "NaN" else row for row in evaluation.indicators]
    return snapshot


def vehicles(**counts) -> dict:
    return {("vehicles", code): D(counts.get(code, 0)) for code, _ in VEHICLE_KINDS}


# Seed 000's 一般公共预算财政拨款支出 by 项 (公开05表), and their sum.
ITEMS_000 = {
    "2080502": "0.66", "2080505": "7.96", "2089999": "0.33", "2100102": "2.71", "2101103": "60.00", "2101199": "40.00",
    "2101301": "155.00", "2101501": "37.01", "2101506": "8.72", "2101550": "53.73", "2101599": "7.51",
}
ITEMS_000_SUM = sum(D(v) for v in ITEMS_000.values())


def item_budgets(**overrides) -> dict:
    return {("initial_budget", code): D(overrides.get(f"c{code}", value)) for code, value in ITEMS_000.items()}


@dataclass(frozen=True)
class Case:
    rule: str
    outcome: str  # "passes" or "fails"
    name: str
    build: Callable[[], Snapshot]
    places: tuple[str, ...] = ()  # what the message names (failing fixtures)

    @property
    def id(self) -> str:
        return f"{self.rule}-{self.outcome}-{self.name}"


def passes(rule: str, name: str, build) -> Case:
    return Case(rule, "passes", name, build)


def fails(rule: str, name: str, build, *places: str) -> Case:
    return Case(rule, "fails", name, build, places)


CASES = [
    # 1. 三公 公务用车保有量 against 国有资产 vehicles
    fails("rule.car_holding", "fact against the 国有资产 table",
          lambda: seed_snapshot("002", car_holding=D(3)),
          "补充数据「“三公”经费统计数·公务用车保有量（期末）」", "公开10表「国有资产占用情况表」第1行「一、车辆数合计(台、辆)」「决算数」栏为 0 辆", "3 辆", "0 辆"),
    fails("rule.car_holding", "table cell against the vehicle facts",
          lambda: set_cell(with_facts(seed_snapshot("000"), vehicles(leaders=2, enforcement=4)), "three_public", "total", "car_holding", D(3), "M9"),
          "公开09表「财政拨款“三公”经费支出决算表」「相关统计数·公务用车保有量（辆）」栏", "车辆（按用途）」各类车辆之和为 6 辆"),
    passes("rule.car_holding", "six cars both ways",
           lambda: with_facts(seed_snapshot("000", car_holding=D(6)), vehicles(leaders=2, enforcement=4))),
    passes("rule.car_holding", "无 both ways", lambda: with_facts(seed_snapshot("000", car_holding=NIL), vehicles())),
    passes("rule.car_holding", "a vehicle kind not entered",
           lambda: with_facts(seed_snapshot("000", car_holding=D(3)), {("vehicles", "leaders"): D(1)})),
    # 2. 机关运行经费 against 公用经费 (seed 000: 公用经费合计 1.67)
    fails("rule.operating_cost", "76.23 against 1.67", lambda: seed_snapshot("000", operating_cost=D("76.23")),
          "补充数据「机关运行经费·机关运行经费支出」", "公开06表「一般公共预算财政拨款基本支出决算明细表」「公用经费合计」行「决算数」栏", "76.23 万元"),
    passes("rule.operating_cost", "within 公用经费", lambda: seed_snapshot("000", operating_cost=D("1.50"))),
    passes("rule.operating_cost", "无", lambda: seed_snapshot("000", operating_cost=NIL)),
    passes("rule.operating_cost", "not entered", lambda: seed_snapshot("000")),
    # 3. 年初预算 合计 against Σ项 (the 2,230.80 against 480.62)
    fails("rule.initial_budget_total", "合计 far from Σ项",
          lambda: with_facts(seed_snapshot("000", initial_budget_total=D("2230.80")), item_budgets()),
          "补充数据「年初预算·一般公共预算财政拨款支出年初预算合计」", "2,230.80 万元", f"（11 项）之和为 {ITEMS_000_SUM:,.2f} 万元"),
    fails("rule.initial_budget_total", "合计 无 with items",
          lambda: with_facts(seed_snapshot("000", initial_budget_total=NIL), item_budgets()),
          "补充数据「年初预算·一般公共预算财政拨款支出年初预算合计」", "“无”"),
    passes("rule.initial_budget_total", "合计 = Σ项",
           lambda: with_facts(seed_snapshot("000", initial_budget_total=ITEMS_000_SUM), item_budgets())),
    passes("rule.initial_budget_total", "within rounding",
           lambda: with_facts(seed_snapshot("000", initial_budget_total=ITEMS_000_SUM + D("0.02")), item_budgets())),
    passes("rule.initial_budget_total", "an item not entered",
           lambda: with_facts(seed_snapshot("000", initial_budget_total=D("2230.80")),
                              {k: v for k, v in item_budgets().items() if k[1] != "2101501"})),
    # 4. 三公: 公务接待费 = 国内 + 外宾 (the facts, where the table does not print the split)
    fails("rule.reception_split", "facts short of 公务接待费",
          lambda: set_cell(seed_snapshot("000", reception_domestic_amount=D("1.50"), reception_foreign_amount=NIL),
                           "three_public", "total", "final_reception", D("2.00"), "M9"),
          "公开09表「财政拨款“三公”经费支出决算表」「决算数·公务接待费」栏", "补充数据「“三公”经费统计数·国内公务接待支出」（1.50 万元）", "“无”"),
    passes("rule.reception_split", "facts add up",
           lambda: set_cell(seed_snapshot("000", reception_domestic_amount=D("2.00"), reception_foreign_amount=NIL),
                            "three_public", "total", "final_reception", D("2.00"))),
    passes("rule.reception_split", "the table prints the split",
           lambda: set_cell(set_cell(seed_snapshot("000", reception_domestic_amount=D("1.50"), reception_foreign_amount=NIL),
                                     "three_public", "total", "final_reception", D("2.00")),
                            "three_public", "total", "final_reception_domestic", D("2.00"))),
    # 5. 政府采购
    fails("rule.procurement_split", "parts do not add up",
          lambda: seed_snapshot("000", procurement_total=D("100.00"), procurement_goods=D("50.00"), procurement_works=NIL,
                                procurement_services=D("40.00")),
          "补充数据「政府采购·政府采购支出总额」", "90.00 万元"),
    passes("rule.procurement_split", "within 0.01 a part",
           lambda: seed_snapshot("000", procurement_total=D("100.00"), procurement_goods=D("60.01"), procurement_works=NIL,
                                 procurement_services=D("40.01"))),
    passes("rule.procurement_split", "total not entered",
           lambda: seed_snapshot("000", procurement_goods=D("50.00"), procurement_works=NIL, procurement_services=D("40.00"))),
    fails("rule.procurement_sme", "中小企业 above the total",
          lambda: seed_snapshot("000", procurement_goods=D("50.00"), procurement_works=NIL, procurement_services=D("40.00"),
                                procurement_sme=D("95.00")),
          "补充数据「政府采购·授予中小企业合同金额」", "95.00 万元", "货物、工程、服务支出之和（90.00 万元）"),
    passes("rule.procurement_sme", "中小企业 within the total",
           lambda: seed_snapshot("000", procurement_total=D("90.00"), procurement_sme=D("90.00"))),
    fails("rule.procurement_micro", "小微 above 中小企业",
          lambda: seed_snapshot("000", procurement_total=D("90.00"), procurement_sme=D("30.00"), procurement_micro=D("31.00")),
          "补充数据「政府采购·其中：授予小微企业合同金额」", "补充数据「政府采购·授予中小企业合同金额」（30.00 万元）"),
    passes("rule.procurement_micro", "小微 within 中小企业",
           lambda: seed_snapshot("000", procurement_total=D("90.00"), procurement_sme=D("30.00"), procurement_micro=D("30.00"))),
    passes("rule.procurement_micro", "中小企业 无 and 小微 not entered", lambda: seed_snapshot("000", procurement_sme=NIL)),
    # 6. Written text
    fails("rule.placeholder", "XX in a reason",
          lambda: with_written(seed_snapshot("000"), "overview", "reason", "主要原因是XX项目支出增加。"),
          "第三部分 情况说明 一、收入支出决算总体情况说明「原因说明」", "「XX」"),
    fails("rule.placeholder", "full-width ＸＸ in a 项's reason",
          lambda: with_written(seed_snapshot("000"), "gpb_detail", "reason_2101501", "主要原因是ＸＸ。"),
          "第三部分 情况说明 五、一般公共预算财政拨款支出决算情况说明·具体情况「2101501 行政运行 差异原因」"),
    fails("rule.placeholder", "【…】 in the 部门职责",
          lambda: _profile(seed_snapshot("000"), duties=["贯彻执行医疗保障政策。", "负责【填写职责】。"]),
          "第一部分 概况「部门职责」第 2 条", "【填写职责】"),
    fails("rule.placeholder", "（此处…） in another section",
          lambda: _extra(seed_snapshot("000"), title="重点工作完成情况", body="（此处填写重点工作）"),
          "其他章节「重点工作完成情况」正文"),
    fails("rule.placeholder", "××× and ___ in the 人员情况",
          lambda: _profile(seed_snapshot("000"), staff_notes="编制×××人，实有___人。"), "第一部分 概况「人员情况说明」", "×××"),
    passes("rule.placeholder", "a 【heading】", lambda: with_written(seed_snapshot("000"), "performance_results", "text", "【主要成效】覆盖面扩大。")),
    passes("rule.placeholder", "a document number and the seed's 附件",
           lambda: with_written(seed_snapshot("000"), "gpb_detail", "uses", "主要用于城乡医疗救助（新财预【2022】342号）。")),
    fails("rule.unit_slip", "a 万元 figure written in 元",
          lambda: with_written(seed_snapshot("000"), "gpb_overall", "reason", "本年一般公共预算财政拨款支出 373.64元，主要用于医疗救助。"),
          "第三部分 情况说明 五、一般公共预算财政拨款支出决算情况说明·总体情况「原因说明」", "“373.64元”", "373.64 万元"),
    fails("rule.unit_slip", "an amount in 元 among 万元",
          lambda: with_written(seed_snapshot("000"), "overview", "reason", "收入合计 3,736,400.00元。"), "“3,736,400.00元”", "373.64 万元"),
    fails("rule.unit_slip", "元 figure with 万元",
          lambda: with_written(seed_snapshot("000"), "overview", "reason", "支出合计 3736400.00 万元。"), "373.64 万元"),
    passes("rule.unit_slip", "100万元（含）以上设备 and a rate per person",
           lambda: with_written(seed_snapshot("000"), "assets", "reason",
                                "无单位价值100万元（含）以上设备，100.00万元（含）以上设备 0 台；补助标准 373.64元/人，支出 373.64 万元。")),
    fails("rule.change_direction", "减少 where it grew",
          lambda: with_written(seed_snapshot("000", last_general_expense=D("300.00")), "gpb_overall", "reason",
                               "与上年相比，一般公共预算财政拨款支出减少 73.64 万元，主要原因是人员减少。"),
          "第三部分 情况说明 五、一般公共预算财政拨款支出决算情况说明·总体情况「原因说明」", "一般公共预算财政拨款支出“减少”",
          "上年 300.00 万元", "实为增加"),
    fails("rule.change_direction", "机关运行经费 持平 where it fell",
          lambda: with_written(seed_snapshot("000", operating_cost=D("1.00"), operating_cost_last_year=D("1.20")), "operating", "reason",
                               "机关运行经费比上年持平。"),
          "第三部分 情况说明 十、机关运行经费支出情况说明「原因说明」", "实为减少"),
    fails("rule.change_direction", "against last year's published tables",
          lambda: with_written(_last(seed_snapshot("000"), "expense", "total", "basic", D("120.00")), "basic", "reason",
                               "基本支出 99.70 万元，比上年增加 20.30 万元。"),
          "第三部分 情况说明 六、一般公共预算财政拨款基本支出决算情况说明「原因说明」", "上年 120.00 万元", "实为减少"),
    passes("rule.change_direction", "增加 where it grew, and the reason's own 减少",
           lambda: with_written(seed_snapshot("000", last_general_expense=D("300.00")), "gpb_overall", "reason",
                                "与上年相比，一般公共预算财政拨款支出增加 73.64 万元，主要原因是人员减少、医疗救助支出增加。")),
    passes("rule.change_direction", "last year not known",
           lambda: with_written(seed_snapshot("000"), "gpb_overall", "reason", "与上年相比，一般公共预算财政拨款支出减少。")),
    fails("rule.completion_without_budget", "年初预算 无",
          lambda: with_written(seed_snapshot("000", initial_budget_total=NIL), "gpb_detail", "uses",
                               "一般公共预算财政拨款支出完成年初预算的 16.75%。"),
          "第三部分 情况说明 五、一般公共预算财政拨款支出决算情况说明·具体情况「主要用于」", "一般公共预算财政拨款支出年初预算为 “无”"),
    fails("rule.completion_without_budget", "a 三公 item's 预算 0",
          lambda: set_cell(with_written(seed_snapshot("000"), "three_public_detail", "reason_abroad", "完成预算的 50%。"),
                           "three_public", "total", "budget_abroad", D("0.00")),
          "第三部分 情况说明 九、财政拨款“三公”经费支出决算情况说明·具体情况「因公出国（境）费 差异原因」", "0.00 万元"),
    passes("rule.completion_without_budget", "年初预算 entered",
           lambda: with_written(seed_snapshot("000", initial_budget_total=D("2230.80")), "gpb_detail", "uses",
                                "完成年初预算的 16.75%。")),
    passes("rule.completion_without_budget", "年初预算 not entered",
           lambda: with_written(seed_snapshot("000"), "gpb_detail", "uses", "完成年初预算的 16.75%。")),
    # 7. The entity's name and 部门/单位 wording
    fails("rule.entity_name", "the tables print another name",
          lambda: _entity(seed_snapshot("000"), "新乡市凤泉区卫生健康委员会"),
          "公开01表「收入支出决算总表」", "工作表「公开01表」", "「新乡市凤泉区医疗保障局」", "「新乡市凤泉区卫生健康委员会」"),
    passes("rule.entity_name", "the same name, spaced", lambda: _entity(seed_snapshot("000"), "新乡市 凤泉区医疗保障局")),
    passes("rule.entity_name", "the entity not known", lambda: _entity(seed_snapshot("000"), "")),
    fails("rule.kind_wording", "a 部门决算 calling itself 单位决算",
          lambda: _extra(seed_snapshot("000"), title="2023年度单位决算编制说明", body="略。"),
          "其他章节「2023年度单位决算编制说明」标题", "本公开是部门决算", "“单位决算”"),
    fails("rule.kind_wording", "a 单位决算 calling itself 部门决算",
          lambda: _profile(seed_snapshot("002"), organisation="本单位2023年度部门决算由本级决算构成。"),
          "第一部分 概况「机构设置」", "本公开是单位决算", "“部门决算”"),
    passes("rule.kind_wording", "主管部门决算 in a 单位决算",
           lambda: _profile(seed_snapshot("002"), organisation="本单位决算纳入主管部门决算。")),
    passes("rule.kind_wording", "所属单位决算 in a 部门决算",
           lambda: _profile(seed_snapshot("000"), organisation="本部门决算由本级及所属单位决算汇总而成。")),
    # 8. 附件: non-numbers
    fails("rule.evaluation_number", "the seed's NaN 偏差度", lambda: seed_snapshot("000"),
          "第五部分 附件 项目支出绩效自评表「城乡医疗救助（新财预【2022】342号）」「不适用1」行的「偏差度」", "工作表「附件6」单元格 G18", "「NaN」"),
    fails("rule.evaluation_number", "∞ as a fund's 执行数",
          lambda: _fund(no_nan(seed_snapshot("000")), executed=D("Infinity")),
          "第五部分 附件 项目支出绩效自评表「综合业务费」「年度资金总额」行的「全年执行数」", "工作表「附件1」单元格 I5", "「Infinity」"),
    fails("rule.evaluation_number", "#DIV/0! as an indicator's 实际完成值",
          lambda: _indicator(no_nan(seed_snapshot("000")), actual="#DIV/0!"), "「实际完成值」", "「#DIV/0!」"),
    passes("rule.evaluation_number", "numbers and percentages", lambda: no_nan(seed_snapshot("000"))),
]


def _last(snapshot: Snapshot, table: str, row: str, column: str, value: Decimal) -> Snapshot:
    """Last year's published figures: this year's, but for one cell."""
    snapshot.last = set_cell(seed_snapshot("000"), table, row, column, value)
    return snapshot


def _profile(snapshot: Snapshot, **texts) -> Snapshot:
    snapshot.profile = replace(snapshot.profile, **texts)
    return snapshot


def _extra(snapshot: Snapshot, **section) -> Snapshot:
    snapshot.extra_sections = [section]
    return snapshot


def _entity(snapshot: Snapshot, name: str) -> Snapshot:
    snapshot.entity = name
    return snapshot


def _fund(snapshot: Snapshot, **values) -> Snapshot:
    evaluation = snapshot.evaluations[0]
    evaluation.funds[0] = replace(evaluation.funds[0], **values)
    return snapshot


def _indicator(snapshot: Snapshot, **values) -> Snapshot:
    evaluation = snapshot.evaluations[0]
    evaluation.indicators[-1] = replace(evaluation.indicators[-1], **values)
    return snapshot


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_rule(case: Case):
    rule = RULES_BY_ID[case.rule]
    found = [problem for problem in checklist_problems(case.build()) if problem.code == case.rule]
    if case.outcome == "passes":
        assert not found, [problem.message for problem in found]
        return
    assert found, f"{case.rule} gave no finding"
    assert {problem.severity for problem in found} == {rule.severity}
    messages = [problem.message for problem in found]
    for place in case.places:
        assert any(place in message for message in messages), (place, messages)
    assert all(message.startswith(problem.where) for message, problem in zip(messages, found))


def test_every_rule_has_a_passing_and_a_failing_fixture():
    covered = {(case.rule, case.outcome) for case in CASES}
    missing = [(rule.id, outcome) for rule in RULES for outcome in ("passes", "fails") if (rule.id, outcome) not in covered]
    assert not missing
    assert {case.rule for case in CASES} <= set(RULES_BY_ID)


def test_every_rule_has_a_stable_id_a_severity_and_a_chinese_message():
    assert len(RULES_BY_ID) == len(RULES)
    for rule in RULES:
        assert rule.id.startswith("rule.") and rule.severity in ("error", "warning")
        assert rule.id in MESSAGES and "{where}" in MESSAGES[rule.id]
        assert rule.title and rule.checks


def test_docs_list_every_rule():
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    missing = [rule.id for rule in RULES if f"`{rule.id}`" not in text]
    assert not missing


def test_the_seeds_as_published_give_only_the_nan_of_the_attachment():
    """No false positives on the real documents: seed 000's 21 NaN 偏差度 (the issue's count) only."""
    assert not checklist_problems(seed_snapshot("002"))
    found = checklist_problems(seed_snapshot("000"))
    assert {problem.code for problem in found} == {"rule.evaluation_number"}
    assert len(found) == 21


def test_unknown_facts_are_never_reported():
    """The facts a rule reads, entered one at a time (the others unknown), give no finding."""
    for key, value in (("car_holding", D(6)), ("initial_budget_total", D(1)), ("operating_cost_last_year", D(1)),
                       ("reception_domestic_amount", D(1)), ("procurement_total", D(9)), ("procurement_micro", D(9))):
        assert not checklist_problems(no_nan(seed_snapshot("000", **{key: value}))), key


def test_three_public_total_is_a_check_of_the_table_itself():
    """三公 合计 = Σ items is the 三公 table's own 勾稽关系 (specs), so the checklist does not repeat it."""
    snapshot = seed_snapshot("000")
    for column, value in (("final_total", "5.00"), ("final_abroad", "1.00"), ("final_car", "1.00"), ("final_reception", "2.00")):
        set_cell(snapshot, "three_public", "total", column, D(value))
    found = [problem for problem in check_dataset(snapshot.dataset) if problem.code == "check.mismatch"]
    assert found and "合计 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费（决算数）" in found[0].message
    assert not [problem for problem in checklist_problems(snapshot) if problem.code != "rule.evaluation_number"]
