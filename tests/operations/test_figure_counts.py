"""The figure counts kept per stored table and version (what /api/figures pages by): written
on import and by the synthetic generator, and counted for existing rows by migration 0007."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db.models import Count

from accounts_app.models import Figure, Version, VersionTable
from accounts_app.services.synthetic import synthetic_generate

pytestmark = pytest.mark.django_db

migration_0007 = importlib.import_module("accounts_app.migrations.0007_figure_counts")


def _counted() -> tuple[dict, dict]:
    """(stored counts, counts of the Figure rows) per table and per version."""
    per_table = dict(
        Figure.objects.values("line__table").annotate(n=Count("pk")).values_list("line__table", "n")
    )
    per_version = dict(
        Figure.objects.values("line__table__version").annotate(n=Count("pk")).values_list("line__table__version", "n")
    )
    stored = (
        {t.pk: t.figure_count for t in VersionTable.objects.all()},
        {v.pk: v.figure_count for v in Version.objects.all()},
    )
    actual = (
        {pk: per_table.get(pk, 0) for pk in stored[0]},
        {pk: per_version.get(pk, 0) for pk in stored[1]},
    )
    return stored, actual


def test_an_imported_workbook_stores_its_counts(publish_seed):
    version = publish_seed("000")
    stored, actual = _counted()
    assert stored == actual
    assert version.figure_count == Figure.objects.filter(line__table__version=version).count() == 160


def test_synthetic_versions_store_their_counts(catalogs):
    synthetic_generate(departments=2, years=[2023], regions=2, pool_size=4)
    stored, actual = _counted()
    assert stored == actual and all(stored[1].values())


def test_the_migration_counts_what_was_stored_before_it(publish_seed):
    publish_seed("002")
    VersionTable.objects.update(figure_count=0)
    Version.objects.update(figure_count=0)
    migration_0007.count_figures(apps, None)
    stored, actual = _counted()
    assert stored == actual and all(stored[1].values())
