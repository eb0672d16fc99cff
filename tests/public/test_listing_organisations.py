"""The public lists keep copies of the names they sort and search by (services.listing); a
department renamed or a region renamed after publication shows under its new name at once,
on the list, in search and in the API, however it was saved."""

from __future__ import annotations

import pytest

from accounts_app.models import Disclosure, ListingCount

pytestmark = pytest.mark.django_db


def test_a_renamed_department_is_listed_and_found_under_its_new_name(client, publish_seed):
    version = publish_seed("000")
    department = version.disclosure.department
    old = department.name
    assert old in client.get("/").content.decode()

    department.name = "新乡市凤泉区教育体育局"
    department.save()

    page = client.get("/").content.decode()
    assert "新乡市凤泉区教育体育局" in page and old not in page
    assert "新乡市凤泉区教育体育局" in client.get("/?q=教育体育").content.decode()
    found = client.get("/api/disclosures", {"q": "教育体育"}).json()
    assert [item["id"] for item in found["items"]] == [version.disclosure_id]


def test_a_renamed_region_moves_its_disclosures_and_counts(client, publish_seed):
    version = publish_seed("000")
    region = version.disclosure.region
    region.name = "新乡市凤泉区（更名）"
    region.save()

    listed = Disclosure.objects.get(pk=version.disclosure_id)
    assert listed.listed_region_name == "新乡市凤泉区（更名）"
    assert "新乡市凤泉区（更名）" in client.get("/").content.decode()
    [count] = ListingCount.objects.filter(region=region.code)
    assert count.disclosures == 1 and count.figures == version.figure_count
