"""What the reviewer's checklist (checking.checklist) is made of: a `Rule` (a stable id, its
severity, a Chinese title and what it checks), and what its checks share — reading an extra
fact, naming a place as a reader finds it, and making the finding.

An extra fact is entered (a figure, or 「无」, stored as None), or unknown (no entry): 「无」
counts as zero, and a check that needs an unknown fact is not made.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from ..dataset import Dataset, TableData
from ..importing.problems import Problem
from ..numbers import ZERO, money
from ..snapshot import Snapshot
from ..specs import RowKind, Unit
from ..specs.facts import CODE_LISTS, FACTS_BY_KEY, NIL

PREFIX = "rule."


@dataclass(frozen=True)
class Rule:
    """One item of the reviewer's checklist; `id` is the code of the findings it gives."""

    id: str
    severity: str  # importing.problems ERROR or WARNING
    title: str  # 规则
    checks: str  # 检查内容: what is compared with what, and when it is not checked

    def problem(self, *, where: str, params: dict, sheet="", cell="", table="", row="", column="", expected="", found="") -> Problem:
        """A finding of this rule; its message (messages.MESSAGES[id]) names `where`."""
        return Problem(
            self.severity,
            self.id,
            {"where": where, **params},
            sheet=sheet,
            cell=cell,
            table=table,
            row=row,
            column=column,
            expected=expected,
            found=found,
            rule=self.title,
            where=where,
        )


# -- extra facts ------------------------------------------------------------------------------


def fact(snapshot: Snapshot, key: str, code: str = "") -> Decimal | None:
    """An extra fact as a figure: 「无」 is zero; None when it is not entered (cannot check)."""
    if (key, code) not in snapshot.facts:
        return None
    value = snapshot.facts[(key, code)]
    return ZERO if value is None else value


def fact_entered(snapshot: Snapshot, key: str, code: str = "") -> bool:
    return (key, code) in snapshot.facts


def fact_place(key: str, code: str = "") -> str:
    """补充数据「国有资产占用·车辆（按用途）·执法执勤用车」."""
    spec = FACTS_BY_KEY[key]
    item = dict(CODE_LISTS.get(spec.per, ())).get(code, code)
    return f"补充数据「{spec.group}·{spec.label}" + (f"·{item}" if item else "") + "」"


def fact_text(snapshot: Snapshot, key: str, code: str = "") -> str:
    """The fact as entered: 「无」, an amount (76.23 万元) or a count (6 辆)."""
    value = snapshot.facts.get((key, code))
    if value is None:
        return f"“{NIL}”"
    spec = FACTS_BY_KEY[key]
    return f"{money(value)} 万元" if spec.is_amount else f"{int(value)} {spec.unit}".strip()


# -- tables -----------------------------------------------------------------------------------


def cell_value(table: TableData | None, row: str, column: str) -> Decimal | None:
    """A cell's figure; None when the table is missing, the cell blank or ——."""
    if table is None or table.is_blank(row, column):
        return None
    return table.value(row, column)


def cell_place(dataset: Dataset, table: TableData, row: str, column: str) -> str:
    """公开09表「…」「相关统计数·公务用车保有量（辆）」栏, with the row where the table has fixed rows."""
    spec = table.spec
    fixed = spec.row(row)
    line = table.lines.get(row)
    label = (line.label if line and line.label else "") or (fixed.label if fixed else "")
    if spec.row_kind is RowKind.SINGLE:
        row_text = ""
    elif spec.row_kind is RowKind.LINE and fixed is not None and not any(r.key == row for r in spec.footer):
        row_text = f"第{row}行「{label}」"
    else:
        row_text = f"「{label or row}」行"
    return f"{dataset.name_of(table)}{row_text}「{spec.column(column).heading}」栏"


def at_cell(table: TableData, row: str, column: str) -> str:
    cell = table.cell(row, column)
    return f"（工作表「{table.sheet}」单元格 {cell}）" if cell and table.sheet else (f"（单元格 {cell}）" if cell else "")


def money_figures(snapshot: Snapshot) -> set[Decimal]:
    """Every amount in 万元 the version holds, above zero: its tables' money cells and its amount facts."""
    found = set()
    for table in snapshot.dataset.tables.values():
        for key, line in table.lines.items():
            for column, value in line.values.items():
                if value and value > 0 and _unit(table, key, column) is Unit.MONEY:
                    found.add(value)
    for (key, _), value in snapshot.facts.items():
        spec = FACTS_BY_KEY.get(key)
        if spec is not None and spec.is_amount and value is not None and value > 0:
            found.add(value)
    return found


def _unit(table: TableData, row: str, column: str) -> Unit | None:
    try:
        return table.spec.unit_of(row, column)
    except KeyError:
        return None


# -- text -------------------------------------------------------------------------------------

_SPACE = re.compile(r"\s+")


def normalised(text: str) -> str:
    """As compared: NFKC (full-width letters, digits and brackets as half-width)."""
    return unicodedata.normalize("NFKC", text or "")


@dataclass(frozen=True)
class Plain:
    """A text as compared (NFKC, character by character), knowing where each of its characters
    stands in the text as written, so that what is quoted back is what people wrote."""

    written: str
    text: str
    origin: tuple[int, ...]  # len(text) + 1 positions in `written`

    @classmethod
    def of(cls, written: str) -> Plain:
        parts, origin = [], []
        for i, character in enumerate(written or ""):
            part = unicodedata.normalize("NFKC", character)
            parts.append(part)
            origin += [i] * len(part)
        return cls(written or "", "".join(parts), (*origin, len(written or "")))

    def quote(self, start: int, end: int) -> str:
        """The written words of text[start:end]."""
        return self.written[self.origin[start] : self.origin[end]]

    def around(self, start: int, end: int, around: int = 12) -> str:
        """The written words around text[start:end], on one line."""
        return excerpt(self.written, self.origin[start], self.origin[end], around)


def name_key(name: str) -> str:
    """A name as compared: NFKC, without spaces and quotes."""
    return _SPACE.sub("", normalised(name)).strip("“”\"'")


def excerpt(text: str, start: int, end: int, around: int = 12) -> str:
    """The words around text[start:end], on one line."""
    left, right = max(0, start - around), min(len(text), end + around)
    return ("…" if left else "") + _SPACE.sub(" ", text[left:right]).strip() + ("…" if right < len(text) else "")
