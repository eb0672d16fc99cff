"""GET /api/figures page by page: the `next` cursor, the bounded `offset` and the counts, over
HTTP on the published world of tests/api/conftest.py (every answer checked against the
served OpenAPI description)."""

from __future__ import annotations

import pytest

from accounts_app.api.endpoints import FIGURES_OFFSET_TOO_DEEP

pytestmark = pytest.mark.django_db

# Each filter the figures take, alone or as the rule asks (code and column within a scope).
FILTERS = [
    {},
    {"table": "expense"},
    {"year": 2023},
    {"year": 2023, "region": "410704"},
    {"kind": "department"},
    {"year": 2023, "region": "410704", "code": "208", "code_prefix": "true"},
    {"year": 2023, "region": "410704", "code": "total"},
    {"year": 2023, "region": "410704", "column": "basic"},
    {"year": 2023, "region": "410704", "table": "expense", "column": "basic"},
]


def _whole(api, **params) -> dict:
    whole = api("/api/figures", limit=1000, **params).json()
    assert whole["next"] is None and len(whole["items"]) < 1000
    return whole


def _by_cursor(api, limit: int, **params) -> list[dict]:
    """Every page, each from the `next` of the one before, in three queries at most."""
    items, cursor = [], None
    while True:
        page = api("/api/figures", limit=limit, max_queries=3, **params, **({"cursor": cursor} if cursor else {})).json()
        items += page["items"]
        assert len(page["items"]) <= limit
        cursor = page["next"]
        if cursor is None:
            return items
        assert len(page["items"]) == limit


def _department(world) -> dict:
    return {"department": world.disclosures["000"].department_id}


@pytest.mark.parametrize("params", FILTERS)
def test_cursor_pages_join_into_the_whole_list(api, world, params):
    whole = _whole(api, **params)
    assert whole["items"], "the filter matches something"
    for limit in (1, 7, 50):
        assert _by_cursor(api, limit, **params) == whole["items"]


def test_cursor_pages_of_a_department(api, world):
    params = _department(world)
    assert _by_cursor(api, 9, **params) == _whole(api, **params)["items"]
    coded = {**params, "code": "total"}
    assert _by_cursor(api, 2, **coded) == _whole(api, **coded)["items"]


@pytest.mark.parametrize("params", FILTERS[:5] + FILTERS[7:8])
def test_cursor_pages_are_the_offset_pages(api, world, params):
    """The same list cut the same way, whether followed by cursor or reached by offset."""
    whole = _whole(api, **params)["items"]
    offset, cursor = 0, None
    while offset < len(whole):
        by_offset = api("/api/figures", limit=11, offset=offset, max_queries=3, **params).json()
        assert by_offset["items"] == whole[offset : offset + 11]
        if cursor is not None:
            assert api("/api/figures", limit=11, cursor=cursor, **params).json()["items"] == by_offset["items"]
        cursor, offset = by_offset["next"], offset + 11
    assert cursor is None


def test_the_order_is_versions_then_tables_and_rows(api, world):
    items = _whole(api)["items"]
    versions = [item["version_id"] for item in items]
    assert versions == sorted(versions)


@pytest.mark.parametrize("params", FILTERS[:5])
def test_counts_without_code_or_column_are_the_kept_exact_ones(api, world, params):
    whole = _whole(api, **params)
    assert whole["count"] == len(whole["items"]) and whole["count_exact"] is True


def test_a_departments_count_is_exact(api, world):
    for params in (_department(world), {**_department(world), "table": "expense"}, {**_department(world), "column": "basic"}):
        whole = _whole(api, **params)
        assert whole["count"] == len(whole["items"]) > 0 and whole["count_exact"] is True


@pytest.mark.parametrize("params", FILTERS[5:])
def test_code_and_column_counts_of_a_regions_year_are_the_kept_exact_ones(api, world, settings, params):
    """Counted from the cells kept at publication (seed 000's correction among them), not by
    matching figures: exact whatever the cap."""
    whole = _whole(api, **params)
    settings.PUBLIC_LIST_COUNT_CAP = 1
    page = api("/api/figures", limit=2, **params).json()
    assert page["count"] == whole["count"] == len(whole["items"]) > 1 and page["count_exact"] is True


def test_past_the_cap_a_departments_coded_count_says_at_least(api, world, settings):
    params = {**_department(world), "column": "basic"}
    found = len(_whole(api, **params)["items"])
    settings.PUBLIC_LIST_COUNT_CAP = found - 1
    page = api("/api/figures", limit=5, **params).json()
    assert page["count"] == found - 1 and page["count_exact"] is False
    assert _by_cursor(api, 100, **params) == _whole(api, **params)["items"]  # every page still reachable
    settings.PUBLIC_LIST_COUNT_CAP = found
    exact = api("/api/figures", limit=6, **params).json()  # another address: not the page cached above
    assert exact["count"] == found and exact["count_exact"] is True


def test_a_deep_offset_is_found_across_many_versions(api, world, settings, monkeypatch):
    """The running sum reads the versions a few at a time (OFFSET_CHUNK): with one at a time,
    every offset still lands on the figure the whole list has there."""
    from accounts_app.api import queries

    monkeypatch.setattr(queries, "OFFSET_CHUNK", 1)
    whole = _whole(api)["items"]
    for offset in (1, len(whole) // 2, len(whole) - 1):
        assert api("/api/figures", limit=3, offset=offset).json()["items"] == whole[offset : offset + 3]
    assert api("/api/figures", offset=len(whole)).json()["items"] == []


def test_an_offset_past_the_limit_is_refused_with_the_way_on(api, world, settings):
    settings.API_FIGURE_OFFSET_MAX = 20
    assert api("/api/figures", offset=20).status_code == 200
    refused = api("/api/figures", offset=21)
    assert refused.status_code == 400
    assert refused.json() == {"detail": FIGURES_OFFSET_TOO_DEEP.format(limit=20)}
    assert "next" in refused.json()["detail"] and "cursor" in refused.json()["detail"]
    deep = api("/api/figures", limit=20).json()
    assert api("/api/figures", limit=5, cursor=deep["next"]).json()["items"] == _whole(api)["items"][20:25]


def test_an_offset_past_the_end_is_an_empty_last_page(api, world):
    whole = _whole(api, table="expense")
    page = api("/api/figures", table="expense", offset=len(whole["items"])).json()
    assert page["items"] == [] and page["next"] is None and page["count"] == whole["count"]


@pytest.mark.parametrize("cursor", ["abc", "1.2.3", "1.2.3.4.5", "-1.0.0.0", "1.0.0.x", "１.0.0.0"])
def test_a_malformed_cursor_is_a_parameter_error(api, world, cursor):
    assert api("/api/figures", cursor=cursor).status_code == 422


def test_any_well_formed_cursor_is_a_place_in_the_list(api, world):
    whole = _whole(api)["items"]
    second = next(item for item in whole if item["version_id"] != whole[0]["version_id"])
    page = api("/api/figures", limit=3, cursor=f"{second['version_id']}.0.0.0").json()
    assert page["items"] == whole[whole.index(second) : whole.index(second) + 3]
    assert api("/api/figures", cursor="999999999999999999.0.0.0").json()["items"] == []
