"""A citizen on a 390 × 844 phone: the home list is a column of cards (a disclosure's name on
its own line, then its year, region, kind, date and version — nothing squeezed to one
character a line), no page scrolls sideways, and a wide disclosure table scrolls inside its
box with its first column kept in view. Screenshots: artifacts/screenshots/citizen-phone-*."""

from __future__ import annotations

import pytest

from accounts_app.services.synthetic import synthetic_generate
from tests.browser.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
NO_SIDEWAYS_SCROLL = "document.scrollingElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def published(publish_seed):
    """Twelve synthetic disclosures with long names for the lists, and seed 000 for its tables."""
    synthetic_generate(departments=6, years=[2022, 2023], regions=2, pool_size=8)
    return publish_seed("000")


@pytest.fixture
def phone(browser):
    # not is_mobile: a phone browser zooms out over a page too wide, which would hide what is tested
    context = browser.new_context(locale="zh-CN", viewport=PHONE, device_scale_factor=2)
    yield context.new_page()
    context.close()


def test_the_home_list_is_a_column_of_cards_on_a_phone(phone, live_server, published, screenshot):
    phone.goto(f"{live_server.url}/")
    assert phone.evaluate(NO_SIDEWAYS_SCROLL), phone.evaluate("document.scrollingElement.scrollWidth")
    cards = phone.evaluate(
        """() => [...document.querySelectorAll('#disclosure-list tbody tr')].map(row => {
          const cells = [...row.cells].map(cell => {
            const box = cell.getBoundingClientRect();
            const line = parseFloat(getComputedStyle(cell).lineHeight);
            return {text: cell.innerText.trim(), left: box.left, top: box.top, width: box.width, lines: Math.round(box.height / line)};
          });
          const box = row.getBoundingClientRect();
          return {left: box.left, right: box.right, cells};
        })"""
    )
    assert len(cards) == 13
    width = phone.evaluate("window.innerWidth")
    for card in cards:
        year, region, name, kind, date, version = card["cells"]
        assert 0 <= card["left"] and card["right"] <= width
        # the name first, across the card; the rest below it, each on one line
        assert name["top"] < year["top"] and name["width"] >= (card["right"] - card["left"]) * 0.8, card
        assert name["lines"] <= 2, card
        for cell in (year, region, kind, date, version):
            assert cell["lines"] == 1 and cell["width"] >= 2 * 14, card  # at least two characters wide
        assert version["text"].startswith("第 ") and date["text"].count("-") == 2
    # the sort links stay (as one row of links above the cards)
    assert phone.locator("#disclosure-list thead a", has_text="公开时间").is_visible()
    screenshot(phone, "citizen-phone-home")

    # a citizen follows a card to its disclosure
    phone.click("#disclosure-list tbody tr:first-child a")
    phone.wait_for_selector("#toc")
    assert phone.evaluate(NO_SIDEWAYS_SCROLL)


def test_a_wide_table_scrolls_in_its_box_and_keeps_its_first_column_in_view(phone, live_server, published):
    phone.goto(f"{live_server.url}/disclosures/{published.disclosure_id}/")
    assert phone.evaluate(NO_SIDEWAYS_SCROLL), phone.evaluate("document.scrollingElement.scrollWidth")
    box = phone.locator("#table-expense")
    box.scroll_into_view_if_needed()
    assert box.evaluate("el => el.scrollWidth > el.clientWidth + 100")  # a table wider than the phone
    first = box.locator("tbody tr.total td").first  # 合计
    last = box.locator("tbody tr.total td").last
    assert first.inner_text().strip() == "合计"
    before = first.bounding_box()
    assert not _in_view(box, last)

    box.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    phone.wait_for_function("el => el.scrollLeft > 0", arg=box.element_handle())
    assert _in_view(box, last)  # scrolled to the last column …
    after = first.bounding_box()
    frame = box.bounding_box()
    assert abs(after["x"] - frame["x"]) <= 1 and abs(after["x"] - before["x"]) <= 1  # … and 合计 has not moved
    # and is what one sees there, not covered by the cells scrolled beneath it
    seen = phone.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).closest('td, th').innerText.trim()",
        [after["x"] + after["width"] / 2, after["y"] + after["height"] / 2],
    )
    assert seen == "合计"
    header = box.locator("thead th.first-col").first
    assert abs(header.bounding_box()["x"] - frame["x"]) <= 1 and header.inner_text().strip() == "科目编码"
    codes = box.locator("tbody tr td:first-child").all_inner_texts()
    assert "2080505" in [code.strip() for code in codes]  # a code stays whole on one line
    assert phone.evaluate(NO_SIDEWAYS_SCROLL)

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    box.screenshot(path=str(ARTIFACTS / "citizen-phone-disclosure-table.png"))  # the table, scrolled
    phone.screenshot(path=str(ARTIFACTS / "citizen-phone-disclosure.png"))  # the phone's screen there


def _in_view(box, cell) -> bool:
    frame, found = box.bounding_box(), cell.bounding_box()
    return found["x"] >= frame["x"] - 1 and found["x"] + found["width"] <= frame["x"] + frame["width"] + 1


@pytest.mark.parametrize("path", ["/", "/?year=2023", "/compare/", "/department", "/board/", "/api/", "/disclosure"])
def test_no_public_page_scrolls_sideways_on_a_phone(phone, live_server, published, path):
    if path == "/department":
        path = f"/departments/{published.disclosure.department_id}/"
    elif path == "/disclosure":
        path = f"/disclosures/{published.disclosure_id}/"
    phone.goto(f"{live_server.url}{path}")
    phone.wait_for_load_state("networkidle")
    assert phone.evaluate(NO_SIDEWAYS_SCROLL), (path, phone.evaluate("document.scrollingElement.scrollWidth"))


def test_the_compare_table_keeps_the_department_in_view(phone, live_server, published, screenshot):
    phone.goto(f"{live_server.url}/compare/?region=990001&year=2023")
    scroller = phone.locator(".table-scroll", has=phone.locator("#compare"))
    name = phone.locator("#compare tbody tr td").first
    text = name.inner_text().strip()
    scroller.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    phone.wait_for_function("el => el.scrollLeft > 0", arg=scroller.element_handle())
    assert abs(name.bounding_box()["x"] - scroller.bounding_box()["x"]) <= 1
    assert name.bounding_box()["width"] >= 6 * 14  # the name, not a column of single characters
    assert text.startswith("示范市")
    assert phone.evaluate(NO_SIDEWAYS_SCROLL)
    screenshot(phone, "citizen-phone-compare")
