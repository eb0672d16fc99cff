"""Workbooks as departments really send them: each variation imports, or is stored as a draft
with the error asserted (which keeps it from being submitted). Built at test time from the
seed workbooks with openpyxl."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from accounts_app.models import Figure, Version
from accounts_app.services import workflow
from accounts_app.services.imports import workbook_import
from accounts_app.services.organisations import disclosure_ensure
from tests.conftest import corrected_seed_book, seed_workbook
from tests.imports.test_seed_workbooks import stored_figures
from tests.seeds.transcriptions import expected_figures
from tests.statements import state_the_rest

pytestmark = pytest.mark.django_db


def _book(seed: str) -> openpyxl.Workbook:
    return corrected_seed_book(seed)


def _bytes(book: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_with(book, title: str):
    return next(s for s in book.worksheets if any(c.value == title for row in s.iter_rows(max_row=3) for c in row))


def _cell_with(sheet, predicate):
    return next(c for row in sheet.iter_rows() for c in row if c.value is not None and predicate(c.value))


def _expected(seed):
    return {(t, r, c): a for t, cells in expected_figures(seed).items() for (r, c), a in cells.items()}


def _assert_nothing_stored(disclosure):
    assert not Version.objects.filter(disclosure=disclosure).exists()
    assert not Figure.objects.filter(line__table__version__disclosure=disclosure).exists()


@pytest.fixture
def uploader(django_user_model):
    return django_user_model.objects.create_user("tianbao", password="x")


def _assert_stored_as_a_draft_that_cannot_be_submitted(outcome, user):
    """What was read is kept as a draft; its errors keep it from being submitted."""
    version = outcome.version
    assert outcome.accepted and version.status == Version.Status.DRAFT
    errors = version.findings.filter(severity="error")
    assert sorted(errors.values_list("message", flat=True)) == sorted(p.message for p in outcome.errors)
    with pytest.raises(workflow.TransitionRefused) as refused:
        state_the_rest(version)
        workflow.version_submit(version=version, actor=workflow.Actor(user))
    assert str(refused.value) == f"检查发现 {len(outcome.errors)} 处错误，须修改工作簿并重新上传后才能提交。"
    version.refresh_from_db()
    assert version.status == Version.Status.DRAFT


def _without(expected: dict, *keys) -> dict:
    """The expected figures less whole tables (by key) or single (table, row, column) cells."""
    return {k: v for k, v in expected.items() if k[0] not in keys and k not in keys}


def test_split_codes_and_text_amounts_import(seed_disclosure):
    """Seed 001: 类/款/项 segments in three columns, amounts as "1, 085. 68" text."""
    book = _book("001")
    sheet = _sheet_with(book, "2022年度支出决算表（表3）")
    assert _cell_with(sheet, lambda v: v == "11")  # 款 segment of 21011, printed alone
    assert _cell_with(sheet, lambda v: isinstance(v, str) and re.fullmatch(r"\d{1,3}(?:, \d{3})*\. \d{2}", v))
    assert _cell_with(sheet, lambda v: isinstance(v, str) and re.fullmatch(r"\d{1,3}(?:,\d{3})+\.\d{2}", v))
    outcome = workbook_import(disclosure=seed_disclosure("001"), data=_bytes(book), filename="001.xlsx")
    assert outcome.accepted
    assert stored_figures(outcome.version) == _expected("001")


def test_merged_code_over_three_columns_and_merged_headers_import(seed_disclosure):
    book = _book("002")
    sheet = _sheet_with(book, "收入决算表")
    assert any(str(r) .startswith("A") and ":C" in str(r) for r in sheet.merged_cells.ranges)
    outcome = workbook_import(disclosure=seed_disclosure("002"), data=_bytes(book), filename="002.xlsx")
    assert stored_figures(outcome.version) == _expected("002")


def test_amounts_in_yuan_are_converted(seed_disclosure):
    book = _book("000")
    sheet = _sheet_with(book, "收入决算表")
    _cell_with(sheet, lambda v: v == "单位：万元").value = "单位：元"
    for row in sheet.iter_rows(min_col=3):  # the figures: right of 科目编码 and 科目名称
        if sheet.cell(row[0].row, 1).value == "栏次":
            continue
        for cell in row:
            if isinstance(cell.value, (int, float)):
                cell.value = float(Decimal(str(cell.value)) * 10000)
    outcome = workbook_import(disclosure=seed_disclosure("000"), data=_bytes(book), filename="yuan.xlsx")
    assert outcome.accepted, [str(p) for p in outcome.errors]
    stored = stored_figures(outcome.version)
    assert {k: v for k, v in stored.items() if k[0] == "income"} == {k: v for k, v in _expected("000").items() if k[0] == "income"}
    assert stored[("income", "total", "total")] == Decimal("373.64")


def test_tables_renumbered_and_reordered_are_found_by_title(seed_disclosure):
    book = _book("000")
    book._sheets.reverse()  # the 绩效自评表 of the 附件 first, then 公开09 … 公开01
    for n, sheet in enumerate(book.worksheets, start=1):
        sheet.title = f"Sheet{n}"
    labels = [_cell_with(sheet, lambda v: isinstance(v, str) and v.startswith("公开 ")) for sheet in book.worksheets[14:]]
    for n, label in enumerate(labels, start=1):
        label.value = f"公开 {10 - n:02d} 表"
    outcome = workbook_import(disclosure=seed_disclosure("000"), data=_bytes(book), filename="shuffled.xlsx")
    assert outcome.accepted, [str(p) for p in outcome.errors]
    assert stored_figures(outcome.version) == _expected("000")
    tables = ["income_expense", "income", "expense", "fiscal_income_expense", "gpb_expense", "gpb_basic", "gov_fund",
              "soe_capital", "three_public"]
    assert [s.sheet for s in outcome.sheets] == [sheet.title for sheet in book.worksheets]  # in the workbook's order
    assert [(s.status, s.table, s.label) for s in outcome.sheets] == [("evaluation", "", "")] * 14 + [
        ("read", key, f"公开{n:02d}表") for n, key in reversed(list(enumerate(tables, start=1)))
    ]
    assert outcome.version.evaluations.count() == 14


def test_a_missing_table_is_an_error_that_blocks_submission(seed_disclosure, uploader):
    disclosure = seed_disclosure("000")
    book = _book("000")
    book.remove(_sheet_with(book, "一般公共预算财政拨款基本支出决算明细表"))
    outcome = workbook_import(disclosure=disclosure, data=_bytes(book), filename="missing.xlsx", user=uploader)
    assert [(p.code, p.table, p.message) for p in outcome.errors] == [
        (
            "table.missing",
            "gpb_basic",
            "缺少公开06表「一般公共预算财政拨款基本支出决算明细表」。没有数据的表也须上传（保留表头，数据留空）。",
        )
    ]
    assert "gpb_basic" not in {s.table for s in outcome.sheets}
    assert stored_figures(outcome.version) == _without(_expected("000"), "gpb_basic")  # the other tables, as read
    _assert_stored_as_a_draft_that_cannot_be_submitted(outcome, uploader)


def test_an_extra_unknown_sheet_is_ignored_with_a_warning(seed_disclosure):
    book = _book("000")
    extra = book.create_sheet("填报说明", 0)
    extra["A1"] = "本工作簿由财务科填报，联系人：张三"
    outcome = workbook_import(disclosure=seed_disclosure("000"), data=_bytes(book), filename="extra.xlsx")
    assert outcome.accepted and not outcome.errors
    reason = "工作表「填报说明」不是公开表：前 10 行中没有公开表标题，表头也与各公开表不符，已忽略。"
    [warning] = [p for p in outcome.warnings if p.code == "sheet.ignored"]
    assert (warning.sheet, warning.message) == ("填报说明", reason)
    first = outcome.sheets[0]
    assert (first.sheet, first.position, first.status, first.table, first.reason) == ("填报说明", 0, "ignored", "", reason)
    assert outcome.version.findings.get(code="sheet.ignored").message == reason
    assert stored_figures(outcome.version) == _expected("000")


def _income_total_cell(book):
    sheet = _sheet_with(book, "收入决算表")
    total = _cell_with(sheet, lambda v: v == "合计")
    return sheet, sheet.cell(total.row, 3)


def test_a_formula_without_cached_value_is_an_error_naming_the_cell(seed_disclosure, uploader):
    disclosure = seed_disclosure("000")
    book = _book("000")
    sheet, cell = _income_total_cell(book)
    cell.value = f"=C{cell.row + 1}+C{cell.row + 7}"
    outcome = workbook_import(disclosure=disclosure, data=_bytes(book), filename="formula.xlsx", user=uploader)
    [error] = [p for p in outcome.errors if p.code == "cell.formula_without_value"]
    assert (error.sheet, error.cell) == (sheet.title, cell.coordinate)
    assert error.message == (
        f"公开02表「收入决算表」：单元格是公式（=C{cell.row + 1}+C{cell.row + 7}），但没有保存计算结果。请在 Excel 中打开、重新计算并保存后再上传。"
    )
    # the 合计 is not read (not taken as 0): the rest of the table is, and the 勾稽 that use the 合计 fail
    assert sorted((p.code, p.sheet, p.table, p.row, p.column) for p in outcome.errors if p is not error) == [
        ("check.mismatch", "公开01表", "income_expense", "27", "amount"),
        ("check.mismatch", "公开02表", "income", "total", "total"),
        ("check.mismatch", "公开02表", "income", "total", "total"),
    ]
    [reading] = [s for s in outcome.sheets if s.sheet == sheet.title]
    assert (reading.status, reading.table, reading.headline) == ("read", "income", "")
    assert stored_figures(outcome.version) == _without(_expected("000"), ("income", "total", "total"))
    _assert_stored_as_a_draft_that_cannot_be_submitted(outcome, uploader)


def test_a_formula_with_its_cached_value_is_read(seed_disclosure):
    book = _book("000")
    sheet, cell = _income_total_cell(book)
    cell.value = f"=C{cell.row + 1}+C{cell.row + 7}"
    sheet_index = book.worksheets.index(sheet) + 1
    source = io.BytesIO(_bytes(book))
    target = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == f"xl/worksheets/sheet{sheet_index}.xml":
                xml = data.decode()
                pattern = rf'(<c r="{cell.coordinate}"[^>]*>)<f>([^<]*)</f>(<v\s*/>|<v></v>)?'
                xml, count = re.subn(pattern, r"\1<f>\2</f><v>373.64</v>", xml)
                assert count == 1
                data = xml.encode()
            zout.writestr(item, data)
    outcome = workbook_import(disclosure=seed_disclosure("000"), data=target.getvalue(), filename="cached.xlsx")
    assert outcome.accepted, [str(p) for p in outcome.errors]
    assert stored_figures(outcome.version)[("income", "total", "total")] == Decimal("373.64")


def test_another_departments_workbook_is_an_error_that_blocks_submission(seed_disclosure, uploader):
    disclosure = seed_disclosure("000")
    book = _book("000")
    sheet = _sheet_with(book, "支出决算表")
    cell = _cell_with(sheet, lambda v: isinstance(v, str) and v.startswith("部门名称："))
    cell.value = "部门名称：新乡市凤泉区卫生健康委员会"
    outcome = workbook_import(disclosure=disclosure, data=_bytes(book), filename="other.xlsx", user=uploader)
    [error] = outcome.errors  # the table is there: not also reported missing
    assert error.message == (
        "公开03表「支出决算表」：部门/单位名称不符：本次上传的是「新乡市凤泉区医疗保障局」，表中为「新乡市凤泉区卫生健康委员会」。"
    )
    assert (error.sheet, error.cell, error.table) == (sheet.title, cell.coordinate, "expense")
    assert stored_figures(outcome.version) == _expected("000")  # read in full, kept as a draft
    _assert_stored_as_a_draft_that_cannot_be_submitted(outcome, uploader)


def test_another_years_workbook_is_an_error_on_every_table(seed_disclosure, uploader):
    last_year = seed_disclosure("001")  # the workbook prints 2022年度
    disclosure = disclosure_ensure(region=last_year.region, entity=last_year.department.name, year=2023, kind="department")
    path = seed_workbook("001")
    outcome = workbook_import(disclosure=disclosure, data=path.read_bytes(), filename=path.name, user=uploader)
    titles = [
        "收入支出决算总表", "收入决算表", "支出决算表", "财政拨款收入支出决算总表", "一般公共预算财政拨款支出决算表",
        "一般公共预算财政拨款基本支出决算明细表", "政府性基金预算财政拨款收入支出决算表", "国有资本经营预算财政拨款支出决算表",
        "财政拨款“三公”经费支出决算表",
    ]
    # each named by its own number and its title as printed
    assert sorted((p.sheet, p.cell, p.message) for p in outcome.errors) == [
        (f"表{n}", "A1", f"表{n}「{title}」：年度不符：本次上传的是 2023 年度，表中为 2022 年度。")
        for n, title in enumerate(titles, start=1)
    ]
    assert {s.status for s in outcome.sheets} == {"read"}
    assert stored_figures(outcome.version) == _expected("001")
    _assert_stored_as_a_draft_that_cannot_be_submitted(outcome, uploader)


def test_a_zip_bomb_is_refused_before_openpyxl_reads_it(seed_disclosure):
    source = io.BytesIO(seed_workbook("000").read_bytes())
    target = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, zin.read(item.filename))
        zout.writestr("xl/media/padding.xml", b" " * (60 * 1024 * 1024))
    assert len(target.getvalue()) < 200_000
    disclosure = seed_disclosure("000")
    outcome = workbook_import(disclosure=disclosure, data=target.getvalue(), filename="bomb.xlsx")
    assert [p.message for p in outcome.errors] == ["工作簿解压后过大（xl/media/padding.xml 超过 50 MB），疑似压缩炸弹，已拒绝。"]
    assert not outcome.accepted and not outcome.sheets  # a file that cannot be opened safely: nothing stored
    _assert_nothing_stored(disclosure)


def test_a_cell_at_the_end_of_the_grid_does_not_make_the_import_run_forever(seed_disclosure, uploader):
    book = _book("000")
    sheet = _sheet_with(book, "收入决算表")
    sheet["XFD1048576"] = 1
    outcome = workbook_import(disclosure=seed_disclosure("000"), data=_bytes(book), filename="far.xlsx", user=uploader)
    [error] = outcome.errors  # that sheet is not read; the others are
    assert (error.code, error.sheet, error.message) == (
        "sheet.too_many_rows", sheet.title, "公开02表「收入决算表」：工作表超过 2000 行，不像一张决算公开表，未读取。"
    )
    [reading] = [s for s in outcome.sheets if s.sheet == sheet.title]
    assert (reading.status, reading.table, reading.reason) == (
        "failed",
        "income",
        f"工作表「{sheet.title}」是公开02表「收入决算表」，但工作表超过 2000 行，不像一张决算公开表，未读取。",
    )
    assert stored_figures(outcome.version) == _without(_expected("000"), "income")
    _assert_stored_as_a_draft_that_cannot_be_submitted(outcome, uploader)
