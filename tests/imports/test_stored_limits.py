"""What the importer lets through is what the store keeps: the lengths of the texts read from a
workbook and the range of a figure, held together with the model fields; a longer text is a
finding naming its cell, never cut without a word."""

from __future__ import annotations

import io

import pytest

from accounts_app.importing import workbook
from accounts_app.models import Figure, Finding, Line, SheetMapping, VersionTable
from accounts_app.numbers import AMOUNT_DIGITS, AMOUNT_LIMIT, AMOUNT_PLACES
from accounts_app.services.imports import workbook_import
from tests.conftest import corrected_seed_book

STORED_IN = {"label": Line, "printed_title": VersionTable, "printed_entity": VersionTable, "printed_unit": VersionTable,
             "printed_label": VersionTable}


@pytest.mark.parametrize("field", sorted(workbook.STORED_TEXTS))
def test_each_text_limit_is_its_fields_length(field):
    assert workbook.STORED_TEXTS[field] == STORED_IN[field]._meta.get_field(field).max_length


def test_a_sheet_name_fits_wherever_a_sheet_is_named():
    for model, field in ((VersionTable, "sheet_name"), (SheetMapping, "sheet_name"), (Finding, "sheet")):
        assert model._meta.get_field(field).max_length >= workbook.MAX_SHEET_NAME, (model, field)


def test_the_figure_range_is_the_columns():
    amount = Figure._meta.get_field("amount")
    assert (amount.max_digits, amount.decimal_places) == (AMOUNT_DIGITS, AMOUNT_PLACES)
    assert AMOUNT_LIMIT == 10 ** (amount.max_digits - amount.decimal_places - 1)  # 15 digits: what SQLite gives back


@pytest.mark.django_db
def test_an_entity_name_longer_than_the_store_keeps_is_an_error_naming_its_cell(seed_disclosure):
    book = corrected_seed_book("000")
    name = "新乡市凤泉区医疗保障局" * 20  # 220 characters
    book["公开02表"]["A3"] = f"部门名称：{name}"
    buffer = io.BytesIO()
    book.save(buffer)
    outcome = workbook_import(disclosure=seed_disclosure("000"), data=buffer.getvalue(), filename="long.xlsx")
    [problem] = [p for p in outcome.errors if p.code == "text.too_long"]
    assert (problem.sheet, problem.cell) == ("公开02表", "A3")
    assert problem.message == (
        f"公开02表「收入决算表」：部门（单位）名称过长（220 个字符），超过可保存的 200 个字符：「{name[:20]}…」。请缩短后再上传。"
    )
    stored = VersionTable.objects.get(version=outcome.version, table="income")
    assert stored.printed_entity == name[:200]


@pytest.mark.django_db
def test_a_figure_at_the_top_of_the_range_is_stored_and_one_beyond_is_a_finding(seed_disclosure):
    book = corrected_seed_book("000")
    book["公开02表"]["C11"] = 9_999_999_999_999.99
    book["公开02表"]["C12"] = "10000000000000"
    buffer = io.BytesIO()
    book.save(buffer)
    outcome = workbook_import(disclosure=seed_disclosure("000"), data=buffer.getvalue(), filename="big.xlsx")
    assert [(p.code, p.cell) for p in outcome.errors if p.code.startswith("cell.")] == [("cell.out_of_range", "C12")]
    figures = Figure.objects.filter(line__table__version=outcome.version, line__table__table="income", cell="C11")
    assert [str(amount) for amount in figures.values_list("amount", flat=True)] == ["9999999999999.99"]
