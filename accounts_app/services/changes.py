"""What changed between two versions (or against last year): per table, per row and
column, the old and new amount and the difference. Pure over Datasets."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..dataset import Dataset


@dataclass
class CellChange:
    row: str
    label: str
    column: str
    column_label: str
    old: Decimal | None
    new: Decimal | None
    old_blank: bool
    new_blank: bool

    @property
    def difference(self) -> Decimal | None:
        if self.old is None or self.new is None:
            return None
        return self.new - self.old


@dataclass
class TableChanges:
    key: str
    title: str
    changes: list[CellChange] = field(default_factory=list)


def dataset_changes(old: Dataset, new: Dataset) -> list[TableChanges]:
    """Every cell whose amount differs (blank, —— and 0.00 are all different), by table."""
    result = []
    for key in list(new.tables) + [k for k in old.tables if k not in new.tables]:
        new_table, old_table = new.tables.get(key), old.tables.get(key)
        spec = (new_table or old_table).spec
        changes = TableChanges(key, spec.title)
        rows = list((new_table.lines if new_table else {}).keys())
        rows += [k for k in (old_table.lines if old_table else {}) if k not in rows]
        for row in rows:
            new_line = new_table.lines.get(row) if new_table else None
            old_line = old_table.lines.get(row) if old_table else None
            label = (new_line or old_line).label
            for column in spec.stored_columns:
                new_has = bool(new_line and column.key in new_line.values)
                old_has = bool(old_line and column.key in old_line.values)
                new_value = new_line.values.get(column.key) if new_has else None
                old_value = old_line.values.get(column.key) if old_has else None
                if new_has == old_has and new_value == old_value:
                    continue
                changes.changes.append(
                    CellChange(row, label, column.key, column.heading, old_value, new_value, not old_has, not new_has)
                )
        if changes.changes:
            result.append(changes)
    return result
