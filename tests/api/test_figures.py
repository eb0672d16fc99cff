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
    page = api("/api/figures", limit=7, offset=5, max_queries=3).json()
    assert len(page["items"]) == 7 and page["count"] == len(_expected(SEEDS))
    whole = api("/api/figures", limit=12).json()["items"]
    assert page["items"] == whole[5:12]


@pytest.mark.parametrize("params", [{}, {"table": "expense"}, {"year": 2023}])
def test_pages_across_versions_are_slices_of_one_list(api, world, params):
    """A page is found from the stored figure counts of the versions: pages that start in
    one version and end in the next, or start exactly where a version starts, still cut
    the one list in order, none missed or twice."""
    whole = api("/api/figures", limit=1000, **params).json()
    assert whole["count"] == len(whole["items"]) < 1000
    starts = [i for i, item in enumerate(whole["items"]) if i and item["version_id"] != whole["items"][i - 1]["version_id"]]
    assert starts, "the list holds more than one version"
    for offset in {starts[0] - 3, starts[0], starts[-1] - 1, starts[-1], whole["count"] - 2}:
        page = api("/api/figures", limit=5, offset=offset, max_queries=3, **params).json()
        assert page["count"] == whole["count"]
        assert page["items"] == whole["items"][offset : offset + 5]
    assert api("/api/figures", offset=whole["count"], **params).json()["items"] == []


def test_it_lists_in_the_order_versions_were_stored(api, world):
    items = api("/api/figures", limit=1000).json()["items"]
    versions = [item["version_id"] for item in items]
    assert versions == sorted(versions)
    first = [item for item in items if item["version_id"] == versions[0]]
    assert [(i["table"], i["row"], i["column"]) for i in first][:3] == [
        (i["table"], i["row"], i["column"]) for i in api("/api/figures", department=first[0]["department_id"], limit=3).json()["items"]
    ]


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


def _each_department(api, world, seeds, **params) -> list[dict]:
    return [item for seed in seeds for item in _all(api, department=world.disclosures[seed].department_id, **params)]


def test_code_is_exact_unless_prefixed(api, world):
    exact = _each_department(api, world, ["000", "002"], year=2023, table="expense", code="208")
    assert _found(world, exact) == _expected(["000", "002"], "expense", lambda key: key == "208")
    prefixed = _each_department(api, world, ["000", "002"], year=2023, table="expense", code="208", code_prefix="true")
    assert _found(world, prefixed) == _expected(["000", "002"], "expense", lambda key: key.startswith("208"))
    assert {"208", "20805", "2080505"} <= {i["row"] for i in prefixed}


def test_it_filters_by_column(api, world):
    items = _each_department(api, world, SEEDS, table="expense", column="project")
    assert _found(world, items) == _expected(SEEDS, "expense", column="project")
    assert {i["column_heading"] for i in items} == {"项目支出"}


def test_a_region_in_one_year_bounds_code_and_column_filters(api, world):
    items = _all(api, year=2023, region="410704", table="expense", column="basic")
    assert _found(world, items) == _expected(["000"], "expense", column="basic")


@pytest.mark.parametrize(
    "params",
    [{"code": "208"}, {"column": "basic"}, {"year": 2023, "code": "208"}, {"region": "410704", "column": "basic"}],
)
def test_code_and_column_filters_need_a_department_or_a_region_in_one_year(api, world, params):
    response = api("/api/figures", **params)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "请求参数不正确。"
    [error] = body["errors"]
    assert error["loc"] == ["query", "code" if "code" in params else "column"]
    assert "请同时指定部门（department），或同时指定年度和地区（year 与 region）" in error["msg"]
    assert "/api/years/{year}/figures.csv" in error["msg"]


def test_nothing_matches(api, world):
    department = world.disclosures["000"].department_id
    empty = {"count": 0, "count_exact": True, "limit": 100, "offset": 0, "items": [], "next": None}
    assert api("/api/figures", department=department, code="999").json() == empty
    assert api("/api/figures", year=2019).json() == empty
