"""Tables ready for a template: spec + stored figures → header grid, 栏次 row, body rows."""

from __future__ import annotations

from dataclasses import dataclass

from ..dataset import Dataset, TableData
from ..specs import TableSet, TableSpec, ordered_keys
from .layout import BodyRow, HeaderCell, body_rows, column_numbers, header_cells


@dataclass
class RenderedTable:
    spec: TableSpec
    label: str
    table: TableData | None
    header_depth: int
    header: list[list[HeaderCell]]  # by header row
    numbers: list | None
    rows: list[BodyRow]

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def is_empty(self) -> bool:
        return self.table is None or self.table.figure_count == 0

    @property
    def note(self) -> str:
        return self.spec.empty_note if self.is_empty and self.spec.empty_note else self.spec.note


def render_table(spec: TableSpec, table: TableData | None, label: str) -> RenderedTable:
    depth, cells = header_cells(spec)
    header = [[cell for cell in cells if cell.row == level] for level in range(depth)]
    return RenderedTable(spec, label, table, depth, header, column_numbers(spec), body_rows(spec, table))


def render_dataset(dataset: Dataset, table_set: TableSet) -> list[RenderedTable]:
    """Every table the version holds, in the region's order."""
    keys = [key for key in ordered_keys(table_set, dataset.year) if key in dataset.tables]
    return [render_table(dataset.tables[key].spec, dataset.tables[key], table_set.label_of(dataset.tables[key].spec.family)) for key in keys]
