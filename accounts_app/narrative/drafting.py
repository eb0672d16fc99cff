"""第三部分 情况说明, drafted from the figures of a version and its extra facts.

Every number in a draft comes from a table, an extra fact (specs/facts.py) or last year's
published disclosure; people only write the parts a table cannot know (主要原因, 主要用于,
成效), declared as `WrittenField`s and merged into the paragraphs where they belong. The
phrasing follows the seeds: “2023 年度收、支总计均为 373.64 万元。与上年度相比，收、支总计
各增加 34.22 万元，增长 10.08%。主要原因是……”; shares to two decimals; “持平” when equal;
a 完成年初预算% only where there is a 年初预算; the standard “无…” sentence where a section
has no data.

Drafts are recomputed on every read of a draft version (figures and facts may change; the
written text is kept apart and merged in) and frozen into `Version.narrative_sections` at
publication, so a published text never changes."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ..dataset import Dataset, TableData
from ..specs import TOTAL_ROW
from ..specs.facts import VEHICLE_KINDS
from ..specs.key_figures import key_figures
from ..specs.outline import DEFAULT_OUTLINE, OUTLINES
from ..specs.tables import gpb_basic, state_assets
from ..specs.tables.common import chinese_ordinal
from ..specs.tables.fiscal_income_expense import FUNDS
from ..specs.tables.fiscal_income_expense import KEY as FISCAL
from ..specs.tables.income_expense import KEY as INCOME_EXPENSE
from ..specs.tables.subject_tables import EXPENSE, GOV_FUND, GPB_EXPENSE, INCOME, SOE_CAPITAL
from ..specs.tables.three_public import KEY as THREE_PUBLIC
from ..specs.tables.three_public import ROW as THREE_PUBLIC_ROW
from ..specs.tables.three_public import STATISTICS as THREE_PUBLIC_STATISTICS_LABELS

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
ZERO = Decimal("0.00")
NO_AMOUNTS = (None, None)  # (budget, final) of a 三公 item the tables do not give


@dataclass
class WrittenField:
    """A part people write: shown after `lead` (“主要原因是”) in its section."""

    key: str
    label: str
    lead: str
    text: str = ""


@dataclass
class Section:
    key: str
    number: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    fields: list[WrittenField] = field(default_factory=list)
    subsections: list["Section"] = field(default_factory=list)


# -- numbers and phrases -----------------------------------------------------------------


def money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def share(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """part ÷ whole in %, two decimals; None where there is no whole."""
    if part is None or not whole:
        return None
    return (part / whole * HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)


def percent(value: Decimal) -> str:
    return f"{value}%"


def with_share(text: str, part: Decimal | None, whole: Decimal | None, of: str = "") -> str:
    """`text` (“基本支出 99.70 万元”) and “，占{of} 26.68%” where there is a whole to take it of."""
    rate = share(part, whole)
    return text if rate is None else f"{text}，占{of} {percent(rate)}"


def change(label: str, now: Decimal | None, last: Decimal | None, *, both: bool = False, against: str = "与上年度相比，") -> str:
    """“与上年度相比，收、支总计各增加 34.22 万元，增长 10.08%。”, “…持平。”, or ""."""
    if now is None or last is None:
        return ""
    difference = now - last
    if difference == 0:
        return f"{against}{label}持平。"
    verb, trend = ("增加", "增长") if difference > 0 else ("减少", "下降")
    rate = share(abs(difference), last)
    tail = f"，{trend} {percent(rate)}" if rate is not None else ""
    return f"{against}{label}{'各' if both else ''}{verb} {money(abs(difference))} 万元{tail}。"


def completion(budget: Decimal | None, final: Decimal | None, *, of: str = "年初预算") -> str:
    """“年初预算为 0.80 万元，支出决算为 0.66 万元，完成年初预算的 82.50%。”"""
    final = final if final is not None else ZERO
    if budget is None:
        return f"支出决算为 {money(final)} 万元。"
    rate = share(final, budget)
    tail = f"，完成{of}的 {percent(rate)}" if rate is not None else ""
    return f"{of}为 {money(budget)} 万元，支出决算为 {money(final)} 万元{tail}。"


def listing(items: list[str], separator: str = "；") -> str:
    return separator.join(items)


# -- what a draft reads ------------------------------------------------------------------


@dataclass
class Context:
    year: int
    subject: str  # 我部门 / 本单位
    dataset: Dataset
    facts: dict[tuple[str, str], Decimal]
    written: dict[tuple[str, str], str]
    last: dict[str, Decimal]  # last year's figures: published disclosure, else facts
    evaluations: list = field(default_factory=list)
    outline: str = DEFAULT_OUTLINE  # the region's (specs.outline)

    def table(self, key: str) -> TableData | None:
        return self.dataset.get(key)

    def value(self, key: str, row: str, column: str) -> Decimal | None:
        """The amount of a cell; None when the table, the cell or its amount is missing."""
        table = self.table(key)
        return table.value(row, column) if table else None

    def fact(self, key: str, code: str = "") -> Decimal | None:
        return self.facts.get((key, code))

    def figure(self, name: str) -> Decimal | None:
        return self.figures.get(name)

    def __post_init__(self):
        self.figures = key_figures(self.dataset)


def labelled(ctx: Context, key: str, label: str, block: int, column: str = "amount") -> Decimal | None:
    """The amount of the fixed row printed as `label` (表01, 表04)."""
    table = ctx.table(key)
    row = table.spec.row_labelled(label, block) if table else None
    return table.value(row, column) if row else None


# Last year's figures a draft compares with; each is also an extra fact `last_<key>`.
LAST_YEAR_KEYS = ("grand_total", "income_total", "expense_total", "fiscal_grand_total", "general_expense", "basic", "three_public")


def last_year_figures(dataset: Dataset | None, facts: dict[tuple[str, str], Decimal]) -> dict[str, Decimal]:
    """Last year's totals: from its published disclosure when the portal has it, each gap
    filled from the extra facts the accountant entered."""
    published = {}
    if dataset is not None:
        last = Context(dataset.year, "", dataset, {}, {}, {})
        published = {
            "grand_total": last.figure("income_grand"),
            "income_total": last.figure("income_total"),
            "expense_total": last.figure("expense_total"),
            "fiscal_grand_total": labelled(last, FISCAL, "总计", 0),
            "general_expense": last.value(GPB_EXPENSE, TOTAL_ROW, "total"),
            "basic": last.value(GPB_EXPENSE, TOTAL_ROW, "basic"),
            "three_public": last.figure("three_public"),
        }
    found = {}
    for key in LAST_YEAR_KEYS:
        value = published.get(key)
        found[key] = value if value is not None else facts.get((f"last_{key}", ""))
    return {key: value for key, value in found.items() if value is not None}


def context_for(version) -> Context:
    from ..models import Disclosure
    from ..selectors import table_set, version_dataset
    from ..services.changes import last_year_published
    from ..services.narrative import facts_of, written_of

    disclosure = version.disclosure
    facts = facts_of(version)
    last_version = last_year_published(disclosure)
    last = last_year_figures(version_dataset(last_version) if last_version else None, facts)
    subject = "本单位" if disclosure.kind == Disclosure.Kind.UNIT else "我部门"
    return Context(
        year=disclosure.year.year,
        subject=subject,
        dataset=version_dataset(version),
        facts=facts,
        written=written_of(version),
        last=last,
        evaluations=list(version.evaluations.all()),
        outline=table_set(version.table_set).outline,
    )


class Builder:
    """Collects one section's paragraphs and the written fields they end with."""

    def __init__(self, ctx: Context, key: str, title: str, number: str = ""):
        self.ctx = ctx
        self.section = Section(key=key, number=number, title=title)

    def say(self, *sentences: str) -> None:
        text = "".join(s for s in sentences if s)
        if text:
            self.section.paragraphs.append(text)

    def written(self, key: str, label: str, lead: str = "") -> str:
        """Declare a written part and return it as the sentence that ends a paragraph."""
        text = self.ctx.written.get((self.section.key, key), "").strip()
        self.section.fields.append(WrittenField(key=key, label=label, lead=lead, text=text))
        if not text:
            return ""
        return f"{lead}{text}" + ("" if text[-1] in "。！？；.!?" else "。")

    def sub(self, key: str, title: str) -> "Builder":
        number = f"（{chinese_ordinal(len(self.section.subsections) + 1)}）"
        builder = Builder(self.ctx, f"{self.section.key}_{key}", title, number=number)
        self.section.subsections.append(builder.section)
        return builder


# -- the sections ------------------------------------------------------------------------


def _grand_totals(
    ctx: Context, b: Builder, what: str, income: Decimal | None, expense: Decimal | None, last: str, reason_label: str
) -> None:
    """“2023 年度{what}收、支总计均为 … 万元。与上年度相比，…。主要原因是……” (一 and 四)."""
    both = income == expense
    if both:
        first = f"{ctx.year} 年度{what}收、支总计均为 {money(income)} 万元。"
    else:
        first = f"{ctx.year} 年度{what}收入总计 {money(income or ZERO)} 万元，支出总计 {money(expense or ZERO)} 万元。"
    label = f"{what}收、支总计" if both else f"{what}收入总计"
    b.say(first, change(label, income, ctx.last.get(last), both=both), b.written("reason", reason_label, "主要原因是"))


INCOME_PARTS = ("本年收入合计", "使用非财政拨款结余（含专用结余）", "年初结转和结余")
EXPENSE_PARTS = ("本年支出合计", "结余分配", "年末结转和结余")


def overview(ctx: Context, b: Builder) -> None:
    income_grand, expense_grand = ctx.figure("income_grand"), ctx.figure("expense_grand")
    if income_grand is None and expense_grand is None:
        b.say(f"{ctx.year} 年度{ctx.subject}无收入、支出。")
        return
    _grand_totals(ctx, b, "", income_grand, expense_grand, "grand_total", "总体情况：主要原因")
    if ctx.table(INCOME_EXPENSE) is not None:

        def amounts(labels, block):
            return "、".join(f"{label} {money(labelled(ctx, INCOME_EXPENSE, label, block) or ZERO)} 万元" for label in labels)

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
            parts.append(with_share(f"{column.label} {money(amount)} 万元", amount, total))
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
        f"{ctx.year} 年度收入合计 {money(total)} 万元。",
        change("收入合计", total, ctx.last.get("income_total")),
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
        f"{ctx.year} 年度支出合计 {money(total)} 万元。",
        change("支出合计", total, ctx.last.get("expense_total")),
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
    _grand_totals(ctx, b, "财政拨款", income_grand, expense_grand, "fiscal_grand_total", "财政拨款总体：主要原因")
    funds = [f"{fund}收入 {money(ctx.value(FISCAL, str(i + 1), 'amount') or ZERO)} 万元" for i, fund in enumerate(FUNDS)]
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
        with_share(f"{ctx.year} 年度一般公共预算财政拨款支出 {money(total)} 万元", total, expense_total, "支出合计的") + "。",
        change("一般公共预算财政拨款支出", total, ctx.last.get("general_expense")),
        whole.written("reason", "一般公共预算财政拨款支出总体：主要原因", "主要原因是"),
    )

    structure = b.sub("structure", "结构情况")
    classes = []
    for code, line in table.lines.items():
        amount = ctx.value(GPB_EXPENSE, code, "total")
        if len(code) == 3 and amount is not None:
            classes.append(with_share(f"{_class_label(line.label)} {money(amount)} 万元", amount, total))
    structure.say(
        f"{ctx.year} 年度一般公共预算财政拨款支出 {money(total)} 万元，主要用于以下方面：{listing(classes)}。" if classes else "",
        structure.written("uses", "一般公共预算财政拨款支出结构：主要用于", "主要用于"),
    )

    detail = b.sub("detail", "具体情况")
    item_budgets = {code: v for (key, code), v in ctx.facts.items() if key == "initial_budget" and code}
    level = 3 if item_budgets and not any(len(code) == 7 for code in item_budgets) else 7  # per 项, or per 类
    budget = ctx.fact("initial_budget_total")
    if budget is None and item_budgets:
        budget = sum((v for c, v in item_budgets.items() if len(c) == level), ZERO)
    split = f"其中：基本支出 {money(basic)} 万元，项目支出 {money(project)} 万元。" if basic is not None and project is not None else ""
    detail.say(
        f"{ctx.year} 年度一般公共预算财政拨款支出" + completion(budget, total) if budget is not None
        else f"{ctx.year} 年度一般公共预算财政拨款支出 {money(total)} 万元。",
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
            detail.say(sentence, detail.written(f"reason_{code}", f"{code} {label}：差异原因", f"决算数{relation}年初预算数的主要原因是"))


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
                parts.append(f"{label} {money(amount)} 万元" + (f"，主要包括：{'、'.join(names)}" if names else ""))
        by_class = [
            f"{line.label} {money(line.values['amount'])} 万元"
            for code, line in table.lines.items() if len(code) == 3 and line.values.get("amount") is not None
        ]
    b.say(
        f"{ctx.year} 年度一般公共预算财政拨款基本支出 {money(total or 0)} 万元。",
        change("基本支出", total, ctx.last.get("basic")),
        f"其中：{listing(parts)}。" if parts else "",
    )
    if by_class:
        b.say(f"按经济分类，{'，'.join(by_class)}。", b.written("reason", "基本支出：说明", ""))


def _budget_fund(ctx: Context, b: Builder, key: str, name: str, budget_fact: str, columns: tuple[str, ...]) -> None:
    """七 政府性基金 / 八 国有资本经营: the table's totals and 类, or the 无 sentence. In a
    table that is used, a blank 结转和结余 reads as 0.00."""
    table = ctx.table(key)
    final = ctx.value(key, TOTAL_ROW, "total")
    budget = ctx.fact(budget_fact)
    if table is None or not any(ctx.value(key, TOTAL_ROW, c) for c in columns):
        b.say(
            f"{ctx.year} 年度{name}支出" + completion(budget, final) if budget is not None else "",
            f"{ctx.subject} {ctx.year} 年度没有使用{name}安排的支出。",
        )
        return

    def amount(column: str) -> str:
        return money(ctx.value(key, TOTAL_ROW, column) or ZERO)

    labels = {"opening": "年初结转和结余", "income": "本年收入", "total": "本年支出", "closing": "年末结转和结余"}
    b.say(
        f"{ctx.year} 年度{name}" + "，".join(f"{labels[c]} {amount(c)} 万元" for c in columns) + "。",
        f"{name}支出" + completion(budget, final) if budget is not None else "",
    )
    classes = [
        f"{_class_label(line.label)}决算为 {money(ctx.value(key, code, 'total'))} 万元"
        for code, line in table.lines.items() if len(code) == 3 and ctx.value(key, code, "total") is not None
    ]
    if classes:
        b.say(f"具体支出情况为：{listing(classes)}。", b.written("uses", f"{name}：主要用于", "主要用于"))


def gov_fund(ctx: Context, b: Builder) -> None:
    _budget_fund(ctx, b, GOV_FUND, "政府性基金预算财政拨款", "fund_initial_budget", ("opening", "income", "total", "closing"))


def soe(ctx: Context, b: Builder) -> None:
    """Either form of the table: 支出 only (older order) or 收入支出 (newer order)."""
    table = ctx.dataset.family(SOE_CAPITAL)
    key = table.spec.key if table is not None else SOE_CAPITAL
    columns = tuple(c.key for c in table.spec.value_columns if c.key in ("opening", "income", "total", "closing")) if table else ("total",)
    _budget_fund(ctx, b, key, "国有资本经营预算财政拨款", "capital_initial_budget", columns)


# The 三公 items the 情况说明 describes: item key (of the stored table and of the facts), label.
THREE_PUBLIC_PARTS = (
    ("abroad", "因公出国（境）费"),
    ("car", "公务用车购置及运行维护费"),
    ("reception", "公务接待费"),
)
THREE_PUBLIC_STATISTICS = tuple(key for key, _ in THREE_PUBLIC_STATISTICS_LABELS)
THREE_PUBLIC_AMOUNTS = ("total", "abroad", "car", "car_purchase", "car_operation", "reception", "reception_domestic", "reception_foreign")


def _three_public_figures(ctx: Context):
    """{item: (budget, final)} and the counts, from the stored 三公 table (whichever form the
    department printed), the facts filling what its form does not print."""
    amounts, counts = {}, {}
    if ctx.table(THREE_PUBLIC) is not None:
        for item in THREE_PUBLIC_AMOUNTS:
            amounts[item] = (ctx.value(THREE_PUBLIC, THREE_PUBLIC_ROW, f"budget_{item}"), ctx.value(THREE_PUBLIC, THREE_PUBLIC_ROW, f"final_{item}"))
        for key in THREE_PUBLIC_STATISTICS:
            counts[key] = ctx.value(THREE_PUBLIC, THREE_PUBLIC_ROW, key)
    for key in THREE_PUBLIC_STATISTICS:
        if counts.get(key) is None and ctx.fact(key) is not None:
            counts[key] = ctx.fact(key)
    for key, item in (("reception_foreign_amount", "reception_foreign"), ("reception_domestic_amount", "reception_domestic")):
        if amounts.get(item, NO_AMOUNTS)[1] is None and ctx.fact(key) is not None:
            amounts[item] = (None, ctx.fact(key))
    return amounts, counts


def _three_public_initial(ctx: Context, item: str) -> Decimal | None:
    """An item's 年初预算数: as its form prints it, else as entered."""
    printed = ctx.value(THREE_PUBLIC, THREE_PUBLIC_ROW, f"initial_{item}")
    return printed if printed is not None else ctx.fact("three_public_initial_budget", item)


def _count(value: Decimal | None) -> str:
    return f"{int(value or 0)}"


def _versus_budget(budget: Decimal | None, final: Decimal | None, b: Builder, key: str, label: str) -> str:
    if budget is None or final is None or budget == final:
        return "决算数与预算数不存在差异。" if budget is not None else ""
    relation = "大于" if final > budget else "小于"
    return b.written(key, f"{label}：决算数与预算数差异原因", f"决算数{relation}预算数的主要原因是")


def three_public(ctx: Context, b: Builder) -> None:
    amounts, counts = _three_public_figures(ctx)
    budget, final = amounts.get("total", NO_AMOUNTS)
    whole = b.sub("overall", "“三公”经费财政拨款支出决算总体情况说明")
    if not amounts or (not budget and not final):
        whole.say(
            f"{ctx.year} 年度“三公”经费财政拨款支出预算为 {money(budget or ZERO)} 万元，"
            f"支出决算为 {money(final or ZERO)} 万元。{ctx.subject} {ctx.year} 年度无“三公”经费财政拨款支出。"
        )
    else:
        whole.say(
            f"{ctx.year} 年度“三公”经费财政拨款支出" + completion(budget, final, of="预算"),
            _versus_budget(budget, final, whole, "reason", "“三公”经费"),
            change("“三公”经费财政拨款支出决算", final, ctx.last.get("three_public"), against="与上年度相比，"),
            whole.written("change_reason", "“三公”经费：与上年度相比的变化原因", "主要原因是"),
        )
    detail = b.sub("detail", "“三公”经费财政拨款支出决算具体情况说明")
    shares = []
    for item, label in THREE_PUBLIC_PARTS:
        item_final = amounts.get(item, NO_AMOUNTS)[1] or ZERO
        shares.append(with_share(f"{label}支出决算 {money(item_final)} 万元", item_final, final))
    detail.say(f"{ctx.year} 年度“三公”经费财政拨款支出决算中，{listing(shares)}。具体情况如下：")
    for number, (item, label) in enumerate(THREE_PUBLIC_PARTS, 1):
        item_budget, item_final = amounts.get(item, NO_AMOUNTS)
        initial = _three_public_initial(ctx, item) if item != "car" else None
        lines = [f"{number}. {label}" + completion(item_budget if item_budget is not None else ZERO, item_final, of="预算")]
        if initial is not None:
            lines.append(f"年初预算为 {money(initial)} 万元。")
        lines.append(_versus_budget(item_budget, item_final, detail, f"reason_{item}", label))
        if item == "abroad":
            lines.append(f"因公出国（境）团组数 {_count(counts.get('abroad_groups'))} 个，因公出国（境）人次数 {_count(counts.get('abroad_people'))} 人。")
        elif item == "car":
            purchase = amounts.get("car_purchase", NO_AMOUNTS)[1] or ZERO
            operation = amounts.get("car_operation", NO_AMOUNTS)[1] or ZERO
            lines.append(
                f"其中：公务用车购置支出 {money(purchase)} 万元，购置车辆 {_count(counts.get('car_purchased'))} 辆；"
                f"公务用车运行维护支出 {money(operation)} 万元。{ctx.year} 年期末，公务用车保有量为 {_count(counts.get('car_holding'))} 辆。"
            )
        else:
            foreign = amounts.get("reception_foreign", NO_AMOUNTS)[1]
            domestic = amounts.get("reception_domestic", NO_AMOUNTS)[1]
            if foreign is not None or counts.get("reception_foreign_batches") is not None:
                lines.append(
                    f"其中：外宾接待支出 {money(foreign or ZERO)} 万元，共接待国（境）外来访团组 "
                    f"{_count(counts.get('reception_foreign_batches'))} 个、来访外宾 {_count(counts.get('reception_foreign_people'))} 人次。"
                )
            if domestic is not None or counts.get("reception_domestic_batches") is not None:
                lines.append(
                    f"国内公务接待支出 {money(domestic if domestic is not None else item_final or ZERO)} 万元，共接待国内来访团组 "
                    f"{_count(counts.get('reception_domestic_batches'))} 个、来宾 {_count(counts.get('reception_domestic_people'))} 人次。"
                )
        detail.say(*lines)


def operating(ctx: Context, b: Builder) -> None:
    amount, last = ctx.fact("operating_cost"), ctx.fact("operating_cost_last_year")
    if amount is None:
        b.say(f"{ctx.year} 年度{ctx.subject}无机关运行经费支出。")
        return
    compared = "，" + change("", amount, last, against=f"比 {ctx.year - 1} 年度") if last is not None else "。"
    b.say(
        f"{ctx.year} 年度机关运行经费支出 {money(amount)} 万元" + compared,
        b.written("reason", "机关运行经费：主要原因", "主要原因是"),
    )


def procurement(ctx: Context, b: Builder) -> None:
    kinds = (("procurement_goods", "政府采购货物支出"), ("procurement_works", "政府采购工程支出"), ("procurement_services", "政府采购服务支出"))
    values = {key: ctx.fact(key) for key, _ in kinds}
    if all(v is None for v in values.values()):
        b.say(f"{ctx.year} 年度{ctx.subject}无政府采购支出。")
        return
    total = ctx.fact("procurement_total")
    if total is None:
        total = sum((v for v in values.values() if v is not None), ZERO)
    sme, micro = ctx.fact("procurement_sme"), ctx.fact("procurement_micro")
    parts = "、".join(f"{label} {money(values[key] or ZERO)} 万元" for key, label in kinds)
    sentences = [f"{ctx.year} 年度政府采购支出总额 {money(total)} 万元，其中：{parts}。"]
    if sme is not None:
        sentences.append(with_share(f"授予中小企业合同金额 {money(sme)} 万元", sme, total, "政府采购支出总额的"))
        if micro is not None:
            sentences.append(with_share(f"，其中：授予小微企业合同金额 {money(micro)} 万元", micro, sme, "授予中小企业合同金额的"))
        sentences.append("。")
    b.say(*sentences, b.written("reason", "政府采购：说明", ""))


def assets(ctx: Context, b: Builder) -> None:
    table = ctx.table(state_assets.KEY)
    if table is not None:
        total = ctx.value(state_assets.KEY, "1", "amount")
        kinds = [(row.label.split(".", 1)[-1], ctx.value(state_assets.KEY, row.key, "amount")) for row in state_assets.ROWS[1:9]]
        equipment = ctx.value(state_assets.KEY, "10", "amount")
    else:
        kinds = [(label, ctx.fact("vehicles", code)) for code, label in VEHICLE_KINDS]
        equipment = ctx.fact("equipment_over_1m")
        if all(v is None for _, v in kinds) and equipment is None:
            b.say(f"{ctx.year} 年期末，{ctx.subject}无车辆和单位价值 100 万元（含）以上设备。")
            return
        total = sum((v for _, v in kinds if v is not None), Decimal(0))
    listed = "、".join(f"{label} {_count(v)} 辆" for label, v in kinds)
    b.say(
        f"截至 {ctx.year} 年 12 月 31 日，{ctx.subject}共有车辆 {_count(total)} 辆，其中：{listed}；"
        f"单位价值 100 万元（含）以上设备 {_count(equipment)} 台（套）。",
        b.written("reason", "国有资产占用：说明", ""),
    )


def performance(ctx: Context, b: Builder) -> None:
    management = b.sub("management", "绩效管理工作开展情况")
    management.say(management.written("text", "绩效管理工作开展情况", ""))
    results = b.sub("results", "绩效自评结果")
    projects = [e for e in ctx.evaluations if e.kind == "project"]
    overall = [e for e in ctx.evaluations if e.kind == "overall"]
    scored = [e.total_score for e in projects if e.total_score is not None]
    if projects:
        average = (sum(scored) / len(scored)).quantize(CENT, rounding=ROUND_HALF_UP) if scored else None
        results.say(
            f"{ctx.subject}对 {len(projects)} 个项目开展了绩效自评"
            + (f"，项目支出绩效自评平均得分 {average} 分" if average is not None else "")
            + "。"
            + (f"部门整体支出绩效自评得分 {overall[0].total_score} 分。" if overall and overall[0].total_score is not None else "")
            + f"{ctx.year} 年度绩效自评表详见“第五部分 附件”。"
        )
    results.say(results.written("text", "绩效自评结果", ""))
    key = b.sub("key_evaluation", "重点绩效评价结果")
    text = key.written("text", "重点绩效评价结果", "")
    key.say(text or f"{ctx.year} 年度{ctx.subject}没有开展重点项目绩效评价。")


BUILDERS = {
    "overview": overview,
    "income": income,
    "expense": expense,
    "fiscal": fiscal,
    "gpb": gpb,
    "basic": basic,
    "gov_fund": gov_fund,
    "soe": soe,
    "three_public": three_public,
    "operating": operating,
    "procurement": procurement,
    "assets": assets,
    "performance": performance,
}


def draft(ctx: Context) -> list[Section]:
    """The sections in the region's outline; a group heads the sections it holds."""
    sections = []
    for number, entry in enumerate(OUTLINES[ctx.outline], 1):
        if len(entry) == 3:
            key, title, members = entry
            group = Section(key=key, number=chinese_ordinal(number), title=title)
            for n, (member, member_title) in enumerate(members, 1):
                builder = Builder(ctx, member, member_title, number=f"（{chinese_ordinal(n)}）")
                BUILDERS[member](ctx, builder)
                group.subsections.append(builder.section)
            sections.append(group)
            continue
        key, title = entry
        builder = Builder(ctx, key, title, number=chinese_ordinal(number))
        BUILDERS[key](ctx, builder)
        sections.append(builder.section)
    return sections


def draft_sections(version) -> list[Section]:
    return draft(context_for(version))


# -- stored form -------------------------------------------------------------------------


def sections_to_data(sections) -> list[dict]:
    return [asdict(s) for s in sections]


def sections_from_data(data) -> list[Section]:
    return [
        Section(
            key=d["key"], number=d["number"], title=d["title"], paragraphs=list(d["paragraphs"]),
            fields=[WrittenField(**f) for f in d["fields"]], subsections=sections_from_data(d["subsections"]),
        )
        for d in data
    ]


def sections_for(version) -> list[Section]:
    """The frozen text of a published version, else a fresh draft."""
    if version.narrative_sections is not None:
        return sections_from_data(version.narrative_sections)
    return draft_sections(version)


def section_fields(version) -> list[tuple[Section, WrittenField]]:
    """Every written part of the draft, with the section it belongs to (the form reads it)."""
    pairs = []

    def walk(sections):
        for s in sections:
            pairs.extend((s, w) for w in s.fields)
            walk(s.subsections)

    walk(draft_sections(version))
    return pairs
