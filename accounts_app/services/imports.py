"""Importing a workbook into a new version of a disclosure.

open (bounded) → read (pure) → check (pure) → store (one transaction).
Only a file that cannot be opened safely stores nothing. Whatever was read is stored as
a draft with every problem as a finding — a missing or unreadable table, a bad cell, a
sheet the portal could not identify, a 勾稽关系 that fails: errors block submission, not
storage. What each sheet was read as (or why it was not) is kept with the version.
What the department said its sheets are (SheetMapping) applies to every upload.

The 绩效自评表 of 第五部分 附件 come with the workbook when it has them (then they replace
the previous version's); otherwise the previous version's are carried forward. Either
way they are recomputed (checking.performance) into warnings of the new version.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from django.core.files.base import ContentFile
from django.db import transaction

from ..checking import check_dataset
from ..dataset import Dataset
from ..importing.problems import MISSING, Problem, WorkbookRejected, sort_key
from ..importing.reader import Expectation, SheetReading, parse_workbook
from ..importing.workbook import open_workbook
from ..models import (
    Disclosure,
    EconomicSubject,
    Figure,
    Finding,
    FunctionSubject,
    Line,
    SheetMapping,
    Version,
    VersionTable,
    fit,
)
from ..narrative.drafting import draft_sections
from ..selectors import last_year_snapshot, table_set
from ..specs import RowKind
from ..specs.reasons import threshold_for
from ..snapshot import Evaluation, Snapshot
from .findings import derived_problems, explanations_carry, finding_of
from .quality import version_quality_refresh
from .narrative import Carried, copy_forward, evaluation_store


@dataclass
class ImportOutcome:
    version: Version | None
    problems: list[Problem] = field(default_factory=list)
    sheets: list[SheetReading] = field(default_factory=list)  # what each sheet was read as
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
    """What the workbook should be, and what the department said its sheets are."""
    year = disclosure.year.year
    functions = list(FunctionSubject.objects.for_year(year).values_list("code", "year__year"))  # one edition, one year
    return Expectation(
        entity_names=disclosure.accepted_names,
        entity_label=disclosure.entity_name,
        year=year,
        table_set=table_set(disclosure.region.table_set),
        known_codes={
            RowKind.SUBJECT: {code for code, _ in functions},
            RowKind.ECONOMIC: set(EconomicSubject.objects.for_year(year).values_list("code", flat=True)),
        },
        catalog_year=functions[0][1] if functions else None,
        mapping=sheet_mapping(disclosure),
    )


def sheet_mapping(disclosure: Disclosure) -> dict[str, str]:
    """What the department said its sheets are: sheet name → table key ("" for not a table)."""
    return dict(SheetMapping.objects.filter(department=disclosure.department_id).values_list("sheet_name", "table"))


def workbook_import(*, disclosure: Disclosure, data: bytes, filename: str, user=None) -> ImportOutcome:
    """Read, check and store an uploaded workbook as the disclosure's next version (a draft).
    Nothing is stored only when the file cannot be opened safely."""
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
    evaluations = result.evaluations
    problems = sorted(result.problems + check_dataset(result.dataset), key=sort_key)
    version, derived = store_version(
        disclosure=disclosure, dataset=result.dataset, problems=problems, data=data, filename=filename, user=user,
        evaluations=evaluations, reading=[sheet.as_dict() for sheet in result.sheets],
    )
    return ImportOutcome(
        version=version,
        problems=sorted(problems + [p for p in derived if p.severity != MISSING], key=sort_key),  # 待填写: the text part's
        sheets=result.sheets,
        evaluations=[evaluation.name for evaluation in evaluations],
    )


def store_version(
    *,
    disclosure,
    dataset: Dataset,
    problems: list[Problem],
    data: bytes,
    filename: str,
    user=None,
    evaluations: Sequence[Evaluation] = (),
    reading: Sequence[dict] = (),
) -> tuple[Version, list[Problem]]:
    """The figures, findings and 绩效自评表 of an accepted workbook as the next version, with the
    derived findings (services.findings) of what it holds and what it carries from the previous
    one: a text carried forward is checked against the new figures, and a finding found again
    (same rule, place and amounts) keeps the explanation it had there. Returns the version and
    those derived problems."""
    with transaction.atomic():
        # the region (its table set) and the year (the upload's path) with the lock, which holds the disclosure only
        locked = (
            Disclosure.objects.select_related("department__region", "year").select_for_update(of=("self",)).get(pk=disclosure.pk)
        )
        # with the 概况 that copy_forward carries
        previous = locked.versions.select_related("profile").order_by("-number").first()
        number = (previous.number if previous else 0) + 1
        version = Version(
            disclosure=locked,
            number=number,
            table_set=locked.region.table_set,
            created_by=user if user is not None and user.is_authenticated else None,
            source_name=fit(Version, "source_name", filename),
            source_sha256=hashlib.sha256(data).hexdigest(),
            source_size=len(data),
            reading=list(reading),
            figure_count=sum(table.figure_count for table in dataset.tables.values()),
        )
        version.source_file.save(filename, ContentFile(data), save=False)
        try:
            version.save()
            store_figures(version, dataset)
            for position, evaluation in enumerate(evaluations):
                evaluation_store(version=version, evaluation=replace(evaluation, position=position))
            carried = copy_forward(previous, version, evaluations=not evaluations) if previous is not None else Carried()
            snapshot = Snapshot(
                dataset=dataset,
                kind=locked.kind,
                outline=table_set(locked.region.table_set).outline,
                facts=carried.facts,
                written=carried.written,
                evaluations=list(evaluations) or carried.evaluations,
                profile=carried.profile,
                last=last_year_snapshot(locked),
                entity=locked.entity_name,
                extra_sections=carried.extra_sections,
                reason_threshold=threshold_for(region_code=locked.region.code, table_set=version.table_set),
            )
            sections = draft_sections(snapshot)  # read by the findings and by the score
            derived = derived_problems(snapshot, sections)
            findings = [finding_of(p, version) for p in (*problems, *derived)]
            explanations_carry(previous=previous, findings=findings)  # the same 尾差 explained once, not per upload
            Finding.objects.bulk_create(findings)
            version_quality_refresh(version=version, snapshot=snapshot, sections=sections)  # shown from the first page
        except BaseException:
            version.source_file.delete(save=False)
            raise
    return version, derived


def store_figures(version: Version, dataset: Dataset) -> None:
    """The dataset's tables, lines and figures under `version`, with the number of figures
    of each table and of the version (what `/api/figures` pages by), and the figures' year."""
    tables = VersionTable.objects.bulk_create(
        VersionTable(
            version=version,
            table=table.spec.key,
            position=table.position,
            sheet_name=fit(VersionTable, "sheet_name", table.sheet),
            printed_title=fit(VersionTable, "printed_title", table.printed_title),
            printed_label=fit(VersionTable, "printed_label", table.printed_label),
            label=fit(VersionTable, "label", dataset.label_of(table.spec.family)),
            numbered=table.numbered,
            form=table.form.key if table.form else "",
            order=order,
            printed_entity=fit(VersionTable, "printed_entity", table.printed_entity),
            printed_unit=fit(VersionTable, "printed_unit", table.printed_unit),
            note=table.note,
            figure_count=table.figure_count,
        )
        for order, table in enumerate(dataset.tables.values())
    )
    figure_count = sum(table.figure_count for table in tables)
    if version.figure_count != figure_count:  # store_version saves it with the version
        version.figure_count = figure_count
        Version.objects.filter(pk=version.pk).update(figure_count=figure_count)
    line_rows = []
    for stored, table in zip(tables, dataset.tables.values()):
        for position, line in enumerate(table.lines.values()):
            line_rows.append(
                (Line(table_id=stored.pk, key=line.key, label=fit(Line, "label", line.label), position=position, sheet_row=line.sheet_row), line)
            )
    lines = Line.objects.bulk_create([line for line, _ in line_rows])
    year = version.disclosure.year.year  # the partition key of the figures (models.figures)
    Figure.objects.bulk_create(
        Figure(line_id=stored.pk, column=column, amount=amount, cell=data.cells.get(column, ""), year=year)
        for stored, (_, data) in zip(lines, line_rows)
        for column, amount in data.values.items()
    )
