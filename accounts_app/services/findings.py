"""The findings derived from what a version holds beside its tables, recomputed in one place.

- performance.*: the 绩效自评表 recomputed (checking.performance);
- narrative.contradiction: an amount or share written in 情况说明 that contradicts the figures
  or the facts (narrative.consistency);
- narrative.fact_missing / reason_missing / profile_missing: what must be stated before the
  version is submitted (narrative.requirements);
- rule.*: the reviewer's checklist (checking.checklist, docs/rules.md).

Their inputs change after the upload (the 补充数据, the written parts, the 绩效自评表 edited),
so every write service that changes one calls `version_findings_refresh`, and submission
calls it again under the row lock: a version is never submitted on stale findings. An
explanation stays with a finding that is found again (same rule, place and amounts).
The 勾稽关系 and reading findings come with the workbook and change only with a new upload."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from ..checking.checklist import PREFIX as CHECKLIST
from ..checking.checklist import checklist_problems
from ..checking.performance import PREFIX as PERFORMANCE
from ..checking.performance import evaluation_problems
from ..importing.problems import ERROR, Problem
from ..models import Finding, Version, fit
from ..narrative.consistency import CODE as CONTRADICTION
from ..narrative.consistency import contradictions, vocabulary
from ..narrative.context import context_of
from ..narrative.drafting import draft, draft_sections
from ..narrative.requirements import requirement_problems
from ..selectors import version_snapshot
from ..snapshot import Snapshot
from .quality import version_quality_refresh

NARRATIVE = "narrative."  # the codes of narrative.consistency and narrative.requirements
ROUNDING = "check.rounding"  # 尾差: a difference within the rounding of the addends (checking.evaluate)
CONTRADICTION_RULE = "情况说明中的金额和比例应与决算表、补充数据一致"


def finding_of(problem: Problem, version: Version) -> Finding:
    """The stored form of a problem: a Finding of `version` (not saved)."""
    return Finding(
        version=version,
        severity=problem.severity,
        code=fit(Finding, "code", problem.code),
        message=problem.message,
        table=fit(Finding, "table", problem.table),
        row=fit(Finding, "row", problem.row),
        column=fit(Finding, "column", problem.column),
        sheet=fit(Finding, "sheet", problem.sheet),
        cell=fit(Finding, "cell", problem.cell),
        expected=fit(Finding, "expected", problem.expected),
        found=fit(Finding, "found", problem.found),
        rule=fit(Finding, "rule", problem.rule),
    )


def _labels(sections) -> dict[tuple[str, str], str]:
    found = {}
    for section in sections:
        found.update({(section.key, written.key): f"{section.heading}·{written.label}" for written in section.fields})
        found.update(_labels(section.subsections))
    return found


def derived_problems(snapshot: Snapshot, sections: list | None = None) -> list[Problem]:
    """Every derived finding of a snapshot, as problems (pure); `sections`: its drafted
    情况说明, when the caller has it."""
    problems = [problem for evaluation in snapshot.evaluations for problem in evaluation_problems(evaluation)]
    ctx = context_of(snapshot)
    sections = sections if sections is not None else draft(ctx)
    problems += requirement_problems(snapshot, ctx, sections)
    problems += checklist_problems(snapshot)
    if not snapshot.written:
        return problems  # nothing written: nothing to contradict
    figures = vocabulary(snapshot.dataset, snapshot.facts)
    labels = _labels(sections)
    for (section, field), text in sorted(snapshot.written.items()):
        where = labels.get((section, field), f"{section}·{field}")
        for found in contradictions(text, figures):
            problems.append(
                Problem(
                    ERROR,
                    CONTRADICTION,
                    {"where": where, "name": found.name, "written": found.written, "source": found.source,
                     "expected": found.expected, "excerpt": found.excerpt},
                    table="narrative",
                    row=section,
                    column=field,
                    expected=found.expected,
                    found=found.written,
                    rule=CONTRADICTION_RULE,
                )
            )
    return problems


def _identity(finding: Finding) -> tuple:
    """What makes two findings the same one: rule and code, place (table, row, column, cell)
    and the amounts expected and found."""
    return (
        finding.code, finding.rule, finding.table, finding.row, finding.column, finding.cell, finding.expected, finding.found,
    )


def explanations_carry(*, previous: Version | None, findings: list[Finding]) -> int:
    """Give each of `findings` (a new version's, not yet saved) the explanation its same finding
    had in `previous`; returns how many were carried."""
    if previous is None:
        return 0
    explained = {_identity(f): f.explanation for f in previous.findings.exclude(explanation="")}
    carried = 0
    for finding in findings:
        text = explained.get(_identity(finding))
        if text and not finding.explanation:
            finding.explanation = text
            carried += 1
    return carried


def version_findings_refresh(*, version: Version, snapshot: Snapshot | None = None) -> list[Finding]:
    """Recompute the version's derived findings and replace the stored ones, keeping each
    explanation whose finding still holds. Returns the findings now stored."""
    # last year's figures decide which differences need their 主要原因: loaded
    snapshot = snapshot if snapshot is not None else version_snapshot(version)
    sections = draft_sections(snapshot)  # read by the findings and by the score
    findings = [finding_of(problem, version) for problem in derived_problems(snapshot, sections)]
    with transaction.atomic():
        previous = version.findings.filter(
            Q(code__startswith=PERFORMANCE) | Q(code__startswith=NARRATIVE) | Q(code__startswith=CHECKLIST)
        )
        explained = {_identity(f): f.explanation for f in previous if f.explanation}
        for finding in findings:
            finding.explanation = explained.get(_identity(finding), "")
        previous.delete()
        Finding.objects.bulk_create(findings)
        version_quality_refresh(version=version, snapshot=snapshot, sections=sections)  # 公开质量 follows the findings
    return findings
