"""The printed layout of a table, from its spec: columns left to right, the merged
header grid, the 栏次 row, and the body rows with their cells. The workbook writer,
the HTML pages and the PDF all draw from this; none of them decides layout itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from itertools import zip_longest

from ..dataset import LineData, TableData
from ..specs import TOTAL_ROW, Block, Column, Role, Row, RowKind, TableSpec, Unit
from ..specs.tables import gpb_basic

NOT_APPLICABLE_TEXT = "——"


@dataclass(frozen=True)
class PrintedColumn:
    """One printed column: a spec column of a block (a code is one column here)."""

    block: int
    column: Column


@dataclass(frozen=True)
class HeaderCell:
    text: str
    row: int  # 0-based within the header
    col: int  # 0-based
    rowspan: int = 1
    colspan: int = 1
    is_column: bool = False  # the lowest label of a column (not a group above several)


@dataclass
class BodyCell:
    """What one printed cell holds: text, or an amount (Decimal) / count (int), or nothing."""

    column: Column
    value: object = None  # None = blank; NOT_APPLICABLE_TEXT; Decimal; int; str
    row_key: str = ""
    level: int = 0

    @property
    def is_number(self) -> bool:
        return isinstance(self.value, (Decimal, int)) and self.column.is_value


@dataclass
class BodyRow:
    cells: list[BodyCell] = field(default_factory=list)
    is_total: bool = False

    @property
    def values(self) -> list:
        return [cell.value for cell in self.cells]

    @property
    def keys(self) -> list[str]:
        return [key for key in dict.fromkeys(cell.row_key for cell in self.cells) if key]


def columns_of(spec: TableSpec) -> list[PrintedColumn]:
    return [PrintedColumn(b, column) for b, block in enumerate(spec.blocks) for column in block.columns]


def _header_path(spec: TableSpec, printed: PrintedColumn, with_block: bool) -> list[str]:
    block = spec.blocks[printed.block]
    path = [block.name] if with_block and block.name else []
    path += printed.column.group.split("·") if printed.column.group else []
    return path + [printed.column.label]


def header_cells(spec: TableSpec) -> tuple[int, list[HeaderCell]]:
    """The header grid: its depth and its cells, groups merged over the columns they head."""
    columns = columns_of(spec)
    with_block = len({block.name for block in spec.blocks}) > 1
    paths = [_header_path(spec, c, with_block) for c in columns]
    depth = max(len(p) for p in paths)
    cells = []
    for level in range(depth):
        c = 0
        while c < len(paths):
            path = paths[c]
            if level >= len(path):
                c += 1
                continue
            last = level == len(path) - 1
            span = 1
            if not last:
                while (
                    c + span < len(paths)
                    and len(paths[c + span]) > level + 1
                    and paths[c + span][: level + 1] == path[: level + 1]
                    and columns[c + span].block == columns[c].block
                ):
                    span += 1
            rowspan = depth - level if last else 1
            cells.append(HeaderCell(path[level], level, c, rowspan, span, is_column=last))
            c += span
    return depth, cells


def column_numbers(spec: TableSpec) -> list[str | int | None] | None:
    """The 栏次 row ("栏次", 1, 2 …), or None when the table prints none."""
    columns = columns_of(spec)
    if not any(c.column.number is not None for c in columns):
        return None
    labelled, numbers = False, []
    for printed in columns:
        column = printed.column
        if column.number is not None:
            numbers.append(column.number)
        elif not labelled and column.role in (Role.LABEL, Role.CODE, Role.NAME):
            numbers.append("栏次")
            labelled = True
        else:
            numbers.append(None)
    return numbers


def body_rows(spec: TableSpec, table: TableData | None) -> list[BodyRow]:
    lines = table.lines if table else {}
    if spec.row_kind is RowKind.LINE:
        per_block = [[_fixed_row(spec, block, row, lines.get(row.key)) for row in block.rows] for block in spec.blocks]
        return [_side_by_side(spec, parts) for parts in zip_longest(*per_block)]
    if spec.row_kind is RowKind.SINGLE:
        row = spec.blocks[0].rows[0]
        return [BodyRow(_fixed_row(spec, spec.blocks[0], row, lines.get(row.key)))]
    if len(spec.blocks) == 1:
        return [
            BodyRow(_code_row(spec, spec.blocks[0], line), is_total=line.key == TOTAL_ROW)
            for line in lines.values()
            if not spec.row(line.key)
        ]
    return _block_code_rows(spec, lines)


def _side_by_side(spec: TableSpec, parts) -> BodyRow:
    cells = []
    for b, block in enumerate(spec.blocks):
        cells += parts[b] if parts[b] is not None else [BodyCell(column) for column in block.columns]
    return BodyRow(cells)


def _fixed_row(spec: TableSpec, block: Block, row: Row, line: LineData | None) -> list[BodyCell]:
    cells = []
    for column in block.columns:
        if column.role is Role.LABEL:
            value = row.label or None
        elif column.role is Role.LINE:
            value = int(row.key) if row.key.isdigit() else row.key
        else:
            value = figure(spec, line, row.key, column)
        cells.append(BodyCell(column, value, row.key, row.level))
    return cells


def figure(spec: TableSpec, line: LineData | None, row_key: str, column: Column):
    """A stored figure as printed: Decimal amount, int count, —— or None (blank)."""
    if line is None or column.key not in line.values:
        return None
    amount = line.values[column.key]
    if amount is None:
        return NOT_APPLICABLE_TEXT
    return int(amount) if spec.unit_of(row_key, column.key) is Unit.COUNT else amount


def _code_row(spec: TableSpec, block: Block, line: LineData) -> list[BodyCell]:
    level = 0 if line.key == TOTAL_ROW else max(0, (len(line.key) - 3) // 2)
    cells = []
    for column in block.columns:
        if column.role is Role.CODE:
            value = "合计" if line.key == TOTAL_ROW else line.key
        elif column.role is Role.NAME:
            value = None if line.key == TOTAL_ROW else line.label
        else:
            value = figure(spec, line, line.key, column)
        cells.append(BodyCell(column, value, line.key, level))
    return cells


def _block_code_rows(spec: TableSpec, lines: dict[str, LineData]) -> list[BodyRow]:
    """表06: 经济分类 codes flow down three side-by-side blocks; its totals go below."""
    per_block: list[list[list[BodyCell]]] = [[] for _ in spec.blocks]
    last = len(spec.blocks) - 1
    for line in lines.values():
        if spec.row(line.key):
            continue
        b = next((i for i, classes in enumerate(gpb_basic.TEMPLATE_BLOCK_CLASSES) if line.key[:3] in classes), last)
        per_block[b].append(_code_row(spec, spec.blocks[b], line))
    rows = [_side_by_side(spec, parts) for parts in zip_longest(*per_block)]
    footer = []
    for b, block in enumerate(spec.blocks):
        row = spec.footer[b] if b < len(spec.footer) else None
        for column in block.columns:
            if row is None:
                footer.append(BodyCell(column))
            elif column.role is Role.CODE:
                footer.append(BodyCell(column, row.label, row.key))
            elif column.is_value:
                footer.append(BodyCell(column, figure(spec, lines.get(row.key), row.key, column), row.key))
            else:
                footer.append(BodyCell(column, None, row.key))
    return rows + [BodyRow(footer, is_total=True)]
