"""GET /api/years/{year}/figures.csv: a year's current figures, streamed, one row each."""

from __future__ import annotations

import csv
import io

import pytest

from accounts_app.api.bulk import BOM, CSV_COLUMNS
from tests.api.conftest import published_figures

pytestmark = pytest.mark.django_db

HEADER = [header for header, _ in CSV_COLUMNS]


def _rows(response) -> list[dict]:
    text = response.content.decode("utf-8")
    assert text.startswith(BOM)
    reader = csv.reader(io.StringIO(text[len(BOM) :]))
    assert next(reader) == HEADER
    return [dict(zip([field for _, field in CSV_COLUMNS], row)) for row in reader]


def _expected(world, seeds) -> set:
    return {
        (str(world.disclosures[seed].pk), table, row, column, "" if amount is None else f"{amount:.2f}")
        for seed in seeds
        for table, cells in published_figures(seed).items()
        for (row, column), amount in cells.items()
    }


def test_one_row_per_current_figure_of_the_year(api, world):
    response = api("/api/years/2023/figures.csv", max_queries=1)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="figures-2023.csv"'
    rows = _rows(response)
    expected = _expected(world, ["000", "002"])
    assert len(rows) == len(expected)
    assert {(r["disclosure_id"], r["table"], r["row"], r["column"], r["amount"]) for r in rows} == expected
    assert {r["version_id"] for r in rows} == {str(world.disclosures[s].current_version_id) for s in ("000", "002")}


def test_rows_name_their_place_in_words(api, world):
    rows = _rows(api("/api/years/2022/figures.csv"))
    assert len(rows) == len(_expected(world, ["001"]))
    first = rows[0]
    assert first["year"] == "2022" and first["region"] == "420107" and first["region_name"] == "武汉市青山区"
    assert first["department"] == "武汉市青山区医疗保障局" and first["unit"] == "" and first["kind"] == "department"
    assert first["table_title"] == "收入支出决算总表" and first["column_heading"] == "决算数"


def test_it_matches_the_json_figures(api, world):
    rows = _rows(api("/api/years/2023/figures.csv"))
    items = api("/api/figures", year=2023, limit=1000).json()["items"]
    assert [r["amount"] for r in rows] == [i["amount"] or "" for i in items]
    assert [r["label"] for r in rows] == [i["label"] for i in items]


def test_a_year_without_publications_is_just_the_header(api, world):
    assert _rows(api("/api/years/2019/figures.csv")) == []


def test_it_streams(client, world):
    response = client.get("/api/years/2023/figures.csv")
    assert response.streaming
