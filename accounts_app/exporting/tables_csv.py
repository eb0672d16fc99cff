"""A table as CSV, in its printed layout: one header row (group·label), then the rows as
printed. Amounts plain ("1085.68"), —— for not applicable, blank for blank; every cell
through exporting.cells (text that a spreadsheet would run as a formula is defused)."""

from __future__ import annotations

from ..dataset import TableData
from ..rendering.layout import body_rows, columns_of
from ..specs import TableSpec
from .cells import csv_text


def table_csv(spec: TableSpec, table: TableData | None) -> str:
    header = [printed.column.heading for printed in columns_of(spec)]
    return csv_text([header, *([cell.value for cell in row.cells] for row in body_rows(spec, table))])
