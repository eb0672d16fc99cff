"""Last years' published PDFs as history: a published version 「根据已公开 PDF 导入」.

open (bounded: importing.pdf_bounds) → read the tables as a workbook is read and split the
text into its parts (importing.pdf_reader, importing.pdf_narrative) → check (the same
勾稽关系) → store, in one transaction, a version that is published from the start:
- its figures, and every reading problem and check as a finding, shown like any upload's;
- the PDF itself as the uploaded file and as the version's PDF, with its SHA-256; the date the
  department published it (entered by the importer) as its publication date, so that the
  board, the deadlines and the 公开质量 count from it;
- its 情况说明 as published (the numbered sections of 第三部分) frozen as a published
  version's is, and all five parts' text in `published_parts`;
- its key figures (`summary`), which the trends, the comparison and next year's draft read.
A PDF is imported once (keyed by its SHA-256, a database constraint): importing it again
changes nothing. It is never edited (it is published, so no form takes it); a later
correction is a new version as usual. A disclosure already on the portal is not imported over.

The document is matched to its department (or unit) by the names its cover prints, and to its
year by the 「NNNN 年度」 it names; `disclosure` skips the matching (the admin's one-file import).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from .. import caching
from ..checking import check_dataset
from ..importing import cells
from ..importing.pdf_narrative import PublishedPart, cover_text, document_is_unit, document_year, split_parts
from ..importing.pdf_reader import OpenedPdf, open_pdf, parse_pdf, require_tables
from ..importing.problems import ERROR, Problem, WorkbookRejected, sort_key
from ..models import AuditEntry, Department, Disclosure, Finding, FiscalYear, Region, Unit, Version, fit
from ..models.disclosure import UNDER_REVIEW
from ..narrative.context import Section
from ..narrative.drafting import sections_to_data
from ..specs.key_figures import key_figures
from .audit import Actor, audit
from .findings import finding_of
from .imports import expectation_for, store_figures
from .publication import disclosure_current_refresh
from .quality import version_quality_refresh

ORIGIN_LABEL = Version.Origin.PUBLISHED_PDF.label  # 根据已公开 PDF 导入
MESSAGES = {
    "already": "这份 PDF 已于 {when} 导入为{version}，未再导入。",
    "no_year": "未能从 PDF 中读出年度（封面或正文中的「NNNN 年度」）。",
    "no_match": "PDF 封面中的名称与{region}的{kind}都不相符，未导入。请先在平台上登记该{kind}，或在管理后台逐个导入时指定。",
    "on_portal": "{disclosure}已在平台上有公开或审核中的版本（第 {number} 版），未导入。已公开的决算如需更正，请上传更正版本。",
    "year_mismatch": "PDF 为 {found} 年度，与所选决算的 {expected} 年度不符，未导入。",
}


class Result:
    IMPORTED = "imported"
    ALREADY = "already"
    UNMATCHED = "unmatched"
    REFUSED = "refused"
    LABELS = {IMPORTED: "已导入", ALREADY: "已导入过（未改变）", UNMATCHED: "未匹配", REFUSED: "已拒绝"}


@dataclass
class PdfImportOutcome:
    filename: str
    sha256: str
    result: str
    version: Version | None = None
    disclosure: Disclosure | None = None
    year: int | None = None
    message: str = ""
    problems: list[Problem] = field(default_factory=list)

    @property
    def result_label(self) -> str:
        return Result.LABELS[self.result]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != ERROR]


def published_pdf_import(
    *, region: Region, data: bytes, filename: str, published_on: date, user=None, disclosure: Disclosure | None = None
) -> PdfImportOutcome:
    """Import one published PDF of `region` as history (see the module's docstring)."""
    outcome = PdfImportOutcome(filename=filename, sha256=hashlib.sha256(data).hexdigest(), result=Result.REFUSED)
    if _already(outcome):
        return outcome
    try:
        opened = open_pdf(data)
    except WorkbookRejected as rejected:
        return _refused(outcome, rejected.problem)
    outcome.year = document_year(opened.lines)
    try:
        require_tables(opened, disclosure.year.year if disclosure else outcome.year or timezone.localdate().year)
    except WorkbookRejected as rejected:
        return _refused(outcome, rejected.problem)
    if disclosure is None:
        disclosure = _matched(region, opened, outcome)
        if disclosure is None:
            return outcome
    elif outcome.year is not None and outcome.year != disclosure.year.year:
        outcome.message = MESSAGES["year_mismatch"].format(found=outcome.year, expected=disclosure.year.year)
        return outcome
    outcome.disclosure, outcome.year = disclosure, disclosure.year.year
    on_portal = disclosure.versions.filter(status__in=[Version.Status.PUBLISHED, *UNDER_REVIEW]).order_by("-number").first()
    if on_portal is not None:
        outcome.message = MESSAGES["on_portal"].format(disclosure=disclosure, number=on_portal.number)
        return outcome
    try:
        result = parse_pdf(opened, expectation_for(disclosure))
    except WorkbookRejected as rejected:
        return _refused(outcome, rejected.problem)
    outcome.problems = sorted(result.problems + check_dataset(result.dataset), key=sort_key)
    outcome.version = _store(
        disclosure=disclosure, outcome=outcome, data=data, result=result, parts=split_parts(opened.lines),
        published_on=published_on, actor=Actor(user),
    )
    outcome.result = Result.IMPORTED
    outcome.message = f"已导入为{outcome.version}（{ORIGIN_LABEL}）：{outcome.version.figure_count} 个数据，{len(outcome.errors)} 个错误，{len(outcome.warnings)} 个提示。"
    return outcome


def _already(outcome: PdfImportOutcome) -> bool:
    version = (
        Version.objects.filter(origin=Version.Origin.PUBLISHED_PDF, source_sha256=outcome.sha256)
        .select_related("disclosure__department", "disclosure__unit", "disclosure__year")
        .first()
    )
    if version is None:
        return False
    outcome.result, outcome.version, outcome.disclosure = Result.ALREADY, version, version.disclosure
    outcome.year = version.disclosure.year.year
    outcome.message = MESSAGES["already"].format(when=f"{timezone.localtime(version.created_at):%Y-%m-%d}", version=version)
    return True


def _refused(outcome: PdfImportOutcome, problem: Problem) -> PdfImportOutcome:
    outcome.result, outcome.problems, outcome.message = Result.REFUSED, [problem], problem.message
    return outcome


def _matched(region: Region, opened: OpenedPdf, outcome: PdfImportOutcome) -> Disclosure | None:
    """The disclosure of the department or unit whose name the cover prints (the longest
    such name), for the year it names; created if the portal has none for that year yet."""
    if outcome.year is None:
        outcome.result, outcome.message = Result.UNMATCHED, MESSAGES["no_year"]
        return None
    cover = cover_text(opened.lines)
    is_unit = document_is_unit(opened.lines)
    kind = Disclosure.Kind.UNIT if is_unit else Disclosure.Kind.DEPARTMENT
    owners = Unit.objects.filter(department__region=region) if is_unit else Department.objects.filter(region=region)
    named = [owner for owner in owners if cells.compact(owner.name) and cells.compact(owner.name) in cover]
    if not named:
        outcome.result = Result.UNMATCHED
        outcome.message = MESSAGES["no_match"].format(region=region.name, kind="单位" if is_unit else "部门")
        return None
    owner = max(named, key=lambda o: len(o.name))
    fiscal_year, _ = FiscalYear.objects.get_or_create(year=outcome.year)
    if is_unit:
        found, _ = Disclosure.objects.get_or_create(department=owner.department, unit=owner, year=fiscal_year, kind=kind)
    else:
        found, _ = Disclosure.objects.get_or_create(department=owner, unit=None, year=fiscal_year, kind=kind)
    return found


def _store(*, disclosure, outcome, data, result, parts: list[PublishedPart], published_on: date, actor: Actor) -> Version:
    published_at = timezone.make_aware(datetime.combine(published_on, time(0, 0)))
    with transaction.atomic():
        locked = Disclosure.objects.select_related("department__region", "year").select_for_update(of=("self",)).get(pk=disclosure.pk)
        number = (locked.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        narrative = next((part for part in parts if part.kind == "narrative"), None)
        version = Version(
            disclosure=locked, number=number, table_set=locked.region.table_set, status=Version.Status.PUBLISHED,
            origin=Version.Origin.PUBLISHED_PDF, created_by=actor.user if actor.user is not None and actor.user.is_authenticated else None,
            source_name=fit(Version, "source_name", outcome.filename), source_sha256=outcome.sha256, source_size=len(data),
            published_at=published_at, original_published_on=published_on, published_by=None,
            pdf_sha256=outcome.sha256, figure_count=sum(table.figure_count for table in result.dataset.tables.values()),
            reading=[sheet.as_dict() for sheet in result.sheets],
            summary={key: None if amount is None else str(amount) for key, amount in key_figures(result.dataset).items()},
            narrative_sections=sections_to_data(_sections(narrative)) if narrative else [],
            published_parts=[part.as_data() for part in parts],
        )
        version.source_file.save(outcome.filename, ContentFile(data), save=False)
        version.pdf.save(f"v{number}.pdf", ContentFile(data), save=False)
        try:
            version.save()
            store_figures(version, result.dataset)
            Finding.objects.bulk_create(finding_of(problem, version) for problem in outcome.problems)
            disclosure_current_refresh(disclosure=locked)
            transaction.on_commit(lambda: caching.forget_current(locked.pk))
            version_quality_refresh(version=version)
            audit(actor, AuditEntry.Action.IMPORT_PDF, locked, version, f"{ORIGIN_LABEL}：{outcome.filename}，SHA-256 {outcome.sha256}，原公开日期 {published_on:%Y-%m-%d}")
        except BaseException:
            version.source_file.delete(save=False)
            version.pdf.delete(save=False)
            raise
    return version


def _sections(part: PublishedPart) -> list[Section]:
    """第三部分 as published, in the form a published version's 情况说明 is frozen in."""

    def section(found, key: str) -> Section:
        return Section(
            key=key, number=found.number, title=found.title, paragraphs=list(found.paragraphs),
            subsections=[section(sub, f"{key}-{n}") for n, sub in enumerate(found.subsections, 1)],
        )

    return [section(found, f"published-{n}") for n, found in enumerate(part.sections(), 1)]
