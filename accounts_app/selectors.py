"""Reads for pages, exports and re-checks: a stored version back into a Dataset."""

from __future__ import annotations

from .dataset import Dataset, LineData, TableData
from .models import Figure, Line, Version
from .specs import specs_for_year


def version_dataset(version: Version) -> Dataset:
    """The figures of a version in three queries, whatever the size of its tables."""
    year = version.disclosure.year.year
    specs = specs_for_year(year)
    dataset = Dataset(year=year)
    tables = {}
    for table in version.tables.all():
        tables[table.pk] = dataset.tables[table.table] = TableData(
            spec=specs[table.table],
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
