"""Reading a published PDF into what the workbook reader reads: rows of cells, one "sheet" per
table, so that identification (importing.identify), parsing (importing.parser) and checking
are the workbooks' own, and a regional variant stays data.

A table is a ruled grid found by pdfplumber (its default, the rulings): its rows and cells as
printed, a cell wrapped over lines joined into one text, an empty cell and a cell covered by
a merged one both empty as in a read-only workbook. Above it go the last lines of text
before it on its page (title, 公开NN表, 部门/单位, 年度, 金额单位), each split into cells where
the words stand apart; under it the 注/说明 lines that follow it. A grid that opens a page with
nothing above it continues the previous page's table when that table closed its page and has
as many columns: its repeated header rows are dropped, its rows added. Page furniture —
running heads and page numbers, recognised as lines in the margins repeated over pages — is
left out.

A sheet is named by its pages (「第5页」, 「第6—7页」), and every cell the reading reports is
named by page, row of the grid on that page and column (「第6页3行2列」), not as A1.

Bounds: importing.pdf_bounds before anything is parsed; rows and columns as for workbooks
(MAX_ROWS, MAX_COLUMNS); the time budget between pages. Pure: no database.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

import pdfplumber
from pdfplumber.utils.text import WordExtractor
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from ..specs import specs_for_year
from . import cells, identify, performance, reader
from .pdf_bounds import check_pdf
from .problems import WorkbookRejected
from .reader import NOT_A_TABLE, Expectation, ParseResult, Status, parse_workbook
from .workbook import MAX_COLUMNS, MAX_ROWS

HEAD_LINES = 6  # lines of text above a grid read with it
NOTE_LINES = 8  # 注/说明 lines under a grid read with it
LINE_TOLERANCE = 3.0  # points: words whose tops differ by less stand on one line
CELL_GAP = 1.0  # a gap wider than this many character heights separates two cells of a line
MARGIN = 0.1  # the top and bottom tenth of a page, where running heads and page numbers stand
FURNITURE_SHARE = 0.3  # a margin line repeated on this share of the pages (and on 3 at least)
NOTE_PREFIXES = identify.NOTE_PREFIXES
_PAGE_NUMBER = re.compile(r"^(?:第?-?#-?页?(?:/?共#页)?|-#-|#/#|第#页,?共#页)$")
_DIGITS = re.compile(r"\d+")


@dataclass
class TextLine:
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    cells: list[str]
    margin: bool = False  # in the top or bottom tenth of its page

    @property
    def text(self) -> str:
        return " ".join(self.cells)


@dataclass
class _Grid:
    page: int
    top: float
    rows: list[list[str | None]]


@dataclass
class PdfSheet:
    name: str
    pages: list[int]
    rows: list[tuple] = field(default_factory=list)
    origin: list[tuple[int, int | None]] = field(default_factory=list)  # per row: page, grid row on it (None: text)
    header: list[list[str | None]] = field(default_factory=list)  # the grid's first rows, to drop when repeated
    width: int = 0
    notes: int = 0


@dataclass
class OpenedPdf:
    """The PDF as the workbook reader reads a workbook (sheet_names, rows, formulas, close),
    with the text outside its tables for the narrative and for matching the document."""

    sheets: dict[str, PdfSheet]
    lines: list[TextLine]
    pages: int
    metadata: dict[str, str]

    @property
    def sheet_names(self) -> list[str]:
        return list(self.sheets)

    def rows(self, sheet_name: str) -> Iterator[tuple]:
        yield from self.sheets[sheet_name].rows

    def has_formulas(self, sheet_name: str) -> bool:
        return False

    def formulas(self, sheet_name: str, max_row: int) -> dict:
        return {}

    def close(self) -> None:
        """Nothing stays open: pdfplumber is closed when the PDF has been read."""


def open_pdf(data: bytes) -> OpenedPdf:
    """Check (importing.pdf_bounds) and read a PDF; raise WorkbookRejected with a Chinese message."""
    check = check_pdf(data)
    pages: list[tuple[list[TextLine], list[_Grid]]] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            metadata = {str(k): v for k, v in (pdf.metadata or {}).items() if isinstance(v, str)}
            for number, page in enumerate(pdf.pages, 1):
                pages.append(_read_page(page, number) if check.chars[number - 1] else ([], []))
                page.close()
                check.check_time()
    except WorkbookRejected:
        raise
    except Exception:  # pdfminer raises many kinds on malformed files; none may escape as a 500
        raise WorkbookRejected("pdf.corrupt") from None
    furniture = _furniture([line for lines, _ in pages for line in lines], len(pages))
    pages = [([line for line in lines if not _is_furniture(line, furniture)], grids) for lines, grids in pages]
    sheets = _sheets(pages)
    return OpenedPdf(
        sheets={sheet.name: sheet for sheet in sheets},
        lines=[line for lines, _ in pages for line in lines],
        pages=len(pages),
        metadata=metadata,
    )


def parse_pdf(opened: OpenedPdf, expectation: Expectation) -> ParseResult:
    """The workbook reader over the PDF's tables. The PDF's other grids (the units of 概况, the
    charts' tables) are passed over without a word; its 绩效自评表 are not read (they print as
    several grids per 表); a department's sheet choices for its workbooks do not apply."""
    mapping = {
        name: NOT_A_TABLE
        for name, sheet in opened.sheets.items()
        if performance.is_evaluation_sheet(sheet.rows[: identify.TITLE_ROWS])
    }
    try:
        result = parse_workbook(opened, replace(expectation, mapping=mapping))
    except WorkbookRejected as rejected:
        if rejected.problem.code == "file.no_tables":
            raise WorkbookRejected("pdf.no_tables", **rejected.problem.params) from None
        raise
    result.sheets = [s for s in result.sheets if s.status not in (Status.IGNORED, Status.EXCLUDED)]
    result.problems = [p for p in result.problems if p.code != "sheet.ignored"]
    for problem in result.problems:
        problem.cell = pdf_cell(opened, problem.sheet, problem.cell)
    for table in result.dataset.tables.values():
        for line in table.lines.values():
            line.cells = {column: pdf_cell(opened, table.sheet, cell) for column, cell in line.cells.items()}
    return result


def require_tables(opened: OpenedPdf, year: int) -> None:
    """Refuse a PDF none of whose grids fits any disclosure table (identified as a workbook's
    sheet is), before it is matched to a department: a PDF of something else."""
    specs = specs_for_year(year)
    for sheet in opened.sheets.values():
        if identify.identify(sheet.rows[: reader.HEAD_ROWS], specs, MAX_COLUMNS).fitting:
            return
    titles = [spec.title for spec in list(specs.values())[:2]]
    raise WorkbookRejected("pdf.no_tables", examples="".join(f"“{title}”" for title in titles))


def pdf_cell(opened: OpenedPdf, sheet_name: str, cell: str) -> str:
    """An A1 reference of a sheet as the PDF prints it: 「第6页3行2列」 (grid row and column on
    that page), 「第6页表外」 for the text around the grid."""
    sheet = opened.sheets.get(sheet_name)
    if sheet is None or not cell:
        return cell
    try:
        letters, row = coordinate_from_string(cell)
    except ValueError:
        return cell
    if not 0 < row <= len(sheet.origin):
        return cell
    page, grid_row = sheet.origin[row - 1]
    if grid_row is None:
        return f"第{page}页表外"
    return f"第{page}页{grid_row}行{column_index_from_string(letters)}列"


# -- one page ---------------------------------------------------------------------------------


def _read_page(page, number: int) -> tuple[list[TextLine], list[_Grid]]:
    tables = page.find_tables()
    grids = [_Grid(number, table.bbox[1], [[_cell(value) for value in row] for row in table.extract()]) for table in tables]
    boxes = [table.bbox for table in tables]
    outside = [char for char in page.chars if not any(_inside(char, box) for box in boxes)]  # the grids' text is read
    words = WordExtractor(extra_attrs=["size"]).extract_words(outside)
    return _lines(words, number, float(page.height)), [grid for grid in grids if grid.rows]


def _inside(word: dict, box: tuple) -> bool:
    x = (word["x0"] + word["x1"]) / 2
    y = (word["top"] + word["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _cell(value: str | None) -> str | None:
    """A cell's text, its lines joined (a space only between two Latin letters or digits);
    None for an empty cell, as a workbook reads it."""
    if not value:
        return None
    text = ""
    for part in value.split("\n"):
        part = part.strip()
        if text and part and _latin(text[-1]) and _latin(part[0]):
            text += " "
        text += part
    return text or None


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _lines(words: list[dict], page: int, height: float) -> list[TextLine]:
    """Words on one line grouped, in reading order; a line's cells split at wide gaps."""
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if lines and abs(word["top"] - lines[-1][0]["top"]) < LINE_TOLERANCE:
            lines[-1].append(word)
        else:
            lines.append([word])
    found = []
    for line in lines:
        line.sort(key=lambda w: w["x0"])
        texts, previous = [], None
        for word in line:
            gap = word["x0"] - previous["x1"] if previous else None
            if gap is None or gap > CELL_GAP * max(word["size"], 1.0):
                texts.append(word["text"])
            else:
                texts[-1] += (" " if gap > 0.15 * word["size"] else "") + word["text"]
            previous = word
        top, bottom = min(w["top"] for w in line), max(w["bottom"] for w in line)
        margin = bottom < height * MARGIN or top > height * (1 - MARGIN)
        size = max(w["size"] for w in line)
        found.append(TextLine(page, top, bottom, line[0]["x0"], line[-1]["x1"], size, texts, margin))
    return found


# -- page furniture ------------------------------------------------------------------------------


def _furniture_key(line: TextLine) -> str:
    return _DIGITS.sub("#", cells.compact(line.text))


def _furniture(lines: list[TextLine], pages: int) -> set[str]:
    """The margin lines repeated over the pages (digits aside: 「第 3 页 / 共 29 页」)."""
    counts = Counter()
    for key, page in {(_furniture_key(line), line.page) for line in lines if line.margin}:
        counts[key] += 1
    needed = max(3, FURNITURE_SHARE * pages)
    return {key for key, count in counts.items() if count >= needed}


def _is_furniture(line: TextLine, furniture: set[str]) -> bool:
    if not line.margin:
        return False
    key = _furniture_key(line)
    return key in furniture or bool(_PAGE_NUMBER.match(key))


# -- tables as sheets -----------------------------------------------------------------------------


def _sheets(pages: list[tuple[list[TextLine], list[_Grid]]]) -> list[PdfSheet]:
    sheets: list[PdfSheet] = []
    current: PdfSheet | None = None
    table_last = False  # the last thing read (over page breaks) was a grid
    for number, (lines, grids) in enumerate(pages, 1):
        items = sorted([*lines, *grids], key=lambda item: item.top)
        pending: list[TextLine] = []
        previous_note: TextLine | None = None
        for item in items:
            if isinstance(item, TextLine):
                table_last = False
                if current is not None and _is_note_line(item, current, previous_note, number):
                    _add_text(current, item)
                    current.notes += 1
                    previous_note = item
                    continue
                previous_note = None
                if current is not None:
                    current.notes = NOTE_LINES  # notes end at the first other line
                pending.append(item)
                continue
            width = max(len(row) for row in item.rows)
            if current is not None and table_last and not pending and current.pages[-1] == number - 1 and current.width == width:
                _continue(current, item)
            else:
                current = _new_sheet(pending[-HEAD_LINES:], item, width, {s.name for s in sheets})
                sheets.append(current)
            table_last, pending, previous_note = True, [], None
    for sheet in sheets:
        _square(sheet)
    return sheets


def _is_note_line(line: TextLine, sheet: PdfSheet, previous: TextLine | None, page: int) -> bool:
    """A 注/说明 line under the sheet's grid on the same page, or the next line of one."""
    if sheet.pages[-1] != page or sheet.notes >= NOTE_LINES:
        return False
    if cells.compact(line.text).startswith(NOTE_PREFIXES):
        return True
    return previous is not None and line.top - previous.bottom < 0.8 * line.size and abs(line.size - previous.size) < 0.5


def _new_sheet(head: list[TextLine], grid: _Grid, width: int, taken: set[str]) -> PdfSheet:
    name, n = f"第{grid.page}页", 1
    while name in taken:
        n += 1
        name = f"第{grid.page}页（{n}）"
    sheet = PdfSheet(name=name, pages=[grid.page], width=width, header=grid.rows[: identify.HEADER_ROWS])
    for line in head:
        _add_text(sheet, line)
    _add_grid(sheet, grid, grid.rows)
    return sheet


def _continue(sheet: PdfSheet, grid: _Grid) -> None:
    """The rest of the sheet's table on the next page, its repeated header rows dropped."""
    repeated = 0
    while repeated < min(len(grid.rows), len(sheet.header)) and grid.rows[repeated] == sheet.header[repeated]:
        repeated += 1
    if repeated == len(grid.rows):
        repeated = 0  # a grid of header rows only is not a repetition
    first = sheet.pages[0]
    sheet.pages.append(grid.page)
    if first != grid.page:
        sheet.name = f"第{first}—{grid.page}页" if sheet.name == f"第{first}页" else sheet.name
    _add_grid(sheet, grid, grid.rows[repeated:], offset=repeated)


def _add_text(sheet: PdfSheet, line: TextLine) -> None:
    if len(sheet.rows) <= MAX_ROWS:
        sheet.rows.append(tuple(line.cells))
        sheet.origin.append((line.page, None))


def _add_grid(sheet: PdfSheet, grid: _Grid, rows: list, offset: int = 0) -> None:
    for n, row in enumerate(rows, 1 + offset):
        if len(sheet.rows) > MAX_ROWS:  # the reader reports a sheet of more than MAX_ROWS
            return
        sheet.rows.append(tuple(row))
        sheet.origin.append((grid.page, n))


def _square(sheet: PdfSheet) -> None:
    """Every row as wide as the widest (within MAX_COLUMNS), as a workbook's rows are."""
    width = min(MAX_COLUMNS, max((len(row) for row in sheet.rows), default=0))
    sheet.rows = [tuple(row[:width]) + (None,) * (width - len(row[:width])) for row in sheet.rows]
