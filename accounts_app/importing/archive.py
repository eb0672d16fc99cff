"""The zip package of an upload, checked before openpyxl reads any of it.

Every member is inflated through a counting reader (sizes in headers can lie): bytes, XML tags
("<" bytes) and, in worksheets, merged ranges are counted while inflating, and any DOCTYPE is
refused. What the package declares is read from what it says, never from part names: the
content types ([Content_Types].xml) and the relationships (*.rels) are parsed (an attribute
may spell a type with character references), and every member's first bytes are looked at.
A workbook carrying a VBA project, an Excel 4.0 macro sheet or an ActiveX control is refused,
whatever the parts are called, and so is any OLE compound file inside it (a VBA project, or
an embedded object, is one).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field

from defusedxml.ElementTree import fromstring

from .problems import WorkbookRejected

MAX_PART_BYTES = 50 * 1024 * 1024
MAX_TOTAL_BYTES = 200 * 1024 * 1024
MAX_PARTS = 2000
# XML tags ("<" bytes) a part may hold: a worksheet (parsed lazily, bounded by rows) or any
# other part (styles, shared strings …, parsed whole into objects), and the whole workbook.
# A full disclosure table (2,000 rows × 40 columns, four tags a cell) is 320,000 tags.
MAX_SHEET_TAGS = 1_000_000
MAX_PART_TAGS = 200_000
MAX_TOTAL_TAGS = 1_500_000
# Merged ranges a worksheet may declare: openpyxl makes an object of each (900,000 took 21.5 s
# and 699 MB). A disclosure table merges its header cells, a few dozen; 5,000 is far beyond.
MAX_MERGED_RANGES = 5_000
MAX_PACKAGE_XML = 4 * 1024 * 1024  # [Content_Types].xml or one .rels part, kept to be parsed
ZIP_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}  # what Excel writes

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE2 compound file: .xls, vbaProject.bin, oleObject.bin
SPREADSHEET_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
TEMPLATE_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml"
# Content types and relationship types (lower case) that only macros and controls use: the VBA
# project (vnd.ms-office.vbaProject, …/relationships/vbaProject), its signatures, the
# macro-enabled main parts (vnd.ms-excel.sheet.macroEnabled.main+xml …), Excel 4.0 macro sheets
# (vnd.ms-excel.macrosheet+xml, …/xlMacrosheet, xlIntlMacrosheet) and ActiveX controls
# (vnd.ms-office.activeX+xml, …/activeXControlBinary).
MACRO_WORDS = ("vbaproject", "macroenabled", "macrosheet", "activex")
_DOCTYPES = tuple("<!DOCTYPE".encode(encoding) for encoding in ("ascii", "utf-16-le", "utf-16-be"))
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_MERGED = re.compile(rb"<(?:\w{1,32}:)?mergeCell[\s>/]")
_CHUNK = 1024 * 1024
_TAIL = 64  # bytes of the previous chunk searched again with the next: no tag is split unseen


@dataclass
class Scan:
    parts_with_formulas: set[str] = field(default_factory=set)  # worksheet parts holding a formula
    merged_ranges: dict[str, int] = field(default_factory=dict)  # worksheet part -> its <mergeCell> count


def scan_archive(archive: zipfile.ZipFile) -> Scan:
    """Inflate every member through a counting reader and check what the package declares."""
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
    if any(name.lower().endswith("vbaproject.bin") for name in names):  # the usual name; the content decides below
        raise WorkbookRejected("file.macro")

    scan, totals = Scan(), [0, 0]  # bytes, tags
    package_xml: dict[str, bytes] = {}  # [Content_Types].xml and the .rels parts, to be parsed
    ole_parts = []
    for info in members:
        kept, first = _scan_member(archive, info, scan, totals)
        if first.startswith(OLE_MAGIC):
            ole_parts.append(info.filename)
        if kept is not None:
            package_xml[info.filename] = kept
    _check_declarations(package_xml)
    if ole_parts:
        raise WorkbookRejected("file.ole_part", part=ole_parts[0])
    return scan


def _scan_member(archive, info, scan: Scan, totals: list[int]) -> tuple[bytes | None, bytes]:
    """Count one member; return its bytes when it is package XML to be parsed, and its first bytes."""
    name = info.filename
    is_sheet = name.startswith("xl/worksheets/") and name.endswith(".xml")
    keep = name == "[Content_Types].xml" or name.endswith(".rels")
    tag_limit = MAX_SHEET_TAGS if is_sheet else MAX_PART_TAGS
    size = tags = merged = 0
    tail, first, kept = b"", b"", []
    with archive.open(info) as member:
        while chunk := member.read(_CHUNK):
            if not first:
                first = chunk[:16]
            size += len(chunk)
            totals[0] += len(chunk)
            if size > MAX_PART_BYTES:
                raise WorkbookRejected("file.bomb", part=name, limit="50 MB")
            if totals[0] > MAX_TOTAL_BYTES:
                raise WorkbookRejected("file.bomb", part="全部内容", limit="200 MB")
            count = chunk.count(b"<")
            tags += count
            totals[1] += count
            if tags > tag_limit:
                raise WorkbookRejected("file.too_complex", part=name, limit=f"{tag_limit:,}")
            if totals[1] > MAX_TOTAL_TAGS:
                raise WorkbookRejected("file.too_complex", part="全部内容", limit=f"{MAX_TOTAL_TAGS:,}")
            window = tail + chunk
            if any(doctype in window for doctype in _DOCTYPES):
                raise WorkbookRejected("file.unsafe_xml")
            if is_sheet:
                if name not in scan.parts_with_formulas and _FORMULA.search(window):
                    scan.parts_with_formulas.add(name)
                merged += _count(_MERGED, window) - _count(_MERGED, tail)  # those the tail held were counted
            if keep:
                if size > MAX_PACKAGE_XML:
                    raise WorkbookRejected("file.bomb", part=name, limit="4 MB")
                kept.append(chunk)
            tail = chunk[-_TAIL:]
    if is_sheet and merged:
        scan.merged_ranges[name] = merged
    return (b"".join(kept) if keep else None), first


def _count(pattern: re.Pattern, data: bytes) -> int:
    return sum(1 for _ in pattern.finditer(data)) if data else 0


def _check_declarations(package_xml: dict[str, bytes]) -> None:
    """The content types and relationship types, as parsed: macros and controls are refused,
    and the main part must be a workbook's."""
    types = _parse(package_xml["[Content_Types].xml"])
    declared = [element.get("ContentType", "") for element in types.iter() if _local(element.tag) in ("Default", "Override")]
    if any(word in kind.lower() for kind in declared for word in MACRO_WORDS):
        raise WorkbookRejected("file.macro")
    if SPREADSHEET_MAIN not in declared and TEMPLATE_MAIN not in declared:
        raise WorkbookRejected("file.not_xlsx")
    for name, content in package_xml.items():
        if name == "[Content_Types].xml":
            continue
        for element in _parse(content).iter():
            if _local(element.tag) == "Relationship" and any(word in element.get("Type", "").lower() for word in MACRO_WORDS):
                raise WorkbookRejected("file.macro")


def _parse(content: bytes):
    try:
        return fromstring(content)  # no DOCTYPE: the scan refused any
    except Exception:  # malformed XML: what openpyxl would fail on too
        raise WorkbookRejected("file.corrupt") from None


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
