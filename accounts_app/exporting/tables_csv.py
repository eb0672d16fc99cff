"""A table as CSV, in its printed layout: one header row (group·label), then the rows as
printed. Amounts plain ("1085.68"), —— for not applicable, blank for blank."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from ..dataset import TableData
from ..rendering.layout import body_rows, columns_of
from ..specs import TableSpec

BOM = "\ufeff"  # so that Excel opens UTF-8


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def table_csv(spec: TableSpec, table: TableData | None) -> str:
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer)
    writer.writerow([printed.column.heading for printed in columns_of(spec)])
    for row in body_rows(spec, table):
        writer.writerow([_cell(cell.value) for cell in row.cells])
    return buffer.getvalue()
