"""The handful of figures that lists, comparisons, trends and charts quote, each named
once with the table row and column it comes from. Rows are found by their official
label within a block, so the 行次 may move with the classification edition."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .base import TOTAL_ROW, TableSpec


@dataclass(frozen=True)
class KeyFigure:
    key: str
    label: str
    table: str
    column: str
    row_label: str = ""  # a fixed row found by label in `block`
    block: int = 0
    row: str = ""  # or a row key (合计 of code tables, 行次 of fixed forms)

    def row_key(self, spec: TableSpec) -> str | None:
        if self.row:
            return self.row
        return spec.row_labelled(self.row_label, self.block)


KEY_FIGURES = (
    KeyFigure("income_total", "本年收入合计", "income_expense", "amount", "本年收入合计", 0),
    KeyFigure("income_grand", "收入总计", "income_expense", "amount", "总计", 0),
    KeyFigure("expense_total", "本年支出合计", "income_expense", "amount", "本年支出合计", 1),
    KeyFigure("expense_grand", "支出总计", "income_expense", "amount", "总计", 1),
    KeyFigure("fiscal_income", "财政拨款收入", "fiscal_income_expense", "amount", "本年收入合计", 0),
    KeyFigure("fiscal_expense", "财政拨款支出", "fiscal_income_expense", "total", "本年支出合计", 1),
    KeyFigure("basic", "基本支出", "expense", "basic", row=TOTAL_ROW),
    KeyFigure("project", "项目支出", "expense", "project", row=TOTAL_ROW),
    KeyFigure("three_public", "“三公”经费支出", "three_public", "final_total", row="total"),
    KeyFigure("three_public_budget", "“三公”经费预算", "three_public", "budget_total", row="total"),
)
KEY_LABELS = {figure.key: figure.label for figure in KEY_FIGURES}
BY_KEY = {figure.key: figure for figure in KEY_FIGURES}

# What the charts of a disclosure draw (rendering.charts), named by key figure:
INCOME_SOURCES_ABOVE = "income_total"  # 收入结构: the labelled rows above this figure's row
EXPENSE_PARTS = ("basic", "project")  # 支出结构
CLASSES_WITH = "basic"  # 支出按功能分类（类）: the 类 rows of the table holding this figure
TOTALS = ("income_grand", "expense_grand")  # 收支总计与上年比较
GPB_TOTAL = KeyFigure("gpb_total", "一般公共预算财政拨款支出", "gpb_expense", "total", row=TOTAL_ROW)

# Last year's figures 情况说明 compares with, by the extra fact (specs.facts) that stands in
# for each when last year's disclosure is not on the portal.
LAST_YEAR = {
    "last_grand_total": BY_KEY["income_grand"],
    "last_income_total": BY_KEY["income_total"],
    "last_expense_total": BY_KEY["expense_total"],
    "last_fiscal_grand_total": KeyFigure("fiscal_grand", "财政拨款收入总计", "fiscal_income_expense", "amount", "总计", 0),
    "last_general_expense": GPB_TOTAL,
    "last_basic": KeyFigure("gpb_basic", "一般公共预算财政拨款基本支出", "gpb_expense", "basic", row=TOTAL_ROW),
    "last_three_public": BY_KEY["three_public"],
}

# The region's comparison (one row per department) and a department's trend over the years.
COMPARED = ("income_grand", "expense_grand", "fiscal_income", "basic", "project", "three_public")
TRENDS = ("income_grand", "expense_grand", "three_public")  # one chart each; EXPENSE_PARTS side by side


@dataclass(frozen=True)
class Named:
    """A figure 情况说明 may name: the words people write for it, where it is (a key figure, or
    a cell by the same description), how the source is said, and the figure a share of it is of."""

    names: tuple[str, ...]
    figure: KeyFigure
    source: str  # after the table's own number: “本年收入合计”
    whole: str = ""  # the key figure a share of it is taken of


# Longest names first is the reader's concern; the order here is the tables'.
NAMED = (
    Named(("收、支总计", "收支总计", "收入总计"), BY_KEY["income_grand"], "收入总计"),
    Named(("支出总计",), BY_KEY["expense_grand"], "支出总计"),
    Named(("本年收入合计", "收入合计"), BY_KEY["income_total"], "本年收入合计"),
    Named(("本年支出合计", "支出合计"), BY_KEY["expense_total"], "本年支出合计"),
    Named(("财政拨款收入",), BY_KEY["fiscal_income"], "财政拨款收入合计", whole="income_total"),
    Named(("财政拨款支出",), BY_KEY["fiscal_expense"], "财政拨款支出合计", whole="expense_total"),
    Named(("一般公共预算财政拨款支出",), GPB_TOTAL, "合计", whole="expense_total"),
    Named(("基本支出",), BY_KEY["basic"], "基本支出合计", whole="expense_total"),
    Named(("项目支出",), BY_KEY["project"], "项目支出合计", whole="expense_total"),
    Named(("“三公”经费", "三公经费", "\"三公\"经费"), BY_KEY["three_public"], "“三公”经费决算数"),
)
# The tables whose 类 rows a text may name by the 类's name (the share taken of: their 合计's key figure).
NAMED_CLASSES = (("gpb_expense", "gpb_total"), ("expense", "expense_total"))
NAMED_SOURCES = ("income",)  # the table whose 合计 row columns (财政拨款收入, 事业收入 …) a text may name


def figure_value(figure: KeyFigure, dataset) -> Decimal | None:
    """The amount of a key figure in the dataset; None when the table or the cell is blank."""
    table = dataset.get(figure.table)
    if table is None:
        return None
    row = figure.row_key(table.spec)
    return table.value(row, figure.column) if row is not None and not table.is_blank(row, figure.column) else None


def key_figures(dataset) -> dict[str, Decimal | None]:
    """{key: amount} for the key figures the dataset holds (a blank cell is left out)."""
    found: dict[str, Decimal | None] = {}
    for figure in KEY_FIGURES:
        table = dataset.get(figure.table)
        if table is None or figure.key in found:
            continue
        row = figure.row_key(table.spec)
        if row is not None and not table.is_blank(row, figure.column):
            found[figure.key] = table.value(row, figure.column)
    return found
