"""Which disclosure table a sheet holds: the best fit of title and header over every spec.

Never by substring, sheet name, position or printed number. Each spec is scored on
- its title: the printed title, normalised (quotes, spaces and brackets unified; the table's
  number, a year or an entity before 「年度」 and a leading ordinal stripped), against the
  spec's title and its variants, by similarity: 「国有资本经营预算财政拨款收入支出决算表」 is
  close to its own title and far from 「支出决算表」, which it merely contains;
- its header: the spec's value columns (and, for fixed-row tables, its row labels) found
  in the sheet (recall), and the share of what the sheet prints that the spec explains
  (precision), combined as their harmonic mean.
The best fit wins when it is sure: a good score, a title that fits, and a clear lead over
every other table. Otherwise the sheet is unsure, with its candidates. Pure: no database.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

from ..dataset import display_title
from ..specs import Column, RowKind, TableSpec
from . import cells, header

TITLE_ROWS = 10  # a table's title stands within its first rows
HEADER_ROWS = 8  # the header is at most this many rows under the title
LABEL_ROWS = 90  # fixed-row labels are looked for this far down
TITLE_WEIGHT = 0.5
SURE = 0.72  # the best score must reach this …
TITLE_SURE = 0.75  # … with a title that fits at least this well …
MARGIN = 0.08  # … ahead of the best other table by this much
FAIR = 0.45  # below this nothing fits: the sheet is not a disclosure table
FORM_FITS = 0.5  # a form whose header fits less than this is not the form the sheet prints
HEADER_SURE = 0.75  # a header that fits this well says which table it is, whatever the title
CONTENTS_TITLES = 3  # this many different tables' titles on one sheet: a contents page

_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\d+[、.])")
_AMOUNT_TEXT = re.compile(r"^-?[\d,]+\.\d+$")
_FIGURE_TEXT = re.compile(r"^-?[\d,]+(?:\.\d+)?%?$")
NOTE_PREFIXES = ("注", "说明", "备注", "填报说明")


def title_key(value) -> str:
    """A printed title reduced to what identifies the table: 「2022年度收入决算表（表2）」 → 收入决算表."""
    if isinstance(value, str) and len(value) <= cells.SHORT_TEXT:
        return _title_key(value)  # every text of a sheet's first rows is tried as its title
    return _title_key.__wrapped__(value)


@lru_cache(maxsize=cells.CACHED_TEXTS)
def _title_key(value) -> str:
    key = cells.label_key(display_title(cells.text(value)))
    return _ORDINAL.sub("", key).replace("(", "").replace(")", "")


@header.once
def _title_matchers(spec: TableSpec) -> tuple[tuple[str, SequenceMatcher], ...]:
    """Each title variant's key, with a matcher that has already indexed it (the costly half)."""
    keys = dict.fromkeys(title_key(title) for title in spec.titles)
    return tuple((key, SequenceMatcher(None, "", key, autojunk=False)) for key in keys)


@header.once
def _row_keys(spec: TableSpec) -> tuple[frozenset[str], ...]:
    """The label keys of each labelled fixed row."""
    rows = [row for row in spec.fixed_rows if not row.spacer and row.label]
    return tuple(frozenset(cells.row_label_key(label) for label in row.labels) for row in rows)


@header.once
def _fit_columns(spec: TableSpec) -> tuple[Column, ...]:
    """Every value column, and the key columns (科目编码, 科目名称, 项目) a printed form always has."""
    keys = {column.key: column for block in spec.blocks for column in block.columns if not column.is_value and not column.optional}
    return (*spec.value_columns, *keys.values())


@header.once
def _known_scores(spec: TableSpec) -> dict[str, float]:
    return {}


@header.once
def _known_words(spec: TableSpec) -> dict[str, bool]:
    return {}


KNOWN_TITLES = 512  # printed titles remembered per spec: departments print the same few titles
KNOWN_WORDS = 2048  # header labels remembered per spec: the same few recur on every sheet


def title_similarity(printed: str, spec: TableSpec) -> float:
    """How close a printed title (as title_key) is to the spec's title or one of its variants."""
    known = _known_scores(spec)
    score = known.get(printed)
    if score is None:
        score = _similarity(printed, spec)
        if len(known) < KNOWN_TITLES:
            known[printed] = score
    return score


_MATCHING = threading.Lock()  # the matchers are shared: one comparison at a time


def _similarity(printed: str, spec: TableSpec) -> float:
    best = 0.0
    with _MATCHING:
        for candidate, matcher in _title_matchers(spec):
            if printed == candidate:
                return 1.0
            matcher.set_seq1(printed)
            if matcher.real_quick_ratio() > best and matcher.quick_ratio() > best:
                best = max(best, matcher.ratio())
    return best


@dataclass(frozen=True)
class Fit:
    spec: TableSpec
    score: float
    title: float
    recall: float
    precision: float

    @property
    def header(self) -> float:
        total = self.recall + self.precision
        return 2 * self.recall * self.precision / total if total else 0.0


@dataclass
class Identification:
    title_row: int | None = None
    printed_title: str = ""
    fits: list[Fit] = field(default_factory=list)  # best first, one per spec
    contents: bool = False  # a list of table titles, not a table
    header: list[str] = field(default_factory=list)  # the labels printed in the header rows

    @property
    def best(self) -> Fit | None:
        return self.fits[0] if self.fits else None

    @property
    def rival(self) -> Fit | None:
        """The best fit of any other table (another form of the same table counts too)."""
        return self.fits[1] if len(self.fits) > 1 else None

    @property
    def sure(self) -> bool:
        best, rival = self.best, self.rival
        if best is None or self.contents or best.score < SURE or best.title < TITLE_SURE:
            return False
        return rival is None or best.score - rival.score >= MARGIN

    @property
    def titled(self) -> Fit | None:
        """The fit whose title is best (the table the sheet says it is)."""
        return max(self.fits, key=lambda fit: fit.title, default=None)

    @property
    def form_unknown(self) -> bool:
        """The title names one table clearly, none of its forms fits the header, and no
        other table's header fits well either: a form of that table the portal cannot read."""
        titled = self.titled
        if titled is None or self.contents or titled.title < TITLE_SURE:
            return False
        family = titled.spec.family
        if any(fit.spec.family != family and fit.title >= TITLE_SURE for fit in self.fits):
            return False
        if any(fit.spec.family != family and fit.header >= HEADER_SURE for fit in self.fits):
            return False
        return max(fit.header for fit in self.fits if fit.spec.family == family) < FORM_FITS

    @property
    def fitting(self) -> bool:
        """Some table fits at all: the sheet is one, even if not surely which."""
        return self.best is not None and not self.contents and self.best.score >= FAIR

    def candidates(self, limit: int = 3) -> list[Fit]:
        """The plausible tables, best first, one form per table."""
        seen, found = set(), []
        for fit in self.fits:
            if fit.score >= FAIR and fit.spec.family not in seen:
                seen.add(fit.spec.family)
                found.append(fit)
        return found[:limit]


def identify(rows: list[tuple], specs: dict[str, TableSpec], width: int) -> Identification:
    """Score every spec against the sheet's first rows (`rows`: what has been read so far)."""
    title_row, printed, titles = _find_title(rows, specs)
    result = Identification(title_row=title_row, printed_title=printed)
    if len({spec.family for spec, score in titles if score >= 0.9}) >= CONTENTS_TITLES:
        result.contents = True
        return result
    first = (title_row + 1) if title_row is not None else 0
    while first < len(rows) and first < TITLE_ROWS + 2 and (header.is_meta_row(rows[first]) or not any(rows[first])):
        first += 1
    end = _header_end(rows, first)
    texts = [text for text in dict.fromkeys(header.header_texts(rows, first, end, width)) if text]
    words = header.header_words(rows, first, end, width)
    result.header = words
    labels = _row_labels(rows, end)
    index = _label_index(specs)  # every column named exactly by a header text: its label ends the text
    named = {id(column) for text in texts for i in range(len(text)) for column in index.get(text[i:], ())}
    title_scores = dict(((spec.key, score) for spec, score in titles))
    fits = []
    for spec in specs.values():
        title = title_scores.get(spec.key, 0.0)
        recall, precision = _header_fit(spec, texts, words, labels, named)
        fit = Fit(spec, 0.0, title, recall, precision)
        score = TITLE_WEIGHT * title + (1 - TITLE_WEIGHT) * fit.header
        fits.append(Fit(spec, round(score, 4), title, recall, precision))
    result.fits = sorted(fits, key=lambda fit: -fit.score)
    return result


def _find_title(rows, specs) -> tuple[int | None, str, list[tuple[TableSpec, float]]]:
    """The row whose text fits some spec's title best, that text, and every spec's title score
    there; also flags contents pages by counting distinct well-fitting titles over the rows."""
    best_row, best_text, best_score, best_scores = None, "", 0.0, []
    strong: dict[str, float] = {}
    for r, row in enumerate(rows[:TITLE_ROWS]):
        for value in row:
            if not isinstance(value, str):
                continue
            key = title_key(value)
            if len(key) < 4 or len(key) > 60 or "表" not in key or key.startswith(NOTE_PREFIXES):
                continue
            scores = [(spec, title_similarity(key, spec)) for spec in specs.values()]
            top = max(score for _, score in scores)
            for spec, score in scores:
                if score >= 0.9:
                    strong[spec.family] = max(strong.get(spec.family, 0.0), score)
            if top > best_score:
                best_row, best_text, best_score, best_scores = r, cells.text(value), top, scores
    if len(strong) >= CONTENTS_TITLES:
        return best_row, best_text, [(spec, 0.95) for spec in specs.values() if spec.family in strong]
    return best_row, best_text, best_scores


def _is_data_row(row: tuple) -> bool:
    texts = [(value, cells.compact(value)) for value in row if value is not None and cells.compact(value)]
    if not texts:
        return False
    first = texts[0][1]
    if first.startswith(NOTE_PREFIXES) or _ORDINAL.match(first) or (first.isdigit() and 3 <= len(first) <= 7):
        return True
    if any((isinstance(value, float) and not value.is_integer()) or bool(_AMOUNT_TEXT.match(text)) for value, text in texts):
        return True
    # whole numbers are figures unless they count 1, 2, 3 … (a 栏次 row); a text figure such as 10%
    numbers = [cells.int_like(value) for value, _ in texts if cells.int_like(value) is not None]
    if numbers and numbers != list(range(1, len(numbers) + 1)):
        return True
    return any(_FIGURE_TEXT.match(text) and not text.isdigit() for _, text in texts)


def _header_end(rows: list[tuple], first: int) -> int:
    for r in range(first, min(len(rows), first + HEADER_ROWS)):
        if _is_data_row(rows[r]):
            return r
    return min(len(rows), first + HEADER_ROWS)


def _row_labels(rows: list[tuple], start: int) -> set[str]:
    """Row labels printed under the header: texts that are not numbers or codes."""
    keys = {cells.row_label_key(value) for row in rows[start : start + LABEL_ROWS] for value in row if isinstance(value, str)}
    return {key for key in keys if key and not key.startswith(NOTE_PREFIXES) and not _AMOUNT_TEXT.match(key) and not key.isdigit()}


def _header_fit(spec: TableSpec, texts: list[str], words: list[str], labels: set[str], named: set[int]) -> tuple[float, float]:
    columns = _fit_columns(spec)
    found = sum(1 for column in columns if id(column) in named or _column_composed(column, texts))
    total = len(columns)
    explained = sum(1 for word in words if _explains(spec, word))
    printed = len(words)
    if spec.row_kind is RowKind.LINE:
        row_keys = _row_keys(spec)
        found += sum(1 for keys in row_keys if not keys.isdisjoint(labels))
        total += len(row_keys)
        all_keys = set().union(*row_keys) if row_keys else set()
        explained += sum(1 for label in labels if label in all_keys)
        printed += len(labels)
    recall = found / total if total else 0.0
    precision = explained / printed if printed else 0.0
    return recall, precision


def _explains(spec: TableSpec, word: str) -> bool:
    """Whether a label printed in the header is, holds or is part of a label the spec prints."""
    known = _known_words(spec)
    explains = known.get(word)
    if explains is None:
        explains = any(word in v or v in word for v in header.vocabulary(spec))
        if len(known) < KNOWN_WORDS:
            known[word] = explains
    return explains


def _column_composed(column: Column, texts: list[str]) -> bool:
    return bool(column.group) and any(header.column_match(column, text) == header.COMPOSED for text in texts)


@header.once
def _label_index(specs: dict[str, TableSpec]) -> dict[str, list[Column]]:
    """Label key → the columns of any spec printed with that label."""
    index: dict[str, list[Column]] = {}
    for spec in specs.values():
        for column in _fit_columns(spec):
            for label in header.column_labels(column):
                index.setdefault(label, []).append(column)
    return index
