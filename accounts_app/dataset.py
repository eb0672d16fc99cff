"""The figures of one version in memory: what the importer produces, what the checker
and the renderers read, and what a stored version loads back into."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .specs import TableSpec

NOT_APPLICABLE = None  # "——": a stored figure without an amount


@dataclass
class LineData:
    key: str
    label: str
    sheet_row: int | None = None
    values: dict[str, Decimal | None] = field(default_factory=dict)  # absent = blank; None = ——
    cells: dict[str, str] = field(default_factory=dict)  # column key -> "C12"

    def has(self, column: str) -> bool:
        return column in self.values


@dataclass
class TableData:
    spec: TableSpec
    sheet: str = ""
    position: int = 0
    printed_title: str = ""
    printed_label: str = ""
    printed_entity: str = ""
    printed_unit: str = ""
    note: str = ""
    lines: dict[str, LineData] = field(default_factory=dict)

    def value(self, row: str, column: str) -> Decimal | None:
        """The amount of a cell; None when blank or ——."""
        line = self.lines.get(row)
        return line.values.get(column) if line else None

    def cell(self, row: str, column: str) -> str:
        line = self.lines.get(row)
        return line.cells.get(column, "") if line else ""

    def is_blank(self, row: str, column: str) -> bool:
        line = self.lines.get(row)
        return line is None or column not in line.values

    @property
    def figure_count(self) -> int:
        return sum(len(line.values) for line in self.lines.values())


@dataclass
class Dataset:
    year: int
    tables: dict[str, TableData] = field(default_factory=dict)  # spec key -> table

    def get(self, key: str) -> TableData | None:
        return self.tables.get(key)
