"""Migration 0009: 三公 tables stored before it in the items-as-rows form with 年初预算数 and
相关统计数 (three_public_detail, seed 002) move to the 三公 table's one set of keys, and are
still printed as the department printed them."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.core.cache import cache

from accounts_app.models import Figure, Finding, Line, Version, VersionTable
from tests.imports.test_seed_workbooks import stored_figures
from tests.seeds.transcriptions import amount_of, load, rows_of

pytestmark = pytest.mark.django_db

migration_0009 = importlib.import_module("accounts_app.migrations.0009_three_public_one_set_of_keys")


def _as_stored_before(version: Version) -> VersionTable:
    """The version's 三公 table as versions stored before the migration held it: the printed
    rows and columns of the detail form, under that form's key."""
    table = VersionTable.objects.get(version=version, table="three_public")
    Line.objects.filter(table=table).delete()
    for position, (key, label, values) in enumerate(rows_of(load("002")["tables"]["three_public_detail"])):
        line = Line.objects.create(table=table, key=key, label=label, position=position, sheet_row=position + 5)
        Figure.objects.bulk_create(Figure(line=line, column=c, amount=amount_of(v), cell=f"C{position + 5}") for c, v in values.items())
    count = Figure.objects.filter(line__table=table).count()
    version.figure_count += count - table.figure_count
    Version.objects.filter(pk=version.pk).update(figure_count=version.figure_count)
    VersionTable.objects.filter(pk=table.pk).update(table="three_public_detail", form="", figure_count=count)
    Finding.objects.create(
        version=version, severity="warning", code="check.rounding", message="尾差", table="three_public_detail", row="7", column="final"
    )
    return table


def test_stored_detail_tables_move_to_the_three_public_keys(client, publish_seed):
    version = publish_seed("002")
    expected = stored_figures(version)  # as the importer stores the form now
    table = _as_stored_before(version)
    assert ("three_public_detail", "15", "final") in stored_figures(version)

    migration_0009.to_one_set_of_keys(apps, None)

    assert stored_figures(version) == expected
    table.refresh_from_db()
    version.refresh_from_db()
    assert (table.table, table.form) == ("three_public", "three_public_detail")
    assert table.figure_count == Figure.objects.filter(line__table=table).count()
    assert version.figure_count == Figure.objects.filter(line__table__version=version).count()
    finding = version.findings.get(code="check.rounding", message="尾差")
    assert (finding.table, finding.row, finding.column) == ("three_public", "total", "final_reception_domestic")
    cache.clear()
    page = client.get(f"/disclosures/{version.disclosure_id}/").content.decode()
    shown = page[page.index('id="table-three_public"') :]
    assert "5.国内公务接待批次（个）" in shown[: shown.index("</table>")]
