"""The reviewer's checklist: the extra facts against the tables and against each other, the
names the tables print, and the 附件's numbers (DOMAIN.md, "What the rules require").

Each check reads only what is known: a fact not entered, a blank cell or a missing table
means the check is not made; 「无」 counts as zero. 三公 合计 = Σ items is a 勾稽关系 of the
三公 table itself (specs.tables.three_public, check.mismatch); here only the 公务接待费 split
that the facts carry when the table does not print it.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

from ..importing.problems import ERROR, WARNING, Problem
from ..numbers import CENT, ZERO, money
from ..snapshot import Snapshot
from ..specs.facts import VEHICLE_KINDS
from ..specs.performance import HEADINGS, KINDS
from ..specs.tables import gpb_basic, state_assets, three_public
from ..specs.tables.subject_tables import GPB_EXPENSE
from .checklist_base import Rule, cell_place, cell_value, fact, fact_entered, fact_place, fact_text, name_key
from .evaluate import tolerance

CAR_HOLDING = Rule(
    "rule.car_holding", WARNING, "公务用车保有量与国有资产车辆数一致",
    "“三公”经费相关统计数中的公务用车保有量（“三公”经费表的相关统计数，或补充数据）与国有资产占用的车辆数合计"
    "（版本含国有资产占用表时按该表，否则按补充数据中各类车辆之和，须每类都已填写）相同。",
)
OPERATING_COST = Rule(
    "rule.operating_cost", WARNING, "机关运行经费不超过公用经费",
    "补充数据中的机关运行经费（“无”按 0）不超过一般公共预算财政拨款基本支出明细的公用经费合计"
    f"（未列合计时按 {'、'.join(gpb_basic.PUBLIC_CLASSES)} 各类之和）；各地口径不同，故为提示。",
)
INITIAL_BUDGET = Rule(
    "rule.initial_budget_total", ERROR, "年初预算合计等于各项年初预算之和",
    "补充数据中的一般公共预算财政拨款支出年初预算合计，与一般公共预算财政拨款支出各项（只填了类时为各类）的年初预算之和相同"
    "（允许四舍五入尾差）；合计或任一项未填写时不检查。",
)
RECEPTION_SPLIT = Rule(
    "rule.reception_split", ERROR, "公务接待费等于国内与外宾接待支出之和",
    "“三公”经费表未列公务接待费明细时，补充数据中的国内公务接待支出与外宾接待支出之和等于“三公”经费表的公务接待费决算数"
    "（允许每项 0.01 万元尾差）。“三公”经费合计 = 各项之和由“三公”经费表的勾稽关系检查。",
)
PROCUREMENT_SPLIT = Rule(
    "rule.procurement_split", ERROR, "政府采购货物、工程、服务之和等于总额",
    "填写了政府采购支出总额时，货物、工程、服务支出之和（“无”按 0）等于总额，允许每项 0.01 万元尾差。",
)
PROCUREMENT_SME = Rule(
    "rule.procurement_sme", ERROR, "授予中小企业合同金额不超过政府采购总额",
    "授予中小企业合同金额不超过政府采购支出总额（未填写总额时按货物、工程、服务支出之和）。",
)
PROCUREMENT_MICRO = Rule(
    "rule.procurement_micro", ERROR, "授予小微企业合同金额不超过授予中小企业合同金额",
    "其中授予小微企业合同金额不超过授予中小企业合同金额。",
)
ENTITY_NAME = Rule(
    "rule.entity_name", WARNING, "各表的部门（单位）名称与公开主体一致",
    "每张决算表表头印的部门（单位）名称与本公开的部门（单位）名称相同（忽略空格、全角半角）；表头未印名称时不检查。",
)
EVALUATION_NUMBER = Rule(
    "rule.evaluation_number", ERROR, "绩效自评表的数字栏没有非数字",
    "第五部分 附件 绩效自评表中，资金金额、执行率、分值、得分、总分不是 NaN 或无穷大，偏差度、实际完成值、年度指标值"
    "不含 NaN、inf、∞ 或 Excel 错误值（#DIV/0!、#VALUE! 等）。",
)
RULES = (
    CAR_HOLDING, OPERATING_COST, INITIAL_BUDGET, RECEPTION_SPLIT, PROCUREMENT_SPLIT, PROCUREMENT_SME,
    PROCUREMENT_MICRO, ENTITY_NAME, EVALUATION_NUMBER,
)


def _count(value: Decimal) -> str:
    return f"{int(value)}"


# -- 三公 statistics against 国有资产 ---------------------------------------------------------


def car_holding(snapshot: Snapshot) -> list[Problem]:
    dataset = snapshot.dataset
    table = dataset.get(three_public.KEY)
    holding = cell_value(table, three_public.ROW, three_public.CAR_HOLDING)
    if holding is not None:
        holding_place = cell_place(dataset, table, three_public.ROW, three_public.CAR_HOLDING)
        sheet, cell, entered = table.sheet, table.cell(three_public.ROW, three_public.CAR_HOLDING), ""
    else:
        holding, holding_place, sheet, cell, entered = fact(snapshot, "car_holding"), fact_place("car_holding"), "", "", "car_holding"
    vehicles, vehicles_place = _vehicles(snapshot)
    if holding is None or vehicles is None or holding == vehicles:
        return []
    return [
        CAR_HOLDING.problem(
            where=holding_place,
            params={"holding": _count(holding), "vehicles": _count(vehicles), "vehicles_place": vehicles_place,
                    "fact": entered},
            sheet=sheet, cell=cell, table="" if entered else three_public.KEY, expected=_count(vehicles), found=_count(holding),
        )
    ]


def _vehicles(snapshot: Snapshot) -> tuple[Decimal | None, str]:
    """The number of vehicles: 国有资产占用情况表 when the version has it, else every kind entered."""
    dataset = snapshot.dataset
    table = dataset.get(state_assets.KEY)
    if table is not None:
        total = cell_value(table, state_assets.VEHICLES_ROW, state_assets.AMOUNT)
        if total is not None:
            return total, cell_place(dataset, table, state_assets.VEHICLES_ROW, state_assets.AMOUNT)
        kinds = [cell_value(table, row, state_assets.AMOUNT) for row in state_assets.VEHICLE_ROWS]
        if any(value is not None for value in kinds):
            return sum((v for v in kinds if v is not None), ZERO), f"{dataset.name_of(table)}各类车辆之和"
        return None, ""
    if not all(fact_entered(snapshot, "vehicles", code) for code, _ in VEHICLE_KINDS):
        return None, ""
    total = sum((fact(snapshot, "vehicles", code) for code, _ in VEHICLE_KINDS), ZERO)
    return total, fact_place("vehicles") + "各类车辆之和"


# -- 机关运行经费 against 公用经费 ------------------------------------------------------------


def operating_cost(snapshot: Snapshot) -> list[Problem]:
    amount = fact(snapshot, "operating_cost")
    dataset = snapshot.dataset
    table = dataset.get(gpb_basic.KEY)
    if amount is None or table is None:
        return []
    public = cell_value(table, gpb_basic.PUBLIC_TOTAL, gpb_basic.AMOUNT)
    if public is not None:
        public_place = cell_place(dataset, table, gpb_basic.PUBLIC_TOTAL, gpb_basic.AMOUNT)
    else:
        classes = [cell_value(table, code, gpb_basic.AMOUNT) for code in gpb_basic.PUBLIC_CLASSES]
        if all(value is None for value in classes):
            return []
        public = sum((v for v in classes if v is not None), ZERO)
        public_place = f"{dataset.name_of(table)}公用经费各类之和"
    if amount <= public:
        return []
    return [
        OPERATING_COST.problem(
            where=fact_place("operating_cost"),
            params={"fact": "operating_cost", "amount": fact_text(snapshot, "operating_cost"), "public": money(public), "public_place": public_place,
                    "difference": money(amount - public)},
            table=gpb_basic.KEY, expected=money(public), found=money(amount),
        )
    ]


# -- 年初预算 合计 against Σ项 ----------------------------------------------------------------


def initial_budget(snapshot: Snapshot) -> list[Problem]:
    total = fact(snapshot, "initial_budget_total")
    if total is None:
        return []
    entered = {code for key, code in snapshot.facts if key == "initial_budget" and code}
    if not entered:
        return []
    table = snapshot.dataset.get(GPB_EXPENSE)
    lengths = table.spec.code_lengths if table is not None else (min(len(c) for c in entered), max(len(c) for c in entered))
    # Per 项, or per 类 where only 类 were entered (as the draft of 五（三） reads them).
    level = max(lengths) if any(len(code) == max(lengths) for code in entered) else min(lengths)
    codes = {code for code in entered if len(code) == level}
    if table is not None:
        codes |= {code for code in table.lines if code.isdigit() and len(code) == level}
    if not all(fact_entered(snapshot, "initial_budget", code) for code in codes):
        return []  # an item not entered: the sum is not known
    parts = sum((fact(snapshot, "initial_budget", code) for code in codes), ZERO)
    allowed = tolerance(len(codes) + 1)
    if abs(parts - total) <= allowed:
        return []
    return [
        INITIAL_BUDGET.problem(
            where=fact_place("initial_budget_total"),
            params={"fact": "initial_budget_total", "total": fact_text(snapshot, "initial_budget_total"), "parts": money(parts), "count": len(codes),
                    "items_place": fact_place("initial_budget"), "difference": money(abs(parts - total))},
            table=GPB_EXPENSE, expected=money(parts), found=money(total),
        )
    ]


# -- 三公: 公务接待费 = 国内 + 外宾 (facts) ----------------------------------------------------


def reception_split(snapshot: Snapshot) -> list[Problem]:
    dataset = snapshot.dataset
    table = dataset.get(three_public.KEY)
    final_column = three_public.FINAL_COLUMN.format(item=three_public.RECEPTION_ITEM)
    reception = cell_value(table, three_public.ROW, final_column)
    printed = [cell_value(table, three_public.ROW, three_public.FINAL_COLUMN.format(item=i)) for i in three_public.RECEPTION_SPLIT]
    domestic, foreign = fact(snapshot, "reception_domestic_amount"), fact(snapshot, "reception_foreign_amount")
    if reception is None or domestic is None or foreign is None or any(value is not None for value in printed):
        return []  # the table prints the split: its own 勾稽关系 checks it
    parts = domestic + foreign
    if abs(parts - reception) <= 2 * CENT:
        return []
    return [
        RECEPTION_SPLIT.problem(
            where=cell_place(dataset, table, three_public.ROW, final_column),
            params={"reception": money(reception), "domestic": fact_text(snapshot, "reception_domestic_amount"),
                    "foreign": fact_text(snapshot, "reception_foreign_amount"), "parts": money(parts),
                    "domestic_place": fact_place("reception_domestic_amount"), "foreign_place": fact_place("reception_foreign_amount")},
            sheet=table.sheet, cell=table.cell(three_public.ROW, final_column), table=three_public.KEY,
            expected=money(parts), found=money(reception),
        )
    ]


# -- 政府采购 ----------------------------------------------------------------------------------

PROCUREMENT_PARTS = ("procurement_goods", "procurement_works", "procurement_services")


def procurement(snapshot: Snapshot) -> list[Problem]:
    problems = []
    parts = [fact(snapshot, key) for key in PROCUREMENT_PARTS]
    parts_sum = sum(parts, ZERO) if all(p is not None for p in parts) else None
    total = fact(snapshot, "procurement_total")
    if total is not None and parts_sum is not None and abs(parts_sum - total) > CENT * len(parts):
        problems.append(
            PROCUREMENT_SPLIT.problem(
                where=fact_place("procurement_total"),
                params={"fact": "procurement_total", "total": fact_text(snapshot, "procurement_total"), "parts": money(parts_sum),
                        "items": "、".join(f"{fact_place(k)} {fact_text(snapshot, k)}" for k in PROCUREMENT_PARTS)},
                expected=money(parts_sum), found=money(total),
            )
        )
    whole, whole_place = (total, fact_place("procurement_total")) if total is not None else (parts_sum, "货物、工程、服务支出之和")
    sme, micro = fact(snapshot, "procurement_sme"), fact(snapshot, "procurement_micro")
    if sme is not None and whole is not None and sme > whole:
        problems.append(
            PROCUREMENT_SME.problem(
                where=fact_place("procurement_sme"),
                params={"fact": "procurement_sme", "sme": fact_text(snapshot, "procurement_sme"), "total": money(whole), "total_place": whole_place},
                expected=money(whole), found=money(sme),
            )
        )
    if micro is not None and sme is not None and micro > sme:
        problems.append(
            PROCUREMENT_MICRO.problem(
                where=fact_place("procurement_micro"),
                params={"fact": "procurement_micro", "micro": fact_text(snapshot, "procurement_micro"), "sme": fact_text(snapshot, "procurement_sme"),
                        "sme_place": fact_place("procurement_sme")},
                expected=money(sme), found=money(micro),
            )
        )
    return problems


# -- the name each table prints ---------------------------------------------------------------


def entity_name(snapshot: Snapshot) -> list[Problem]:
    entity = getattr(snapshot, "entity", "") or ""
    if not entity:
        return []
    problems = []
    for table in snapshot.dataset.tables.values():
        printed = table.printed_entity
        if printed and name_key(printed) != name_key(entity):
            problems.append(
                ENTITY_NAME.problem(
                    where=snapshot.dataset.name_of(table),
                    params={"printed": printed, "entity": entity, "sheet": f"（工作表「{table.sheet}」）" if table.sheet else ""},
                    sheet=table.sheet, table=table.spec.key, expected=entity, found=printed,
                )
            )
    return problems


# -- 附件: numbers that are not numbers -------------------------------------------------------

NOT_A_NUMBER = re.compile(
    r"(?<![A-Za-z])(?:nan|[+-]?inf(?:inity)?)(?![A-Za-z])|∞|#(?:DIV/0!|VALUE!|REF!|NAME\?|NUM!|N/A|NULL!|SPILL!|CALC!)",
    re.IGNORECASE,
)
NOT_A_NUMBER_WORD = re.compile(r"\s*(?:none|null|undefined)\s*", re.IGNORECASE)
NUMERIC_TEXTS = ("deviation", "actual", "target")  # text fields that hold a number, a percentage or a target


def evaluation_numbers(snapshot: Snapshot) -> list[Problem]:
    problems = []
    for evaluation in snapshot.evaluations:
        table = f"第五部分 附件 {KINDS.get(evaluation.kind, '绩效自评表')}「{evaluation.name}」"
        rows = [(fund, fund.label, fund.DECIMALS, ()) for fund in evaluation.funds]
        rows += [(row, row.level3, row.DECIMALS, NUMERIC_TEXTS) for row in evaluation.indicators]
        for row, label, decimals, texts in rows:
            for field in decimals:
                value = getattr(row, field)
                if _not_finite(value):
                    problems.append(_not_a_number(evaluation, table, row.cell, label, field, str(value)))
            for field in texts:
                value = getattr(row, field) or ""
                if NOT_A_NUMBER.search(value) or (value and NOT_A_NUMBER_WORD.fullmatch(value)):
                    problems.append(_not_a_number(evaluation, table, row.cell, label, field, value))
        for field in evaluation.DECIMALS:
            value = getattr(evaluation, field)
            if _not_finite(value):
                problems.append(_not_a_number(evaluation, table, "", "总分", field.removeprefix("total_"), str(value)))
    return problems


def _not_finite(value) -> bool:
    return (isinstance(value, Decimal) and not value.is_finite()) or (isinstance(value, float) and not math.isfinite(value))


def _not_a_number(evaluation, table: str, cell: str, label: str, field: str, found: str) -> Problem:
    sheet = evaluation.sheet
    at = f"工作表「{sheet}」" if sheet else ""
    at += f"单元格 {cell} 所在行" if cell else ""
    return EVALUATION_NUMBER.problem(
        where=table,
        params={"row": f"「{label}」行" if label else "", "column": HEADINGS.get(field, field), "found": found,
                "at": f"（{at}）" if at else ""},
        sheet=sheet, cell=cell, table=evaluation.name, row=label, column=HEADINGS.get(field, field), found=found,
    )


CHECKS = (car_holding, operating_cost, initial_budget, reception_split, procurement, entity_name, evaluation_numbers)
