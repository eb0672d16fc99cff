"""The blank template workbook: every table of a region's set, official headers, and
the catalog's codes ready to fill. Filled in, it imports back without errors."""

from __future__ import annotations

from ..dataset import Dataset, LineData, TableData
from ..models import Disclosure, EconomicSubject, FunctionSubject
from ..selectors import table_set
from ..specs import TOTAL_ROW, RowKind, TableSet, template_specs
from .xlsx import workbook_bytes


def template_dataset(year: int, table_set: TableSet) -> Dataset:
    """A dataset without figures whose code tables list the catalog in force for `year`."""
    catalogs = {
        RowKind.SUBJECT: list(FunctionSubject.objects.for_year(year).order_by("code").values_list("code", "name")),
        RowKind.ECONOMIC: list(EconomicSubject.objects.for_year(year).order_by("code").values_list("code", "name")),
    }
    dataset = Dataset(year=year)
    for spec in template_specs(table_set, year):
        table = dataset.tables[spec.key] = TableData(spec=spec, numbered=table_set.line_numbers)
        if spec.row_kind is RowKind.SUBJECT:
            table.lines[TOTAL_ROW] = LineData(TOTAL_ROW, "合计")
        for code, name in catalogs.get(spec.row_kind, ()):
            table.lines[code] = LineData(code, name)
    return dataset


def template_workbook(*, year: int, table_set: TableSet, entity: str = "") -> bytes:
    return workbook_bytes(template_dataset(year, table_set), table_set, entity)


def disclosure_template(disclosure: Disclosure) -> bytes:
    """The template for a disclosure: its year, its region's tables, its name printed."""
    return template_workbook(
        year=disclosure.year.year,
        table_set=table_set(disclosure.region.table_set),
        entity=disclosure.entity_name,
    )


def template_filename(disclosure: Disclosure) -> str:
    return f"{disclosure.year.year}年度{disclosure.get_kind_display()}公开表模板-{disclosure.entity_name}.xlsx"
