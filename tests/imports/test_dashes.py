"""「——」 (or 「－」, 「-」 …) means "not applicable" only where the spec leaves a cell without a
figure; anywhere else it is an error naming the cell, never a cell whose checks are silently off."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from accounts_app.models import Figure
from accounts_app.services.imports import workbook_import
from tests.conftest import corrected_seed_book

pytestmark = pytest.mark.django_db
DASH = "此处应为{what}（没有的填 0），表中为「{found}」：「——」只用于表式中不适用的栏目。"


def _import(seed_disclosure, seed: str, changes: dict[tuple[str, str], object]):
    book = corrected_seed_book(seed)
    for (sheet, cell), value in changes.items():
        book[sheet][cell] = value
    buffer = io.BytesIO()
    book.save(buffer)
    return workbook_import(disclosure=seed_disclosure(seed), data=buffer.getvalue(), filename=f"{seed}.xlsx")


def _dash_errors(outcome):
    return [(p.sheet, p.cell, p.message) for p in outcome.errors if p.code == "cell.dash"]


def _stored(version, column: str):
    return Figure.objects.filter(line__table__version=version, line__table__table="three_public", column=column).values_list(
        "amount", flat=True
    )


def test_the_dashes_seed_002_prints_where_its_form_has_no_figure_stay_not_applicable(seed_disclosure):
    """Its 三公 form (items as rows): the 预算数 of the 公务接待费 breakdown (a figure the national
    form does not ask for), the heading row 二、相关统计数 and the counts' 预算数 columns."""
    outcome = _import(seed_disclosure, "002", {})
    assert outcome.accepted and not _dash_errors(outcome)
    assert list(_stored(outcome.version, "budget_reception_domestic")) == [None]


def test_a_dash_where_the_form_asks_for_a_figure_is_an_error_naming_the_cell(seed_disclosure):
    """Row 2 因公出国（境）费: its 全年预算数 (D7) is one of the national form's twelve figures;
    its 年初预算数 (C7) is one the national form does not print."""
    outcome = _import(seed_disclosure, "002", {("三公", "D7"): "——", ("三公", "C7"): "——"})
    assert _dash_errors(outcome) == [("三公", "D7", f"公开09表「财政拨款“三公”经费支出决算表」：{DASH.format(what='金额', found='——')}")]
    assert list(_stored(outcome.version, "budget_abroad")) == []  # not stored as not applicable
    assert list(_stored(outcome.version, "initial_abroad")) == [None]


def test_a_dash_in_a_count_is_an_error_too(seed_disclosure):
    """Row 15 国内公务接待批次: its 决算数 (E20) is the count itself."""
    outcome = _import(seed_disclosure, "002", {("三公", "E20"): "-"})
    assert [(sheet, cell) for sheet, cell, _ in _dash_errors(outcome)] == [("三公", "E20")]
    assert DASH.format(what="数量", found="-") in _dash_errors(outcome)[0][2]


def test_a_dash_in_a_subject_table_is_an_error_and_a_blank_stays_blank(seed_disclosure):
    outcome = _import(seed_disclosure, "000", {("公开02表", "C8"): "－", ("公开02表", "D8"): None})
    assert [(sheet, cell) for sheet, cell, _ in _dash_errors(outcome)] == [("公开02表", "C8")]
    assert not [p for p in outcome.problems if p.cell == "D8" and p.sheet == "公开02表" and p.code.startswith("cell.")]
    stored = Figure.objects.filter(line__table__version=outcome.version, line__table__table="income", line__key="total")
    assert not stored.filter(column="total").exists()  # neither a figure nor 「——」
    assert stored.filter(column="fiscal").count() == 0  # the blank: nothing stored, nothing said
    assert Decimal("373.64") not in stored.values_list("amount", flat=True)
