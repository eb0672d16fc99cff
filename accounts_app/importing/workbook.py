"""Opening an uploaded workbook safely, before and around openpyxl.

openpyxl protects against XML entity tricks only through defusedxml, and not at all
against zip bombs, fake sheet dimensions or formulas without cached values
(see SECURITY.md). Everything here is bounded: the file's size, every zip member's
inflated size (measured, not trusted from headers) and number of XML tags (openpyxl
builds objects for every tag of styles.xml and sharedStrings.xml, and parses every
cell of a row however wide), the rows and columns read, the length of a cell's text.
Only the zip compression methods Excel writes are accepted: zipfile inflates bzip2 and
LZMA members without any output limit, so a 1 KB member can take gigabytes at once.
No part may declare a DOCTYPE (Excel never writes one; entities need one). The package
checks are importing.archive's.

Work is bounded by what is read, not by what is listed: a workbook.xml may list one worksheet
part under thousands of names, and every entry would be read in full (5,000 entries on one
part of a 112 KB file took 59 s). So the sheets are counted (MAX_SHEETS), each part may stand
for one sheet only, a sheet is read only up to its </sheetData> (what follows — merged ranges,
conditional formats, validations — is never parsed), and the formulas of all sheets are read
from one more opening of the workbook, never one per sheet.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

import openpyxl
from defusedxml import DefusedXmlException
from openpyxl.cell.read_only import EMPTY_CELL
from openpyxl.packaging.relationship import get_dependents, get_rels_path
from openpyxl.reader.excel import ExcelReader
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import ROW_TAG, WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

from .archive import MAX_MERGED_RANGES, OLE_MAGIC, scan_archive
from .problems import WorkbookRejected

if not openpyxl.DEFUSEDXML:  # pragma: no cover - guarded by requirements.txt
    raise ImportError("defusedxml must be installed: openpyxl relies on it against XML entity attacks")

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 2000  # a disclosure table has far fewer rows
MAX_COLUMNS = 40
MAX_SHEETS = 100  # nine tables and the 绩效自评表 of the 附件: seed 000 has 23 sheets
TITLE_ROWS = 10  # a table's title stands within its first rows
MAX_CELL_CHARS = 32_767  # Excel's own limit for the text of a cell
# Texts as long as the store keeps them (accounts_app/models/figures.py; tests/imports/test_stored_limits.py
# holds the two together): a longer one is reported with its cell, never cut without a word.
MAX_SHEET_NAME = 100  # VersionTable.sheet_name, SheetMapping.sheet_name, Finding.sheet (Excel itself allows 31)
STORED_TEXTS = {"label": 200, "printed_title": 200, "printed_entity": 200, "printed_unit": 20, "printed_label": 30}

ZIP_MAGIC = b"PK\x03\x04"
DATA_TAG = f"{{{SHEET_MAIN_NS}}}sheetData"


@dataclass
class OpenedWorkbook:
    data: bytes
    book: openpyxl.Workbook
    parts_with_formulas: set[str] = field(default_factory=set)
    _formula_book: openpyxl.Workbook | None = field(default=None, repr=False)

    @property
    def sheet_names(self) -> list[str]:
        return list(self.book.sheetnames)

    def has_formulas(self, sheet_name: str) -> bool:
        path = getattr(self.book[sheet_name], "_worksheet_path", None)
        if path is None:  # pragma: no cover - openpyxl internals moved: check every sheet
            return bool(self.parts_with_formulas)
        return path.lstrip("/") in self.parts_with_formulas

    def rows(self, sheet_name: str) -> Iterator[tuple]:
        """Cached values, row by row, never beyond MAX_ROWS + 1 rows or MAX_COLUMNS columns;
        a text longer than Excel allows in a cell rejects the workbook."""
        sheet = self.book[sheet_name]
        rows = sheet.iter_rows(min_row=1, max_row=MAX_ROWS + 1, max_col=MAX_COLUMNS, values_only=True)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                    raise _cell_too_long(sheet_name, r, c, len(value))
            yield row

    def formulas(self, sheet_name: str, max_row: int) -> dict[tuple[int, int], str]:
        """Formula texts by (row, column) index, from a second, formula-preserving reading of the
        workbook: opened once, on the first sheet with formulas, for all of them."""
        if self._formula_book is None:
            self._formula_book = load_read_only(self.data, data_only=False)
        found = {}
        rows = self._formula_book[sheet_name].iter_rows(min_row=1, max_row=max_row, max_col=MAX_COLUMNS, values_only=True)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if (isinstance(value, str) and value.startswith("=")) or type(value).__name__ in {
                    "ArrayFormula",
                    "DataTableFormula",
                }:
                    found[(r, c)] = value if isinstance(value, str) else f"={getattr(value, 'text', '')}"
        return found

    def close(self) -> None:
        self.book.close()
        if self._formula_book is not None:
            self._formula_book.close()


class _SheetDataParser(WorkSheetParser):
    """openpyxl's worksheet parser (openpyxl.worksheet._reader, as pinned in requirements.txt)
    reading rows only, and only up to </sheetData>: what follows is never parsed (openpyxl
    builds an object per <mergeCell>, conditional format, validation … there)."""

    def parse(self):
        for _, element in iterparse(self.source):
            if element.tag == ROW_TAG:
                row = self.parse_row(element)
                element.clear()
                yield row
            elif element.tag == DATA_TAG:
                return


class _UnsizedSheet(ReadOnlyWorksheet):
    """A read-only sheet whose size is not read when the workbook opens, read up to </sheetData>.
    openpyxl reads the size from the sheet's <dimension> through a parser fed 16 KB at a time: all
    of a small sheet's XML is parsed for it, and again when its rows are read. Rows are read here
    within MAX_ROWS and MAX_COLUMNS whatever a sheet says its size is, so the sheet is left unsized."""

    def _get_size(self) -> None:
        """Unsized, as ReadOnlyWorksheet.reset_dimensions leaves a sheet."""

    def _cells_by_row(self, min_col, min_row, max_col, max_row, values_only=False):
        """ReadOnlyWorksheet._cells_by_row with _SheetDataParser."""
        filler = None if values_only else EMPTY_CELL
        max_col = max_col or self.max_column
        max_row = max_row or self.max_row
        empty_row = (filler,) * (max_col + 1 - min_col) if max_col is not None else []
        counter, idx = min_row, 1
        with self._get_source() as src:
            parser = _SheetDataParser(
                src,
                self._shared_strings,
                data_only=self.parent.data_only,
                epoch=self.parent.epoch,
                date_formats=self.parent._date_formats,
                timedelta_formats=self.parent._timedelta_formats,
            )
            for idx, row in parser.parse():
                if max_row is not None and idx > max_row:
                    break
                for _ in range(counter, idx):  # rows missing from the XML
                    counter += 1
                    yield empty_row
                if counter <= idx:
                    counter += 1
                    yield self._get_row(row, min_col, max_col, values_only)
        if max_row is not None and max_row < idx:
            for _ in range(counter, max_row + 1):
                yield empty_row


class _ReadOnlyReader(ExcelReader):
    """openpyxl's reading of a workbook in read-only mode (openpyxl.reader.excel, as pinned in
    requirements.txt), its sheets unsized; at most MAX_SHEETS sheets, each from a part of its own,
    each name within MAX_SHEET_NAME."""

    def read_worksheets(self) -> None:
        sheets = list(self.parser.find_sheets())
        if len(sheets) > MAX_SHEETS:
            raise WorkbookRejected("file.too_many_sheets", count=f"{len(sheets):,}", limit=MAX_SHEETS)
        by_part: dict[str, str] = {}
        for position, (sheet, rel) in enumerate(sheets, start=1):
            if len(sheet.name) > MAX_SHEET_NAME:
                raise WorkbookRejected(
                    "file.sheet_name_too_long", position=position, length=len(sheet.name), limit=MAX_SHEET_NAME,
                    excerpt=sheet.name[:20],
                )
            other = by_part.setdefault(rel.target, sheet.name)
            if other != sheet.name:
                raise WorkbookRejected("file.repeated_sheet_part", sheet=sheet.name, other=other, part=rel.target)
        for sheet, rel in sheets:
            if rel.target not in self.valid_files:
                continue
            if "chartsheet" in rel.Type:
                self.read_chartsheet(sheet, rel)
                continue
            rels_path = get_rels_path(rel.target)
            if rels_path in self.valid_files:  # parsed as openpyxl does, so a malformed one fails the opening
                get_dependents(self.archive, rels_path)
            worksheet = _UnsizedSheet(self.wb, sheet.name, rel.target, self.shared_strings)
            worksheet.sheet_state = sheet.state
            self.wb._sheets.append(worksheet)


def load_read_only(data: bytes, *, data_only: bool) -> openpyxl.Workbook:
    """openpyxl.load_workbook(read_only=True), its sheets unsized (_UnsizedSheet)."""
    reader = _ReadOnlyReader(io.BytesIO(data), read_only=True, data_only=data_only)
    reader.read()
    return reader.wb


def open_workbook(data: bytes) -> OpenedWorkbook:
    """Check and open an uploaded workbook; raise WorkbookRejected with a Chinese message."""
    if not data:
        raise WorkbookRejected("file.empty")
    if len(data) > MAX_FILE_BYTES:
        raise WorkbookRejected("file.too_large", size=human_size(len(data)), limit=human_size(MAX_FILE_BYTES))
    if data.startswith(OLE_MAGIC):
        raise WorkbookRejected("file.xls")
    if not data.startswith(ZIP_MAGIC):
        raise WorkbookRejected("file.not_xlsx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            scan = scan_archive(archive)
        book = load_read_only(data, data_only=True)
    except WorkbookRejected:
        raise
    except DefusedXmlException:
        raise WorkbookRejected("file.unsafe_xml") from None
    except Exception as error:  # openpyxl raises many kinds on malformed parts; none may escape as a 500
        # openpyxl wraps what defusedxml raises in a ValueError ("Unable to read workbook")
        code = "file.unsafe_xml" if _caused_by(error, DefusedXmlException) else "file.corrupt"
        raise WorkbookRejected(code) from None
    for sheet in book.worksheets:  # merged ranges are never parsed (_SheetDataParser), but bounded all the same
        merged = scan.merged_ranges.get(getattr(sheet, "_worksheet_path", "").lstrip("/"), 0)
        if merged > MAX_MERGED_RANGES:
            book.close()
            raise WorkbookRejected("file.too_many_merged", sheet=sheet.title, count=f"{merged:,}", limit=f"{MAX_MERGED_RANGES:,}")
    return OpenedWorkbook(data=data, book=book, parts_with_formulas=scan.parts_with_formulas)


def _caused_by(error: BaseException, kind: type) -> bool:
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, kind):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def _cell_too_long(sheet_name: str, r: int, c: int, length: int) -> WorkbookRejected:
    rejected = WorkbookRejected("cell.too_long", length=f"{length:,}", limit=f"{MAX_CELL_CHARS:,}")
    rejected.problem.sheet = sheet_name
    rejected.problem.cell = f"{get_column_letter(c + 1)}{r + 1}"
    return rejected


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} 字节"
