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

from openpyxl.utils import get_column_letter

from ..dataset import LineData, TableData
from ..specs import TOTAL_ROW, Column, Role, RowKind, TableSpec, Unit
from ..numbers import shown
from . import cells
from .cells import CellValueError, Mark
from .problems import ERROR, WARNING, Problem
from .placement import TOTAL_LABELS, HeaderReader, Placed
from .workbook import STORED_TEXTS



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


class SheetParser(HeaderReader):
    """`label` is the table's number in the region's table set, used until the sheet prints its own;
    `title_row` is -1 for a sheet without a title (mapped by the department); `stored` is the spec
    a form is stored as (`spec.stores_as`), which says which of its cells are optional figures."""

    def __init__(self, spec, sheet, position, rows, title_row, printed_title, expectation, problems, label="", stored=None):
        self.spec: TableSpec = spec
        self.stored: TableSpec | None = stored
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
        self._texts: dict[int, list[tuple[int, str]]] = {}
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
        self._check_title()
        header_start = self._read_meta()
        if header_start is None:
            self.error("header.missing_column", max(self.title_row, 0), 0, column=self.spec.blocks[0].columns[0].label)
            return None
        data_start = self._find_data_start(header_start)
        placed = self._place_columns(header_start, data_start)
        if placed is None:
            return None
        self.table.numbered = self.number_row is not None or any(p.column.role is Role.LINE for b in placed for p in b)
        self._read_rows(data_start, placed)
        self._complete_fixed_rows()
        self._flag_unknown_codes()
        return self.table

    def _cell_text(self, r: int, c: int) -> str:
        return cells.text(self.rows[r][c])

    def fitted(self, text: str, r: int, c: int, what: str, field: str) -> str:
        """`text` as stored: within the length the store keeps for `field` (STORED_TEXTS), else
        reported as an error naming the cell and cut to that length (the draft cannot be submitted)."""
        limit = STORED_TEXTS[field]
        if len(text) <= limit:
            return text
        self.error("text.too_long", r, c, what=what, length=f"{len(text):,}", limit=limit, excerpt=text[:20], found=text[:20] + "…")
        return text[:limit]

    def _check_title(self) -> None:
        printed = self.table.printed_title
        if len(printed) > STORED_TEXTS["printed_title"] and self.title_row >= 0:
            c = next((c for c, text in self._row_texts(self.title_row) if text == printed), 0)
            self.table.printed_title = printed[: STORED_TEXTS["printed_title"]]  # the messages' 「title」 too
            self.fitted(printed, self.title_row, c, "表标题", "printed_title")

    def _label_text(self, r: int, placed, what: str = "") -> str:
        return self.fitted(self._cell_text(r, placed.index), r, placed.index, what or placed.column.label, "label")

    def _row_texts(self, r: int) -> list[tuple[int, str]]:
        """(column, text) of the row's non-blank cells; several steps look at a row, it is read once."""
        found = self._texts.get(r)
        if found is None:
            texts = ((c, cells.text(v)) for c, v in enumerate(self.rows[r]) if v is not None)
            found = self._texts[r] = [(c, text) for c, text in texts if text]
        return found

    # -- data rows -----------------------------------------------------------------------
    def _read_rows(self, data_start: int, placed_blocks: list[list[Placed]]):
        footer_labels = {cells.row_label_key(label): row for row in self.spec.footer for label in row.labels}
        blocks = [  # each block's value columns, and its key columns by role
            (block, [p for p in placed if p.column.is_value], {p.column.role: p for p in placed if not p.column.is_value})
            for block, placed in zip(self.spec.blocks, placed_blocks)
        ]
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
            for block, values, keys in blocks:
                self._read_block_row(r, block, values, keys)
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
            label = self.fitted(cells.text(self.rows[r][c]), r, c, "项目", "label")
            line = self._new_line(r, row.key, label, c)
            if line is not None and value_column is not None:
                column = self.spec.blocks[0].value_columns[0]
                self._store_value(line, column, r, value_column)
        return True

    def _read_block_row(self, r: int, block, values: list[Placed], keys: dict[Role, Placed]):
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
        label = self._label_text(r, label_cell) if label_cell else ""
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
        name = self._label_text(r, name_cell) if name_cell else ""
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
        row = self.spec.row(line.key)
        unit = row.unit if row and row.unit else column.unit
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
        if parsed is Mark.NOT_APPLICABLE and not self._may_be_not_applicable(line.key, column.key):
            what = "数量" if unit is Unit.COUNT else "金额"
            self.error("cell.dash", r, c, what=what, found=shown(value), expected=what)
            return
        line.values[column.key] = None if parsed is Mark.NOT_APPLICABLE else parsed
        line.cells[column.key] = address(r, c)
        if rounded:
            self.warn("cell.rounded", r, c, found=cells.text(value), value=f"{parsed:.2f}")

    def _may_be_not_applicable(self, row: str, column: str) -> bool:
        """Whether the spec leaves the cell without a figure, so that 「——」 may stand in it: the cells
        of a heading row (三公 相关统计数); in a form stored under another's keys, a cell its cell map
        does not carry (a count row's 预算数), or one it carries into a figure the stored form itself
        does not print (its `extra_columns`: the 年初预算数, the 公务接待费 breakdown, which the
        national form does not ask for). Everywhere else a figure is due: 0 where there is none."""
        spec_row = self.spec.row(row)
        if spec_row is not None and spec_row.heading:
            return True
        if not self.spec.stores_as or self.stored is None:
            return False
        carried = next((to for at_row, at_column, _, to in self.spec.cell_map if (at_row, at_column) == (row, column)), None)
        if carried is None:
            return True
        return any(extra.key == carried and extra.unit is Unit.MONEY for extra in self.stored.extra_columns)

    # -- after the rows ----------------------------------------------------------------
    def _complete_fixed_rows(self):
        """Every fixed row is present: spacers are added, missing printed rows reported."""
        if self.spec.row_kind not in (RowKind.LINE, RowKind.ECONOMIC, RowKind.SINGLE):
            return
        for row in self.spec.fixed_rows:
            line = self.table.lines.get(row.key)
            if line is None:
                if row.spacer or self.spec.row_kind is RowKind.SINGLE or (row.subject and not self.table.numbered):
                    # a table without 行次 lists the 类 of its template's edition (Shanghai's 2024
                    # template has 24): a 类 it leaves out holds nothing
                    self.table.lines[row.key] = LineData(key=row.key, label=row.label)
                elif row in self.spec.footer or not self.table.numbered:
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
                self.problems[-1].row = line.key  # services.catalogs finds it again by its code
