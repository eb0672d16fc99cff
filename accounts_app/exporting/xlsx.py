"""Writing disclosure tables to an Excel workbook in the official layout.

One sheet per table: 公开NN表 label, title, 部门/年度/金额单位 row, the header and
栏次 row from rendering.layout, the data rows, and the table's 注. The same writer
makes the blank template (catalog codes, no figures) and the downloads of stored
versions; both import back through our own importer. Every cell is set through
exporting.cells: text as a string cell, never a formula.
"""

from __future__ import annotations

import io
from datetime import datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from ..dataset import Dataset, TableData
from ..rendering.layout import NOT_APPLICABLE_TEXT, BodyCell, body_rows, column_numbers, columns_of, header_cells
from ..specs import Role, TableSet, TableSpec, template_specs
from .cells import put, write

MONEY_FORMAT = "#,##0.00"
COUNT_FORMAT = "0"
# Fixed document dates: the same figures always give the same bytes.
DOCUMENT_DATE = datetime(2000, 1, 1)
HEADER_FIRST_ROW = 4

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_RIGHT = Alignment(horizontal="right", vertical="center")
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=16)
_WIDTHS = {Role.NAME: 32, Role.LABEL: 34, Role.CODE: 12, Role.LINE: 6}


def _sheet_title(label: str, spec: TableSpec, taken: set[str]) -> str:
    name = (label or spec.title)[:31]
    while name in taken:
        name = f"{name[:28]}_{len(taken)}"
    taken.add(name)
    return name


def workbook_bytes(dataset: Dataset, table_set: TableSet, entity: str, specs: list[TableSpec] | None = None) -> bytes:
    """The tables of `specs` (by default the region's tables, then any other the dataset holds),
    in that order, with the figures `dataset` holds, each in the form the department printed it."""
    if specs is None:
        specs = template_specs(table_set, dataset.year)
        families = {spec.family for spec in specs}
        specs += [table.spec for table in dataset.tables.values() if table.spec.family not in families]
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for spec in specs:
        label = dataset.label_of(spec.family) or table_set.label_of(spec.family)
        sheet = book.create_sheet(_sheet_title(label, spec, taken))
        table = dataset.get(spec.key) or dataset.family(spec.family)  # as printed, else as its region prints it
        if table is not None:
            _write_table(sheet, table.printed_spec, label, entity, dataset.year, table.as_printed())
        else:
            _write_table(sheet, spec if table_set.line_numbers else spec.unnumbered, label, entity, dataset.year, None)
    book.properties.creator = "部门决算公开平台"
    book.properties.created = DOCUMENT_DATE
    book.properties.modified = DOCUMENT_DATE
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_table(sheet, spec: TableSpec, label: str, entity: str, year: int, table: TableData | None) -> None:
    columns = columns_of(spec)
    width = len(columns)
    write(sheet, 1, 1, label)
    title = write(sheet, 2, 1, table.title if table is not None else spec.title)
    title.font, title.alignment = _TITLE, _CENTER
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    sheet.row_dimensions[2].height = 30
    write(sheet, 3, 1, f"部门：{entity}")
    write(sheet, 3, max(2, width // 2), f"{year}年度")
    write(sheet, 3, width, "金额单位：万元").alignment = _RIGHT

    row = _write_header(sheet, spec)
    numbers = column_numbers(spec)
    if numbers:
        for c, number in enumerate(numbers, start=1):
            cell = write(sheet, row, c, number)
            cell.border, cell.alignment = _BORDER, _CENTER
        row += 1
    sheet.freeze_panes = sheet.cell(row, 1)
    for body in body_rows(spec, table):
        for c, cell in enumerate(body.cells, start=1):
            _write_value(sheet.cell(row, c), cell)
        row += 1
    note = (table.note if table and table.note else "") or spec.note
    write(sheet, row + 1, 1, note if note.startswith(("注", "说明")) else f"注：{note}").alignment = _LEFT
    sheet.merge_cells(start_row=row + 1, start_column=1, end_row=row + 1, end_column=width)
    sheet.row_dimensions[row + 1].height = 45
    for c, printed in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = _WIDTHS.get(printed.column.role, 15)
    sheet.page_setup.orientation = "landscape" if spec.landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _write_header(sheet, spec: TableSpec) -> int:
    """Header rows with merged groups; returns the first row below the header."""
    depth, cells = header_cells(spec)
    for header in cells:
        r, c = HEADER_FIRST_ROW + header.row, header.col + 1
        cell = write(sheet, r, c, header.text)
        cell.font, cell.alignment = _BOLD, _CENTER
        for rr in range(r, r + header.rowspan):
            for cc in range(c, c + header.colspan):
                sheet.cell(rr, cc).border = _BORDER
        if header.rowspan > 1 or header.colspan > 1:
            sheet.merge_cells(start_row=r, start_column=c, end_row=r + header.rowspan - 1, end_column=c + header.colspan - 1)
    return HEADER_FIRST_ROW + depth


def _write_value(cell, body: BodyCell) -> None:
    cell.border = _BORDER
    value, column = body.value, body.column
    if value is None:
        return
    put(cell, value)
    if isinstance(value, Decimal):
        cell.number_format, cell.alignment = MONEY_FORMAT, _RIGHT
    elif isinstance(value, int) and column.is_value:
        cell.number_format, cell.alignment = COUNT_FORMAT, _RIGHT
    elif column.role is Role.LINE or value == NOT_APPLICABLE_TEXT:
        cell.alignment = _CENTER
    else:
        cell.alignment = _LEFT



