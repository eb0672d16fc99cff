"""Scaling a seed's figures by any factor while every 勾稽关系 still holds to the cent: the
amounts split into free cells (entered figures) and derived cells (totals), each derived cell
a linear combination of free ones (Gauss–Jordan over the checker's own equalities).
Pure over Datasets; services.synthetic stores what it makes."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from unittest.mock import patch

from ..checking import check_dataset, evaluate
from ..dataset import Dataset, LineData
from ..numbers import CENT
from ..specs import Unit
from ..specs.rules import Ref

Cell = tuple[str, str, str]  # (table, row, column)


@dataclass
class Derivation:
    """A seed's amounts split into free cells (entered figures) and derived cells (totals),
    each derived cell a linear combination of free ones that makes every equality of the
    checker hold: scaling the free cells and recomputing the derived ones keeps the tables
    exact to the cent, whatever the factor."""

    base: Dataset
    free: dict[Cell, int]  # cents
    derived: dict[Cell, dict[Cell, Fraction]]

    def variant(self, factor: Decimal) -> Dataset:
        scaled = {cell: int((Decimal(cents) * factor).quantize(Decimal(1), rounding=ROUND_HALF_UP)) for cell, cents in self.free.items()}
        amounts = dict(scaled)
        for cell, terms in self.derived.items():
            total = sum((coefficient * scaled[term] for term, coefficient in terms.items()), Fraction(0))
            amounts[cell] = round(total)
        dataset = Dataset(year=self.base.year)
        for key, table in self.base.tables.items():
            copy = dataset.tables[key] = replace(table, lines={})
            for row, line in table.lines.items():
                values = {
                    column: Decimal(amounts[(key, row, column)]) * CENT if (key, row, column) in amounts else amount
                    for column, amount in line.values.items()
                }
                copy.lines[row] = LineData(line.key, line.label, line.sheet_row, values, line.cells)
        return dataset


def equalities(dataset: Dataset) -> list[tuple[tuple[Ref, ...], tuple[Ref, ...]]]:
    """Every equality the checker evaluates on this dataset, as (target refs, other refs),
    and the inequalities (表05 ≤ 表03 …) that hold with equality, to within rounding: the
    checker itself is run with its comparisons recorded instead of judged."""
    found = []

    def record(dataset, rule_text, op, target, other, *, warning_only=False):
        if target.present + other.present == 0 or target.not_applicable or other.not_applicable:
            return []
        tight = abs(target.total - other.total) <= evaluate.tolerance(target.present + other.present)
        if op == "=" or tight:
            found.append((target.refs, other.refs))
        return []

    with patch.object(evaluate, "_compare", record):
        check_dataset(dataset)
    return found


def _is_money(dataset: Dataset, table: str, row: str, column: str) -> bool:
    data = dataset.tables[table]
    return not data.is_blank(row, column) and data.value(row, column) is not None and data.spec.unit_of(row, column) is Unit.MONEY


def derivation(dataset: Dataset) -> Derivation:
    """Gauss–Jordan elimination over the equalities, choosing as derived cell of each the
    most total-like one: in the tables that sum up the others (`TableSpec.summarises`) first, then the cell
    that most often stands alone against a sum, then the largest amount."""
    cells: dict[Cell, int] = {}
    for key, table in dataset.tables.items():
        for row, line in table.lines.items():
            for column in line.values:
                if _is_money(dataset, key, row, column):
                    cells[(key, row, column)] = int(line.values[column] * 100)
    alone: dict[Cell, int] = {}
    rows = []
    for target, other in equalities(dataset):
        if len(target) == 1 and len(other) > 1:
            cell = (target[0].table, target[0].row, target[0].column)
            alone[cell] = alone.get(cell, 0) + 1
        row: dict[Cell, Fraction] = {}
        for sign, refs in ((1, target), (-1, other)):
            for ref in refs:
                cell = (ref.table, ref.row, ref.column)
                if cell in cells:
                    row[cell] = row.get(cell, Fraction(0)) + sign * ref.sign
        rows.append(row)

    def rank(cell: Cell):
        return (dataset.tables[cell[0]].spec.summarises, alone.get(cell, 0), abs(cells[cell]))

    derived: dict[Cell, dict[Cell, Fraction]] = {}
    for row in rows:
        reduced: dict[Cell, Fraction] = {}
        for cell, coefficient in row.items():
            for term, factor in derived.get(cell, {cell: Fraction(1)}).items():
                reduced[term] = reduced.get(term, Fraction(0)) + coefficient * factor
        reduced = {cell: c for cell, c in reduced.items() if c}
        if not reduced:
            continue  # implied by the equalities already taken
        pivot = max(reduced, key=rank)
        coefficient = reduced.pop(pivot)
        expression = {cell: -c / coefficient for cell, c in reduced.items()}
        for cell, terms in derived.items():
            if pivot in terms:
                factor = terms.pop(pivot)
                for term, c in expression.items():
                    terms[term] = terms.get(term, Fraction(0)) + factor * c
                derived[cell] = {term: c for term, c in terms.items() if c}
        derived[pivot] = expression
    free = {cell: cents for cell, cents in cells.items() if cell not in derived}
    return Derivation(dataset, free, derived)
