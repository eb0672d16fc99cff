"""GET /api/versions/{id} and /api/versions/{id}/tables/{table}: a published version's
tables, and a table's rows with every figure as stored."""

from __future__ import annotations

import pytest

from accounts_app.api.endpoints import TABLE_NOT_FOUND, VERSION_NOT_FOUND
from accounts_app.models import Line
from accounts_app.specs import specs_for_year
from tests.api.conftest import published_figures
from tests.seeds.transcriptions import SEEDS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("seed", "label"), [("000", "公开01表"), ("001", "表1"), ("002", "公开01表")])
def test_it_lists_the_tables_of_a_version(api, world, seed, label):
    version = world.disclosures[seed].current_version
    body = api(f"/api/versions/{version.pk}", max_queries=2).json()
    assert body["id"] == version.pk and body["disclosure_id"] == version.disclosure_id and body["is_current"]
    specs = specs_for_year(body["year"])
    expected = [
        {"key": t.table, "title": specs[t.table].title, "label": t.printed_label, "rows": t.lines.count()}
        for t in version.tables.order_by("position")
    ]
    assert body["tables"] == expected
    assert body["tables"][0]["label"] == label
    listed = api(f"/api/disclosures/{version.disclosure_id}").json()
    assert body["figures"] == listed["figures"]


def test_a_corrected_version_stays_readable(api, world):
    body = api(f"/api/versions/{world.first.pk}").json()
    assert body["number"] == 1 and body["is_current"] is False and body["correction_note"] == ""


def test_unpublished_versions_are_404(api, world):
    for version in [*world.hidden, None]:
        pk = version.pk if version else 999999
        for path in (f"/api/versions/{pk}", f"/api/versions/{pk}/tables/expense"):
            response = api(path)
            assert response.status_code == 404
            assert response.json() == {"detail": VERSION_NOT_FOUND}


@pytest.mark.parametrize("seed", SEEDS)
def test_a_table_holds_every_published_figure(api, world, seed):
    version = world.disclosures[seed].current_version
    expected = published_figures(seed)
    specs = specs_for_year(version.disclosure.year.year)
    for table in version.tables.all():
        body = api(f"/api/versions/{version.pk}/tables/{table.table}", max_queries=3).json()
        assert body["title"] == specs[table.table].title and body["label"] == table.printed_label
        assert [(c["key"], c["heading"]) for c in body["columns"]] == [
            (c.key, c.heading) for c in specs[table.table].stored_columns
        ]
        assert [row["key"] for row in body["rows"]] == list(
            Line.objects.filter(table=table).order_by("position").values_list("key", flat=True)
        )
        found = {(row["key"], column): amount for row in body["rows"] for column, amount in row["cells"].items()}
        assert found == {
            cell: None if amount is None else f"{amount:.2f}" for cell, amount in expected[table.table].items()
        }


def test_cells_tell_not_applicable_from_blank(api, world):
    """Seed 002's 三公 (items as rows): 国内接待费 年初预算数 is "——" (null); 因公出国（境）费 is blank (absent)."""
    version = world.disclosures["002"].current_version
    [row] = api(f"/api/versions/{version.pk}/tables/three_public").json()["rows"]
    cells = row["cells"]
    assert cells["initial_reception_domestic"] is None  # —— is null
    assert cells["budget_reception_domestic"] == cells["final_reception_domestic"] == "0.10"
    assert "final_abroad" not in cells and "budget_abroad" not in cells  # blank cells are absent
    assert cells["final_total"] == "0.10"
    assert cells["reception_domestic_people"] == "8.00"


def test_counts_come_with_two_decimals_too(api, world):
    version = world.disclosures["002"].current_version
    rows = api(f"/api/versions/{version.pk}/tables/state_assets").json()["rows"]
    amounts = [amount for row in rows for amount in row["cells"].values() if amount is not None]
    assert amounts and all(amount.endswith(".00") for amount in amounts)


def test_an_empty_table_has_no_rows(api, world):
    version = world.disclosures["002"].current_version
    body = api(f"/api/versions/{version.pk}/tables/gov_fund").json()
    assert body["rows"] == [] and body["columns"]


def test_an_absent_table_is_404(api, world):
    version = world.disclosures["000"].current_version
    response = api(f"/api/versions/{version.pk}/tables/state_assets")
    assert response.status_code == 404
    assert response.json() == {"detail": TABLE_NOT_FOUND}
