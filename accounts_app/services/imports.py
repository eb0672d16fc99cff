"""Importing a workbook into a new version of a disclosure.

open (bounded) → parse (pure) → check (pure) → store (one transaction).
Reading problems (a missing table, a bad cell, a wrong year …) reject the upload and
store nothing. Checker findings are stored with the new version: errors there keep
the version from being submitted, they do not lose the upload.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max

from ..checking import check_dataset
from ..dataset import Dataset
from ..importing.parser import Expectation, parse_workbook
from ..importing.problems import Problem, WorkbookRejected, sort_key
from ..importing.workbook import open_workbook
from ..models import Disclosure, EconomicSubject, Figure, Finding, FunctionSubject, Line, Version, VersionTable
from ..specs import RowKind, get_table_set


@dataclass
class TableSummary:
    key: str
    title: str
    label: str
    sheet: str
    printed_label: str
    rows: int
    figures: int


@dataclass
class ImportOutcome:
    version: Version | None
    problems: list[Problem] = field(default_factory=list)
    tables: list[TableSummary] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return self.version is not None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


def expectation_for(disclosure: Disclosure) -> Expectation:
    year = disclosure.year.year
    functions = FunctionSubject.objects.for_year(year)
    catalog_year = functions.values_list("year__year", flat=True).first()
    return Expectation(
        entity_names=disclosure.accepted_names,
        entity_label=disclosure.entity_name,
        year=year,
        table_set=get_table_set(disclosure.region.table_set),
        known_codes={
            RowKind.SUBJECT: set(functions.values_list("code", flat=True)),
            RowKind.ECONOMIC: set(EconomicSubject.objects.for_year(year).values_list("code", flat=True)),
        },
        catalog_year=catalog_year,
    )


def summarise(dataset: Dataset, disclosure: Disclosure) -> list[TableSummary]:
    table_set = get_table_set(disclosure.region.table_set)
    return [
        TableSummary(
            key=table.spec.key,
            title=table.spec.title,
            label=table_set.label_of(table.spec.family),
            sheet=table.sheet,
            printed_label=table.printed_label,
            rows=len(table.lines),
            figures=table.figure_count,
        )
        for table in sorted(dataset.tables.values(), key=lambda t: t.position)
    ]


def workbook_import(*, disclosure: Disclosure, data: bytes, filename: str, user=None) -> ImportOutcome:
    """Read, check and store an uploaded workbook as the disclosure's next version."""
    try:
        opened = open_workbook(data)
    except WorkbookRejected as rejected:
        return ImportOutcome(version=None, problems=[rejected.problem])
    try:
        result = parse_workbook(opened, expectation_for(disclosure))
    except WorkbookRejected as rejected:
        return ImportOutcome(version=None, problems=[rejected.problem])
    finally:
        opened.close()
    tables = summarise(result.dataset, disclosure)
    if result.errors:
        return ImportOutcome(version=None, problems=sorted(result.problems, key=sort_key), tables=tables)
    problems = sorted(result.problems + check_dataset(result.dataset), key=sort_key)
    version = store_version(disclosure=disclosure, dataset=result.dataset, problems=problems, data=data, filename=filename, user=user)
    return ImportOutcome(version=version, problems=problems, tables=tables)


def store_version(*, disclosure, dataset: Dataset, problems: list[Problem], data: bytes, filename: str, user=None) -> Version:
    with transaction.atomic():
        locked = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
        number = (locked.versions.aggregate(last=Max("number"))["last"] or 0) + 1
        version = Version(
            disclosure=locked,
            number=number,
            table_set=locked.region.table_set,
            created_by=user if user is not None and user.is_authenticated else None,
            source_name=filename[:255],
            source_sha256=hashlib.sha256(data).hexdigest(),
            source_size=len(data),
        )
        version.source_file.save(filename, ContentFile(data), save=False)
        try:
            version.save()
            _store_figures(version, dataset)
            Finding.objects.bulk_create(
                Finding(
                    version=version,
                    severity=p.severity,
                    code=p.code,
                    message=p.message,
                    table=p.table,
                    row=p.row,
                    column=p.column,
                    sheet=p.sheet[:100],
                    cell=p.cell,
                    expected=p.expected[:100],
                    found=p.found[:100],
                    rule=p.rule[:200],
                )
                for p in problems
            )
        except BaseException:
            version.source_file.delete(save=False)
            raise
    return version


def _store_figures(version: Version, dataset: Dataset) -> None:
    tables = VersionTable.objects.bulk_create(
        VersionTable(
            version=version,
            table=table.spec.key,
            position=table.position,
            sheet_name=table.sheet[:100],
            printed_title=table.printed_title[:200],
            printed_label=table.printed_label[:30],
            printed_entity=table.printed_entity[:200],
            printed_unit=table.printed_unit[:20],
            note=table.note,
        )
        for table in dataset.tables.values()
    )
    line_rows = []
    for stored, table in zip(tables, dataset.tables.values()):
        for position, line in enumerate(table.lines.values()):
            line_rows.append(
                (Line(table=stored, key=line.key, label=line.label[:200], position=position, sheet_row=line.sheet_row), line)
            )
    lines = Line.objects.bulk_create([line for line, _ in line_rows])
    Figure.objects.bulk_create(
        Figure(line=stored, column=column, amount=amount, cell=data.cells.get(column, ""))
        for stored, (_, data) in zip(lines, line_rows)
        for column, amount in data.values.items()
    )
