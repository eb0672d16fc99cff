"""Tables ready for a template: spec + stored figures → header grid, 栏次 row, body rows."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ..dataset import Dataset, TableData
from ..numbers import money
from ..specs import TableSpec
from .layout import NOT_APPLICABLE_TEXT, BodyCell, BodyRow, HeaderCell, body_rows, column_numbers, header_cells


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
        """The key the table is stored and linked under (a form stored as another: that one's)."""
        return self.spec.stores_as or self.spec.key

    @property
    def is_empty(self) -> bool:
        return self.table is None or self.table.figure_count == 0

    @property
    def body_html(self) -> SafeString:
        """The data rows as <tr> markup. Built here rather than cell by cell in a template:
        a disclosure has thousands of cells, and this keeps an uncached page fast."""
        return mark_safe("".join(_row_html(row) for row in self.rows))

    @property
    def title(self) -> str:
        """The title as the department prints it (the region's wording), else the spec's."""
        return self.table.title if self.table is not None else self.spec.title

    @property
    def note(self) -> str:
        return self.spec.empty_note if self.is_empty and self.spec.empty_note else self.spec.note


def render_table(spec: TableSpec, table: TableData | None, label: str) -> RenderedTable:
    depth, cells = header_cells(spec)
    header = [[cell for cell in cells if cell.row == level] for level in range(depth)]
    return RenderedTable(spec, label, table, depth, header, column_numbers(spec), body_rows(spec, table))


def render_dataset(dataset: Dataset) -> list[RenderedTable]:
    """Every table the version holds, in the region's order, under the department's numbers
    (both fixed when the version was imported)."""
    return [
        render_table(table.printed_spec, table.as_printed(), dataset.label_of(table.spec.family))
        for table in dataset.tables.values()
    ]


def cell_text(value) -> str:
    """Amounts with thousands separators and two decimals, counts whole; blank stays blank."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return money(value)
    if isinstance(value, int):
        return f"{value:,}"
    return escape(value)


def _cell_html(cell: BodyCell) -> str:
    column = cell.column
    if column.is_value:
        kind = "na" if cell.value == NOT_APPLICABLE_TEXT else "num"
        return (
            f'<td class="{kind}" data-row="{escape(cell.row_key)}" data-column="{column.key}">{cell_text(cell.value)}</td>'
        )
    if column.role == "line":
        return f'<td class="line">{cell_text(cell.value)}</td>'
    return f'<td class="level-{cell.level}">{cell_text(cell.value)}</td>'


def _row_html(row: BodyRow) -> str:
    attributes = ' class="total"' if row.is_total else ""
    return f'<tr{attributes} data-rows="{escape(" ".join(row.keys))}">{"".join(_cell_html(c) for c in row.cells)}</tr>'
