"""GET /api/disclosures and /api/disclosures/{id}: published disclosures, filters, pages."""

from __future__ import annotations

from decimal import Decimal

import pytest

from accounts_app.api.endpoints import DISCLOSURE_NOT_FOUND
from accounts_app.specs.key_figures import KEY_LABELS
from tests.api.conftest import CORRECTION

pytestmark = pytest.mark.django_db


def _ids(response) -> list[int]:
    return [item["id"] for item in response.json()["items"]]


def test_it_lists_every_published_disclosure_with_its_current_version(api, world):
    body = api("/api/disclosures", max_queries=2).json()
    d = world.disclosures
    assert body["count"] == 3
    assert [item["id"] for item in body["items"]] == [d["002"].pk, d["000"].pk, d["001"].pk]  # 2023 first, by region
    by_id = {item["id"]: item for item in body["items"]}
    fengquan = by_id[d["000"].pk]
    assert fengquan["version"] == 2 and fengquan["version_id"] == d["000"].current_version_id
    assert fengquan["year"] == 2023
    assert fengquan["region"] == {"code": "410704", "name": "新乡市凤泉区"}
    assert fengquan["department"] == {"id": d["000"].department_id, "name": "新乡市凤泉区医疗保障局"}
    assert fengquan["unit"] is None and fengquan["kind"] == "department" and fengquan["kind_label"] == "部门决算"
    assert fengquan["figures"]["income_grand"] == "373.64"  # 收、支总计均为 373.64 万元
    assert set(fengquan["figures"]) == set(KEY_LABELS)
    honggutan = by_id[d["002"].pk]
    assert honggutan["kind"] == "unit" and honggutan["kind_label"] == "单位决算"
    assert honggutan["unit"] == "南昌市红谷滩区医疗保障局"


def test_key_figures_are_the_published_summary_with_two_decimals(api, world):
    for item in api("/api/disclosures").json()["items"]:
        summary = world.disclosures_by_id[item["id"]].current_version.summary
        for key, value in item["figures"].items():
            if key in summary and summary[key] is not None:
                assert value == f"{Decimal(summary[key]):.2f}"
            else:
                assert value is None


@pytest.mark.parametrize(
    ("params", "seeds"),
    [
        ({"year": 2022}, ["001"]),
        ({"year": 2023}, ["002", "000"]),
        ({"year": 2021}, []),
        ({"region": "360113"}, ["002"]),
        ({"region": "410704", "year": 2022}, []),
        ({"kind": "unit"}, ["002"]),
        ({"kind": "department"}, ["000", "001"]),
        ({"q": "青山"}, ["001"]),
        ({"q": " 医疗保障局 "}, ["002", "000", "001"]),
        ({"q": "教育局"}, []),  # under review: not published
    ],
)
def test_it_filters(api, world, params, seeds):
    assert _ids(api("/api/disclosures", **params)) == [world.disclosures[seed].pk for seed in seeds]


def test_it_filters_by_department(api, world):
    department = world.disclosures["001"].department_id
    assert _ids(api("/api/disclosures", department=department)) == [world.disclosures["001"].pk]


def test_it_pages(api, world):
    everything = _ids(api("/api/disclosures"))
    page = api("/api/disclosures", limit=1, offset=1).json()
    assert page["count"] == 3 and page["limit"] == 1 and page["offset"] == 1
    assert [item["id"] for item in page["items"]] == everything[1:2]
    assert api("/api/disclosures", offset=3).json()["items"] == []


@pytest.mark.parametrize(
    "params", [{"limit": 0}, {"limit": 1001}, {"offset": -1}, {"kind": "bureau"}, {"year": "二〇二三"}]
)
def test_it_refuses_bad_parameters_in_chinese(api, world, params):
    response = api("/api/disclosures", **params)
    assert response.status_code == 422
    assert response.json()["detail"] == "请求参数不正确。"
    assert response.json()["errors"][0]["loc"][-1] == next(iter(params))


def test_detail_lists_every_published_version(api, world):
    disclosure = world.disclosures["000"]
    body = api(f"/api/disclosures/{disclosure.pk}", max_queries=1).json()
    assert body["id"] == disclosure.pk and body["version"] == 2
    assert [(v["number"], v["is_current"], v["correction_note"]) for v in body["versions"]] == [
        (2, True, CORRECTION),
        (1, False, ""),
    ]
    assert body["versions"][1]["id"] == world.first.pk
    assert world.draft.pk not in [v["id"] for v in body["versions"]]


def test_detail_is_404_unless_published(api, world):
    for pk in (world.submitted.disclosure_id, world.approved.disclosure_id, 999999):
        response = api(f"/api/disclosures/{pk}")
        assert response.status_code == 404
        assert response.json() == {"detail": DISCLOSURE_NOT_FOUND}
