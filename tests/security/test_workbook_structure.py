"""The package of an upload judged by what it declares and what it holds, and work bounded by
what is read: sheets listed twice, merged ranges, macros under other names, formulas read once.
(The corpus in tests/fixtures/bad/ runs each such file through the upload page under the time
and memory limits; these are the variants around them.)"""

from __future__ import annotations

import io
import zipfile

import pytest

from accounts_app.importing import archive, workbook
from accounts_app.importing.problems import WorkbookRejected
from accounts_app.importing.reader import parse_workbook
from accounts_app.importing.workbook import open_workbook
from tests.fixtures.bad.corpus_parts import INCOME, _edit_parts, _seed_bytes
from tests.fixtures.bad.more_cases import (
    OLE_HEADER,
    WORKSHEET_TYPE,
    _add_overrides,
    _add_relationships,
    _add_sheet_entries,
    _with_formula,
    merged_ranges,
)
from tests.security.import_probe import EXPECTATION


def _refused(data: bytes) -> str:
    with pytest.raises(WorkbookRejected) as rejected:
        open_workbook(data)
    return rejected.value.problem.code


# -- macros and OLE parts, whatever they are called ---------------------------------------------------


@pytest.mark.parametrize(
    "kind",
    [
        "application/vnd.ms-office.vbaProject",
        "application/vnd.ms-excel.macrosheet+xml",
        "application/vnd.ms-excel.intlmacrosheet+xml",
        "application/vnd.ms-office.activeX+xml",
        "application/vnd.ms-office.vbaProjectSignature",
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    ],
)
def test_a_macro_content_type_is_refused_whatever_the_part_is_called(kind):
    data = _edit_parts(
        {"[Content_Types].xml": _add_overrides([("/xl/media/picture.xml", kind)])},
        add=[("xl/media/picture.xml", b"<x/>")],
    )
    assert _refused(data) == "file.macro"


def test_a_default_extension_naming_a_vba_project_is_refused():
    def edit(content: bytes) -> bytes:
        return content.replace(b"<Default ", b'<Default Extension="dat" ContentType="application/vnd.ms-office.vbaProject" /><Default ', 1)

    assert _refused(_edit_parts({"[Content_Types].xml": edit})) == "file.macro"


def test_a_content_type_spelled_with_character_references_is_read_as_xml_reads_it():
    spelled = "application/vnd.ms-office.vba&#80;roject"  # &#80; is "P"
    data = _edit_parts({"[Content_Types].xml": _add_overrides([("/xl/media/data.xml", spelled)])}, add=[("xl/media/data.xml", b"<x/>")])
    assert _refused(data) == "file.macro"


@pytest.mark.parametrize(
    "kind",
    [
        "http://schemas.microsoft.com/office/2006/relationships/vbaProject",
        "http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet",
        "http://schemas.microsoft.com/office/2006/relationships/activeXControlBinary",
    ],
)
def test_a_macro_relationship_is_refused_without_any_content_type(kind):
    data = _edit_parts(
        {"xl/_rels/workbook.xml.rels": _add_relationships([("rIdX", kind, "media/data.xml")])},
        add=[("xl/media/data.xml", b"<x/>")],
    )
    assert _refused(data) == "file.macro"


def test_an_ole_compound_file_is_refused_wherever_it_stands():
    data = _edit_parts({}, add=[("docProps/thumbnail.jpeg", OLE_HEADER + bytes(512))])
    assert _refused(data) == "file.ole_part"


def test_a_plain_binary_part_is_not_an_ole_file():
    data = _edit_parts({}, add=[("xl/printerSettings/printerSettings1.bin", b"\x00\x01" * 300)])
    assert open_workbook(data).sheet_names[1] == "公开02表"


# -- sheets: counted, one part each, names within what is stored ---------------------------------------


def test_one_sheet_over_the_limit_is_refused():
    seed_sheets = 23
    assert len(open_workbook(_seed_bytes()).sheet_names) == seed_sheets
    entries = [(f"S{n}", f"rIdS{n}") for n in range(workbook.MAX_SHEETS - seed_sheets + 1)]
    over = _edit_parts(
        {
            "xl/workbook.xml": _add_sheet_entries(entries),
            "xl/_rels/workbook.xml.rels": _add_relationships([(rid, WORKSHEET_TYPE, f"worksheets/s{n}.xml") for n, (_, rid) in enumerate(entries)]),
        },
        add=[(f"xl/worksheets/s{n}.xml", b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>') for n in range(len(entries))],
    )
    with pytest.raises(WorkbookRejected) as rejected:
        open_workbook(over)
    assert rejected.value.problem.message == "工作簿中有 101 个工作表，超过 100 个的上限，不像一份决算公开表，已拒绝。"


def test_two_entries_on_one_part_are_refused_however_the_target_is_written():
    data = _edit_parts(
        {
            "xl/workbook.xml": _add_sheet_entries([("副本", "rIdCopy")]),
            "xl/_rels/workbook.xml.rels": _add_relationships([("rIdCopy", WORKSHEET_TYPE, "../xl/worksheets/./sheet2.xml")]),
        }
    )
    with pytest.raises(WorkbookRejected) as rejected:
        open_workbook(data)
    assert rejected.value.problem.code == "file.repeated_sheet_part"
    assert rejected.value.problem.params["part"] == "xl/worksheets/sheet2.xml"


def test_a_sheet_name_as_long_as_the_store_keeps_is_accepted():
    name = "收" * workbook.MAX_SHEET_NAME
    data = _edit_parts({"xl/workbook.xml": lambda content: content.replace('name="公开02表"'.encode(), f'name="{name}"'.encode())})
    assert open_workbook(data).sheet_names[1] == name
    longer = _edit_parts({"xl/workbook.xml": lambda content: content.replace('name="公开02表"'.encode(), f'name="{name}表"'.encode())})
    assert _refused(longer) == "file.sheet_name_too_long"


# -- merged ranges --------------------------------------------------------------------------------------


def test_merged_ranges_up_to_the_limit_are_read_past_and_one_more_is_refused():
    seed_ranges = 9  # the income sheet's own
    opened = open_workbook(merged_ranges(archive.MAX_MERGED_RANGES - seed_ranges))
    assert len(list(opened.rows("公开02表"))) == 29
    assert _refused(merged_ranges(archive.MAX_MERGED_RANGES - seed_ranges + 1)) == "file.too_many_merged"


def test_merged_ranges_before_the_sheet_data_are_counted_too():
    ranges = b'<mergeCells count="6000">' + b'<x:mergeCell ref="A1:B1"/>' * 6000 + b"</mergeCells>"

    def edit(content: bytes) -> bytes:
        content = content.replace(b"<worksheet ", b'<worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ', 1)
        return content.replace(b"<sheetData>", ranges + b"<sheetData>", 1)

    assert _refused(_edit_parts({INCOME: edit})) == "file.too_many_merged"


def test_a_merged_range_split_between_two_chunks_is_counted_once():
    """The scan inflates 1 MB at a time: a <mergeCell> across the boundary counts once."""
    head = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/><mergeCells>'
    tag = b'<mergeCell ref="A1:B1"/>'
    for cut in range(0, len(tag) + 1):
        padding = b" " * (archive._CHUNK - len(head) - cut)  # the chunk ends `cut` bytes into the tag
        part = head + padding + tag * 3 + b"</mergeCells></worksheet>"
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
            package.writestr("xl/worksheets/sheet1.xml", part)
        scan = archive.Scan()
        with zipfile.ZipFile(buffer) as package:
            archive._scan_member(package, package.infolist()[0], scan, [0, 0])
        assert scan.merged_ranges == {"xl/worksheets/sheet1.xml": 3}, cut


def test_a_sheet_is_never_parsed_past_its_sheet_data():
    """What follows </sheetData> is not read at all: here, XML no parser would accept."""

    def edit(content: bytes) -> bytes:
        return content.replace(b"</sheetData>", b"</sheetData><mergeCells><mergeCell ref=\"A1:B1\"/></mergeCells><pageMargins left='1' left='2'/>")

    opened = open_workbook(_edit_parts({INCOME: edit}))
    assert len(list(opened.rows("公开02表"))) == 29


# -- formulas: read in one more pass over the workbook ---------------------------------------------------


def test_formulas_of_every_sheet_are_read_from_one_more_opening(monkeypatch):
    def with_formulas(content: bytes) -> bytes:  # every table's first cached number becomes a formula
        import re

        return re.sub(rb'<c r="([A-Z]+\d+)"( s="\d+")? t="n"><v>([^<]+)</v></c>', rb'<c r="\1"\2><f>1+0</f><v>\3</v></c>', content, count=1)

    data = _edit_parts({f"xl/worksheets/sheet{n}.xml": with_formulas for n in range(1, 24)} | {INCOME: _with_formula})
    opened = open_workbook(data)
    assert len(opened.parts_with_formulas) >= 20
    openings = []
    real = workbook.load_read_only
    monkeypatch.setattr(workbook, "load_read_only", lambda data, **kw: openings.append(kw) or real(data, **kw))
    try:
        result = parse_workbook(opened, EXPECTATION)
    finally:
        opened.close()
    assert openings == [{"data_only": False}]
    assert not [p for p in result.problems if p.code == "cell.formula_without_value"]


def test_the_seed_opens_and_reads_as_before():
    opened = open_workbook(_seed_bytes())
    try:
        result = parse_workbook(opened, EXPECTATION)
    finally:
        opened.close()
    assert not result.errors
