"""Numbers that people type into the written parts of 情况说明, compared with the figures
they name. "收入合计 400.00 万元" when 表01 says 373.64 is a contradiction: an error finding
for the accountant (it keeps the version from being submitted) and for the reviewer.

Only what is unambiguous is compared: an amount in 万元 (or a share in %) whose clause names a
figure of the vocabulary below, with nothing between them that makes it another quantity
(a change against last year, a budget, a part of it). Everything else people write stands."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ..dataset import Dataset
from ..specs import RowKind
from ..specs.key_figures import key_figures
from ..specs.tables.subject_tables import EXPENSE, GPB_EXPENSE, INCOME

CODE = "narrative.contradiction"
TOLERANCE = Decimal("0.01")
SHARE_TOLERANCE = Decimal("0.1")  # printed shares are computed from 元 (DOMAIN.md)

AMOUNT = re.compile(r"(?P<number>\d{1,3}(?:[,，]\s?\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<unit>万元|%|％)")
CLAUSE_END = re.compile(r"[。；;！？!?\n]")
# Words that make the number another quantity than the named figure itself.
OTHER_QUANTITY = re.compile(r"增加|减少|增长|下降|上升|降低|增幅|降幅|变动|差额|较|比上年|同比|上年|上一年|去年|预算|其中|以上|以下|超过|不足|约")


@dataclass(frozen=True)
class Figure:
    name: str  # as people write it
    amount: Decimal
    source: str  # where the portal takes it from, e.g. "表01 本年收入合计"
    whole: Decimal | None = None  # the denominator a share of it is taken of


@dataclass(frozen=True)
class Contradiction:
    name: str
    written: str  # the number as written, with its unit
    expected: str
    source: str
    excerpt: str


def _table_total(dataset: Dataset, key: str, column: str) -> Decimal | None:
    table = dataset.get(key)
    return table.value("total", column) if table else None


def vocabulary(dataset: Dataset, facts: dict[tuple[str, str], Decimal]) -> list[Figure]:
    """The figures a text may name, longest names first (so that 财政拨款收入 wins over 收入)."""
    found = key_figures(dataset)
    income_total = found.get("income_total")
    expense_total = found.get("expense_total")
    gpb_total = _table_total(dataset, GPB_EXPENSE, "total")
    figures: list[Figure] = []

    def add(names, amount, source, whole=None):
        if amount is not None:
            figures.extend(Figure(name, amount, source, whole) for name in names)

    add(("收、支总计", "收支总计", "收入总计"), found.get("income_grand"), "表01 收入总计")
    add(("支出总计",), found.get("expense_grand"), "表01 支出总计")
    add(("本年收入合计", "收入合计"), income_total, "表01 本年收入合计")
    add(("本年支出合计", "支出合计"), expense_total, "表01 本年支出合计")
    add(("财政拨款收入",), found.get("fiscal_income"), "表04 财政拨款收入合计", income_total)
    add(("财政拨款支出",), found.get("fiscal_expense"), "表04 财政拨款支出合计", expense_total)
    add(("一般公共预算财政拨款支出",), gpb_total, "表05 合计", expense_total)
    add(("基本支出",), found.get("basic"), "表03 基本支出合计", expense_total)
    add(("项目支出",), found.get("project"), "表03 项目支出合计", expense_total)
    add(("“三公”经费", "三公经费", "\"三公\"经费"), found.get("three_public"), "表09 “三公”经费决算数")
    add(("机关运行经费",), facts.get(("operating_cost", "")), "补充数据 机关运行经费")
    income = dataset.get(INCOME)
    if income is not None:
        for column in income.spec.blocks[0].columns:
            if column.key != "total" and not income.is_blank("total", column.key):
                add((column.label,), income.value("total", column.key), f"表02 {column.label}", income_total)
    for key, whole in ((GPB_EXPENSE, gpb_total), (EXPENSE, expense_total)):
        table = dataset.get(key)
        if table is None or table.spec.row_kind is not RowKind.SUBJECT:
            continue
        for code, line in table.lines.items():
            if len(code) == 3 and line.label and not table.is_blank(code, "total"):
                name = line.label.replace("（类）", "")
                if not any(f.name == name for f in figures):
                    add((name, name.removesuffix("支出") + "（类）支出"), table.value(code, "total"), f"{table.spec.title} {code}", whole)
    return sorted(figures, key=lambda f: -len(f.name))


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(re.sub(r"[,，\s]", "", text))
    except InvalidOperation:
        return None


def _share(part: Decimal, whole: Decimal) -> Decimal:
    return (part / whole * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def contradictions(text: str, figures: list[Figure]) -> list[Contradiction]:
    """Every amount or share in `text` that contradicts the figure its clause names."""
    found = []
    for match in AMOUNT.finditer(text):
        clause_start = max((m.end() for m in CLAUSE_END.finditer(text, 0, match.start())), default=0)
        before = text[clause_start : match.start()]
        named = None
        for figure in figures:
            at = before.rfind(figure.name)
            if at >= 0 and (named is None or at + len(figure.name) > named[1]):
                named = (figure, at + len(figure.name))
        if named is None:
            continue
        figure, name_end = named
        between = before[name_end:]
        number = _number(match.group("number"))
        if number is None or OTHER_QUANTITY.search(between):
            continue
        excerpt = text[clause_start : match.end()].strip()
        if match.group("unit") == "万元":
            if AMOUNT.search(between):  # another amount stands between the name and this one
                continue
            if abs(number - figure.amount) > TOLERANCE:
                found.append(Contradiction(figure.name, f"{match.group('number')} 万元", f"{figure.amount:,.2f} 万元", figure.source, excerpt))
        elif figure.whole:
            share = _share(figure.amount, figure.whole)
            if abs(number - share) > SHARE_TOLERANCE:
                found.append(Contradiction(f"{figure.name}占比", f"{match.group('number')}%", f"{share}%", figure.source, excerpt))
    return found
