"""What a version must state before it is submitted (DOMAIN.md, "What the rules require"):

- the facts its sentences depend on: 机关运行经费, 政府采购, 国有资产 (vehicles, large
  equipment) where no table of the version holds them, and the 三公 statistics of the items it
  spent on. Each is either entered (a figure, or 「无」 chosen) or missing; an unknown fact is
  never drafted as zero (narrative.sections_other leaves the sentence out);
- the 主要原因 of each difference the draft states (决算 against 年初预算 per 项 and per 三公
  item, year-on-year in the overall, 一般公共预算, 三公 and 机关运行经费 sections): the written
  parts the builders declare `required`;
- 第一部分 概况: 职责, 机构设置 (or 单位构成) and 人员.

Each missing one is a finding of its own severity, 待填写 (services.findings), naming its field:
the version cannot be submitted until it is stated, and its page links to where. Pure."""

from __future__ import annotations

from ..importing.problems import MISSING, Problem
from ..snapshot import Snapshot
from ..specs.facts import CODE_LISTS, FACTS_BY_KEY, VEHICLE_KINDS
from ..specs.tables import state_assets
from .context import Context, Section
from .sections_other import NO_AMOUNTS, three_public_figures

FACT_MISSING = "narrative.fact_missing"
REASON_MISSING = "narrative.reason_missing"
PROFILE_MISSING = "narrative.profile_missing"
FACTS_TABLE = "facts"  # Finding.table of a missing fact: row = its key, column = its code
PROFILE_TABLE = "profile"

PROCUREMENT_PARTS = ("procurement_goods", "procurement_works", "procurement_services")
# 三公 statistics required when the item (stored amount key) was spent on.
THREE_PUBLIC_COUNTS = (
    ("abroad", ("abroad_groups", "abroad_people")),
    ("car_purchase", ("car_purchased",)),
    ("car", ("car_holding",)),
    ("reception_domestic", ("reception_domestic_batches", "reception_domestic_people")),
    ("reception_foreign", ("reception_foreign_batches", "reception_foreign_people")),
)
PROFILE_PARTS = (
    ("职责", ("duties",)),
    ("机构设置（或单位构成）", ("organisation", "internal_bodies", "units")),
    ("人员情况", ("staff_in_service", "staff_retired", "staff_other", "staff_notes")),
)


def missing_facts(ctx: Context) -> list[tuple[str, str]]:
    """(key, code) of every fact the draft needs and nobody stated."""
    needed: list[tuple[str, str]] = [("operating_cost", "")]
    needed += [(key, "") for key in PROCUREMENT_PARTS]
    if any(ctx.fact(key) for key in PROCUREMENT_PARTS):
        needed.append(("procurement_sme", ""))
    if ctx.table(state_assets.KEY) is None:
        needed += [("vehicles", code) for code, _ in VEHICLE_KINDS] + [("equipment_over_1m", "")]
    amounts, counts = three_public_figures(ctx)
    for item, keys in THREE_PUBLIC_COUNTS:
        if amounts.get(item, NO_AMOUNTS)[1]:
            needed += [(key, "") for key in keys if counts.get(key) is None]
    reception = amounts.get("reception", NO_AMOUNTS)[1]
    if reception and amounts.get("reception_domestic", NO_AMOUNTS)[1] is None and amounts.get("reception_foreign", NO_AMOUNTS)[1] is None:
        needed.append(("reception_domestic_amount", ""))  # how the 公务接待费 divides
    return [(key, code) for key, code in dict.fromkeys(needed) if not ctx.stated(key, code)]


def fact_label(key: str, code: str) -> str:
    fact = FACTS_BY_KEY[key]
    code_label = dict(CODE_LISTS.get(fact.per, ())).get(code, code)
    return f"{fact.label}：{code_label}" if code else fact.label


def requirement_problems(snapshot: Snapshot, ctx: Context, sections: list[Section]) -> list[Problem]:
    problems = [
        Problem(MISSING, FACT_MISSING, {"label": fact_label(key, code)}, table=FACTS_TABLE, row=key, column=code)
        for key, code in missing_facts(ctx)
    ]

    def walk(items: list[Section]):
        for section in items:
            for written in section.fields:
                if written.required and not written.text:
                    problems.append(
                        Problem(
                            MISSING, REASON_MISSING, {"where": f"{section.heading}·{written.label}"},
                            table="narrative", row=section.key, column=written.key,
                        )
                    )
            walk(section.subsections)

    walk(sections)
    profile = snapshot.profile
    for label, names in PROFILE_PARTS:
        if not any(getattr(profile, name) not in (None, "", [], ()) for name in names):
            problems.append(Problem(MISSING, PROFILE_MISSING, {"part": label}, table=PROFILE_TABLE, row=names[0]))
    return problems
