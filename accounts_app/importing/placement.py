"""Reading the rows above a table's data: the title's neighbours (公开NN表, 部门/单位, 年度,
金额单位), the multi-row header and its 栏次 row, and where each spec column stands. Pure:
no database. A mixin of parser.SheetParser, which reads the rows under it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..numbers import is_number
from ..specs import Column, Role, RowKind
from . import cells, header
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


@dataclass
class Placed:
    """A spec column found in the sheet: its first sheet column (three for split codes)."""

    column: Column
    index: int
    split: bool = False


class HeaderReader:
    """Meta rows, header rows and column placement; expects SheetParser's state and reporting."""

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
                self.table.printed_label = self.table.printed_label or self.fitted(label.group(1), r, c, "表号", "printed_label")
            year = _YEAR.search(compact) or header.YEAR_CELL.fullmatch(compact)
            if year and int(year.group(1)) != self.expectation.year:
                self.error("meta.year_mismatch", r, c, expected=self.expectation.year, found=int(year.group(1)))
            for key, value in header.meta_pairs(compact) if header.META_KEY.match(compact) else ():
                if key == "金额单位" or (key == "单位" and (value in _MONEY_UNITS or _COUNT_UNIT.match(value))):
                    self._read_unit(r, c, value)
                elif key in _ENTITY_KEYS and value:
                    self._check_entity(r, c, value)

    def _read_unit(self, r, c, value):
        self.table.printed_unit = self.fitted(value, r, c, "金额单位", "printed_unit")
        if value in _MONEY_UNITS:
            self.in_yuan = _MONEY_UNITS[value]
        elif not _COUNT_UNIT.match(value):
            self.error("meta.unit_unknown", r, c, found=value)

    def _check_entity(self, r, c, value):
        self.table.printed_entity = self.fitted(value, r, c, "部门（单位）名称", "printed_entity")
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
                cells.int_like(self.rows[r][c]) is not None or isinstance(self.rows[r][c], float) or is_number_text(text)
                for c, text in texts
            )
        return any(isinstance(self.rows[r][c], (int, float)) or is_number_text(t) for c, t in texts)

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
                    and cells.text(self.rows[data_start][p.index]) and not is_number_text(cells.text(self.rows[data_start][p.index]))
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

    def _is_note(self, r: int) -> bool:
        texts = self._row_texts(r)
        if not texts:
            return False
        first = cells.compact(texts[0][1])
        return first.startswith(NOTE_PREFIXES) or bool(_RULE_LINE.match(first))


def is_number_text(text: str) -> bool:
    return is_number(text)
