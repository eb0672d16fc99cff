"""GET /api/figures: the figures of current published versions, flat, filtered, paged."""

from __future__ import annotations

import pytest

from tests.api.conftest import published_figures
from tests.seeds.transcriptions import SEEDS, load, rows_of

pytestmark = pytest.mark.django_db


def _all(api, **params) -> list[dict]:
    """Every page of a figure query, walked with limit/offset."""
    items, offset = [], 0
    while True:
        page = api("/api/figures", limit=1000, offset=offset, **params).json()
        items += page["items"]
        offset += page["limit"]
        if offset >= page["count"]:
            assert len(items) == page["count"]
            return items


def _expected(seeds, table=None, row=lambda key: True, column=None) -> dict:
    return {
        (seed, t, r, c): None if amount is None else f"{amount:.2f}"
        for seed in seeds
        for t, cells in published_figures(seed).items()
        if table in (None, t)
        for (r, c), amount in cells.items()
        if row(r) and column in (None, c)
    }


def _found(world, items) -> dict:
    seed_of = {d.pk: seed for seed, d in world.disclosures.items()}
    return {(seed_of[i["disclosure_id"]], i["table"], i["row"], i["column"]): i["amount"] for i in items}


def _label(seed, table, row) -> str:
    return next(label for key, label, _ in rows_of(load(seed)["tables"][table]) if key == row)


def test_it_lists_every_current_figure(api, world):
    items = _all(api)
    assert _found(world, items) == _expected(SEEDS)
    assert len(items) == len(_expected(SEEDS))  # no figure twice: the corrected version is left out
    assert {i["version_id"] for i in items} == {d.current_version_id for d in world.disclosures.values()}


def test_each_figure_says_where_it_stands(api, world):
    d = world.disclosures["000"]
    params = {"year": 2023, "region": "410704", "table": "expense", "code": "2080505", "column": "basic"}
    [item] = api("/api/figures", **params).json()["items"]
    assert item == {
        "disclosure_id": d.pk,
        "version_id": d.current_version_id,
        "year": 2023,
        "region": "410704",
        "region_name": "新乡市凤泉区",
        "department_id": d.department_id,
        "department": "新乡市凤泉区医疗保障局",
        "unit": None,
        "kind": "department",
        "table": "expense",
        "table_title": "支出决算表",
        "row": "2080505",
        "label": _label("000", "expense", "2080505"),
        "column": "basic",
        "column_heading": "基本支出",
        "amount": f"{published_figures('000')['expense'][('2080505', 'basic')]:.2f}",
    }


def test_pages_in_fixed_queries(api, world):
    page = api("/api/figures", limit=7, offset=5, max_queries=2).json()
    assert len(page["items"]) == 7 and page["count"] == len(_expected(SEEDS))
    whole = api("/api/figures", limit=12).json()["items"]
    assert page["items"] == whole[5:12]


@pytest.mark.parametrize(
    ("params", "seeds"),
    [
        ({"year": 2022}, ["001"]),
        ({"year": 2023}, ["000", "002"]),
        ({"region": "360113"}, ["002"]),
        ({"kind": "unit"}, ["002"]),
    ],
)
def test_it_filters_by_disclosure(api, world, params, seeds):
    assert _found(world, _all(api, **params)) == _expected(seeds)


def test_it_filters_by_department(api, world):
    items = _all(api, department=world.disclosures["001"].department_id)
    assert _found(world, items) == _expected(["001"])


def test_code_is_exact_unless_prefixed(api, world):
    exact = _all(api, year=2023, table="expense", code="208")
    assert _found(world, exact) == _expected(["000", "002"], "expense", lambda key: key == "208")
    prefixed = _all(api, year=2023, table="expense", code="208", code_prefix="true")
    assert _found(world, prefixed) == _expected(["000", "002"], "expense", lambda key: key.startswith("208"))
    assert {"208", "20805", "2080505"} <= {i["row"] for i in prefixed}


def test_it_filters_by_column(api, world):
    items = _all(api, table="expense", column="project")
    assert _found(world, items) == _expected(SEEDS, "expense", column="project")
    assert {i["column_heading"] for i in items} == {"项目支出"}


def test_nothing_matches(api, world):
    assert api("/api/figures", code="999").json() == {"count": 0, "limit": 100, "offset": 0, "items": []}
