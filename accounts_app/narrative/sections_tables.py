"""The sections of 情况说明 drawn from the tables: 收入支出决算总体情况, 收入, 支出, 财政拨款收入支出,
一般公共预算财政拨款支出 (总体, 结构, 具体), 基本支出, 政府性基金 and 国有资本经营预算.
Each builder writes one section from the `Context`; a section without data says so in the
standard “无…” sentence."""

from __future__ import annotations

from decimal import Decimal

from ..dataset import TableData
from ..numbers import ZERO, in_text
from ..specs import TOTAL_ROW
from ..specs.tables import gpb_basic
from ..specs.tables.fiscal_income_expense import FUNDS
from ..specs.tables.fiscal_income_expense import KEY as FISCAL
from ..specs.tables.income_expense import KEY as INCOME_EXPENSE
from ..specs.tables.subject_tables import EXPENSE, FUND_STATED, GOV_FUND, GPB_EXPENSE, INCOME, SOE_CAPITAL
from .context import Builder, Context, labelled
from .phrases import change, completion, listing, with_share


def _grand_totals(
    ctx: Context, b: Builder, what: str, income: Decimal | None, expense: Decimal | None, last: str, reason_label: str
) -> None:
    """“2023 年度{what}收、支总计均为 … 万元。与上年度相比，…。主要原因是……” (一 and 四)."""
    both = income == expense
    if both:
        first = f"{ctx.year} 年度{what}收、支总计均为 {in_text(income)} 万元。"
    else:
        first = f"{ctx.year} 年度{what}收入总计 {in_text(income or ZERO)} 万元，支出总计 {in_text(expense or ZERO)} 万元。"
    label = f"{what}收、支总计" if both else f"{what}收入总计"
    previous = ctx.last.get(last)
    required = ctx.needs_reason(income, previous)
    b.say(first, change(label, income, previous, both=both), b.written("reason", reason_label, "主要原因是", required=required))


INCOME_PARTS = ("本年收入合计", "使用非财政拨款结余（含专用结余）", "年初结转和结余")
EXPENSE_PARTS = ("本年支出合计", "结余分配", "年末结转和结余")


def overview(ctx: Context, b: Builder) -> None:
    income_grand, expense_grand = ctx.figure("income_grand"), ctx.figure("expense_grand")
    if income_grand is None and expense_grand is None:
        b.say(f"{ctx.year} 年度{ctx.subject}无收入、支出。")
        return
    _grand_totals(ctx, b, "", income_grand, expense_grand, "last_grand_total", "总体情况：主要原因")
    if ctx.table(INCOME_EXPENSE) is not None:

        def amounts(labels, block):
            return "、".join(f"{label} {in_text(labelled(ctx, INCOME_EXPENSE, label, block) or ZERO)} 万元" for label in labels)

        b.say(f"收入总计中，{amounts(INCOME_PARTS, 0)}；支出总计中，{amounts(EXPENSE_PARTS, 1)}。")


def _columns_of_total(ctx: Context, key: str, total: Decimal) -> list[str]:
    """“财政拨款收入 373.64 万元，占 100.00%” for each column of a 合计 row (blank reads 0.00)."""
    table = ctx.table(key)
    if table is None:
        return []
    parts = []
    for column in table.spec.blocks[0].value_columns:
        if column.key != "total":
            amount = ctx.value(key, TOTAL_ROW, column.key) or ZERO
            parts.append(with_share(f"{column.label} {in_text(amount)} 万元", amount, total))
    return parts


def _total_of(ctx: Context, figure: str, key: str) -> Decimal | None:
    total = ctx.figure(figure)
    return total if total is not None else ctx.value(key, TOTAL_ROW, "total")


def income(ctx: Context, b: Builder) -> None:
    total = _total_of(ctx, "income_total", INCOME)
    if total is None:
        b.say(f"{ctx.year} 年度{ctx.subject}无收入。")
        return
    sources = _columns_of_total(ctx, INCOME, total)
    b.say(
        f"{ctx.year} 年度收入合计 {in_text(total)} 万元。",
        change("收入合计", total, ctx.last.get("last_income_total")),
        f"其中：{listing(sources)}。" if sources else "",
        b.written("reason", "收入：说明", ""),
    )


def expense(ctx: Context, b: Builder) -> None:
    total = _total_of(ctx, "expense_total", EXPENSE)
    if total is None:
        b.say(f"{ctx.year} 年度{ctx.subject}无支出。")
        return
    parts = _columns_of_total(ctx, EXPENSE, total)
    table = ctx.table(EXPENSE)
    subjects = [
        line.label for code, line in (table.lines.items() if table else ()) if len(code) == 7 and ctx.value(EXPENSE, code, "total")
    ]
    b.say(
        f"{ctx.year} 年度支出合计 {in_text(total)} 万元。",
        change("支出合计", total, ctx.last.get("last_expense_total")),
        f"其中：{listing(parts)}。" if parts else "",
        f"主要使用{'、'.join(dict.fromkeys(subjects))}等科目。" if subjects else "",
        b.written("reason", "支出：说明", ""),
    )


def fiscal(ctx: Context, b: Builder) -> None:
    income_grand = labelled(ctx, FISCAL, "总计", 0)
    expense_grand = labelled(ctx, FISCAL, "总计", 1, "total")
    if income_grand is None and expense_grand is None:
        b.say(f"{ctx.year} 年度{ctx.subject}无财政拨款收入、支出。")
        return
    _grand_totals(ctx, b, "财政拨款", income_grand, expense_grand, "last_fiscal_grand_total", "财政拨款总体：主要原因")
    funds = [f"{fund}收入 {in_text(ctx.value(FISCAL, str(i + 1), 'amount') or ZERO)} 万元" for i, fund in enumerate(FUNDS)]
    b.say(f"财政拨款收入中，{'，'.join(funds)}。")


def _class_label(label: str) -> str:
    """“社会保障和就业支出” → “社会保障和就业（类）支出” as the seeds print it."""
    label = label.replace("（类）", "")
    return label.removesuffix("支出") + "（类）支出"


def _item_label(table: TableData, code: str) -> str:
    """“社会保障和就业支出（类）行政事业单位养老支出（款）事业单位离退休（项）”."""
    parts = []
    for length, level in ((3, "类"), (5, "款"), (7, "项")):
        if len(code) >= length:
            line = table.lines.get(code[:length])
            name = (line.label if line else code[:length]).replace(f"（{level}）", "")
            parts.append(f"{name}（{level}）")
    return "".join(parts)


def gpb(ctx: Context, b: Builder) -> None:
    table = ctx.table(GPB_EXPENSE)
    total = ctx.value(GPB_EXPENSE, TOTAL_ROW, "total")
    if table is None or total is None:
        b.say(f"{ctx.year} 年度{ctx.subject}无一般公共预算财政拨款支出。")
        return
    expense_total = ctx.figure("expense_total")
    basic, project = ctx.value(GPB_EXPENSE, TOTAL_ROW, "basic"), ctx.value(GPB_EXPENSE, TOTAL_ROW, "project")

    whole = b.sub("overall", "总体情况")
    whole.say(
        with_share(f"{ctx.year} 年度一般公共预算财政拨款支出 {in_text(total)} 万元", total, expense_total, "支出合计的") + "。",
        change("一般公共预算财政拨款支出", total, last := ctx.last.get("last_general_expense")),
        whole.written("reason", "一般公共预算财政拨款支出总体：主要原因", "主要原因是", required=ctx.needs_reason(total, last)),
    )

    structure = b.sub("structure", "结构情况")
    classes = []
    for code, line in table.lines.items():
        amount = ctx.value(GPB_EXPENSE, code, "total")
        if len(code) == 3 and amount is not None:
            classes.append(with_share(f"{_class_label(line.label)} {in_text(amount)} 万元", amount, total))
    structure.say(
        f"{ctx.year} 年度一般公共预算财政拨款支出 {in_text(total)} 万元，主要用于以下方面：{listing(classes)}。" if classes else "",
        structure.written("uses", "一般公共预算财政拨款支出结构：主要用于", "主要用于"),
    )

    detail = b.sub("detail", "具体情况")
    item_budgets = {code: v or ZERO for (key, code), v in ctx.facts.items() if key == "initial_budget" and code}  # 无: 0
    level = 3 if item_budgets and not any(len(code) == 7 for code in item_budgets) else 7  # per 项, or per 类
    budget = ctx.fact("initial_budget_total")
    if budget is None and item_budgets:
        budget = sum((v for c, v in item_budgets.items() if len(c) == level), ZERO)
    split = f"其中：基本支出 {in_text(basic)} 万元，项目支出 {in_text(project)} 万元。" if basic is not None and project is not None else ""
    detail.say(
        f"{ctx.year} 年度一般公共预算财政拨款支出" + completion(budget, total) if budget is not None
        else f"{ctx.year} 年度一般公共预算财政拨款支出 {in_text(total)} 万元。",
        split,
        detail.written("uses", "一般公共预算财政拨款支出具体情况：主要用于和成效", ""),
    )
    codes = [code for code in table.lines if len(code) == level]
    codes += [code for code in item_budgets if len(code) == level and code not in table.lines]
    for number, code in enumerate(codes, 1):
        final = ctx.value(GPB_EXPENSE, code, "total") or ZERO
        item_budget = item_budgets.get(code)
        label = _item_label(table, code)
        sentence = f"{number}. {label}。" + completion(item_budget, final)
        if item_budget is None:
            detail.say(sentence)
        elif item_budget == final:
            detail.say(sentence, "决算数与年初预算数不存在差异。")
        else:
            relation = "大于" if final > item_budget else "小于"
            detail.say(
                sentence,
                detail.written(f"reason_{code}", f"{code} {label}：差异原因", f"决算数{relation}年初预算数的主要原因是", required=ctx.needs_reason(final, item_budget)),
            )


def _economic_names(table: TableData, classes: tuple[str, ...]) -> list[str]:
    return [
        line.label for code, line in table.lines.items()
        if len(code) == 5 and code[:3] in classes and line.values.get("amount")
    ]


def basic(ctx: Context, b: Builder) -> None:
    table = ctx.table(gpb_basic.KEY)
    total = ctx.value(GPB_EXPENSE, TOTAL_ROW, "basic")
    if table is None and total is None:
        b.say(f"{ctx.year} 年度{ctx.subject}无一般公共预算财政拨款基本支出。")
        return
    personnel = ctx.value(gpb_basic.KEY, gpb_basic.PERSONNEL_TOTAL, "amount")
    public = ctx.value(gpb_basic.KEY, gpb_basic.PUBLIC_TOTAL, "amount")
    if total is None and personnel is not None and public is not None:
        total = personnel + public
    parts, by_class = [], []
    if table is not None:
        for label, amount, classes in (
            ("人员经费", personnel, gpb_basic.PERSONNEL_CLASSES),
            ("公用经费", public, gpb_basic.PUBLIC_CLASSES),
        ):
            if amount is not None:
                names = _economic_names(table, classes)
                parts.append(f"{label} {in_text(amount)} 万元" + (f"，主要包括：{'、'.join(names)}" if names else ""))
        by_class = [
            f"{line.label} {in_text(line.values['amount'])} 万元"
            for code, line in table.lines.items() if len(code) == 3 and line.values.get("amount") is not None
        ]
    b.say(
        f"{ctx.year} 年度一般公共预算财政拨款基本支出 {in_text(total or 0)} 万元。",
        change("基本支出", total, ctx.last.get("last_basic")),
        f"其中：{listing(parts)}。" if parts else "",
    )
    if by_class:
        b.say(f"按经济分类，{'，'.join(by_class)}。", b.written("reason", "基本支出：说明", ""))


def _budget_fund(ctx: Context, b: Builder, key: str, name: str, budget_fact: str) -> None:
    """七 政府性基金 / 八 国有资本经营: the table's totals and 类, or the 无 sentence. In a
    table that is used, a blank 结转和结余 reads as 0.00."""
    table = ctx.table(key)
    final = ctx.value(key, TOTAL_ROW, "total")
    budget = ctx.fact(budget_fact)
    columns = [c for c in table.spec.value_columns if c.key in FUND_STATED] if table else []
    if table is None or not any(ctx.value(key, TOTAL_ROW, c.key) for c in columns):
        b.say(
            f"{ctx.year} 年度{name}支出" + completion(budget, final) if budget is not None else "",
            f"{ctx.subject} {ctx.year} 年度没有使用{name}安排的支出。",
        )
        return

    def amount(column: str) -> str:
        return in_text(ctx.value(key, TOTAL_ROW, column) or ZERO)

    b.say(
        f"{ctx.year} 年度{name}" + "，".join(f"{c.group or c.label} {amount(c.key)} 万元" for c in columns) + "。",
        f"{name}支出" + completion(budget, final) if budget is not None else "",
    )
    classes = [
        f"{_class_label(line.label)}决算为 {in_text(ctx.value(key, code, 'total'))} 万元"
        for code, line in table.lines.items() if len(code) == 3 and ctx.value(key, code, "total") is not None
    ]
    if classes:
        b.say(f"具体支出情况为：{listing(classes)}。", b.written("uses", f"{name}：主要用于", "主要用于"))


def gov_fund(ctx: Context, b: Builder) -> None:
    _budget_fund(ctx, b, GOV_FUND, "政府性基金预算财政拨款", "fund_initial_budget")


def soe(ctx: Context, b: Builder) -> None:
    """Either form of the table: 支出 only (older order) or 收入支出 (newer order)."""
    table = ctx.dataset.family(SOE_CAPITAL)
    key = table.spec.key if table is not None else SOE_CAPITAL
    _budget_fund(ctx, b, key, "国有资本经营预算财政拨款", "capital_initial_budget")


# The 三公 items the 情况说明 describes: item key (of the stored table and of the facts), label.
