"""Importing a workbook into a new version of a disclosure.

open (bounded) → parse (pure) → check (pure) → store (one transaction).
Reading problems (a missing table, a bad cell, a wrong year …) reject the upload and
store nothing. Checker findings are stored with the new version: errors there keep
the version from being submitted, they do not lose the upload.

The 绩效自评表 of 第五部分 附件 come with the workbook when it has them (then they replace
the previous version's); otherwise the previous version's are carried forward. Either
way they are recomputed (checking.performance) into warnings of the new version.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction

from ..checking import check_dataset
from ..checking.performance import evaluation_problems, performance_findings_refresh
from ..dataset import Dataset
from ..importing.parser import Expectation, parse_workbook
from ..importing.problems import Problem, WorkbookRejected, sort_key
from ..importing.workbook import open_workbook
from ..models import Disclosure, EconomicSubject, Figure, Finding, FunctionSubject, Line, Version, VersionTable
from ..specs import RowKind, get_table_set
from .narrative import copy_forward, store_evaluation


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
    evaluations: list[str] = field(default_factory=list)  # the 绩效自评表 read, by name

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
    names = [evaluation["name"] for evaluation in result.evaluations]
    if result.errors:
        return ImportOutcome(version=None, problems=sorted(result.problems, key=sort_key), tables=tables, evaluations=names)
    problems = sorted(result.problems + check_dataset(result.dataset), key=sort_key)
    version = store_version(
        disclosure=disclosure, dataset=result.dataset, problems=problems, data=data, filename=filename, user=user,
        evaluations=result.evaluations,
    )
    recomputed = [p for evaluation in result.evaluations for p in evaluation_problems(evaluation)]
    return ImportOutcome(version=version, problems=sorted(problems + recomputed, key=sort_key), tables=tables, evaluations=names)


def store_version(
    *, disclosure, dataset: Dataset, problems: list[Problem], data: bytes, filename: str, user=None, evaluations: Sequence[dict] = ()
) -> Version:
    """The figures, findings and 绩效自评表 of an accepted workbook as the next version."""
    with transaction.atomic():
        locked = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
        previous = locked.versions.order_by("-number").first()
        number = (previous.number if previous else 0) + 1
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
            store_figures(version, dataset)
            for position, evaluation in enumerate(evaluations):
                store_evaluation(version, {**evaluation, "position": position})
            if previous is not None:
                copy_forward(previous, version, evaluations=not evaluations)
            Finding.objects.bulk_create(p.finding(version) for p in problems)
            performance_findings_refresh(version)
        except BaseException:
            version.source_file.delete(save=False)
            raise
    return version


def store_figures(version: Version, dataset: Dataset) -> None:
    """The dataset's tables, lines and figures under `version`, with the number of figures
    of each table and of the version (what `/api/figures` pages by)."""
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
            figure_count=table.figure_count,
        )
        for table in dataset.tables.values()
    )
    version.figure_count = sum(table.figure_count for table in tables)
    Version.objects.filter(pk=version.pk).update(figure_count=version.figure_count)
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
