"""Declarations of the 勾稽关系. The checking package evaluates them.

Every rule carries the sentence a reviewer would write under the table
(e.g. "27行 = Σ(1…8)行"), shown with every finding it produces.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Op = Literal["=", "<=", ">="]


@dataclass(frozen=True)
class Ref:
    """One cell: table, row key, column key, with the sign it enters a sum with."""

    table: str
    row: str
    column: str
    sign: int = 1

    def __neg__(self) -> "Ref":
        return Ref(self.table, self.row, self.column, -self.sign)


@dataclass(frozen=True)
class CellRule:
    """Σ lhs op Σ rhs over fixed cells, possibly of several tables."""

    lhs: tuple[Ref, ...]
    rhs: tuple[Ref, ...]
    text: str
    op: Op = "="
    warning_only: bool = False
    # rhs is a breakdown not every form prints: evaluated only when one of its cells is filled.
    breakdown: bool = False


@dataclass(frozen=True)
class RowRule:
    """On every row of a table (or the listed rows): target = Σ signed terms."""

    table: str
    target: str
    terms: tuple[tuple[int, str], ...]
    text: str
    rows: tuple[str, ...] | None = None


@dataclass(frozen=True)
class HierarchyRule:
    """Code rows add up: 合计 = Σ类, 类 = Σ款, 款 = Σ项 (every value column)."""

    table: str
    text: str
    with_total: bool = True


@dataclass(frozen=True)
class SubjectRule:
    """Per 功能分类 code, one table's column against another's.

    level=3 compares 类 rows only (表01/表04 print 类 rows); level=None compares every
    code row and the 合计 row.
    """

    lhs: tuple[str, str]  # (table, column)
    rhs: tuple[str, str]
    text: str
    op: Op = "="
    level: int | None = 3


def cells(table: str, rows, column: str) -> tuple[Ref, ...]:
    return tuple(Ref(table, str(row), column) for row in rows)


def lines(first: int, last: int) -> list[str]:
    return [str(n) for n in range(first, last + 1)]
