"""The vocabulary of a table spec.

A spec says everything the importer, the checker, the renderers and the exporters
need to know about one disclosure table: its title and the titles regions use for it,
its blocks of columns (side by side, as printed), the rows when they are fixed,
the header layout, the units, the notes and the 勾稽关系 that must hold.
Nothing in here reads a workbook or touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum
from functools import cached_property


class Unit(str, Enum):
    MONEY = "money"  # 万元, two decimals
    COUNT = "count"  # 个、人、辆、台(套): whole numbers


class RowKind(str, Enum):
    LINE = "line"  # fixed rows keyed by 行次
    SUBJECT = "subject"  # rows keyed by 支出功能分类科目 code (类/款/项), 合计 first
    ECONOMIC = "economic"  # rows keyed by 部门支出经济分类科目 code (类/款)
    SINGLE = "single"  # one data row under the header


class Role(str, Enum):
    LABEL = "label"  # 项目: the printed name of a fixed row
    LINE = "line"  # 行次
    CODE = "code"  # 科目编码 (one column, or 类/款/项 split over three)
    NAME = "name"  # 科目名称
    VALUE = "value"  # a figure


TOTAL_ROW = "total"  # row key of the 合计 row of subject tables

_DIGITS = "零一二三四五六七八九"


def chinese_ordinal(number: int) -> str:
    """1 → 一, 10 → 十, 26 → 二十六 (enough for the 26 功能分类 类 and a table set's numbers)."""
    if number < 10:
        return _DIGITS[number]
    tens, ones = divmod(number, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    role: Role = Role.VALUE
    number: int | None = None  # 栏次 as printed in the official layout
    group: str = ""  # the merged header above the label, if any
    aliases: tuple[str, ...] = ()
    unit: Unit = Unit.MONEY
    optional: bool = False  # a key column some layouts leave out (行次)

    @property
    def is_value(self) -> bool:
        return self.role is Role.VALUE

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)

    @property
    def heading(self) -> str:
        """The label with its group, as a reader names the column: 本年支出·小计."""
        return f"{self.group}·{self.label}" if self.group else self.label


@dataclass(frozen=True)
class Row:
    key: str
    label: str  # official label, including its ordinal (一、…)
    aliases: tuple[str, ...] = ()
    level: int = 0  # indentation when rendered
    subject: str = ""  # 功能分类 类 code this row stands for (表01/表04 支出)
    unit: Unit | None = None  # overrides the column unit (相关统计数)
    spacer: bool = False  # a numbered line without a label (表01 行9–26)
    heading: bool = False  # a label-only line whose cells are not applicable

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)


@dataclass(frozen=True)
class Block:
    """Columns printed side by side; a sheet row holds one line of every block."""

    name: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...] = ()  # fixed rows (RowKind.LINE); empty when keyed by code

    @property
    def value_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.is_value)

    def key_column(self, role: Role) -> Column | None:
        return next((c for c in self.columns if c.role is role), None)


@dataclass(frozen=True)
class TableSpec:
    key: str
    title: str
    aliases: tuple[str, ...]
    row_kind: RowKind
    blocks: tuple[Block, ...]
    note: str
    empty_note: str = ""
    family: str = ""  # the forms of one table stand for each other in a table set (三公, 国有资本经营)
    footer: tuple[Row, ...] = ()  # labelled totals printed anywhere below the data (表06)
    code_lengths: tuple[int, ...] = ()  # valid code lengths for SUBJECT/ECONOMIC rows
    checks: tuple = ()  # rule declarations from specs.rules
    landscape: bool = False
    max_rows: int = 2000
    description: str = ""
    # A form read with its own rows and columns but stored under another form's keys:
    # (row, column) as printed → (row, column) of `stores_as`.
    stores_as: str = ""
    cell_map: tuple[tuple[str, str, str, str], ...] = ()
    # Figures only other forms print, stored under this spec's row beside its own columns
    # (三公: 年初预算数, the 公务接待费 breakdown, 相关统计数); never printed in this form.
    extra_columns: tuple[Column, ...] = ()
    # Blocks after the first may be left out: 表06 prints its 经济分类 in two or three blocks.
    optional_blocks: bool = False
    headline: tuple[tuple[str, str], ...] = ()  # the cells that sum the table up: its 合计
    summarises: bool = False  # its figures are totals of the other tables' (表01, 表04)
    form: str = ""  # how this form prints, where a table has several: 「各项为行，预算数、决算数两栏」

    def __post_init__(self):
        if not self.family:
            object.__setattr__(self, "family", self.key)

    @property
    def titles(self) -> tuple[str, ...]:
        return (self.title, *self.aliases)

    # Specs never change once built: what is derived from them is computed once
    # (cached_property writes to the instance's __dict__, which a frozen dataclass allows).
    @cached_property
    def value_columns(self) -> tuple[Column, ...]:
        """Every value column once, in printed order (blocks may repeat a key)."""
        seen: dict[str, Column] = {}
        for block in self.blocks:
            for column in block.value_columns:
                seen.setdefault(column.key, column)
        return tuple(seen.values())

    @cached_property
    def stored_columns(self) -> tuple[Column, ...]:
        """Every column a stored table of this spec may hold: its own, then `extra_columns`."""
        return self.value_columns + self.extra_columns

    @cached_property
    def _columns_by_key(self) -> dict[str, Column]:
        return {column.key: column for column in self.stored_columns}

    def column(self, key: str) -> Column:
        try:
            return self._columns_by_key[key]
        except KeyError:
            raise KeyError(f"{self.key} has no column {key!r}") from None

    @cached_property
    def fixed_rows(self) -> tuple[Row, ...]:
        return tuple(row for block in self.blocks for row in block.rows) + self.footer

    @cached_property
    def _rows_by_key(self) -> dict[str, Row]:
        found: dict[str, Row] = {}
        for row in self.fixed_rows:
            found.setdefault(row.key, row)
        return found

    def row(self, key: str) -> Row | None:
        return self._rows_by_key.get(key)

    def row_labelled(self, label: str, block: int = 0) -> str | None:
        """The key of the fixed row printed as `label` in `block` (行次 move with the edition)."""
        return next((row.key for row in self.blocks[block].rows if label in row.labels), None)

    def block_of_row(self, key: str) -> Block:
        for block in self.blocks:
            if any(row.key == key for row in block.rows):
                return block
        return self.blocks[0]

    def columns_for_row(self, key: str) -> tuple[Column, ...]:
        """The value columns a row has: its block's, or every block's for code rows."""
        if self.row_kind is RowKind.LINE:
            return self.block_of_row(key).value_columns
        if any(row.key == key for row in self.footer):
            return self.blocks[0].value_columns
        return self.value_columns

    def unit_of(self, row_key: str, column_key: str) -> Unit:
        row = self.row(row_key)
        if row is not None and row.unit is not None:
            return row.unit
        return self.column(column_key).unit

    @cached_property
    def unnumbered(self) -> "TableSpec":
        """The same table as the newer order prints it: no 行次 column, no 栏次, no blank
        numbered lines. Its keys and rules are this spec's."""
        blocks = tuple(
            replace(
                block,
                columns=tuple(replace(c, number=None) for c in block.columns if c.role is not Role.LINE),
                rows=tuple(row for row in block.rows if not row.spacer),
            )
            for block in self.blocks
        )
        return replace(self, blocks=blocks)

    @property
    def column_count(self) -> int:
        count = 0
        for block in self.blocks:
            for column in block.columns:
                count += 3 if column.role is Role.CODE and self.row_kind is RowKind.SUBJECT else 1
        return count


@dataclass(frozen=True)
class TableSet:
    """The tables a region publishes, in its order and with its numbering."""

    key: str
    name: str
    families: tuple[str, ...]
    preferred: dict = field(default_factory=dict)  # family -> spec key used for templates
    label_format: str = "公开{number:02d}表"  # {number}: 1, 2 …; {cn}: 一, 二 …
    labels: dict = field(default_factory=dict)  # family -> a label printed otherwise than the format says
    titles: dict = field(default_factory=dict)  # family -> the title the region prints, if not the spec's
    line_numbers: bool = True  # the region prints 行次 and 栏次 (the newer order does not)
    outline: str = "standard"  # the outline of its 情况说明 (specs.outline.OUTLINES)

    def number_of(self, family: str) -> int | None:
        try:
            return self.families.index(family) + 1
        except ValueError:
            return None

    def label_of(self, family: str) -> str:
        if family in self.labels:
            return self.labels[family]
        number = self.number_of(family)
        if not number:
            return ""
        return self.label_format.format(number=number, cn=chinese_ordinal(number))

    def title_of(self, spec: "TableSpec") -> str:
        """The title the region prints for the table `spec` is a form of, else the spec's."""
        return self.titles.get(spec.family) or spec.title

    def form_of(self, family: str) -> str:
        """The spec key of the form the region's blank template uses for `family`."""
        return self.preferred.get(family, family)
