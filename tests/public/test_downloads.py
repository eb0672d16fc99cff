"""Downloads of a published version: the whole workbook re-imports with identical figures;
each table as xlsx and csv."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from accounts_app.models import Figure
from accounts_app.services.imports import workbook_import
from tests.seeds.transcriptions import SEEDS, expected_figures

pytestmark = pytest.mark.django_db


def _figures(version):
    return set(
        Figure.objects.filter(line__table__version=version).values_list("line__table__table", "line__key", "column", "amount")
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_downloaded_workbook_reimports_with_identical_figures(client, publish_seed, seed):
    version = publish_seed(seed)
    response = client.get(f"/disclosures/{version.disclosure_id}/versions/{version.number}/tables.xlsx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    outcome = workbook_import(disclosure=version.disclosure, data=response.getvalue(), filename="download.xlsx")
    assert outcome.accepted, [str(p) for p in outcome.errors]
    assert outcome.version.number == version.number + 1
    assert _figures(outcome.version) == _figures(version)
    assert {(t, r, c, a) for t, cells in expected_figures(seed).items() for (r, c), a in cells.items()} == _figures(version)


def test_each_table_as_xlsx_and_csv(client, publish_seed):
    version = publish_seed("001")
    base = f"/disclosures/{version.disclosure_id}/versions/{version.number}/tables"
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"{base}/gpb_basic.xlsx").getvalue()))
    assert [sheet.title for sheet in book.worksheets] == ["表6"]
    text = client.get(f"{base}/income.csv").getvalue().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["科目编码", "科目名称", "本年收入合计"]
    expected = expected_figures("001")["income"]
    total = next(row for row in rows if row[0] == "合计")
    assert total[2] == f"{expected[('total', 'total')]:.2f}"
    assert client.get(f"{base}/nothing.csv").status_code == 404
    assert client.get(f"{base}/income.pdf").status_code == 404


def test_drafts_are_not_downloadable_by_the_public(client, seed_disclosure):
    from tests.workflow.conftest import make_version

    disclosure = seed_disclosure("000")
    draft = make_version(disclosure, "draft")
    assert client.get(f"/disclosures/{disclosure.pk}/versions/{draft.number}/tables.xlsx").status_code == 404
    assert client.get(f"/disclosures/{disclosure.pk}/versions/{draft.number}/disclosure.pdf").status_code == 404
