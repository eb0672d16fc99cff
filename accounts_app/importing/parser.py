"""Reading one disclosure table out of a worksheet, once importing.identify (or the
department) has said which table it is. Pure: no database.

Around the data: the title, 公开NN表/表N, 部门/单位, 年度 and 金额单位 rows, a multi-row
(merged) header, an optional 栏次 row, and 注/说明 rows below. Columns are found by their
header labels (importing.header), in the spec's order where the sheet follows it and
anywhere in the header where it does not (三公 printed item over 预算数 | 决算数); rows by
行次, by label (the first row of that label not yet read), or by subject code (in one
column or split over 类/款/项). Blocks after the first may be left out where the spec
allows it (表06 in two or three blocks).

Every problem is collected with its sheet, cell and the table's own number; nothing stops
at the first one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from openpyxl.utils import get_column_letter

from ..dataset import LineData, TableData
from ..specs import TOTAL_ROW, Column, Role, RowKind, TableSpec, Unit
from . import cells, header
from .cells import CellValueError, Mark
from .problems import ERROR, WARNING, Problem
from .workbook import MAX_COLUMNS

TOTAL_LABELS = {"合计", "总计"}
NOTE_PREFIXES = ("注", "说明", "备注", "填报说明")
_RULE_LINE = re.compile(r"^\d+\s*[行栏]")
_YEAR = re.compile(r"((?:19|20)\d{2})年度")
_ENTITY_KEYS = {"部门名称", "单位名称", "编制单位", "填报单位", "部门", "单位"}
_MONEY_UNITS = {"万元": False, "元": True}
_COUNT_UNIT = re.compile(r"^[台辆套个人次、,，/]+$")
_HEADER_SKIP = header.NUMBER_ROW_WORDS
_SPLIT_LABELS = ("类", "款", "项")


def formula_problems(opened, sheet_name: str, rows: list[tuple], where: str = "") -> list[Problem]:
    """A formula without its cached value reads as blank: say so, never guess. `where`: the
    table the sheet holds, by its number and title."""
    formulas = opened.formulas(sheet_name, len(rows)) if opened.has_formulas(sheet_name) else {}
    return [
        Problem(ERROR, "cell.formula_without_value", {"formula": formula}, sheet=sheet_name, cell=address(r, c), where=where)
        for (r, c), formula in formulas.items()
        if r < len(rows) and rows[r][c] is None
    ]


def address(row: int, column: int) -> str:
    """Zero-based indexes to an A1 reference."""
    return f"{get_column_letter(column + 1)}{row + 1}"


@dataclass
class Placed:
    """A spec column found in the sheet: its first sheet column (three for split codes)."""

    column: Column
    index: int
    split: bool = False


class SheetParser:
    """`label` is the table's number in the region's table set, used until the sheet prints its own;
    `title_row` is -1 for a sheet without a title (mapped by the department)."""

    def __init__(self, spec, sheet, position, rows, title_row, printed_title, expectation, problems, label=""):
        self.spec: TableSpec = spec
        self.sheet: str = sheet
        self.rows: list[tuple] = rows
        self.title_row: int = title_row
        self.expectation = expectation  # importing.reader.Expectation
        self.problems: list[Problem] = problems
        self.label: str = label
        self.table = TableData(spec=spec, sheet=sheet, position=position, printed_title=printed_title)
        self.in_yuan = False
        self.number_row: int | None = None
        self.header_cells: set[tuple[int, int]] = set()  # header labels printed on a data row
        self._row_labels = {cells.row_label_key(label) for row in spec.fixed_rows for label in row.labels if label}

    # -- reporting -------------------------------------------------------------------
    def error(self, code, r=None, c=None, /, **params):
        self._report(ERROR, code, r, c, params)

    def warn(self, code, r=None, c=None, /, **params):
        self._report(WARNING, code, r, c, params)

    def _report(self, severity, code, r, c, params):
        cell = address(r, c) if r is not None and c is not None else ""
        title = self.table.title
        label = self.table.printed_label or self.label
        self.problems.append(
            Problem(
                severity,
                code,
                params,
                sheet=self.sheet,
                cell=cell,
                table=self.spec.stores_as or self.spec.key,
                where=f"{label}「{title}」" if label else f"「{title}」",
                expected=str(params.get("expected", "")),
                found=str(params.get("found", "")),
            )
        )

    # -- the whole sheet ---------------------------------------------------------------
    def parse(self) -> TableData | None:
        """The table, unless its header cannot be placed; every other problem (a bad cell, a
        wrong year or name) is reported and the rest of the table is still read."""
        header_start = self._read_meta()
        if header_start is None:
            self.error("header.missing_column", max(self.title_row, 0), 0, column=self.spec.blocks[0].columns[0].label)
            return None
        data_start = self._find_data_start(header_start)
        placed = self._place_columns(header_start, data_start)
        if placed is None:
            return None
        self._read_rows(data_start, placed)
        self._complete_fixed_rows()
        self._flag_unknown_codes()
        return self.table

    def _cell_text(self, r: int, c: int) -> str:
        return cells.text(self.rows[r][c])

    def _row_texts(self, r: int) -> list[tuple[int, str]]:
        return [(c, cells.text(v)) for c, v in enumerate(self.rows[r]) if v is not None and cells.text(v)]

    # -- title, 公开NN表, 部门, 年度, 单位 ------------------------------------------------
    def _read_meta(self) -> int | None:
        """Read the rows from the title down to the header; return the header's first row."""
        if self.title_row >= 0:
            self._read_meta_row(self.title_row)
        for r in range(self.title_row + 1, min(len(self.rows), self.title_row + 11)):
            texts = self._row_texts(r)
            if not texts:
                continue
            if all(header.is_meta(text) for _, text in texts):
                self._read_meta_row(r)
                continue
            return r
        return None

    def _read_meta_row(self, r: int):
        for c, text in self._row_texts(r):
            compact = cells.compact(text)
            if label := header.TABLE_LABEL.search(compact):
                self.table.printed_label = self.table.printed_label or label.group(1)
            year = _YEAR.search(compact) or header.YEAR_CELL.fullmatch(compact)
            if year and int(year.group(1)) != self.expectation.year:
                self.error("meta.year_mismatch", r, c, expected=self.expectation.year, found=int(year.group(1)))
            for key, value in header.meta_pairs(compact) if header.META_KEY.match(compact) else ():
                if key == "金额单位" or (key == "单位" and (value in _MONEY_UNITS or _COUNT_UNIT.match(value))):
                    self._read_unit(r, c, value)
                elif key in _ENTITY_KEYS and value:
                    self._check_entity(r, c, value)

    def _read_unit(self, r, c, value):
        self.table.printed_unit = value
        if value in _MONEY_UNITS:
            self.in_yuan = _MONEY_UNITS[value]
        elif not _COUNT_UNIT.match(value):
            self.error("meta.unit_unknown", r, c, found=value)

    def _check_entity(self, r, c, value):
        self.table.printed_entity = value
        accepted = {cells.label_key(name) for name in self.expectation.entity_names}
        if cells.label_key(value) not in accepted:
            self.error("meta.entity_mismatch", r, c, expected=self.expectation.entity_label, found=value)

    # -- header --------------------------------------------------------------------------
    def _is_number_row(self, r: int) -> bool:
        words, numbers = [], []
        for _, value in enumerate(self.rows[r]):
            if value is None or not cells.text(value):
                continue
            number = cells.int_like(value)
            if number is not None:
                numbers.append(number)
            else:
                words.append(cells.compact(value))
        if not numbers or numbers != list(range(1, len(numbers) + 1)):
            return False
        if any(word in _HEADER_SKIP for word in words):
            return True
        return len(numbers) >= 2 and all(word in _SPLIT_LABELS for word in words)

    def _looks_like_data(self, r: int) -> bool:
        texts = self._row_texts(r)
        if not texts:
            return False
        kind = self.spec.row_kind
        first = self.rows[r][texts[0][0]]
        if kind in (RowKind.SUBJECT, RowKind.ECONOMIC):
            code = cells.compact(first)
            return code in TOTAL_LABELS or code.isdigit()
        if kind is RowKind.LINE:  # a 行次, a figure, or starting with the label of one of the table's rows
            return cells.row_label_key(texts[0][1]) in self._row_labels or any(
                cells.int_like(self.rows[r][c]) is not None or isinstance(self.rows[r][c], float) or _is_number_text(text)
                for c, text in texts
            )
        return any(isinstance(self.rows[r][c], (int, float)) or _is_number_text(t) for c, t in texts)

    def _find_data_start(self, header_start: int) -> int:
        limit = min(len(self.rows), header_start + 10)
        for r in range(header_start, limit):
            if self._is_number_row(r):
                self.number_row = r
                return r + 1
        for r in range(header_start + 1, limit):
            if self._looks_like_data(r) or self._is_note(r):
                return r
        return limit

    def _place_columns(self, header_start: int, data_start: int) -> list[list[Placed]] | None:
        placed, missing, position = self._try_place(header_start, data_start)
        if missing is not None and data_start < len(self.rows):
            # Some templates print the lowest header labels in the 合计 row (上海: 本年支出 over
            # 合计 | 基本支出 | 项目支出 on the row of the table's 合计): read that row as header too.
            retry, still_missing, _ = self._try_place(header_start, data_start, extended=True)
            if still_missing is None:
                placed, missing = retry, None
                self.header_cells = {
                    (data_start, p.index) for block in placed for p in block
                    if p.column.is_value and cells.int_like(self.rows[data_start][p.index]) is None
                    and cells.text(self.rows[data_start][p.index]) and not _is_number_text(cells.text(self.rows[data_start][p.index]))
                }
        if missing is not None:
            self.error("header.missing_column", header_start, position, column=missing.heading)
            return None
        self._check_numbers(placed)
        return placed

    def _try_place(self, header_start: int, header_end: int, extended: bool = False) -> tuple[list[list[Placed]], Column | None, int]:
        """Every block's columns in the header rows [header_start, header_end) — `extended`: or
        with the next row's labels too —, or the first column that is not there (a block after
        the first may be missing where the spec allows)."""
        texts = [header.header_texts(self.rows, header_start, header_end, MAX_COLUMNS, number_row=self.number_row)]
        if extended:
            texts.append(header.header_texts(self.rows, header_start, header_end + 1, MAX_COLUMNS, number_row=self.number_row))
        position = 0
        taken: set[int] = set()
        placed_blocks: list[list[Placed]] = []
        for n, block in enumerate(self.spec.blocks):
            placed: list[Placed] = []
            missing = None
            for column in block.columns:
                found = self._find_column(column, texts, position, taken)
                if found is None:
                    if not column.optional:
                        missing = column
                        break
                    continue
                placed.append(found)
                taken.update(range(found.index, found.index + (3 if found.split else 1)))
                position = max(position, found.index + (3 if found.split else 1))
            if missing is not None:
                if n and self.spec.optional_blocks and not any(p.column.is_value for p in placed):
                    break  # the sheet prints fewer blocks than the spec allows
                return placed_blocks, missing, position
            placed_blocks.append(placed)
        return placed_blocks, None, position

    def _find_column(self, column: Column, variants: list[list[str]], start: int, taken: set[int]) -> Placed | None:
        """The first header column from `start` on whose label names `column` exactly; failing
        that, the first anywhere not yet taken whose labels compose it (group and label).
        `variants`: the header's column labels, read over one or more spans of rows."""
        for c in range(start, MAX_COLUMNS):
            for texts in variants:
                if column.role is Role.CODE and self.spec.row_kind is RowKind.SUBJECT and c + 2 < MAX_COLUMNS:
                    if all(texts[c + i].endswith(word) for i, word in enumerate(_SPLIT_LABELS)):
                        return Placed(column, c, split=True)
                if c not in taken and header.column_match(column, texts[c]) == header.EXACT:
                    return Placed(column, c)
        if column.is_value:
            for c in range(MAX_COLUMNS):
                if c not in taken and any(header.column_match(column, texts[c]) for texts in variants):
                    return Placed(column, c)
        return None

    def _check_numbers(self, placed_blocks: list[list[Placed]]):
        if self.number_row is None:
            return
        for placed in (p for block in placed_blocks for p in block):
            if not placed.column.is_value or placed.column.number is None:
                continue
            printed = cells.int_like(self.rows[self.number_row][placed.index])
            if printed is not None and printed != placed.column.number:
                self.error(
                    "header.column_number",
                    self.number_row,
                    placed.index,
                    column=placed.column.heading,
                    expected=placed.column.number,
                    found=printed,
                )

    # -- data rows -----------------------------------------------------------------------
    def _is_note(self, r: int) -> bool:
        texts = self._row_texts(r)
        if not texts:
            return False
        first = cells.compact(texts[0][1])
        return first.startswith(NOTE_PREFIXES) or bool(_RULE_LINE.match(first))

    def _read_rows(self, data_start: int, placed_blocks: list[list[Placed]]):
        footer_labels = {cells.row_label_key(label): row for row in self.spec.footer for label in row.labels}
        self._carry = {"class": "", "section": ""}
        self._seen: dict[str, int] = {}
        single_done = False
        r = data_start
        for r in range(data_start, len(self.rows)):
            if self._is_note(r):
                break
            if not self._row_texts(r) and self.spec.row_kind is not RowKind.SINGLE:
                continue
            if footer_labels and self._read_footer(r, footer_labels):
                continue
            if self.spec.row_kind is RowKind.SINGLE:
                if single_done:
                    if self._row_texts(r):
                        self.error("table.extra_rows", r, 0, row=r + 1)
                    continue
                single_done = True
            for block, placed in zip(self.spec.blocks, placed_blocks):
                self._read_block_row(r, block, placed)
        else:
            r = len(self.rows)
        self._read_note(r)

    def _read_note(self, r: int):
        notes = []
        for rr in range(r, len(self.rows)):
            texts = [text for _, text in self._row_texts(rr)]
            if texts:
                notes.append(" ".join(texts))
        self.table.note = "\n".join(notes)

    def _read_footer(self, r: int, footer_labels: dict) -> bool:
        texts = self._row_texts(r)
        hits = [(c, footer_labels[cells.row_label_key(t)]) for c, t in texts if cells.row_label_key(t) in footer_labels]
        if not hits:
            return False
        for i, (c, row) in enumerate(hits):
            end = hits[i + 1][0] if i + 1 < len(hits) else len(self.rows[r])
            value_column = next((cc for cc in range(c + 1, end) if self.rows[r][cc] is not None and cells.text(self.rows[r][cc])), None)
            line = self._new_line(r, row.key, cells.text(self.rows[r][c]), c)
            if line is not None and value_column is not None:
                column = self.spec.blocks[0].value_columns[0]
                self._store_value(line, column, r, value_column)
        return True

    def _read_block_row(self, r: int, block, placed: list[Placed]):
        values = [p for p in placed if p.column.is_value]
        keys = {p.column.role: p for p in placed if not p.column.is_value}
        has_values = any(cells.text(self.rows[r][p.index]) for p in values if (r, p.index) not in self.header_cells)
        kind = self.spec.row_kind
        if kind is RowKind.SINGLE:
            key, label = self.spec.blocks[0].rows[0].key, ""
        elif kind is RowKind.LINE:
            resolved = self._line_key(r, block, keys, has_values)
            if resolved is None:
                return
            key, label = resolved
        else:
            resolved = self._code_key(r, keys, has_values)
            if resolved is None or not has_values:
                return  # a code row without figures carries no data
            key, label = resolved
        line = self._new_line(r, key, label, (keys.get(Role.CODE) or keys.get(Role.LABEL) or values[0]).index)
        if line is None:
            return
        for p in values:
            self._store_value(line, p.column, r, p.index)

    def _new_line(self, r: int, key: str, label: str, c: int) -> LineData | None:
        if key in self._seen:
            self.error("row.duplicate_key", r, c, key=key, other=self._seen[key])
            return None
        self._seen[key] = r + 1
        line = LineData(key=key, label=label, sheet_row=r + 1)
        self.table.lines[key] = line
        return line

    def _line_key(self, r: int, block, keys: dict, has_values: bool) -> tuple[str, str] | None:
        label_cell = keys.get(Role.LABEL)
        line_cell = keys.get(Role.LINE)
        label = self._cell_text(r, label_cell.index) if label_cell else ""
        number = cells.int_like(self.rows[r][line_cell.index]) if line_cell else None
        if number is not None:
            key = str(number)
            if not any(row.key == key for row in block.rows):
                self.error("row.unknown_line", r, line_cell.index, found=number)
                return None
            return key, label
        if line_cell and self._cell_text(r, line_cell.index):
            self.error("row.unknown_line", r, line_cell.index, found=self._cell_text(r, line_cell.index))
            return None
        if not label:
            if has_values:
                self.error("row.unknown_label", r, label_cell.index if label_cell else 0, found="")
            return None
        wanted = cells.row_label_key(label)
        for row in block.rows:  # a label printed twice (表04 一般公共预算财政拨款) names the next such row
            if not row.spacer and row.key not in self._seen and wanted in {cells.row_label_key(text) for text in row.labels}:
                return row.key, label
        self.error("row.unknown_label", r, label_cell.index if label_cell else 0, found=label)
        return None

    def _code_key(self, r: int, keys: dict, has_values: bool) -> tuple[str, str] | None:
        code_cell = keys.get(Role.CODE)
        name_cell = keys.get(Role.NAME)
        name = self._cell_text(r, name_cell.index) if name_cell else ""
        span = range(code_cell.index, code_cell.index + (3 if code_cell.split else 1))
        raw = [self.rows[r][c] for c in span]
        if any(cells.compact(v) in TOTAL_LABELS for v in raw) or cells.compact(name) in TOTAL_LABELS:
            if self.spec.row_kind is RowKind.SUBJECT:
                return TOTAL_ROW, "合计"
        try:
            parts = [cells.code_part(v) for v in raw]
        except CellValueError as problem:
            self.error(problem.code, r, code_cell.index, lengths=self._lengths(), **problem.params)
            return None
        if not any(parts):
            if has_values:
                self.error("row.missing_code", r, code_cell.index)
            return None
        code = self._compose_code(parts) if code_cell.split else parts[0]
        if code is None or len(code) not in self.spec.code_lengths:
            # a misprinted code on a row without figures loses nothing: say so, skip the row
            report = self.error if has_values else self.warn
            report("row.bad_code", r, code_cell.index, lengths=self._lengths(), found="".join(parts))
            return None
        self._remember(code)
        return code, name

    def _lengths(self) -> str:
        return "/".join(str(n) for n in self.spec.code_lengths)

    def _compose_code(self, parts: list[str]) -> str | None:
        """类/款/项 columns: each holds its full code (210 | 21015 | 2101501) or its own
        segment (210 | 15 | 01); a segment without its parents inherits them from above."""
        deepest = max(i for i, part in enumerate(parts) if part)
        part = parts[deepest]
        if len(part) in (3, 5, 7) and (deepest == 0 or len(part) > 2):
            return part
        if deepest == 0:
            return part.zfill(3) if len(part) <= 3 else None
        klass = parts[0].zfill(3) if parts[0] else self._carry["class"]
        if deepest == 1:
            return klass + part.zfill(2) if klass else None
        section = (klass + parts[1].zfill(2)) if parts[1] else self._carry["section"]
        if not section or not section.startswith(klass):
            return None
        return section + part.zfill(2)

    def _remember(self, code: str):
        if len(code) == 3:
            self._carry = {"class": code, "section": ""}
        elif len(code) == 5:
            self._carry = {"class": code[:3], "section": code}

    def _store_value(self, line: LineData, column: Column, r: int, c: int):
        if (r, c) in self.header_cells:
            return
        value = self.rows[r][c]
        unit = self.spec.row(line.key).unit if self.spec.row(line.key) and self.spec.row(line.key).unit else column.unit
        try:
            if unit is Unit.COUNT:
                parsed, rounded = cells.count(value), False
            else:
                parsed, rounded = cells.amount(value, in_yuan=self.in_yuan)
        except CellValueError as problem:
            self.error(problem.code, r, c, **problem.params)
            return
        if parsed is Mark.BLANK:
            return
        line.values[column.key] = None if parsed is Mark.NOT_APPLICABLE else parsed
        line.cells[column.key] = address(r, c)
        if rounded:
            self.warn("cell.rounded", r, c, found=cells.text(value), value=f"{parsed:.2f}")

    # -- after the rows ----------------------------------------------------------------
    def _complete_fixed_rows(self):
        """Every fixed row is present: spacers are added, missing printed rows reported."""
        if self.spec.row_kind not in (RowKind.LINE, RowKind.ECONOMIC, RowKind.SINGLE):
            return
        for row in self.spec.fixed_rows:
            line = self.table.lines.get(row.key)
            if line is None:
                if row.spacer or self.spec.row_kind is RowKind.SINGLE:
                    self.table.lines[row.key] = LineData(key=row.key, label=row.label)
                elif row in self.spec.footer:
                    self.error("row.missing_row", label=row.label)
                else:
                    self.error("row.missing_line", line=row.key, label=row.label)
                continue
            if not line.label or row.spacer or self.spec.row_kind is RowKind.SINGLE:
                line.label = line.label or row.label
                continue
            if cells.row_label_key(line.label) not in {cells.row_label_key(label) for label in row.labels}:
                if self.spec.row_kind is RowKind.LINE:
                    r = (line.sheet_row or 1) - 1
                    self.warn("row.label_mismatch", r, 0, line=row.key, expected=row.label, found=line.label)
        if self.spec.row_kind is RowKind.LINE:
            order = {row.key: i for i, row in enumerate(self.spec.fixed_rows)}
            self.table.lines = dict(sorted(self.table.lines.items(), key=lambda item: order.get(item[0], 10**6)))

    def _flag_unknown_codes(self):
        known = self.expectation.known_codes.get(self.spec.row_kind)
        if not known:
            return
        for line in self.table.lines.values():
            if line.key.isdigit() and line.key not in known and (line.sheet_row is not None):
                self.warn(
                    "row.unknown_code",
                    line.sheet_row - 1,
                    0,
                    code=line.key,
                    name=line.label,
                    year=self.expectation.catalog_year or self.expectation.year,
                )


def _is_number_text(text: str) -> bool:
    raw = text.replace(",", "").replace(" ", "")
    try:
        Decimal(raw)
    except Exception:
        return False
    return True
