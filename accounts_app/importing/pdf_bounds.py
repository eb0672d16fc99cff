"""Checking a published PDF before pdfplumber reads it: every bound enforced here, each with
its message (messages.py, codes pdf.*).

pdfminer (under pdfplumber) inflates every stream it touches in one piece, without any
limit, and builds a Python object per character of a page: a 20 MB file can hold a stream
that inflates to gigabytes, or a page of millions of characters. So, in this order:
- the file: at most MAX_FILE_BYTES (the workbooks' bound), starting with ``%PDF-``;
- its filters: only those Word, WPS, ONLYOFFICE and the 决算 software write; LZW and
  run-length streams (which inflate without the checks below) are refused;
- its streams, measured before anything parses them: each Flate stream is inflated here in
  chunks and counted — a font program or image at most MAX_BINARY_STREAM, any other stream
  (page contents, object streams, maps) at most MAX_PLAIN_STREAM, all of them together at
  most MAX_INFLATED;
- then PDFium (pypdfium2, pdfplumber's own dependency, in C) opens it: an encrypted PDF is
  refused, whatever its password; at most MAX_PAGES pages; per page at most MAX_PAGE_CHARS
  characters and MAX_PAGE_OBJECTS drawing objects, counted by PDFium before pdfplumber
  builds anything for them;
- a PDF without a single character is a scan: refused (no OCR).
The reading that follows (importing.pdf_reader) stops after MAX_SECONDS.
"""

from __future__ import annotations

import re
import time
import zlib
from dataclasses import dataclass

import pypdfium2
import pypdfium2.raw as pdfium_c

from .problems import WorkbookRejected
from .workbook import MAX_FILE_BYTES, human_size

PDF_MAGIC = b"%PDF-"
MAX_PAGES = 300  # a 部门决算 with every 绩效自评表 has well under 100 pages
MAX_PAGE_CHARS = 20_000  # a dense table page has about 2,000
MAX_PAGE_OBJECTS = 50_000  # text and path objects of one page (rulings, glyph runs)
MAX_PLAIN_STREAM = 4 * 1024 * 1024  # a page's contents are ~100 KB inflated
MAX_BINARY_STREAM = 64 * 1024 * 1024  # an embedded CJK font, an image
MAX_INFLATED = 256 * 1024 * 1024
MAX_SECONDS = 60.0
CHUNK = 1024 * 1024

_STREAM = re.compile(rb">>\s*stream(?:\r\n|\n|\r)")
_OBJ = re.compile(rb"\d+\s+\d+\s+obj\b")
_REFUSED_FILTERS = re.compile(rb"/(?:LZWDecode|RunLengthDecode)\b")
_BINARY = re.compile(rb"/(?:Length1|Length2|Length3|Subtype)\b")
_FLATE = re.compile(rb"/FlateDecode\b")


@dataclass
class PdfCheck:
    """What the checks found: the pages and the characters of each (PDFium's count)."""

    pages: int
    chars: list[int]
    started: float  # time.perf_counter() when the checks began: the reading's budget counts from it

    def check_time(self) -> None:
        if time.perf_counter() - self.started > MAX_SECONDS:
            raise WorkbookRejected("pdf.too_slow", limit=int(MAX_SECONDS))


def check_pdf(data: bytes) -> PdfCheck:
    """Refuse, with a Chinese message (WorkbookRejected), a file that is not a PDF the portal
    may read; return its page count and characters per page."""
    started = time.perf_counter()
    if not data:
        raise WorkbookRejected("file.empty")
    if len(data) > MAX_FILE_BYTES:
        raise WorkbookRejected("file.too_large", size=human_size(len(data)), limit=human_size(MAX_FILE_BYTES))
    if not data[:1024].lstrip().startswith(PDF_MAGIC):
        raise WorkbookRejected("pdf.not_pdf")
    if _REFUSED_FILTERS.search(data):
        raise WorkbookRejected("pdf.filter")
    _measure_streams(data)
    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        code = "pdf.encrypted" if "password" in str(error).lower() else "pdf.corrupt"
        raise WorkbookRejected(code) from None
    try:
        if pdfium_c.FPDF_GetSecurityHandlerRevision(document.raw) != -1:
            raise WorkbookRejected("pdf.encrypted")
        pages = len(document)
        if pages > MAX_PAGES:
            raise WorkbookRejected("pdf.too_many_pages", count=f"{pages:,}", limit=MAX_PAGES)
        if pages == 0:
            raise WorkbookRejected("pdf.corrupt")
        check = PdfCheck(pages=pages, chars=[], started=started)
        for number in range(pages):
            check.chars.append(_page_chars(document, number))
            check.check_time()
    finally:
        document.close()
    if not any(check.chars):
        raise WorkbookRejected("pdf.scanned")
    return check


def _page_chars(document, number: int) -> int:
    page = document[number]
    try:
        objects = pdfium_c.FPDFPage_CountObjects(page.raw)
        if objects > MAX_PAGE_OBJECTS:
            raise WorkbookRejected("pdf.too_dense", page=number + 1, count=f"{objects:,}", what="绘图对象", limit=f"{MAX_PAGE_OBJECTS:,}")
        text = page.get_textpage()
        try:
            chars = text.count_chars()
        finally:
            text.close()
    finally:
        page.close()
    if chars > MAX_PAGE_CHARS:
        raise WorkbookRejected("pdf.too_dense", page=number + 1, count=f"{chars:,}", what="字符", limit=f"{MAX_PAGE_CHARS:,}")
    return chars


def _measure_streams(data: bytes) -> None:
    """Inflate every Flate stream in chunks, counting, before pdfminer or PDFium would."""
    total = 0
    for match in _STREAM.finditer(data):
        start = match.end()
        end = data.find(b"endstream", start)
        end = len(data) if end < 0 else end
        head = _stream_dictionary(data, match.start())
        if not _FLATE.search(head):
            continue
        binary = bool(_BINARY.search(head))
        limit = MAX_BINARY_STREAM if binary else MAX_PLAIN_STREAM
        size = _inflated_size(data[start:end], limit)
        if size > limit:
            what = "字体或图像数据" if binary else "页面内容"
            raise WorkbookRejected("pdf.bomb", what=what, limit=human_size(limit))
        total += size
        if total > MAX_INFLATED:
            raise WorkbookRejected("pdf.bomb", what="全部数据", limit=human_size(MAX_INFLATED))


def _stream_dictionary(data: bytes, end: int) -> bytes:
    """The bytes from the stream's `N G obj` to its `>>` (at most 4 KB back)."""
    window = data[max(0, end - 4096) : end]
    starts = [m.start() for m in _OBJ.finditer(window)]
    return window[starts[-1] :] if starts else window


def _inflated_size(raw: bytes, limit: int) -> int:
    """Bytes the stream inflates to, counted up to just past `limit`; a stream that is not
    zlib data (encrypted, corrupt) counts what it gave until the error."""
    inflater = zlib.decompressobj()
    size, tail = 0, raw
    try:
        while True:
            out = inflater.decompress(tail, CHUNK)
            size += len(out)
            tail = inflater.unconsumed_tail
            if size > limit or inflater.eof or (not out and not tail):
                return size
    except zlib.error:
        return size
