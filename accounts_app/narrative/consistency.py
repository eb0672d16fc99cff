"""Numbers that people type into the written parts of 情况说明, compared with the figures
they name. "收入合计 400.00 万元" when 收入支出决算总表 says 373.64 is a contradiction: an error finding
for the accountant (it keeps the version from being submitted) and for the reviewer.

Only what is unambiguous is compared: an amount in 万元 (or a share in %) whose clause names a
figure of the vocabulary below, with nothing between them that makes it another quantity
(a change against last year, a budget, a part of it). Everything else people write stands."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ..dataset import Dataset
from ..numbers import fold_digits, money
from ..numbers import share as ratio
from ..specs import TOTAL_ROW, RowKind
from ..specs.key_figures import NAMED, NAMED_CLASSES, NAMED_SOURCES, figure_value, key_figures

CODE = "narrative.contradiction"
TOLERANCE = Decimal("0.01")
SHARE_TOLERANCE = Decimal("0.1")  # printed shares are computed from 元 (DOMAIN.md)

AMOUNT = re.compile(r"(?P<number>\d{1,3}(?:[,，]\s?\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<unit>万元|%|％)", re.ASCII)
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


def vocabulary(dataset: Dataset, facts: dict[tuple[str, str], Decimal]) -> list[Figure]:
    """The figures a text may name, longest names first (so that 财政拨款收入 wins over 收入);
    each source said with the department's own table number."""
    found = key_figures(dataset)
    figures: list[Figure] = []

    def add(names, amount, source, whole=None):
        if amount is not None:
            figures.extend(Figure(name, amount, source, whole) for name in names)

    def number_of(key: str) -> str:
        table = dataset.get(key)
        return dataset.label_of(table.spec.family) or f"「{table.title}」" if table else ""

    values = {named.figure.key: figure_value(named.figure, dataset) for named in NAMED}
    for named in NAMED:
        whole = found.get(named.whole) if named.whole else None
        add(named.names, values[named.figure.key], f"{number_of(named.figure.table)} {named.source}", whole)
    add(("机关运行经费",), facts.get(("operating_cost", "")), "补充数据 机关运行经费")
    for key in NAMED_SOURCES:
        table = dataset.get(key)
        if table is None:
            continue
        for column in table.spec.blocks[0].value_columns:
            if column.key != "total" and not table.is_blank(TOTAL_ROW, column.key):
                add((column.label,), table.value(TOTAL_ROW, column.key), f"{number_of(key)} {column.label}", found.get("income_total"))
    for key, whole_key in NAMED_CLASSES:
        table = dataset.get(key)
        if table is None or table.spec.row_kind is not RowKind.SUBJECT:
            continue
        whole = values.get(whole_key, found.get(whole_key))
        for code, line in table.lines.items():
            if len(code) == 3 and line.label and not table.is_blank(code, "total"):
                name = line.label.replace("（类）", "")
                if not any(f.name == name for f in figures):
                    add((name, name.removesuffix("支出") + "（类）支出"), table.value(code, "total"), f"{number_of(key)} {code}", whole)
    return sorted(figures, key=lambda f: -len(f.name))


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(re.sub(r"[,，\s]", "", text))
    except InvalidOperation:
        return None


def contradictions(text: str, figures: list[Figure]) -> list[Contradiction]:
    """Every amount or share in `text` that contradicts the figure its clause names (digits
    typed full-width read as such; other digit forms, superscripts among them, are not amounts)."""
    text = fold_digits(text)
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
                found.append(Contradiction(figure.name, f"{match.group('number')} 万元", f"{money(figure.amount)} 万元", figure.source, excerpt))
        elif figure.whole:
            share = ratio(figure.amount, figure.whole)
            if abs(number - share) > SHARE_TOLERANCE:
                found.append(Contradiction(f"{figure.name}占比", f"{match.group('number')}%", f"{share}%", figure.source, excerpt))
    return found
