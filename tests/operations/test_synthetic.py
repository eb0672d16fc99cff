"""Synthetic disclosures (manage.py generate_synthetic): published, exact, and shown."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import F

from accounts_app.checking import check_dataset
from accounts_app.models import Disclosure, Figure, ListingCell, ListingCount, Region, Version
from accounts_app.narrative.drafting import draft_sections, sections_to_data
from accounts_app.selectors import version_dataset, version_snapshot
from accounts_app.services.listing import listing_refresh
from accounts_app.services.scaling import derivation
from accounts_app.services.synthetic import ALREADY_GENERATED, SyntheticRefused, seed_bases, synthetic_generate
from accounts_app.specs.key_figures import key_figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated(catalogs):
    return synthetic_generate(departments=3, years=[2022, 2023], regions=3, pool_size=8)


def test_it_publishes_every_department_year(generated):
    assert (generated.regions, generated.departments, generated.versions) == (3, 3, 6)
    versions = Version.objects.filter(disclosure__department__region__code__startswith="99")
    assert versions.count() == 6
    assert set(versions.values_list("status", flat=True)) == {Version.Status.PUBLISHED}
    assert not versions.exclude(pdf="").exists()  # PDFs are left to render_pdfs
    for disclosure in Disclosure.objects.filter(department__region__code__startswith="99"):
        assert disclosure.current_version.disclosure_id == disclosure.pk
    assert {r.table_set for r in Region.objects.filter(code__startswith="99")} == {"standard", "numbered", "jiangxi"}


def test_its_tables_pass_the_checker_and_its_summary_is_theirs(generated):
    for version in Version.objects.filter(disclosure__department__region__code__startswith="99"):
        dataset = version_dataset(version)
        assert check_dataset(dataset) == []
        expected = {k: None if v is None else str(v) for k, v in key_figures(dataset).items()}
        assert version.summary == expected
        assert Decimal(version.summary["expense_grand"]) > 0


@pytest.mark.parametrize("factor", ["0.2", "0.37", "1", "2.718", "8"])
def test_a_scaled_seed_keeps_every_rule_to_the_cent(catalogs, factor):
    for base in seed_bases().values():
        assert check_dataset(derivation(base).variant(Decimal(factor))) == []


def test_its_narrative_is_frozen_as_publication_freezes_it(generated):
    versions = Version.objects.filter(disclosure__department__region__code__startswith="99").select_related("disclosure__year")
    for version in versions:
        assert version.narrative_sections == sections_to_data(draft_sections(version_snapshot(version)))
    later = versions.filter(disclosure__year__year=2023).first()
    assert "与上年度相比" in str(later.narrative_sections)  # last year's published figures were read


def test_its_figures_carry_their_year(generated):
    figures = Figure.objects.filter(line__table__version__disclosure__department__region__code__startswith="99")
    assert figures.count() == generated.figures
    assert not figures.exclude(year=F("line__table__version__disclosure__year__year")).exists()
    for version in Version.objects.filter(disclosure__department__region__code__startswith="99"):
        assert version.figure_count == figures.filter(line__table__version=version).count()
        assert set(version.tables.values_list("printed_entity", flat=True)) == {version.disclosure.department.name}


def _listing() -> tuple[set, set]:
    """Every ListingCell and ListingCount row as a tuple (the JSON fields as sorted text)."""
    cells = set(ListingCell.objects.values_list("year", "region", "kind", "table", "key", "column", "figures"))
    counts = {
        (c.year, c.region, c.kind, c.disclosures, c.figures, json.dumps(c.table_figures, sort_keys=True), json.dumps(c.key_totals, sort_keys=True))
        for c in ListingCount.objects.all()
    }
    return cells, counts


def test_its_listing_counts_are_what_a_recount_of_the_rows_finds(catalogs):
    # The cell counts are summed from the plan, not counted from the figures (services.synthetic
    # _Cells): a recount from the rows must find them all, and nothing else. Four departments per
    # region and a pool of two: a variant is used by several departments of a region's year.
    synthetic_generate(departments=8, years=[2022, 2023], regions=2, pool_size=2)
    written = _listing()
    listing_refresh()
    assert _listing() == written
    cells, counts = written
    assert len(counts) == 4 and max(figures for *_, figures in cells) > 1


def test_it_refuses_to_generate_twice(generated):
    with pytest.raises(SyntheticRefused) as refused:
        synthetic_generate(departments=1, years=[2023], regions=1, pool_size=2)
    assert str(refused.value) == ALREADY_GENERATED.format(code="990001")


def test_the_command_reports_what_it_made(catalogs, capsys):
    call_command("generate_synthetic", "--departments", "2", "--years", "2023", "--regions", "2")
    assert "已生成 2 个地区、2 个部门、2 个已公开版本" in capsys.readouterr().out


def test_public_pages_show_synthetic_disclosures(generated, client):
    disclosure = Disclosure.objects.filter(department__region__code="990001").order_by("-year__year").first()
    assert client.get("/").status_code == 200
    assert client.get(f"/disclosures/{disclosure.pk}/").status_code == 200
    assert client.get(f"/departments/{disclosure.department_id}/").status_code == 200
    assert client.get("/compare/", {"region": "990001", "year": 2023}).status_code == 200
    assert client.get(f"/disclosures/{disclosure.pk}/versions/1/disclosure.pdf").status_code == 404
