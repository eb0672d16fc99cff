"""Opening an uploaded workbook safely, before and around openpyxl.

openpyxl protects against XML entity tricks only through defusedxml, and not at all
against zip bombs, fake sheet dimensions or formulas without cached values
(see SECURITY.md). Everything here is bounded: the file's size, every zip member's
inflated size (measured, not trusted from headers) and number of XML tags (openpyxl
builds objects for every tag of styles.xml and sharedStrings.xml, and parses every
cell of a row however wide), the rows and columns read, the length of a cell's text.
Only the zip compression methods Excel writes are accepted: zipfile inflates bzip2 and
LZMA members without any output limit, so a 1 KB member can take gigabytes at once.
No part may declare a DOCTYPE (Excel never writes one; entities need one).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

import openpyxl
from defusedxml import DefusedXmlException
from openpyxl.packaging.relationship import get_dependents, get_rels_path
from openpyxl.reader.excel import ExcelReader
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from .problems import WorkbookRejected

if not openpyxl.DEFUSEDXML:  # pragma: no cover - guarded by requirements.txt
    raise ImportError("defusedxml must be installed: openpyxl relies on it against XML entity attacks")

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_PART_BYTES = 50 * 1024 * 1024
MAX_TOTAL_BYTES = 200 * 1024 * 1024
MAX_PARTS = 2000
MAX_ROWS = 2000  # a disclosure table has far fewer rows
MAX_COLUMNS = 40
TITLE_ROWS = 10  # a table's title stands within its first rows
# XML tags ("<" bytes) a part may hold: a worksheet (parsed lazily, bounded by rows) or any
# other part (styles, shared strings …, parsed whole into objects), and the whole workbook.
# A full disclosure table (2,000 rows × 40 columns, four tags a cell) is 320,000 tags.
MAX_SHEET_TAGS = 1_000_000
MAX_PART_TAGS = 200_000
MAX_TOTAL_TAGS = 1_500_000
MAX_CELL_CHARS = 32_767  # Excel's own limit for the text of a cell
ZIP_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}  # what Excel writes

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and encrypted .xlsx
SPREADSHEET_MAIN = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
TEMPLATE_MAIN = b"application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml"
MACRO_MAIN = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
_DOCTYPES = tuple("<!DOCTYPE".encode(encoding) for encoding in ("ascii", "utf-16-le", "utf-16-be"))
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CHUNK = 1024 * 1024


@dataclass
class OpenedWorkbook:
    data: bytes
    book: openpyxl.Workbook
    parts_with_formulas: set[str] = field(default_factory=set)

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
        """Formula texts by (row, column) index, from a second, formula-preserving read."""
        book = load_read_only(self.data, data_only=False)
        try:
            found = {}
            rows = book[sheet_name].iter_rows(min_row=1, max_row=max_row, max_col=MAX_COLUMNS, values_only=True)
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    if (isinstance(value, str) and value.startswith("=")) or type(value).__name__ in {
                        "ArrayFormula",
                        "DataTableFormula",
                    }:
                        found[(r, c)] = value if isinstance(value, str) else f"={getattr(value, 'text', '')}"
            return found
        finally:
            book.close()

    def close(self) -> None:
        self.book.close()


class _UnsizedSheet(ReadOnlyWorksheet):
    """A read-only sheet whose size is not read when the workbook opens. openpyxl reads it from
    the sheet's <dimension> through a parser fed 16 KB at a time: all of a small sheet's XML is
    parsed for it, and again when its rows are read. Rows are read here within MAX_ROWS and
    MAX_COLUMNS whatever a sheet says its size is, so the sheet is left unsized."""

    def _get_size(self) -> None:
        """Unsized, as ReadOnlyWorksheet.reset_dimensions leaves a sheet."""


class _ReadOnlyReader(ExcelReader):
    """openpyxl's reading of a workbook in read-only mode (openpyxl.reader.excel, as pinned in
    requirements.txt), its sheets unsized."""

    def read_worksheets(self) -> None:
        for sheet, rel in self.parser.find_sheets():
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


def _scan_archive(archive: zipfile.ZipFile) -> set[str]:
    """Inflate every member through a counting reader; return the sheet parts holding formulas."""
    members = archive.infolist()
    if len(members) > MAX_PARTS:
        raise WorkbookRejected("file.too_many_parts", count=len(members))
    for info in members:  # before inflating anything: see the module's docstring
        if info.compress_type not in ZIP_METHODS:
            raise WorkbookRejected("file.zip_method", part=info.filename)
    names = {info.filename for info in members}
    if "[Content_Types].xml" not in names:
        if "mimetype" in names:
            with archive.open("mimetype") as member:  # its first bytes only: it may be a bomb too
                if b"opendocument" in member.read(200):
                    raise WorkbookRejected("file.ods")
        raise WorkbookRejected("file.not_xlsx")
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise WorkbookRejected("file.macro")

    total = total_tags = 0
    with_formulas: set[str] = set()
    for info in members:
        size = tags = 0
        tail = b""
        is_sheet = info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
        tag_limit = MAX_SHEET_TAGS if is_sheet else MAX_PART_TAGS
        with archive.open(info) as member:
            while chunk := member.read(_CHUNK):
                size += len(chunk)
                total += len(chunk)
                if size > MAX_PART_BYTES:
                    raise WorkbookRejected("file.bomb", part=info.filename, limit="50 MB")
                if total > MAX_TOTAL_BYTES:
                    raise WorkbookRejected("file.bomb", part="全部内容", limit="200 MB")
                count = chunk.count(b"<")
                tags += count
                total_tags += count
                if tags > tag_limit:
                    raise WorkbookRejected("file.too_complex", part=info.filename, limit=f"{tag_limit:,}")
                if total_tags > MAX_TOTAL_TAGS:
                    raise WorkbookRejected("file.too_complex", part="全部内容", limit=f"{MAX_TOTAL_TAGS:,}")
                window = tail + chunk
                if any(doctype in window for doctype in _DOCTYPES):
                    raise WorkbookRejected("file.unsafe_xml")
                if is_sheet and info.filename not in with_formulas and _FORMULA.search(window):
                    with_formulas.add(info.filename)
                tail = chunk[-32:]
                if info.filename == "[Content_Types].xml" and size == len(chunk):
                    if MACRO_MAIN in chunk:
                        raise WorkbookRejected("file.macro")
                    if SPREADSHEET_MAIN not in chunk and TEMPLATE_MAIN not in chunk:
                        raise WorkbookRejected("file.not_xlsx")
    return with_formulas


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
            parts_with_formulas = _scan_archive(archive)
        book = load_read_only(data, data_only=True)
    except WorkbookRejected:
        raise
    except DefusedXmlException:
        raise WorkbookRejected("file.unsafe_xml") from None
    except Exception as error:  # openpyxl raises many kinds on malformed parts; none may escape as a 500
        # openpyxl wraps what defusedxml raises in a ValueError ("Unable to read workbook")
        code = "file.unsafe_xml" if _caused_by(error, DefusedXmlException) else "file.corrupt"
        raise WorkbookRejected(code) from None
    return OpenedWorkbook(data=data, book=book, parts_with_formulas=parts_with_formulas)


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
