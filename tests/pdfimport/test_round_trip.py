"""Every PDF the portal publishes reads back to the figures it was rendered from: the demo
disclosures of both national layouts (the older order, in its 公开NN表, 表N and Jiangxi
variants, and the newer Shanghai order)."""

from __future__ import annotations

import pytest

from accounts_app.importing.pdf_reader import open_pdf, parse_pdf
from accounts_app.importing.reader import Status
from accounts_app.selectors import version_dataset
from accounts_app.services.demo import DEMO_DISCLOSURES
from accounts_app.services.imports import expectation_for

from .conftest import stored_figures

pytestmark = pytest.mark.django_db
SEEDS = [demo.workbook.removeprefix("seed_").removesuffix(".xlsx") for demo in DEMO_DISCLOSURES]


@pytest.mark.parametrize("seed", SEEDS)
def test_a_published_pdf_imports_back_to_the_same_figures(publish_seed, seed):
    version = publish_seed(seed)
    published = version_dataset(version)
    with version.pdf.open("rb") as handle:
        opened = open_pdf(handle.read())
    result = parse_pdf(opened, expectation_for(version.disclosure))
    assert not result.errors, [str(p) for p in result.errors]
    assert all(sheet.status == Status.READ for sheet in result.sheets)
    assert stored_figures(result.dataset) == stored_figures(published)
    assert sum(t.figure_count for t in result.dataset.tables.values()) == version.figure_count > 100
    for key, table in published.tables.items():  # the department's own number and title
        assert result.dataset.label_of(table.spec.family) == published.label_of(table.spec.family)
