"""The figures a written text is compared with name their source by the department's own
table numbers: 公开01表 for one region, 表1 for another, 表一 for the newer order."""

from __future__ import annotations

import pytest

from accounts_app.narrative.consistency import contradictions, vocabulary
from accounts_app.selectors import version_snapshot
from accounts_app.services.imports import workbook_import
from tests.conftest import seed_workbook

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("seed", "label"), [("000", "公开01表"), ("001", "表1"), ("shanghai_2024", "表一")]
)
def test_a_contradiction_names_the_table_by_the_workbooks_number(seed_disclosure, seed, label):
    path = seed_workbook(seed)
    outcome = workbook_import(disclosure=seed_disclosure(seed), data=path.read_bytes(), filename=path.name)
    snapshot = version_snapshot(outcome.version)
    figures = vocabulary(snapshot.dataset, snapshot.facts)
    [found] = contradictions("本年收入合计 1.00 万元。", figures)
    assert found.source == f"{label} 本年收入合计"
    assert all(not figure.source.startswith(("表0", "「")) for figure in figures), [f.source for f in figures]


def test_full_width_digits_are_read_and_other_digit_forms_are_not_amounts(seed_disclosure):
    path = seed_workbook("000")
    outcome = workbook_import(disclosure=seed_disclosure("000"), data=path.read_bytes(), filename=path.name)
    snapshot = version_snapshot(outcome.version)
    figures = vocabulary(snapshot.dataset, snapshot.facts)
    [found] = contradictions("本年收入合计 １．００ 万元。", figures)
    assert found.source == "公开01表 本年收入合计" and found.written.startswith("1.00")
    assert contradictions("本年收入合计 ¹·⁰⁰ 万元。", figures) == []
    assert contradictions("本年收入合计 ١٫٠٠ 万元。", figures) == []
