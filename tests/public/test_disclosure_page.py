"""The public disclosure page: every figure of every table as the seed prints it,
a fixed number of queries, and a cache that a correction invalidates."""

from __future__ import annotations

from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.core.cache import cache

from accounts_app.models import Profile, Version
from accounts_app.rendering.pdf import content_html
from accounts_app.services.pages import disclosure_content
from accounts_app.specs import specs_for_year
from tests.seeds.transcriptions import SEEDS, printed_figures
from tests.statements import state_the_rest

pytestmark = pytest.mark.django_db


class FigureCells(HTMLParser):
    """{table: {(row, column): text}} from the td[data-row][data-column] cells of the page."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, dict[tuple[str, str], str]] = {}
        self.table = None
        self.cell = None
        self.text = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div" and (attrs.get("id") or "").startswith("table-"):
            self.table = attrs["id"][len("table-") :]
            self.tables.setdefault(self.table, {})
        elif tag == "td" and "data-row" in attrs and self.table:
            self.cell, self.text = (attrs["data-row"], attrs["data-column"]), []

    def handle_data(self, data):
        if self.cell:
            self.text.append(data)

    def handle_endtag(self, tag):
        if tag == "td" and self.cell:
            text = "".join(self.text).strip()
            if text:
                self.tables[self.table][self.cell] = text
            self.cell = None


def _amount(text: str):
    return None if text == "——" else Decimal(text.replace(",", ""))


@pytest.mark.parametrize("seed", SEEDS)
def test_every_figure_of_every_table_is_on_the_page(client, publish_seed, seed):
    version = publish_seed(seed)
    response = client.get(f"/disclosures/{version.disclosure_id}/")
    assert response.status_code == 200
    parser = FigureCells()
    parser.feed(response.content.decode())
    shown = {table: {cell: _amount(text) for cell, text in cells.items()} for table, cells in parser.tables.items()}
    specs = specs_for_year(version.disclosure.year.year)
    expected = {specs[table].stores_as or table: cells for table, cells in printed_figures(seed).items()}  # shown as printed
    assert set(shown) == set(expected)
    for table in expected:
        assert shown[table] == expected[table], table


def test_page_structure_is_the_standard_layout(client, publish_seed):
    version = publish_seed("000")
    html = client.get(f"/disclosures/{version.disclosure_id}/").content.decode()
    for part in ("第一部分 部门概况", "第二部分 部门决算表", "第三部分 部门决算情况说明", "第四部分 名词解释", "第五部分 附件"):
        assert html.count(part) >= 2  # in the table of contents and as a heading
    assert '<th scope="col"' in html and "<caption>" in html
    # 概况 must be stated before submission: the published page prints it, never a placeholder
    assert "负责本部门职责范围内的各项工作" in html and "未填写" not in html
    assert 'id="chart-income_mix"' in html and "<svg" in html
    assert "2101501 行政运行" in html  # 名词解释 lists the subjects used


def test_a_part_with_nothing_in_it_is_left_out_not_printed_as_a_placeholder(client, publish_seed):
    """A version published before 概况 was required has none: no heading, no contents entry, no 「未填写」."""
    version = publish_seed("000")
    Profile.objects.filter(version=version).delete()
    cache.clear()
    html = client.get(f"/disclosures/{version.disclosure_id}/").content.decode()
    assert "第一部分 部门概况" not in html and "未填写" not in html and 'id="part-1"' not in html
    assert html.count("第二部分 部门决算表") >= 2
    content = content_html(disclosure_content(Version.objects.get(pk=version.pk)))
    assert "部门概况" not in content and "未填写" not in content and "第三部分" in content


def test_query_count_does_not_grow_with_the_tables(client, publish_seed, django_assert_num_queries):
    small, large = publish_seed("000"), publish_seed("002")
    counts = []
    for version in (small, large):
        cache.clear()
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/disclosures/{version.disclosure_id}/").status_code == 200
        counts.append(len(queries))
    # figures, 概况, 附件 and glossary: a fixed number; 000's 14 绩效自评表 add their funds and
    # indicators in two queries (002 has none), not two per table
    assert counts[0] == counts[1] + 2 <= 16, counts
    with django_assert_num_queries(0):  # cached page and cached pointer to the current version
        assert client.get(f"/disclosures/{large.disclosure_id}/").status_code == 200


def test_a_published_correction_invalidates_the_cached_page(client, publish_seed, django_capture_on_commit_callbacks):
    first = publish_seed("000")
    url = f"/disclosures/{first.disclosure_id}/"
    assert "第 1 版" in client.get(url).content.decode()
    from accounts_app.models import Version
    from accounts_app.services import workflow

    actor = workflow.Actor(first.published_by)
    seed_file = first.source_file.read()
    outcome = workflow.version_upload(disclosure=first.disclosure, data=seed_file, filename="fix.xlsx", actor=actor)
    for finding in outcome.version.findings.filter(severity="warning"):
        workflow.warning_explain(finding=finding, actor=actor, text="尾差")
    state_the_rest(outcome.version)
    workflow.version_submit(version=outcome.version, actor=actor, correction_note="更正表03说明")
    workflow.version_approve(version=outcome.version, actor=actor)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.version_publish(version=outcome.version, actor=actor)
    html = client.get(url).content.decode()
    assert "更正表03说明" in html and "第 2 版" in html
    assert Version.objects.filter(disclosure=first.disclosure, status="published").count() == 2
