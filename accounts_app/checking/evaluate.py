"""Evaluating the 勾稽关系 declared in the specs against a version's figures.

Amounts are compared in 分 (Decimal with two places). A difference within the rounding
of the figures involved — 0.005 万元 for every non-blank figure on either side, rounded
up to 0.01 — is a 尾差 warning; anything larger is an error. Counts must match exactly.
Blank cells count as zero; a rule whose cells are all blank is not evaluated.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import ROUND_CEILING, Decimal

from ..dataset import Dataset, TableData
from ..importing.cells import format_amount
from ..numbers import CENT
from ..importing.problems import ERROR, WARNING, Problem
from ..specs import TOTAL_ROW, RowKind, Unit
from ..specs.rules import CellRule, HierarchyRule, Ref, RowRule, SubjectRule

HALF_CENT = Decimal("0.005")
ZERO = Decimal("0.00")


@dataclass
class Side:
    refs: tuple[Ref, ...]
    total: Decimal
    present: int  # non-blank figures
    applicable: int  # of those, the ones that are not "——"

    @property
    def not_applicable(self) -> bool:
        """Only "——" on this side: the relation does not apply (seed 002 表09 行7/9 全年预算数)."""
        return self.present > 0 and self.applicable == 0


def check_dataset(dataset: Dataset) -> list[Problem]:
    problems: list[Problem] = []
    names = _TableNames(dataset)
    for table in dataset.tables.values():
        for rule in table.spec.checks:
            if all(key in dataset.tables for key in _tables_of(rule)):
                rule = replace(rule, text=rule.text.format_map(names))
                problems.extend(_EVALUATORS[type(rule)](rule, dataset))
    return problems


class _TableNames(dict):
    """Fills a rule's {family} with the table's number as the department prints it, or, when
    the dataset has none for it, its title: a rule never quotes a number the workbook does not use."""

    def __init__(self, dataset: Dataset):
        super().__init__()
        self.dataset = dataset

    def __missing__(self, family: str) -> str:
        label = self.dataset.label_of(family)
        if label:
            return label
        table = self.dataset.family(family)
        return f"「{table.printed_title or table.spec.title}」" if table else f"「{family}」"


def _tables_of(rule) -> set[str]:
    if isinstance(rule, CellRule):
        return {ref.table for ref in rule.lhs + rule.rhs}
    if isinstance(rule, SubjectRule):
        return {rule.lhs[0], rule.rhs[0]}
    return {rule.table}


def tolerance(present: int) -> Decimal:
    return (HALF_CENT * present).quantize(CENT, rounding=ROUND_CEILING)


def _side(dataset: Dataset, refs: tuple[Ref, ...]) -> Side:
    total, present, applicable = ZERO, 0, 0
    for ref in refs:
        table = dataset.tables[ref.table]
        if not table.is_blank(ref.row, ref.column):
            present += 1
            value = table.value(ref.row, ref.column)
            if value is not None:
                applicable += 1
                total += ref.sign * value
    return Side(refs, total, present, applicable)


def _is_count(dataset: Dataset, refs) -> bool:
    return any(dataset.tables[ref.table].spec.unit_of(ref.row, ref.column) is Unit.COUNT for ref in refs)


def _where(table: TableData, row: str, column: str) -> str:
    spec = table.spec
    line = table.lines.get(row)
    label = line.label if line and line.label else (spec.row(row).label if spec.row(row) else "")
    if row == TOTAL_ROW:
        row_text = "合计行"
    elif spec.row_kind is RowKind.LINE:
        row_text = f"第{row}行" + (f"「{label}」" if label else "")
    elif spec.row(row) is not None:
        row_text = f"「{label}」"
    else:
        row_text = f"{row}「{label}」" if label else row
    return f"{row_text}「{spec.column(column).heading}」栏"


def _compare(dataset, rule_text, op, target: Side, other: Side, *, warning_only=False) -> list[Problem]:
    """Compare target (found) with other (expected) under op; at most one finding."""
    if target.present + other.present == 0 or target.not_applicable or other.not_applicable:
        return []
    found, expected = target.total, other.total
    difference = found - expected
    if op == "=" and difference == 0 or op == "<=" and difference <= 0 or op == ">=" and difference >= 0:
        return []
    refs = target.refs + other.refs
    allowed = ZERO if _is_count(dataset, refs) else tolerance(target.present + other.present)
    gap = abs(difference)
    if gap <= allowed:
        code, severity = "check.rounding", WARNING
    else:
        code = {"=": "check.mismatch", "<=": "check.exceeds", ">=": "check.falls_short"}[op]
        severity = WARNING if warning_only else ERROR
    ref = target.refs[0]
    table = dataset.tables[ref.table]
    params = {
        "rule": rule_text,
        "where": _where(table, ref.row, ref.column),
        "expected": format_amount(expected),
        "found": format_amount(found),
        "difference": format_amount(gap),
        "tolerance": format_amount(allowed),
    }
    return [
        Problem(
            severity,
            code,
            params,
            sheet=table.sheet,
            cell=table.cell(ref.row, ref.column),
            table=ref.table,
            row=ref.row,
            column=ref.column,
            expected=params["expected"],
            found=params["found"],
            rule=rule_text,
            where=dataset.name_of(table),
        )
    ]


_FLIP = {"=": "=", "<=": ">=", ">=": "<="}


def evaluate_cell_rule(rule: CellRule, dataset: Dataset) -> list[Problem]:
    lhs, rhs = _side(dataset, rule.lhs), _side(dataset, rule.rhs)
    if rule.breakdown and not rhs.present:
        return []
    if len(rule.lhs) > 1 and len(rule.rhs) == 1:  # point at the single cell
        return _compare(dataset, rule.text, _FLIP[rule.op], rhs, lhs, warning_only=rule.warning_only)
    return _compare(dataset, rule.text, rule.op, lhs, rhs, warning_only=rule.warning_only)


def evaluate_row_rule(rule: RowRule, dataset: Dataset) -> list[Problem]:
    table = dataset.tables[rule.table]
    keys = rule.rows if rule.rows is not None else list(table.lines)
    problems = []
    for key in keys:
        if key not in table.lines:
            continue
        target = _side(dataset, (Ref(rule.table, key, rule.target),))
        terms = _side(dataset, tuple(Ref(rule.table, key, column, sign) for sign, column in rule.terms))
        problems += _compare(dataset, rule.text, "=", target, terms)
    return problems


def evaluate_hierarchy(rule: HierarchyRule, dataset: Dataset) -> list[Problem]:
    table = dataset.tables[rule.table]
    codes = [key for key in table.lines if key.isdigit()]
    code_set = set(codes)
    lengths = sorted({len(code) for code in codes} | set(table.spec.code_lengths))
    shorter = dict(zip(lengths[1:], lengths))  # a code's length → its parent's
    problems = []
    for code in codes:
        parent_length = shorter.get(len(code))
        if parent_length and code[:parent_length] not in code_set:
            line = table.lines[code]
            problems.append(
                Problem(
                    ERROR,
                    "check.missing_parent",
                    {"code": code, "name": line.label, "parent": code[:parent_length]},
                    sheet=table.sheet,
                    cell=next(iter(line.cells.values()), ""),
                    table=rule.table,
                    row=code,
                    rule=rule.text,
                    where=dataset.name_of(table),
                )
            )
    groups: list[tuple[str, list[str]]] = []
    if rule.with_total and TOTAL_ROW in table.lines:
        groups.append((TOTAL_ROW, [c for c in codes if len(c) == lengths[0]]))
    under: dict[str, list[str]] = {}  # a code's codes of the next length under it, in order
    for code in codes:
        if len(code) in shorter:
            under.setdefault(code[: shorter[len(code)]], []).append(code)
    groups += [(code, under[code]) for code in codes if code in under]
    for parent, children in groups:
        for column in table.spec.value_columns:
            target = _side(dataset, (Ref(rule.table, parent, column.key),))
            parts = _side(dataset, tuple(Ref(rule.table, child, column.key) for child in children))
            problems += _compare(dataset, rule.text, "=", target, parts)
    return problems


def subject_rows(table: TableData, level: int | None) -> dict[str, str]:
    """功能分类 code -> row key of this table (code rows, or fixed rows standing for a 类)."""
    if table.spec.row_kind is RowKind.SUBJECT:
        return {
            key: key
            for key in table.lines
            if (key.isdigit() and (level is None or len(key) == level)) or (key == TOTAL_ROW and level is None)
        }
    return {row.subject: row.key for row in table.spec.fixed_rows if row.subject and (level in (None, len(row.subject)))}


def evaluate_subject_rule(rule: SubjectRule, dataset: Dataset) -> list[Problem]:
    (left_key, left_column), (right_key, right_column) = rule.lhs, rule.rhs
    left, right = dataset.tables[left_key], dataset.tables[right_key]
    left_rows, right_rows = subject_rows(left, rule.level), subject_rows(right, rule.level)
    problems = []
    for code in sorted(set(left_rows) | set(right_rows)):
        target = _side(dataset, (Ref(left_key, left_rows[code], left_column),) if code in left_rows else ())
        other = _side(dataset, (Ref(right_key, right_rows[code], right_column),) if code in right_rows else ())
        if not target.refs:  # the code only exists on the right: point there
            problems += _compare(dataset, rule.text, _FLIP[rule.op], other, target)
        else:
            problems += _compare(dataset, rule.text, rule.op, target, other)
    return problems


_EVALUATORS = {
    CellRule: evaluate_cell_rule,
    RowRule: evaluate_row_rule,
    HierarchyRule: evaluate_hierarchy,
    SubjectRule: evaluate_subject_rule,
}
