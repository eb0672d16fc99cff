"""The seed workbooks, imported as uploaded: every stored figure equals the seed document
(whole tables, both ways); the checker finds no errors; the seeds' 尾差 are warnings."""

from __future__ import annotations

import pytest

from accounts_app.models import Figure, Finding, VersionTable
from accounts_app.services.imports import workbook_import
from tests.conftest import seed_workbook
from tests.seeds.transcriptions import SEEDS, expected_figures

pytestmark = pytest.mark.django_db


def _import(seed_disclosure, seed):
    disclosure = seed_disclosure(seed)
    path = seed_workbook(seed)
    return workbook_import(disclosure=disclosure, data=path.read_bytes(), filename=path.name)


def stored_figures(version) -> dict:
    return {
        (table, row, column): amount
        for table, row, column, amount in Figure.objects.filter(line__table__version=version).values_list(
            "line__table__table", "line__key", "column", "amount"
        )
    }


@pytest.mark.parametrize("seed", SEEDS)
def test_every_figure_is_stored_as_printed(seed_disclosure, seed):
    outcome = _import(seed_disclosure, seed)
    assert outcome.accepted, [str(p) for p in outcome.errors]
    expected = {
        (table, row, column): amount
        for table, cells in expected_figures(seed).items()
        for (row, column), amount in cells.items()
    }
    assert stored_figures(outcome.version) == expected
    assert set(VersionTable.objects.filter(version=outcome.version).values_list("table", flat=True)) == set(
        expected_figures(seed)
    )


# The errors of the documents themselves: seed 000 prints NaN in 21 偏差度 cells of its 附件.
DOCUMENT_ERRORS = {"000": 21, "001": 0, "002": 0}


@pytest.mark.parametrize("seed", SEEDS)
def test_checker_finds_no_errors_but_the_documents_own(seed_disclosure, seed):
    outcome = _import(seed_disclosure, seed)
    errors = list(outcome.version.findings.filter(severity=Finding.Severity.ERROR))
    assert len(errors) == DOCUMENT_ERRORS[seed]
    for error in errors:  # each names its sheet and cell, and says what it found
        assert error.code == "rule.evaluation_number" and error.found == "NaN"
        assert error.sheet.startswith("附件") and error.cell and "「偏差度」" in error.message and "不是数字" in error.message


# The rounding differences the documents themselves contain (their 尾差), as warnings.
ROUNDING = {
    "000": {
        ("income_expense", "58", "amount"),  # 本年支出合计 373.64 vs Σ类 373.65
        ("income", "total", "total"),
        ("expense", "210", "total"),  # 364.69 vs 基本 + 项目
        ("expense", "21015", "total"),
        ("gpb_expense", "total", "total"),
    },
    "001": set(),
    "002": {
        ("income", "208", "total"),  # 42.42 vs Σ款 42.41
        ("expense", "210", "total"),  # 1,519.39 vs 基本 + 项目 1,519.40
        ("gpb_basic", "301", "amount"),  # 235.06 vs Σ款 235.05
        ("gpb_expense", "total", "basic"),  # 表05 基本 264.47 vs 表06 人员 + 公用 264.48
    },
}


@pytest.mark.parametrize("seed", SEEDS)
def test_rounding_differences_are_warnings(seed_disclosure, seed):
    outcome = _import(seed_disclosure, seed)
    rounding = set(outcome.version.findings.filter(code="check.rounding").values_list("table", "row", "column"))
    assert ROUNDING[seed] <= rounding
    assert all(f.severity == "warning" for f in outcome.version.findings.filter(code="check.rounding"))
    if not ROUNDING[seed]:
        assert not rounding
    sample = outcome.version.findings.filter(code="check.rounding").first()
    if sample:
        assert "在四舍五入尾差范围内" in sample.message and sample.expected and sample.found


def test_misprinted_code_on_an_empty_row_is_a_warning(seed_disclosure):
    outcome = _import(seed_disclosure, "002")
    finding = outcome.version.findings.get(code="row.bad_code")
    assert finding.severity == "warning"
    assert (finding.sheet, finding.cell, finding.table) == ("基本支出", "G21", "gpb_basic")
    assert finding.message == (  # named by the department's own number
        "公开06表「一般公共预算财政拨款基本支出决算明细表」：科目编码格式不正确：应为 3/5 位数字，表中为「310111」。"
    )
