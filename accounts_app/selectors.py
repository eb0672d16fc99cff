"""Reads for pages, exports and re-checks: a stored version back into a Dataset."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from .dataset import Dataset, LineData, TableData
from .models import Disclosure, Figure, Line, Version
from .specs import get_table_set, specs_for_year


def version_dataset(version: Version) -> Dataset:
    """The figures of a version in three queries, whatever the size of its tables; each table
    named by the number the workbook printed, else by its table set's."""
    year = version.disclosure.year.year
    specs = specs_for_year(year)
    table_set = get_table_set(version.table_set)
    dataset = Dataset(year=year)
    tables = {}
    for table in version.tables.all():
        spec = specs[table.table]
        dataset.labels[spec.family] = table.printed_label or table_set.label_of(spec.family)
        tables[table.pk] = dataset.tables[table.table] = TableData(
            spec=spec,
            sheet=table.sheet_name,
            position=table.position,
            printed_title=table.printed_title,
            printed_label=table.printed_label,
            printed_entity=table.printed_entity,
            printed_unit=table.printed_unit,
            note=table.note,
        )
    lines = {}
    for line in Line.objects.filter(table__version=version).order_by("table_id", "position"):
        lines[line.pk] = tables[line.table_id].lines[line.key] = LineData(
            key=line.key, label=line.label, sheet_row=line.sheet_row
        )
    for line_id, column, amount, cell in Figure.objects.filter(line__table__version=version).values_list(
        "line_id", "column", "amount", "cell"
    ):
        lines[line_id].values[column] = amount
        lines[line_id].cells[column] = cell
    return dataset


@dataclass(frozen=True)
class Facet:
    """One way into the public list: its filter value (a year, a 行政区划代码), its label and
    how many disclosures it leads to."""

    value: int | str
    label: str
    count: int


def disclosure_facets(disclosures: QuerySet[Disclosure]) -> tuple[list[Facet], list[Facet]]:
    """`disclosures` counted by year (newest first) and by region (by code), in one query
    grouped by both: at most years × regions rows, whatever the number of disclosures."""
    years, regions, names = Counter(), Counter(), {}
    grouped = disclosures.order_by().values_list("year__year", "department__region__code", "department__region__name")
    for year, code, name, count in grouped.annotate(n=Count("pk")):
        years[year] += count
        regions[code] += count
        names[code] = name
    return (
        [Facet(year, f"{year}", count) for year, count in sorted(years.items(), reverse=True)],
        [Facet(code, names[code], count) for code, count in sorted(regions.items())],
    )
