"""The blank template: downloaded from the admin, filled in, it imports back without errors."""

from __future__ import annotations

import io

import openpyxl
import pytest

from accounts_app.rendering.layout import column_numbers, header_cells
from accounts_app.rendering.layout import columns_of as sheet_columns
from accounts_app.models import Figure
from accounts_app.services.imports import workbook_import
from accounts_app.specs import Role, RowKind, get_table_set, template_specs
from tests.seeds.transcriptions import SEEDS, expected_figures, load, printed_figures

pytestmark = pytest.mark.django_db


def _template(client, admin_user, disclosure) -> openpyxl.Workbook:
    client.force_login(admin_user)
    response = client.get(f"/admin/accounts_app/disclosure/{disclosure.pk}/template/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    return openpyxl.load_workbook(io.BytesIO(response.content))


def _fill(book: openpyxl.Workbook, year: int, wanted: dict, table_set) -> int:
    """Write the seed's figures into the template where its row keys stand; count them. Rows are
    found by 行次 or code, or — where the region prints no 行次 — by their label, in order."""
    specs = {spec.title: spec for spec in template_specs(table_set, year)}
    written = 0
    for sheet in book.worksheets:
        spec = specs[sheet.cell(2, 1).value]
        form = spec if table_set.line_numbers else spec.unnumbered  # as the template prints it
        values = wanted.get(spec.key, {})
        columns = sheet_columns(form)
        footer = {row.label: row.key for row in spec.footer}
        labels = [{row.label: row.key for row in block.rows if row.label} for block in form.blocks]
        body = 4 + header_cells(form)[0] + (1 if column_numbers(form) else 0)  # title, label, meta rows, header
        for r in range(1, sheet.max_row + 1):
            for c, placed in enumerate(columns, start=1):
                cell = sheet.cell(r, c).value
                if spec.row_kind is RowKind.SINGLE:
                    if c > 1 or r != body:
                        continue
                    key = spec.blocks[0].rows[0].key
                elif placed.column.role in (Role.CODE, Role.LINE):
                    key = {"合计": "total"}.get(cell, footer.get(cell, str(cell)))
                elif placed.column.role is Role.LABEL and not table_set.line_numbers and r >= body:
                    key = labels[placed.block].pop(cell, None)
                    if key is None:
                        continue
                else:
                    continue
                block = [i for i, p in enumerate(columns) if p.block == placed.block]
                for i in block:
                    column = columns[i].column
                    if (key, column.key) in values:
                        amount = values[(key, column.key)]
                        sheet.cell(r, i + 1).value = "——" if amount is None else amount
                        written += 1
    return written


@pytest.mark.parametrize("seed", (*SEEDS, "shanghai_2024"))  # every table set, the newer order included
def test_filled_template_imports_without_errors(client, admin_user, seed_disclosure, seed):
    disclosure = seed_disclosure(seed)
    year = disclosure.year.year
    book = _template(client, admin_user, disclosure)

    table_set = get_table_set(disclosure.region.table_set)
    assert [sheet.cell(2, 1).value for sheet in book.worksheets] == [s.title for s in template_specs(table_set, year)]
    assert [sheet.cell(1, 1).value for sheet in book.worksheets] == [
        table_set.label_of(s.family) for s in template_specs(table_set, year)
    ]

    wanted = printed_figures(seed)  # in the forms the region's template prints
    written = _fill(book, year, wanted, table_set)
    assert written == sum(len(cells) for cells in wanted.values())
    buffer = io.BytesIO()
    book.save(buffer)

    outcome = workbook_import(disclosure=disclosure, data=buffer.getvalue(), filename="filled.xlsx")
    assert outcome.accepted, [str(p) for p in outcome.errors]
    assert not [p for p in outcome.problems if p.is_error]
    stored = {
        (table, row, column): amount
        for table, row, column, amount in Figure.objects.filter(line__table__version=outcome.version).values_list(
            "line__table__table", "line__key", "column", "amount"
        )
    }
    assert stored == {
        (table, row, column): amount
        for table, cells in expected_figures(seed).items()
        for (row, column), amount in cells.items()
    }


def test_blank_template_imports_as_an_empty_version(client, admin_user, seed_disclosure):
    disclosure = seed_disclosure("000")
    book = _template(client, admin_user, disclosure)
    buffer = io.BytesIO()
    book.save(buffer)
    outcome = workbook_import(disclosure=disclosure, data=buffer.getvalue(), filename="blank.xlsx")
    assert outcome.accepted, [str(p) for p in outcome.errors]
    assert not Figure.objects.filter(line__table__version=outcome.version).exists()
    assert load("000")["entity"] in {t.printed_entity for t in outcome.version.tables.all()}


def test_template_requires_login(client, seed_disclosure):
    disclosure = seed_disclosure("000")
    response = client.get(f"/admin/accounts_app/disclosure/{disclosure.pk}/template/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
