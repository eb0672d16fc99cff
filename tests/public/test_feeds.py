"""The Atom feeds of publications and corrections, read as a feed reader reads them: valid
Atom (the elements RFC 4287 requires, absolute links), one entry per published version —
the first publication and the correction, each linking to its own page —, newest first,
scoped to a region or a department; and the pages that link to them."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime

import pytest

from accounts_app.models import Version
from accounts_app.services import workflow
from tests.statements import state_the_rest

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
NOTE = "更正表03 基本支出的尾差。"


def uploaded(first: Version, filename: str):
    """The workbook of a published version uploaded again, as a new draft."""
    with first.source_file.open("rb") as source:
        data = source.read()
    return workflow.version_upload(
        disclosure=first.disclosure, data=data, filename=filename, actor=workflow.Actor(first.published_by)
    )


def correct(first: Version, note: str = NOTE) -> Version:
    """A correction of a published version: the same workbook again, submitted with its
    更正说明, approved and published (the worker's part runs at once in the tests)."""
    actor = workflow.Actor(first.published_by)
    outcome = uploaded(first, "correction.xlsx")
    assert outcome.accepted
    for finding in outcome.version.findings.filter(severity="warning"):
        workflow.warning_explain(finding=finding, actor=actor, text="尾差")
    state_the_rest(outcome.version)
    workflow.version_submit(version=outcome.version, actor=actor, correction_note=note)
    workflow.version_approve(version=outcome.version, actor=actor)
    published = workflow.version_publish(version=outcome.version, actor=actor)
    assert published.status == Version.Status.PUBLISHED
    return published


def atom(response) -> ET.Element:
    """The feed, checked for what Atom requires of it and of every entry."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    for element in (feed, *feed.findall(f"{ATOM}entry")):
        for required in ("id", "title", "updated"):
            assert (element.findtext(f"{ATOM}{required}") or "").strip(), (element.tag, required)
        datetime.fromisoformat(element.findtext(f"{ATOM}updated"))
        assert re.match(r"^https?://", element.findtext(f"{ATOM}id"))
        links = element.findall(f"{ATOM}link")
        assert all(re.match(r"^https?://", link.get("href")) for link in links)
    # an author for the feed (so every entry has one), and each entry's own
    assert feed.findtext(f"{ATOM}author/{ATOM}name")
    assert any(link.get("rel") == "self" for link in feed.findall(f"{ATOM}link"))
    ids = [entry.findtext(f"{ATOM}id") for entry in feed.findall(f"{ATOM}entry")]
    assert len(ids) == len(set(ids))
    return feed


def entries(feed: ET.Element) -> list[dict]:
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "summary": entry.findtext(f"{ATOM}summary") or "",
            "categories": [category.get("term") for category in entry.findall(f"{ATOM}category")],
            "author": entry.findtext(f"{ATOM}author/{ATOM}name"),
            "updated": datetime.fromisoformat(entry.findtext(f"{ATOM}updated")),
        }
        for entry in feed.findall(f"{ATOM}entry")
    ]


def path_of(link: str) -> str:
    return re.sub(r"^https?://[^/]+", "", link)


@pytest.fixture
def published(publish_seed):
    """Seed 000 published and corrected (凤泉区), seed 001 published (青山区)."""
    first = publish_seed("000")
    corrected = correct(first)
    other = publish_seed("001")
    return first, corrected, other


def test_the_feed_has_an_entry_for_the_publication_and_one_for_the_correction(client, published):
    first, corrected, other = published
    found = entries(atom(client.get("/feeds/publications.atom")))
    assert [path_of(entry["link"]) for entry in found] == [
        f"/disclosures/{other.disclosure_id}/versions/{other.number}/",
        f"/disclosures/{first.disclosure_id}/versions/{corrected.number}/",
        f"/disclosures/{first.disclosure_id}/versions/{first.number}/",
    ]
    assert [entry["updated"] for entry in found] == sorted((entry["updated"] for entry in found), reverse=True)
    correction, publication = found[1], found[2]
    name = f"{first.disclosure.entity_name} 2023年度部门决算"
    assert publication["title"] == f"公开：{name}"
    assert correction["title"] == f"更正：{name}（第 {corrected.number} 版）"
    assert NOTE in correction["summary"] and "更正说明" not in publication["summary"]
    assert correction["categories"] == ["更正", first.disclosure.region.name]
    assert publication["categories"] == ["公开", first.disclosure.region.name]
    assert publication["author"] == first.disclosure.department.name
    # each entry leads to the page of its own version
    page = client.get(path_of(correction["link"])).content.decode()
    assert NOTE in page and f"第 {corrected.number} 版" in page
    page = client.get(path_of(publication["link"])).content.decode()
    assert 'id="superseded"' in page


def test_a_region_feed_and_a_department_feed_hold_only_theirs(client, published):
    first, corrected, other = published
    region = first.disclosure.region
    feed = atom(client.get(f"/feeds/regions/{region.code}.atom"))
    assert region.name in feed.findtext(f"{ATOM}title")
    assert {path_of(entry["link"]) for entry in entries(feed)} == {
        f"/disclosures/{first.disclosure_id}/versions/{first.number}/",
        f"/disclosures/{first.disclosure_id}/versions/{corrected.number}/",
    }
    alternate = [link.get("href") for link in feed.findall(f"{ATOM}link") if link.get("rel") == "alternate"]
    assert [path_of(href) for href in alternate] == [f"/?region={region.code}"]
    feed = atom(client.get(f"/feeds/departments/{other.disclosure.department_id}.atom"))
    assert [path_of(entry["link"]) for entry in entries(feed)] == [f"/disclosures/{other.disclosure_id}/versions/{other.number}/"]


def test_unknown_regions_and_departments_have_no_feed(client, published):
    assert client.get("/feeds/regions/000000.atom").status_code == 404
    assert client.get("/feeds/departments/999999.atom").status_code == 404


def test_drafts_and_versions_under_review_are_not_in_any_feed(client, published):
    first, corrected, _ = published
    draft = uploaded(first, "draft.xlsx").version
    assert draft.number == corrected.number + 1
    found = entries(atom(client.get(f"/feeds/departments/{first.disclosure.department_id}.atom")))
    assert len(found) == 2
    assert all(f"/versions/{draft.number}/" not in entry["link"] for entry in found)


FEED_LINK = re.compile(r'<link rel="alternate" type="application/atom\+xml" href="([^"]+)"')


def test_the_region_and_department_pages_link_their_feeds(client, published):
    first, _, _ = published
    disclosure = first.disclosure
    region, department = disclosure.region, disclosure.department
    region_page = client.get("/", {"region": region.code}).content.decode()
    assert FEED_LINK.findall(region_page) == ["/feeds/publications.atom", f"/feeds/regions/{region.code}.atom"]
    assert FEED_LINK.findall(client.get("/").content.decode()) == ["/feeds/publications.atom"]
    department_page = client.get(f"/departments/{department.pk}/").content.decode()
    assert FEED_LINK.findall(department_page) == [f"/feeds/departments/{department.pk}.atom", f"/feeds/regions/{region.code}.atom"]
    compare_page = client.get("/compare/", {"region": region.code, "year": 2023}).content.decode()
    assert FEED_LINK.findall(compare_page) == [f"/feeds/regions/{region.code}.atom"]
    disclosure_page = client.get(f"/disclosures/{disclosure.pk}/").content.decode()
    assert FEED_LINK.findall(disclosure_page) == [f"/feeds/departments/{department.pk}.atom"]
    for page in (region_page, department_page, compare_page, disclosure_page):
        for href in FEED_LINK.findall(page):
            atom(client.get(href))
