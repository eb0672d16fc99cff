"""The public lists as a visitor uses them: the home page's ways in by year and by region
lead to exactly those disclosures, and the compare page shows each department of a region
with its published key figures, largest spending first."""

from __future__ import annotations

from decimal import Decimal
from html.parser import HTMLParser

import pytest

from accounts_app.models import Disclosure, Region
from accounts_app.services.listing import listing_refresh
from accounts_app.services.synthetic import synthetic_generate

pytestmark = pytest.mark.django_db


class Page(HTMLParser):
    """The links inside an element, and the body rows of a table, both found by id."""

    def __init__(self, element_id: str):
        super().__init__()
        self.element_id = element_id
        self.depth = 0  # > 0 inside the element
        self.links: list[tuple[str, str]] = []
        self.rows: list[list[str]] = []
        self.href = self.cell = None
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.depth:
            self.depth += 1
        elif attrs.get("id") == self.element_id:
            self.depth = 1
        if not self.depth:
            return
        if tag == "a":
            self.href, self.text = attrs.get("href"), []
        elif tag == "tr":
            self.row = []
        elif tag == "td":
            self.cell, self.text = True, []

    def handle_data(self, data):
        self.text.append(data)

    def handle_endtag(self, tag):
        if not self.depth:
            return
        self.depth -= 1
        if tag == "a" and self.href is not None:
            self.links.append((self.href, "".join(self.text).strip()))
            self.href = None
        elif tag == "td" and self.cell:
            self.row.append("".join(self.text).strip())
            self.cell = None
        elif tag == "tr" and getattr(self, "row", None):
            self.rows.append(self.row)
            self.row = []


def parsed(response, element_id: str) -> Page:
    assert response.status_code == 200
    page = Page(element_id)
    page.feed(response.content.decode())
    return page


@pytest.fixture
def world(catalogs):
    """Two synthetic regions, three departments each, two years: 12 disclosures."""
    synthetic_generate(departments=6, years=[2022, 2023], regions=2, pool_size=8)
    listing_refresh()  # what synthetic_generate will do at its end (services.listing)


def test_the_ways_in_by_year_lead_to_that_year(client, world):
    links = parsed(client.get("/"), "by-year").links
    assert [label for _, label in links] == ["2023（6）", "2022（6）"]
    for href, label in links:
        year = label[:4]
        rows = parsed(client.get("/" + href), "disclosure-list").rows
        assert len(rows) == 6, href
        assert {row[0] for row in rows} == {year}


def test_the_ways_in_by_region_lead_to_that_region(client, world):
    links = parsed(client.get("/"), "by-region").links
    assert len(links) == 2
    for href, label in links:
        name, count = label.rstrip("）").split("（")
        assert href == f"?region={Disclosure.objects.filter(department__region__name=name).first().department.region.code}"
        rows = parsed(client.get("/" + href), "disclosure-list").rows
        assert len(rows) == int(count) == 6
        assert {row[1] for row in rows} == {name}


def test_the_search_form_filters_by_year_and_region_code(client, world):
    rows = parsed(client.get("/", {"year": 2022, "region": "990002"}), "disclosure-list").rows
    expected = Disclosure.objects.filter(year__year=2022, department__region__code="990002")
    assert len(rows) == expected.count() == 3
    assert {row[2] for row in rows} == {d.entity_name for d in expected}
    assert {(row[0], row[1]) for row in rows} == {("2022", expected.first().department.region.name)}


def test_compare_shows_each_department_with_its_published_figures(client, world):
    rows = parsed(client.get("/compare/", {"region": "990001", "year": 2023}), "compare").rows
    expected = {
        d.entity_name: d.current_version.summary
        for d in Disclosure.objects.filter(department__region__code="990001", year__year=2023).select_related("current_version")
    }
    assert len(rows) == len(expected) == 3

    def amount(value) -> str:
        return "—" if value is None else f"{Decimal(value):,.2f}"

    for entity, income, expense, fiscal, basic, _, project, _, three_public, _ in rows:
        summary = expected[entity]
        assert [income, expense, fiscal, basic, project, three_public] == [
            amount(summary.get(key)) for key in ("income_grand", "expense_grand", "fiscal_income", "basic", "project", "three_public")
        ]
    spending = [Decimal(row[2].replace(",", "")) for row in rows]
    assert spending == sorted(spending, reverse=True)


def test_compare_opens_on_a_region_with_departments_to_compare(client, world):
    Region.objects.create(code="110101", name="东城区", province="北京市", finance_bureau="东城区财政局", table_set="standard")
    response = client.get("/compare/")
    rows = parsed(response, "compare").rows
    assert response.context["region"].code == "990001" and response.context["year"] == 2023
    assert len(rows) == 3
