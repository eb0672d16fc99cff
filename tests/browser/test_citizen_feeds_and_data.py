"""A citizen who wants to follow a region and take its figures away: from the home page to a
region, its Atom feed (advertised in the page's head and linked in its text) holding the
publication and the correction, each entry leading to its own version's page; then from a
disclosure to its JSON and to the year's CSV, and from the year's list to the same list as
JSON."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest

from tests.public.test_feeds import ATOM, NOTE, correct
from tests.seeds.transcriptions import load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def published(publish_seed):
    """Seed 000 published and corrected; seed 001, in another region, published."""
    first = publish_seed("000")
    return first, correct(first), publish_seed("001")


def _feed(page, url: str) -> list[dict]:
    """The feed at `url` as a feed reader gets it: Atom, its entries' titles and links."""
    response = page.request.get(url)
    assert response.ok and response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.body())
    assert feed.tag == f"{ATOM}feed" and feed.findtext(f"{ATOM}id") and feed.findtext(f"{ATOM}updated")
    return [
        {"title": entry.findtext(f"{ATOM}title"), "link": entry.find(f"{ATOM}link").get("href"), "id": entry.findtext(f"{ATOM}id")}
        for entry in feed.findall(f"{ATOM}entry")
    ]


def test_a_citizen_follows_a_regions_feed_to_the_publication_and_the_correction(browser, live_server, published, screenshot):
    first, corrected, other = published
    region = first.disclosure.region
    page = browser.new_context(locale="zh-CN").new_page()
    page.goto(f"{live_server.url}/")
    page.click(f"#by-region >> text={region.name}")
    page.wait_for_url(f"{live_server.url}/?region={region.code}")
    advertised = page.locator('head link[rel="alternate"][type="application/atom+xml"]')
    assert [advertised.nth(i).get_attribute("href") for i in range(advertised.count())] == [
        "/feeds/publications.atom",
        f"/feeds/regions/{region.code}.atom",
    ]
    link = page.locator("#feed-region-link")
    assert link.inner_text() == region.name
    entries = _feed(page, link.evaluate("a => a.href"))
    name = f"{load('000')['entity']} 2023年度部门决算"
    assert [entry["title"] for entry in entries] == [f"更正：{name}（第 {corrected.number} 版）", f"公开：{name}"]
    assert all(entry["link"].startswith(live_server.url) for entry in entries)

    page.goto(entries[0]["link"])  # the correction
    assert NOTE in page.inner_text("#correction")
    assert f"第 {corrected.number} 版" in page.inner_text(".meta")
    page.goto(entries[1]["link"])  # the first publication, since corrected
    assert page.locator("#superseded").is_visible()
    screenshot(page, "citizen-feed-publication-superseded")

    # the department's page advertises its own feed, which holds the same two entries
    page.goto(f"{live_server.url}/departments/{first.disclosure.department_id}/")
    href = page.locator('head link[rel="alternate"][type="application/atom+xml"]').first.get_attribute("href")
    assert [entry["id"] for entry in _feed(page, live_server.url + href)] == [entry["id"] for entry in entries]
    # and the whole portal's feed has the other region's publication too
    assert len(_feed(page, f"{live_server.url}/feeds/publications.atom")) == 3


def test_a_citizen_takes_a_disclosures_figures_as_json_and_the_years_as_csv(browser, live_server, published, screenshot):
    first, corrected, _ = published
    context = browser.new_context(locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/disclosures/{first.disclosure_id}/")
    screenshot(page, "citizen-disclosure-data-links")

    page.click("#version-json")
    shown = json.loads(page.inner_text("body"))
    assert shown["id"] == corrected.pk and shown["is_current"] is True
    assert "expense" in [table["key"] for table in shown["tables"]]
    page.go_back()

    page.click("#table-expense ~ p.downloads >> text=JSON")
    table = json.loads(page.inner_text("body"))
    assert table["key"] == "expense" and table["rows"][0]["key"] == "total"
    page.go_back()

    with page.expect_download() as download:
        page.click("#year-csv")
    with open(download.value.path(), encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(io.StringIO(handle.read())))
    mine = [row for row in rows if row["决算公开编号 disclosure_id"] == str(first.disclosure_id)]
    assert mine and {row["版本编号 version_id"] for row in mine} == {str(corrected.pk)}
    assert {row["年度 year"] for row in rows} == {"2023"}

    # the year's list, and the same list as JSON
    page.goto(f"{live_server.url}/")
    page.click("#by-year >> text=2023")
    listed = page.locator("#disclosure-list tbody tr").count()
    page.click("#list-json")
    answer = json.loads(page.inner_text("body"))
    assert answer["count"] == listed >= 1
    assert {item["year"] for item in answer["items"]} == {2023}
    context.close()
