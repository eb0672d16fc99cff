"""Reading a table's header: the labels above each column, and whether a spec column is one of them.

Headers span several rows with merged cells. A read-only workbook gives a merged range's
text in its first cell only, so a label is carried to the right over the empty cells of its
row, but never past a column where a row above starts a new label: the 「公务接待费」 under
「财政拨款“三公”经费」 does not inherit its left neighbour's 「运行维护费」. The bottom row of the
header is never carried (each of its cells is its own column). Pure: no database.
"""

from __future__ import annotations

import re

from ..specs import Column, TableSpec
from . import cells

# The rows between a title and its header: 公开NN表 / 表N / 表七, 部门/单位, 年度, 金额单位.
TABLE_LABEL = re.compile(r"(公开\s*\d+\s*表|表\s*\d+|表[一二三四五六七八九十]+)")
YEAR_CELL = re.compile(r"[(（]?((?:19|20)\d{2})年度?[)）]?")
META_KEY = re.compile(r"(部门名称|单位名称|编制单位|填报单位|金额单位|填报日期|报送日期|部门|单位)[:：]")
_LABEL_CELL = re.compile(r"[(（]?(?:公开\d+表|表\d+|表[一二三四五六七八九十]+)[)）]?")


def meta_pairs(compact: str) -> list[tuple[str, str]]:
    """"部门名称：A单位：万元" → [("部门名称", "A"), ("单位", "万元")]."""
    keys = list(META_KEY.finditer(compact))
    return [
        (key.group(1), compact[key.end() : keys[i + 1].start() if i + 1 < len(keys) else len(compact)])
        for i, key in enumerate(keys)
    ]


def is_meta(text: str) -> bool:
    """A cell of the rows above the header: the table's number, 部门/单位, 年度 or 金额单位."""
    compact = cells.compact(text)
    return bool(
        (META_KEY.match(compact) and meta_pairs(compact)) or _LABEL_CELL.fullmatch(compact) or YEAR_CELL.fullmatch(compact)
    )


def is_meta_row(row: tuple) -> bool:
    texts = [cells.text(value) for value in row if value is not None and cells.text(value)]
    return bool(texts) and all(is_meta(text) for text in texts)

NUMBER_ROW_WORDS = {"栏次", "行次"}  # what a 栏次 row prints besides its numbers

EXACT = 2  # the column's text ends with one of its labels
COMPOSED = 1  # its text holds every part of the column's group and one of its labels


def header_texts(rows: list[tuple], start: int, end: int, width: int, *, number_row: int | None = None) -> list[str]:
    """The label of each column over the header rows [start, end): the texts of the rows
    concatenated top to bottom, merged labels carried to the right as described above.
    The numbers of the 栏次 row (`number_row`) and its 栏次/行次 add nothing."""
    texts = [""] * width
    starts = [False] * width  # a label starts in this column, in this row or one above
    body = list(range(start, end))
    width = min(width, 1 + max((c for r in body for c, v in enumerate(rows[r][:width]) if v is not None), default=-1))
    for n, r in enumerate(body):
        row = rows[r]
        bottom = n == len(body) - 1
        carried = ""
        for c in range(width):
            value = row[c] if c < len(row) else None
            word = cells.label_key(value) if value is not None else ""
            if cells.int_like(value) is not None or (r == number_row and word in NUMBER_ROW_WORDS):
                carried = ""  # a 栏次 number is no label, and ends what was carried
                continue
            if word:
                carried = word
                starts[c] = True
                texts[c] += word
            elif starts[c]:  # a span above ends here, and what this row carried with it
                carried = ""
            elif carried and not bottom:
                texts[c] += carried
    return texts


def header_words(rows: list[tuple], start: int, end: int, width: int) -> list[str]:
    """Every distinct label printed in the header rows, as written (nothing carried)."""
    words: list[str] = []
    for r in range(start, end):
        for value in rows[r][:width]:
            if value is None or cells.int_like(value) is not None:
                continue
            word = cells.label_key(value)
            if word and word not in NUMBER_ROW_WORDS and word not in words:
                words.append(word)
    return words


def once(compute):
    """`compute(obj)` computed once per object. Specs, their columns and rows are built once
    per classification edition and never change; keyed by id (hashing a whole spec costs
    more than the work saved), the object kept alive with its value so the id stays its own."""
    found: dict[int, tuple[object, object]] = {}

    def cached(obj):
        hit = found.get(id(obj))
        if hit is None:
            hit = found[id(obj)] = (obj, compute(obj))
        return hit[1]

    return cached


@once
def _column_words(column: Column) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(its labels, its group's parts), compared as label keys."""
    labels = tuple(cells.label_key(label) for label in column.labels)
    parts = tuple(cells.label_key(part) for part in column.group.split("·") if part)
    return labels, parts


def column_labels(column: Column) -> tuple[str, ...]:
    """The column's label and aliases as label keys."""
    return _column_words(column)[0]


def column_match(column: Column, text: str) -> int:
    """How `text` (a column's header) names `column`: EXACT, COMPOSED or 0."""
    if not text:
        return 0
    labels, parts = _column_words(column)
    if text.endswith(labels):
        return EXACT
    if parts and all(part in text for part in parts) and any(label in text for label in labels):
        return COMPOSED
    return 0


@once
def vocabulary(spec: TableSpec) -> frozenset[str]:
    """Every label the spec's header may print: columns, their groups, block heads."""
    words = {"项目"}
    for block in spec.blocks:
        if block.name:
            words.add(cells.label_key(block.name))
        for column in block.columns:
            labels, parts = _column_words(column)
            words.update(labels, parts)
    return frozenset(words)
