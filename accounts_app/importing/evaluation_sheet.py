"""The cells of a 绩效自评表 as importing.performance reads them: texts, amounts, scores and
rates with their bounds, the parts found by their labels and the header columns of a part.
Pure: no database."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from openpyxl.utils import get_column_letter

from ..numbers import AMOUNT_LIMIT as STORED_LIMIT
from ..numbers import NotANumber, cents, parse_number, shown
from ..specs.performance import (
    AMOUNT_LIMIT,
    HEADINGS,
    INDICATOR_COLUMNS,
    INDICATOR_REQUIRED,
    NAME_LABELS,
    PARTS,
    SCORE_LIMIT,
    TEXT_LIMITS,
)
from . import cells
from .problems import ERROR, Problem
from .workbook import MAX_COLUMNS

_SPACES = re.compile(r"[ \t\u3000\xa0]+")
TABLE = "performance"
NAME_KEYS = tuple(cells.label_key(label) for label in NAME_LABELS)


def address(r: int, c: int) -> str:
    """Zero-based indexes to an A1 reference."""
    return f"{get_column_letter(c + 1)}{r + 1}"


@dataclass
class Part:
    key: str
    start: int  # the row holding the part's label
    end: int  # the next part's row


class EvaluationSheet:
    """One 绩效自评表's rows and what reading them found: rows[start] is its title, rows[end]
    the next table's (or the end). The cells, the parts and the headers; `EvaluationReader`
    reads the parts."""

    def __init__(self, sheet: str, rows: list[tuple], start: int, end: int, kind: str):
        self.sheet = sheet
        self.rows = rows
        self.start = start
        self.end = end
        self.kind = kind
        self.problems: list[Problem] = []
        self.name = ""

    # -- reporting ------------------------------------------------------------------------
    def error(self, code: str, r: int | None = None, c: int | None = None, **params):
        params.setdefault("name", self.name or "（未填名称）")
        self.problems.append(
            Problem(
                ERROR,
                code,
                params,
                sheet=self.sheet,
                cell=address(r, c) if r is not None and c is not None else "",
                table=TABLE,
                row=self.name[:30],
                column=str(params.get("column", ""))[:40],
                expected=str(params.get("expected", "")),
                found=str(params.get("found", "")),
            )
        )

    @property
    def failed(self) -> bool:
        return any(p.is_error for p in self.problems)

    # -- cells ----------------------------------------------------------------------------
    def texts(self, r: int, first: int = 0, last: int = MAX_COLUMNS) -> list[tuple[int, str]]:
        return [(c, t) for c, v in enumerate(self.rows[r][first:last], start=first) if (t := plain_text(v))]

    def joined(self, r: int, first: int, last: int, skip: tuple[str, ...] = ()) -> str:
        return " ".join(t for _, t in self.texts(r, first, last) if cells.label_key(t) not in skip)

    def number(self, r: int, c: int | None, column: str, row: str, *, amount: bool = False) -> Decimal | None:
        """A 分值/得分 (or, with amount, a 万元 amount); None for blank, "—" and "-"."""
        if c is None or c >= len(self.rows[r]):
            return None
        limit = min(AMOUNT_LIMIT, STORED_LIMIT) if amount else SCORE_LIMIT
        return self.decimal(r, c, self.rows[r][c], column=column, row=row, expected="数字", limit=limit)

    def rate(self, r: int, c: int | None, row: str) -> Decimal | None:
        """执行率 in percent: "54.2 %", "54.2%" or 54.2 → 54.2."""
        if c is None or c >= len(self.rows[r]):
            return None
        value = self.rows[r][c]
        if isinstance(value, str) and cells.compact(value).endswith("%"):
            value = cells.compact(value)[:-1]
        parsed = self.decimal(r, c, value, column="执行率", row=row, expected="百分数（如 54.2%）", limit=SCORE_LIMIT)
        return None if parsed is None else cents(parsed)

    def decimal(self, r: int, c: int, value, *, column: str, row: str, expected: str, limit: Decimal) -> Decimal | None:
        """A number through numbers.parse_number, below `limit`, to the 分; None for blank and dashes
        (a 资金来源 row's 分值 and 得分 do not apply)."""
        if cells.mark(value) is not None:
            return None
        found = shown(self.rows[r][c])
        try:
            number = parse_number(value, limit=limit)
        except NotANumber as error:
            code = "evaluation.out_of_range" if error.code == "number.out_of_range" else "evaluation.bad_number"
            self.error(code, r, c, column=column, row=row, expected=expected, found=found)
            return None
        if number < 0:
            self.error("evaluation.bad_number", r, c, column=column, row=row, expected=expected, found=found)
            return None
        return cents(number)

    def checked_text(self, text: str, field: str, r: int, c: int | None) -> str:
        limit = TEXT_LIMITS[field]
        if len(text) > limit:
            self.error(
                "evaluation.text_too_long", r, c if c is not None else 0,
                column=HEADINGS[field], length=len(text), limit=limit, found=text[:20] + "…",
            )
            return text[:limit]
        return text

    # -- finding the parts ----------------------------------------------------------------
    def part_of(self, r: int) -> str | None:
        """The part whose label opens row r (its first text), if any."""
        texts = self.texts(r)
        if not texts:
            return None
        key = cells.row_label_key(texts[0][1])
        for part, labels in PARTS.items():
            if any(key.startswith(cells.label_key(label)) for label in labels):
                if part == "indicators" and key != "绩效指标":  # 绩效指标 alone, not an indicator named so
                    continue
                return part
        if self.header_columns(r, INDICATOR_COLUMNS, required=INDICATOR_REQUIRED):
            return "indicators"
        return None

    def parts(self) -> dict[str, Part]:
        found: list[tuple[str, int]] = []
        for r in range(self.start + 1, self.end):
            part = self.part_of(r)
            if part and not (found and found[-1][0] == part and part == "indicators"):
                found.append((part, r))
        parts = {}
        for n, (key, r) in enumerate(found):
            end = found[n + 1][1] if n + 1 < len(found) else self.end
            parts.setdefault(key, Part(key, r, end))
        return parts

    def header_columns(self, r: int, labels: dict, required=()) -> dict[str, int] | None:
        """field -> column of the header cells of row r; None when a required one is missing."""
        found: dict[str, int] = {}
        for c, text in self.texts(r):
            key = cells.label_key(text)
            for field, starts in labels.items():
                if field not in found and any(key.startswith(cells.label_key(s)) for s in starts):
                    found[field] = c
                    break
        if any(field not in found for field in required):
            return None
        return found

    def find_header(self, part: Part, labels: dict, required) -> tuple[int, dict[str, int]] | None:
        for r in range(part.start, min(part.end, part.start + 3)):
            columns = self.header_columns(r, labels, required)
            if columns:
                return r, columns
        return None

    # -- the whole table --------------------------------------------------------------------


def plain_text(value) -> str:
    """A cell's text as written (full-width punctuation kept, unlike cells.text): runs of
    spaces collapsed; lines joined, with a space only between two Latin words."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    lines = [_SPACES.sub(" ", line).strip() for line in str(value).splitlines()]
    text = ""
    for line in filter(None, lines):
        gap = " " if text and text[-1].isascii() and line[0].isascii() else ""
        text += gap + line
    return text


def after_colon(text: str) -> str:
    """"项目名称：综合业务费" → "综合业务费"."""
    for mark in ("：", ":"):
        if mark in text:
            return text.split(mark, 1)[1].strip()
    return ""


def is_heading_label(text: str) -> bool:
    key = cells.label_key(text)
    return key.startswith(("主管部门", "实施单位", *NAME_KEYS))


def fund_label(text: str) -> str:
    """"年度资金总额:" → "年度资金总额"."""
    return text.rstrip(":：").strip()
