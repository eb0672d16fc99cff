"""The public list and the comparison page by page, as a visitor pages them over HTTP: every
page a slice of one order, the count kept at publication (or 「N+」 past the cap), the search
still a substring of department, unit and region names, the comparison's figures those
published and its totals over every page."""

from __future__ import annotations

from decimal import Decimal

import pytest

from accounts_app.models import Disclosure, ListingCount, Unit, Version
from accounts_app.selectors import version_dataset
from accounts_app.services.listing import listing_refresh
from accounts_app.services.synthetic import synthetic_generate
from accounts_app.specs.key_figures import key_figures
from tests.public.test_lists import parsed
from tests.workflow.conftest import make_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(catalogs):
    """Two synthetic regions, three departments each, two years: 12 disclosures."""
    synthetic_generate(departments=6, years=[2022, 2023], regions=2, pool_size=8)
    listing_refresh()  # what synthetic_generate will do at its end (services.listing)


def rows(client, **params) -> list[list[str]]:
    return parsed(client.get("/", params), "disclosure-list").rows


def count_text(client, **params) -> str:
    html = client.get("/", params).content.decode()
    return html.split('id="list-count">', 1)[1].split("</p>", 1)[0]


def test_pages_are_slices_of_one_order(client, world):
    everything = rows(client, per_page=100)
    assert len(everything) == 12
    years = [row[0] for row in everything]
    assert years == sorted(years, reverse=True)  # newest year first, then region and name
    first, second, last = (rows(client, per_page=5, page=n) for n in (1, 2, 3))
    assert first + second + last == everything
    assert len(last) == 2
    assert rows(client, per_page=5, page=99) == last  # past the end: the last page, as before


def test_each_sort_pages_through_every_disclosure_once(client, world):
    for sort in ("-published", "published", "region", "-region", "entity", "-entity", "kind", "year"):
        seen = [tuple(row) for n in (1, 2, 3) for row in rows(client, per_page=5, page=n, sort=sort)]
        assert sorted(seen) == sorted(tuple(row) for row in rows(client, per_page=100)), sort
    published = [row[4] for row in rows(client, per_page=100, sort="-published")]
    assert published == sorted(published, reverse=True)


def test_the_count_is_the_one_kept_at_publication(client, world):
    assert "共 12 项" in count_text(client)
    assert "共 6 项" in count_text(client, year=2023)
    assert "共 3 项" in count_text(client, year=2023, region="990001")
    assert sum(ListingCount.objects.values_list("disclosures", flat=True)) == 12


def test_past_the_cap_a_search_says_n_plus_and_pages_stop_there(client, world, settings):
    settings.PUBLIC_LIST_COUNT_CAP = 4
    assert "共 4+ 项" in count_text(client, q="示范市")
    assert "只列出前 4 项" in count_text(client, q="示范市")
    assert "共 12 项" in count_text(client)  # kept counts stay exact
    assert len(rows(client, per_page=5, page=3)) == 4  # the pages end at the cap
    assert "共 2 项" in count_text(client, q="示范市东城区教育局")


def test_search_matches_a_substring_of_department_unit_and_region_names(client, world):
    department = Disclosure.objects.filter(department__region__code="990001", year__year=2023).first().department
    unit = Unit.objects.create(department=department, name="附属实验学校")
    disclosure = Disclosure.objects.create(department=department, unit=unit, year=department.disclosures.first().year, kind="unit")
    make_version(disclosure, Version.Status.PUBLISHED)  # sets the current version as publication does
    listing_refresh(disclosures=Disclosure.objects.filter(pk=disclosure.pk))
    assert [row[2] for row in rows(client, q="实验学")] == ["附属实验学校"]
    assert [row[2] for row in rows(client, q=department.name[-3:-1])] != []  # inside the department's name
    assert len(rows(client, q="东城", per_page=100)) == 7  # the region's name: its 6 and the unit's
    assert rows(client, q="不存在的单位") == [["没有符合条件的决算。"]]
    assert "共 13 项" in count_text(client)


def test_compare_pages_through_the_region_with_its_totals(client, catalogs):
    synthetic_generate(departments=55, years=[2023], regions=1, pool_size=8)
    listing_refresh()
    first = parsed(client.get("/compare/", {"region": "990001", "year": 2023}), "compare").rows
    second = parsed(client.get("/compare/", {"region": "990001", "year": 2023, "page": 2}), "compare").rows
    assert (len(first), len(second)) == (50, 5)
    spending = [Decimal(row[2].replace(",", "")) for row in first + second]
    assert spending == sorted(spending, reverse=True)
    disclosures = {d.entity_name: d for d in Disclosure.objects.select_related("current_version", "department", "year")}
    assert {row[0] for row in first + second} == set(disclosures)
    # a row's figures are the key figures of the version's stored figures
    for row in (first[0], second[-1]):
        version = disclosures[row[0]].current_version
        figures = key_figures(version_dataset(version))
        assert row[2] == f"{figures['expense_grand']:,.2f}"
    html = client.get("/compare/", {"region": "990001", "year": 2023}).content.decode()
    expected = sum(Decimal(d.current_version.summary["expense_grand"]) for d in disclosures.values())
    assert f"{expected:,.2f}" in html.split('id="region-total"', 1)[1]
    assert "第 1 页，共 2 页" in html
