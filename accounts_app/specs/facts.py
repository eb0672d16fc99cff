"""The extra facts of a version: figures a disclosure's text quotes that the tables do not
hold (DOMAIN.md, 情况说明). One declarative list, read by the forms (one field per fact and
code), the drafts of 第三部分, the consistency check and the exports.

A fact `per` a code list is entered once per code: `subject_items` are the 功能分类 项 of
the version's 一般公共预算财政拨款支出决算表, `three_public_items` the 三公 items,
`vehicle_kinds` the kinds of 公务用车. Where a table of the version holds the same figure
(the row-oriented 三公 table with 年初预算数 and 相关统计数, 公开10 国有资产占用情况表),
the drafts read the table and the fact is not asked for."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


NIL = "无"  # how a fact is stated not to exist (stored as a row without a value; unknown is no row)


class FactKind(str, Enum):
    AMOUNT = "amount"  # 万元, two decimals
    COUNT = "count"  # 个、人、辆、台（套）


THREE_PUBLIC_ITEMS = (
    ("abroad", "因公出国（境）费"),
    ("car_purchase", "公务用车购置费"),
    ("car_operation", "公务用车运行维护费"),
    ("reception", "公务接待费"),
)
VEHICLE_KINDS = (
    ("provincial", "省级领导干部用车"),
    ("leaders", "主要领导干部用车"),
    ("confidential", "机要通信用车"),
    ("emergency", "应急保障用车"),
    ("enforcement", "执法执勤用车"),
    ("special", "特种专业技术用车"),
    ("retired", "离退休干部用车"),
    ("other", "其他用车"),
)
CODE_LISTS = {"three_public_items": THREE_PUBLIC_ITEMS, "vehicle_kinds": VEHICLE_KINDS}


@dataclass(frozen=True)
class FactSpec:
    key: str
    label: str
    group: str
    kind: FactKind = FactKind.AMOUNT
    per: str = ""  # "", "subject_items", "three_public_items", "vehicle_kinds"
    help: str = ""
    unit: str = ""  # for counts: 个、人、辆、台（套）

    @property
    def is_amount(self) -> bool:
        return self.kind is FactKind.AMOUNT


G_BUDGET = "年初预算"
G_OPERATING = "机关运行经费"
G_PROCUREMENT = "政府采购"
G_ASSETS = "国有资产占用"
G_THREE_PUBLIC = "“三公”经费统计数"
G_LAST_YEAR = "上年度数据（上年决算未在本平台公开时填写）"

FACTS = (
    FactSpec("initial_budget", "一般公共预算财政拨款支出年初预算（按项）", G_BUDGET, per="subject_items"),
    FactSpec("initial_budget_total", "一般公共预算财政拨款支出年初预算合计", G_BUDGET, help="不填时按各项年初预算相加。"),
    FactSpec("fund_initial_budget", "政府性基金预算财政拨款支出年初预算", G_BUDGET),
    FactSpec("capital_initial_budget", "国有资本经营预算财政拨款支出年初预算", G_BUDGET),
    FactSpec("three_public_initial_budget", "“三公”经费年初预算", G_BUDGET, per="three_public_items",
             help="表09 预算数为全年预算数；此处填年初预算，未填时按全年预算数说明。"),
    FactSpec("operating_cost", "机关运行经费支出", G_OPERATING),
    FactSpec("operating_cost_last_year", "上年度机关运行经费支出", G_OPERATING),
    FactSpec("procurement_goods", "政府采购货物支出", G_PROCUREMENT),
    FactSpec("procurement_works", "政府采购工程支出", G_PROCUREMENT),
    FactSpec("procurement_services", "政府采购服务支出", G_PROCUREMENT),
    FactSpec("procurement_total", "政府采购支出总额", G_PROCUREMENT,
             help="不填时按货物、工程、服务支出相加（按元汇总再换算为万元时，三项之和可能有尾差）。"),
    FactSpec("procurement_sme", "授予中小企业合同金额", G_PROCUREMENT),
    FactSpec("procurement_micro", "其中：授予小微企业合同金额", G_PROCUREMENT),
    FactSpec("vehicles", "车辆（按用途）", G_ASSETS, FactKind.COUNT, per="vehicle_kinds", unit="辆"),
    FactSpec("equipment_over_1m", "单位价值100万元（含）以上设备", G_ASSETS, FactKind.COUNT, unit="台（套）"),
    FactSpec("abroad_groups", "因公出国（境）团组数", G_THREE_PUBLIC, FactKind.COUNT, unit="个"),
    FactSpec("abroad_people", "因公出国（境）人次数", G_THREE_PUBLIC, FactKind.COUNT, unit="人"),
    FactSpec("car_purchased", "公务用车购置数", G_THREE_PUBLIC, FactKind.COUNT, unit="辆"),
    FactSpec("car_holding", "公务用车保有量（期末）", G_THREE_PUBLIC, FactKind.COUNT, unit="辆"),
    FactSpec("reception_foreign_amount", "外宾接待支出", G_THREE_PUBLIC),
    FactSpec("reception_foreign_batches", "接待国（境）外来访团组", G_THREE_PUBLIC, FactKind.COUNT, unit="个"),
    FactSpec("reception_foreign_people", "接待来访外宾人次", G_THREE_PUBLIC, FactKind.COUNT, unit="人次"),
    FactSpec("reception_domestic_amount", "国内公务接待支出", G_THREE_PUBLIC),
    FactSpec("reception_domestic_batches", "接待国内来访团组", G_THREE_PUBLIC, FactKind.COUNT, unit="个"),
    FactSpec("reception_domestic_people", "接待国内来宾人次", G_THREE_PUBLIC, FactKind.COUNT, unit="人次"),
    FactSpec("last_grand_total", "上年度收、支总计", G_LAST_YEAR),
    FactSpec("last_income_total", "上年度收入合计", G_LAST_YEAR),
    FactSpec("last_expense_total", "上年度支出合计", G_LAST_YEAR),
    FactSpec("last_fiscal_grand_total", "上年度财政拨款收、支总计", G_LAST_YEAR),
    FactSpec("last_general_expense", "上年度一般公共预算财政拨款支出", G_LAST_YEAR),
    FactSpec("last_basic", "上年度一般公共预算财政拨款基本支出", G_LAST_YEAR),
    FactSpec("last_three_public", "上年度“三公”经费支出", G_LAST_YEAR),
)
FACTS_BY_KEY = {fact.key: fact for fact in FACTS}
GROUPS = tuple(dict.fromkeys(fact.group for fact in FACTS))
