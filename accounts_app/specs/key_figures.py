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
