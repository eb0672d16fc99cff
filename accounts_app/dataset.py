"""The figures of one version in memory: what the importer produces, what the checker
and the renderers read, and what a stored version loads back into."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from decimal import Decimal

from .specs import TableSpec

NOT_APPLICABLE = None  # "——": a stored figure without an amount

_TITLE_NUMBER = re.compile(r"\s*[(（]?\s*(?:公开|附)?\s*表\s*(?:\d+|[一二三四五六七八九十]+)\s*[)）]?\s*")
_OPENING_NUMBER = re.compile(r"^\s*(?:公开\s*\d+\s*表|表\s*\d+|表[一二三四五六七八九十]+)")
_TITLE_YEAR = re.compile(r"^.*?(?:19|20)\d{2}\s*年度?\s*")
_SPACE = re.compile(r"\s+")


def display_title(printed: str) -> str:
    """A printed title as a heading: without the table's number or a year (and entity) before it.
    「2022年度支出决算表（表3）」 → 「支出决算表」; quotes and wording stay as printed. A short text
    loses only a number it opens with (「公开 02 表」 alone is a number, not a title)."""
    text = unicodedata.normalize("NFKC", printed or "").strip()
    text = _TITLE_NUMBER.sub("", text) if len(_SPACE.sub("", text)) > 6 else _OPENING_NUMBER.sub("", text)
    stripped = _TITLE_YEAR.sub("", text)
    return (stripped if len(_SPACE.sub("", stripped)) >= 4 else text).strip()


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
    numbered: bool = True  # the sheet printed 行次 or 栏次
    form: TableSpec | None = None  # the form printed, when stored under another form's keys (`stores_as`)

    @property
    def printed_spec(self) -> TableSpec:
        """The spec in the form the department printed: without 行次/栏次 when it had none."""
        spec = self.form or self.spec
        return spec if self.numbered else spec.unnumbered

    def stored_as(self, target: TableSpec) -> TableData:
        """This table, read in a form stored under another's keys (三公 items as rows → the
        stored 三公 table), in `target`'s keys; it remembers its form to be printed back in it."""
        stored = replace(self, spec=target, form=self.spec, lines={})
        for row, column, to_row, to_column in self.spec.cell_map:
            line = self.lines.get(row)
            if line is None or column not in line.values:
                continue
            target_line = stored.lines.setdefault(to_row, LineData(key=to_row, label=""))
            target_line.sheet_row = target_line.sheet_row or line.sheet_row
            target_line.values[to_column] = line.values[column]
            target_line.cells[to_column] = line.cells.get(column, "")
        for row in target.fixed_rows:
            line = stored.lines.setdefault(row.key, LineData(key=row.key, label=""))
            line.label = line.label or row.label
        return stored

    def as_printed(self) -> TableData:
        """The table in the keys of the form it was printed in: itself, unless stored under
        another form's keys. Rows take their labels from the form; a cell of the form that its
        cell map does not carry (a count row's 预算数, a heading row) is not applicable there."""
        form = self.form
        if form is None:
            return self
        printed = replace(self, spec=form, form=None, lines={})
        carried = {(row, column) for row, column, _, _ in form.cell_map}
        for row in form.fixed_rows:
            line = printed.lines[row.key] = LineData(key=row.key, label=row.label)
            if self.figure_count:
                line.values.update(
                    {c.key: NOT_APPLICABLE for c in form.columns_for_row(row.key) if (row.key, c.key) not in carried}
                )
        for row, column, from_row, from_column in form.cell_map:
            source = self.lines.get(from_row)
            if source is None or from_column not in source.values:
                continue
            line = printed.lines.setdefault(row, LineData(key=row, label=""))
            line.values[column] = source.values[from_column]
            line.cells[column] = source.cells.get(from_column, "")
            line.sheet_row = line.sheet_row or source.sheet_row
        return printed

    @property
    def title(self) -> str:
        """The title the department prints for this table, else the spec's."""
        return display_title(self.printed_title) or self.spec.title

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

    def headline(self) -> Decimal | None:
        """The figure that sums the table up (its 合计, as the spec names it); None when blank."""
        values = [self.value(row, column) for row, column in self.spec.headline]
        present = [value for value in values if value is not None]
        return sum(present, Decimal("0.00")) if present else None


@dataclass
class Dataset:
    year: int
    tables: dict[str, TableData] = field(default_factory=dict)  # spec key -> table
    labels: dict[str, str] = field(default_factory=dict)  # family -> the department's own table number

    def get(self, key: str) -> TableData | None:
        return self.tables.get(key)

    def family(self, family: str) -> TableData | None:
        """The table of `family` in whichever form was read."""
        return next((table for table in self.tables.values() if table.spec.family == family), None)

    def label_of(self, family: str) -> str:
        return self.labels.get(family, "")

    def name_of(self, table: TableData) -> str:
        """How messages name a table: its own number and title, 「表七「财政拨款“三公”经费支出决算表」」."""
        label = self.label_of(table.spec.family)
        return f"{label}「{table.title}」" if label else f"「{table.title}」"
