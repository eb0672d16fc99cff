"""Every public page that shows data says where to get it as data: a disclosure its JSON (the
version and the disclosure), each table's CSV and JSON and the year's bulk CSV; a year's
list, a department and a region's comparison their list in JSON and the year's CSV. The
links are followed over HTTP and must answer what the page shows."""

from __future__ import annotations

import csv
import io
import re
from html import unescape

import pytest

from accounts_app.models import Disclosure
from accounts_app.services.listing import listing_refresh
from accounts_app.services.synthetic import synthetic_generate
from tests.public.test_feeds import NOTE, correct
from tests.public.test_lists import parsed

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(catalogs):
    """Two synthetic regions, three departments each, two years: 12 disclosures."""
    synthetic_generate(departments=6, years=[2022, 2023], regions=2, pool_size=8)
    listing_refresh()  # what synthetic_generate will do at its end (services.listing)


def href(html: str, element_id: str) -> str:
    match = re.search(rf'<a href="([^"]+)" id="{element_id}"', html) or re.search(rf'<a id="{element_id}" href="([^"]+)"', html)
    assert match, element_id
    return unescape(match[1])


def hrefs(html: str, css_class: str) -> list[str]:
    return [unescape(found) for found in re.findall(rf'<a href="([^"]+)" class="{css_class}"', html)]


def bulk_csv(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_a_disclosure_page_links_its_json_each_tables_csv_and_json_and_the_years_csv(client, world):
    disclosure = Disclosure.objects.published().filter(year__year=2023).first()
    version = disclosure.current_version
    html = client.get(f"/disclosures/{disclosure.pk}/").content.decode()

    assert href(html, "version-json") == f"/api/versions/{version.pk}"
    shown = client.get(href(html, "version-json")).json()
    assert shown["id"] == version.pk and shown["disclosure_id"] == disclosure.pk
    assert client.get(href(html, "disclosure-json")).json()["id"] == disclosure.pk

    tables = [table["key"] for table in shown["tables"]]
    downloads = re.findall(r'<p class="downloads no-print">(.*?)</p>', html)
    assert len(downloads) == len(tables)
    for key, line in zip(tables, downloads):
        links = dict((label, unescape(url)) for url, label in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', line))
        assert set(links) == {"Excel", "CSV", "JSON"}
        assert links["JSON"] == f"/api/versions/{version.pk}/tables/{key}"
        assert client.get(links["JSON"]).json()["key"] == key
        assert client.get(links["CSV"]).status_code == 200

    assert href(html, "year-csv") == "/api/years/2023/figures.csv"
    rows = bulk_csv(client, href(html, "year-csv"))
    assert {row["年度 year"] for row in rows} == {"2023"}
    assert str(disclosure.pk) in {row["决算公开编号 disclosure_id"] for row in rows}
    assert href(html, "feed-link") == f"/feeds/departments/{disclosure.department_id}.atom"


def test_a_year_page_links_the_same_list_as_json_and_the_years_csv(client, world):
    html = client.get("/", {"year": 2023, "region": "990002"}).content.decode()
    listed = parsed(client.get("/", {"year": 2023, "region": "990002"}), "disclosure-list").rows
    assert href(html, "list-json") == "/api/disclosures?year=2023&region=990002"
    answer = client.get(href(html, "list-json")).json()
    assert answer["count"] == len(listed) == 3
    assert {item["department"]["name"] for item in answer["items"]} == {row[2] for row in listed}
    assert href(html, "year-csv") == "/api/years/2023/figures.csv"
    assert {row["年度 year"] for row in bulk_csv(client, href(html, "year-csv"))} == {"2023"}


def test_the_home_page_links_every_years_csv_and_passes_on_only_valid_filters(client, world):
    html = client.get("/").content.decode()
    assert href(html, "list-json") == "/api/disclosures"
    assert hrefs(html, "year-csv") == ["/api/years/2023/figures.csv", "/api/years/2022/figures.csv"]
    html = client.get("/", {"year": "20x3", "kind": "department", "q": "教育", "page": 2, "sort": "kind"}).content.decode()
    assert href(html, "list-json") == "/api/disclosures?kind=department&q=%E6%95%99%E8%82%B2"
    assert client.get(href(html, "list-json")).status_code == 200
    assert href(html, "api-docs-link") == "/api/"


def test_the_department_and_compare_pages_link_their_lists_and_the_years_csv(client, world):
    disclosure = Disclosure.objects.published().filter(department__region__code="990001").first()
    department = disclosure.department
    html = client.get(f"/departments/{department.pk}/").content.decode()
    assert client.get(href(html, "list-json")).json()["count"] == 2  # 2022 and 2023
    assert client.get(href(html, "figures-json")).json()["count"] > 0
    assert hrefs(html, "year-csv") == ["/api/years/2022/figures.csv", "/api/years/2023/figures.csv"]

    response = client.get("/compare/", {"region": "990001", "year": 2023})
    html = response.content.decode()
    answer = client.get(href(html, "list-json")).json()
    assert answer["count"] == len(parsed(response, "compare").rows) == 3
    assert {item["kind"] for item in answer["items"]} == {"department"}
    assert href(html, "year-csv") == "/api/years/2023/figures.csv"


def test_a_corrected_versions_page_links_that_versions_json(client, publish_seed):
    first = publish_seed("000")
    corrected = correct(first)
    old = client.get(f"/disclosures/{first.disclosure_id}/versions/{first.number}/").content.decode()
    assert href(old, "version-json") == f"/api/versions/{first.pk}"
    assert client.get(href(old, "version-json")).json()["is_current"] is False
    current = client.get(f"/disclosures/{first.disclosure_id}/").content.decode()
    assert href(current, "version-json") == f"/api/versions/{corrected.pk}"
    versions = client.get(href(current, "disclosure-json")).json()["versions"]
    assert [(v["number"], v["correction_note"]) for v in versions] == [(corrected.number, NOTE), (first.number, "")]
