"""「—」 and 0.00 on the compare page, read over HTTP as a visitor reads them: 「—」 only where a
figure is unknown (the department's tables do not hold it) or does not apply (a share of
nothing), 0.00 for a known zero; a region total is unknown as soon as one department's
figure is, and certainly when all of them lack it — never 0.00 over nothing."""

from __future__ import annotations

import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest

from accounts_app.models import Disclosure, Version
from accounts_app.rendering.compare import compare_rows, total
from accounts_app.services.listing import listing_refresh
from accounts_app.services.synthetic import synthetic_generate
from tests.public.test_lists import parsed

pytestmark = pytest.mark.django_db

REGION, YEAR = "990001", 2023
UNKNOWN = "—"
# Columns of the compare table (rendering.lists.CompareTable), by position in a body row.
ENTITY, BASIC, BASIC_SHARE, PROJECT, PROJECT_SHARE, THREE_PUBLIC = 0, 4, 5, 6, 7, 8


@pytest.fixture
def departments(catalogs) -> list[Disclosure]:
    """The three departments of one synthetic region in one year, by name."""
    synthetic_generate(departments=6, years=[YEAR], regions=2, pool_size=8)
    listing_refresh()  # what synthetic_generate will do at its end (services.listing)
    found = Disclosure.objects.filter(department__region__code=REGION, year__year=YEAR).select_related("current_version")
    return sorted(found, key=lambda d: d.entity_name)


def summarised(disclosure: Disclosure, **figures) -> None:
    """Set key figures of the disclosure's current version as publication stores them
    (a string with two decimals, or None when the tables do not hold it), and refresh the
    kept listing as publication then does (the region's sums: services.listing)."""
    version = disclosure.current_version
    Version.objects.filter(pk=version.pk).update(summary={**version.summary, **figures})
    listing_refresh(disclosures=Disclosure.objects.filter(pk=disclosure.pk))


def compare_page(client) -> tuple[dict[str, list[str]], dict[str, str], str]:
    """({department: its row's cells}, {region total label: cell}, the note under the total)."""
    response = client.get("/compare/", {"region": REGION, "year": YEAR})
    rows = {row[ENTITY]: row for row in parsed(response, "compare").rows}
    html = response.content.decode()
    totals = TotalCells()
    totals.feed(html)
    note = re.search(r'id="region-total-note"[^>]*>(.*?)</p>', html, re.S)
    return rows, totals.cells, re.sub(r"<[^>]+>", "", note[1]) if note else ""


class TotalCells(HTMLParser):
    """{th text: following td text} inside #region-total."""

    def __init__(self):
        super().__init__()
        self.inside = False
        self.cells: dict[str, str] = {}
        self.label = None
        self.tag = None
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if dict(attrs).get("id") == "region-total":
            self.inside = True
        if self.inside and tag in ("th", "td"):
            self.tag, self.text = tag, []

    def handle_data(self, data):
        if self.tag:
            self.text.append(data)

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "table":
            self.inside = False
        elif tag == self.tag:
            text = "".join(self.text).strip()
            if tag == "th":
                self.label = text
            else:
                self.cells[self.label] = text
            self.tag = None


def test_a_region_total_over_departments_that_all_lack_a_figure_is_unknown(client, departments):
    for disclosure in departments:
        summarised(disclosure, three_public=None)
    rows, totals, note = compare_page(client)
    assert {name: row[THREE_PUBLIC] for name, row in rows.items()} == {d.entity_name: UNKNOWN for d in departments}
    assert totals["“三公”经费"] == UNKNOWN
    assert "0.00" not in totals["“三公”经费"]
    assert "“三公”经费支出 3 个部门" in note


def test_a_department_with_a_known_zero_shows_0_00_and_the_total_stays_unknown_while_another_lacks_it(client, departments):
    zero, unknown, known = departments
    summarised(zero, three_public="0.00")
    summarised(unknown, three_public=None)
    summarised(known, three_public="12.50")
    rows, totals, note = compare_page(client)
    assert rows[zero.entity_name][THREE_PUBLIC] == "0.00"
    assert rows[unknown.entity_name][THREE_PUBLIC] == UNKNOWN
    assert rows[known.entity_name][THREE_PUBLIC] == "12.50"
    assert totals["“三公”经费"] == UNKNOWN  # not 12.50: one department's is unknown
    assert "“三公”经费支出 1 个部门" in note


def test_known_zeros_add_up_to_0_00(client, departments):
    for disclosure in departments:
        summarised(disclosure, three_public="0.00")
    rows, totals, note = compare_page(client)
    assert {row[THREE_PUBLIC] for row in rows.values()} == {"0.00"}
    assert totals["“三公”经费"] == "0.00"
    assert "三公" not in note


def test_a_share_needs_both_parts_and_a_whole(client, departments):
    half, lacking, nothing = departments
    summarised(half, basic="10.00", project="10.00")
    summarised(lacking, basic="10.00", project=None)
    summarised(nothing, basic="0.00", project="0.00")
    rows, totals, _ = compare_page(client)
    assert rows[half.entity_name][BASIC_SHARE] == rows[half.entity_name][PROJECT_SHARE] == "50.00"
    # not 100%: the project part is unknown, so is the sum
    assert rows[lacking.entity_name][BASIC] == "10.00" and rows[lacking.entity_name][PROJECT] == UNKNOWN
    assert rows[lacking.entity_name][BASIC_SHARE] == rows[lacking.entity_name][PROJECT_SHARE] == UNKNOWN
    # a share of nothing does not apply
    assert rows[nothing.entity_name][BASIC] == "0.00" and rows[nothing.entity_name][BASIC_SHARE] == UNKNOWN
    # every 基本支出 known: a total; one 项目支出 unknown: no total, and no shares of the sum
    assert totals["基本支出"] == "20.00" and totals["项目支出"] == UNKNOWN


def test_totals_as_the_rendering_computes_them():
    assert total([]) is None
    assert total([None, None]) is None
    assert total([None, 1]) is None
    assert total([Decimal("0.00"), Decimal("0.00")]) == 0
    rows, totals = compare_rows([(1, "甲", {"three_public": None}), (2, "乙", {"three_public": "0.00"})])
    assert [row["three_public"] for row in rows] == [None, Decimal("0.00")]
    assert totals["three_public"] is None
    assert totals["incomplete"][-1] == ("“三公”经费支出", 1)
