"""The sections of 情况说明 beyond the main tables: “三公”经费 (from whichever form of its table,
the facts filling what the form does not print), 机关运行经费, 政府采购, 国有资产占用 and
预算绩效管理."""

from __future__ import annotations

from decimal import Decimal

from ..numbers import ZERO, cents, in_text
from ..specs.facts import VEHICLE_KINDS
from ..specs.tables import state_assets
from ..specs.tables.three_public import KEY as THREE_PUBLIC
from ..specs.tables.three_public import ROW as THREE_PUBLIC_ROW
from ..specs.tables.three_public import STATISTICS as THREE_PUBLIC_STATISTICS_LABELS
from .context import Builder, Context
from .phrases import change, completion, listing, with_share

NO_AMOUNTS = (None, None)  # (budget, final) of a 三公 item the tables do not give


THREE_PUBLIC_PARTS = (
    ("abroad", "因公出国（境）费"),
    ("car", "公务用车购置及运行维护费"),
    ("reception", "公务接待费"),
)
THREE_PUBLIC_STATISTICS = tuple(key for key, _ in THREE_PUBLIC_STATISTICS_LABELS)
THREE_PUBLIC_AMOUNTS = ("total", "abroad", "car", "car_purchase", "car_operation", "reception", "reception_domestic", "reception_foreign")


def three_public_figures(ctx: Context):
    """{item: (budget, final)} and the counts, from the stored 三公 table (whichever form the
    department printed), the facts filling what its form does not print."""
    amounts, counts = {}, {}
    if ctx.table(THREE_PUBLIC) is not None:
        for item in THREE_PUBLIC_AMOUNTS:
            amounts[item] = (ctx.value(THREE_PUBLIC, THREE_PUBLIC_ROW, f"budget_{item}"), ctx.value(THREE_PUBLIC, THREE_PUBLIC_ROW, f"final_{item}"))
        for key in THREE_PUBLIC_STATISTICS:
            counts[key] = ctx.value(THREE_PUBLIC, THREE_PUBLIC_ROW, key)
    for key in THREE_PUBLIC_STATISTICS:
        if counts.get(key) is None and ctx.stated(key):
            counts[key] = ctx.amount(key)
    for key, item in (("reception_foreign_amount", "reception_foreign"), ("reception_domestic_amount", "reception_domestic")):
        if amounts.get(item, NO_AMOUNTS)[1] is None and ctx.stated(key):
            amounts[item] = (None, ctx.amount(key))
    return amounts, counts


def _three_public_initial(ctx: Context, item: str) -> Decimal | None:
    """An item's 年初预算数: as its form prints it, else as entered."""
    printed = ctx.value(THREE_PUBLIC, THREE_PUBLIC_ROW, f"initial_{item}")
    return printed if printed is not None else ctx.fact("three_public_initial_budget", item)


def _count(value: Decimal) -> str:
    return f"{int(value)}"


def _counted(counts: dict, *parts: tuple[str, str, str]) -> str:
    """“因公出国（境）团组数 2 个，…” from (before, count key, after) parts; "" when a count the
    sentence needs is unknown (an unknown count is never printed as 0)."""
    if any(counts.get(key) is None for _, key, _ in parts):
        return ""
    return "".join(f"{before}{_count(counts[key])}{after}" for before, key, after in parts)


def _versus_budget(budget: Decimal | None, final: Decimal | None, b: Builder, key: str, label: str) -> str:
    if budget is None or final is None or budget == final:
        return "决算数与预算数不存在差异。" if budget is not None else ""
    relation = "大于" if final > budget else "小于"
    return b.written(key, f"{label}：决算数与预算数差异原因", f"决算数{relation}预算数的主要原因是", required=b.ctx.needs_reason(final, budget))


def three_public(ctx: Context, b: Builder) -> None:
    amounts, counts = three_public_figures(ctx)
    budget, final = amounts.get("total", NO_AMOUNTS)
    whole = b.sub("overall", "“三公”经费财政拨款支出决算总体情况说明")
    if not amounts or (not budget and not final):
        whole.say(
            f"{ctx.year} 年度“三公”经费财政拨款支出预算为 {in_text(budget or ZERO)} 万元，"
            f"支出决算为 {in_text(final or ZERO)} 万元。{ctx.subject} {ctx.year} 年度无“三公”经费财政拨款支出。"
        )
    else:
        whole.say(
            f"{ctx.year} 年度“三公”经费财政拨款支出" + completion(budget, final, of="预算"),
            _versus_budget(budget, final, whole, "reason", "“三公”经费"),
            change("“三公”经费财政拨款支出决算", final, last := ctx.last.get("last_three_public"), against="与上年度相比，"),
            whole.written("change_reason", "“三公”经费：与上年度相比的变化原因", "主要原因是", required=ctx.needs_reason(final, last)),
        )
    detail = b.sub("detail", "“三公”经费财政拨款支出决算具体情况说明")
    shares = []
    for item, label in THREE_PUBLIC_PARTS:
        item_final = amounts.get(item, NO_AMOUNTS)[1] or ZERO
        shares.append(with_share(f"{label}支出决算 {in_text(item_final)} 万元", item_final, final))
    detail.say(f"{ctx.year} 年度“三公”经费财政拨款支出决算中，{listing(shares)}。具体情况如下：")
    for number, (item, label) in enumerate(THREE_PUBLIC_PARTS, 1):
        item_budget, item_final = amounts.get(item, NO_AMOUNTS)
        initial = _three_public_initial(ctx, item) if item != "car" else None
        lines = [f"{number}. {label}" + completion(item_budget if item_budget is not None else ZERO, item_final, of="预算")]
        if initial is not None:
            lines.append(f"年初预算为 {in_text(initial)} 万元。")
        lines.append(_versus_budget(item_budget, item_final, detail, f"reason_{item}", label))
        if item == "abroad":
            lines.append(_counted(counts, ("因公出国（境）团组数 ", "abroad_groups", " 个，"), ("因公出国（境）人次数 ", "abroad_people", " 人。")))
        elif item == "car":
            purchase = amounts.get("car_purchase", NO_AMOUNTS)[1] or ZERO
            operation = amounts.get("car_operation", NO_AMOUNTS)[1] or ZERO
            lines.append(
                f"其中：公务用车购置支出 {in_text(purchase)} 万元"
                + _counted(counts, ("，购置车辆 ", "car_purchased", " 辆"))
                + f"；公务用车运行维护支出 {in_text(operation)} 万元。"
                + _counted(counts, (f"{ctx.year} 年期末，公务用车保有量为 ", "car_holding", " 辆。"))
            )
        else:
            foreign = amounts.get("reception_foreign", NO_AMOUNTS)[1]
            domestic = amounts.get("reception_domestic", NO_AMOUNTS)[1]
            if foreign is not None:
                lines.append(
                    f"其中：外宾接待支出 {in_text(foreign)} 万元"
                    + (_counted(counts, ("，共接待国（境）外来访团组 ", "reception_foreign_batches", " 个、"), ("来访外宾 ", "reception_foreign_people", " 人次")))
                    + "。"
                )
            if domestic is not None:
                lines.append(
                    f"国内公务接待支出 {in_text(domestic)} 万元"
                    + _counted(counts, ("，共接待国内来访团组 ", "reception_domestic_batches", " 个、"), ("来宾 ", "reception_domestic_people", " 人次"))
                    + "。"
                )
        detail.say(*lines)


def operating(ctx: Context, b: Builder) -> None:
    if ctx.nil("operating_cost"):
        b.say(f"{ctx.year} 年度{ctx.subject}无机关运行经费支出。")
        return
    amount, last = ctx.fact("operating_cost"), ctx.amount("operating_cost_last_year")
    if amount is None:
        return  # unknown: not drafted (and the version cannot be submitted, narrative.requirements)
    compared = "，" + change("", amount, last, against=f"比 {ctx.year - 1} 年度") if last is not None else "。"
    b.say(
        f"{ctx.year} 年度机关运行经费支出 {in_text(amount)} 万元" + compared,
        b.written("reason", "机关运行经费：主要原因", "主要原因是", required=ctx.needs_reason(amount, last)),
    )


def procurement(ctx: Context, b: Builder) -> None:
    kinds = (("procurement_goods", "政府采购货物支出"), ("procurement_works", "政府采购工程支出"), ("procurement_services", "政府采购服务支出"))
    if not all(ctx.stated(key) for key, _ in kinds):
        return  # a part unknown: not drafted (narrative.requirements lists it)
    if all(ctx.nil(key) for key, _ in kinds):
        b.say(f"{ctx.year} 年度{ctx.subject}无政府采购支出。")
        return
    values = {key: ctx.amount(key) for key, _ in kinds}
    total = ctx.amount("procurement_total")
    if total is None:
        total = sum(values.values(), ZERO)
    sme, micro = ctx.amount("procurement_sme"), ctx.amount("procurement_micro")
    parts = "、".join(f"{label} {in_text(values[key])} 万元" for key, label in kinds)
    sentences = [f"{ctx.year} 年度政府采购支出总额 {in_text(total)} 万元，其中：{parts}。"]
    if sme is not None:
        sentences.append(with_share(f"授予中小企业合同金额 {in_text(sme)} 万元", sme, total, "政府采购支出总额的"))
        if micro is not None:
            sentences.append(with_share(f"，其中：授予小微企业合同金额 {in_text(micro)} 万元", micro, sme, "授予中小企业合同金额的"))
        sentences.append("。")
    b.say(*sentences, b.written("reason", "政府采购：说明", ""))


def assets(ctx: Context, b: Builder) -> None:
    table = ctx.table(state_assets.KEY)
    if table is not None:
        total = ctx.value(state_assets.KEY, "1", "amount")
        kinds = [(row.label.split(".", 1)[-1], ctx.value(state_assets.KEY, row.key, "amount")) for row in state_assets.ROWS[1:9]]
        equipment = ctx.value(state_assets.KEY, "10", "amount")
    else:
        stated = [ctx.stated("vehicles", code) for code, _ in VEHICLE_KINDS] + [ctx.stated("equipment_over_1m")]
        if not all(stated):
            return  # a count unknown: not drafted (narrative.requirements lists it)
        kinds = [(label, ctx.amount("vehicles", code)) for code, label in VEHICLE_KINDS]
        equipment = ctx.amount("equipment_over_1m")
        if ctx.nil("equipment_over_1m") and all(ctx.nil("vehicles", code) for code, _ in VEHICLE_KINDS):
            b.say(f"{ctx.year} 年期末，{ctx.subject}无车辆和单位价值 100 万元（含）以上设备。")
            return
        total = sum((v for _, v in kinds), Decimal(0))
    listed = "、".join(f"{label} {_count(v or 0)} 辆" for label, v in kinds)
    b.say(
        f"截至 {ctx.year} 年 12 月 31 日，{ctx.subject}共有车辆 {_count(total or 0)} 辆，其中：{listed}；"
        f"单位价值 100 万元（含）以上设备 {_count(equipment or 0)} 台（套）。",
        b.written("reason", "国有资产占用：说明", ""),
    )


def performance(ctx: Context, b: Builder) -> None:
    management = b.sub("management", "绩效管理工作开展情况")
    management.say(management.written("text", "绩效管理工作开展情况", "", required=True))
    results = b.sub("results", "绩效自评结果")
    projects = [e for e in ctx.evaluations if e.kind == "project"]
    overall = [e for e in ctx.evaluations if e.kind == "overall"]
    scored = [e.total_score for e in projects if e.total_score is not None]
    if projects:
        average = cents(sum(scored) / len(scored)) if scored else None
        results.say(
            f"{ctx.subject}对 {len(projects)} 个项目开展了绩效自评"
            + (f"，项目支出绩效自评平均得分 {average} 分" if average is not None else "")
            + "。"
            + (f"部门整体支出绩效自评得分 {overall[0].total_score} 分。" if overall and overall[0].total_score is not None else "")
            + f"{ctx.year} 年度绩效自评表详见“第五部分 附件”。"
        )
    results.say(results.written("text", "绩效自评结果", "", required=not projects and not overall))
    key = b.sub("key_evaluation", "重点绩效评价结果")
    key.say(key.written("text", "重点绩效评价结果（未开展的，写明“未开展重点绩效评价”）", ""))
