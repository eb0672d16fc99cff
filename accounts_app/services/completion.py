"""Filling what a seed document left unstated, for the demo (and for tests whose subject is
elsewhere): the seeds are real published documents, and some of them do not state a 主要原因
or a part of 概况 the portal now requires, or print NaN in the 附件. The demo takes them
through review as a department would after completing them, with every added text marked as
demo text, never passed off as the department's."""

from __future__ import annotations

from dataclasses import replace

from ..checking.checklist_facts import NOT_A_NUMBER, NUMERIC_TEXTS
from ..models import Finding, Version
from ..narrative.requirements import FACT_MISSING, PROFILE_MISSING, REASON_MISSING
from ..selectors import version_evaluations
from ..specs.facts import NIL
from .findings import version_findings_refresh
from .narrative import facts_save, narrative_apply, profile_save, written_save

DEMO_NOTE = "（演示数据：原公开文件未单独说明。）"
# The fields that fill each 概况 part, keyed as narrative.requirements names the part (its first field).
DEMO_PROFILE = {"duties": {"duties": [DEMO_NOTE]}, "organisation": {"organisation": DEMO_NOTE}, "staff_in_service": {"staff_notes": DEMO_NOTE}}
NOT_A_NUMBER_CODE = "rule.evaluation_number"


class Unstated(Exception):
    """A fact the draft needs is unknown: the demo does not invent it."""


def statements_complete(*, version: Version, reason: str = DEMO_NOTE, profile: dict = DEMO_PROFILE, nil_facts: bool = False) -> None:
    """Every 待填写 of the version filled: each reason with `reason`, each missing 概况 part from
    `profile` ({part's first field: the fields that fill it}), the 附件 cells that are not numbers left blank;
    an unknown fact stated 「无」 only with `nil_facts`, else `Unstated` is raised."""
    version_findings_refresh(version=version)
    if version.findings.filter(code=NOT_A_NUMBER_CODE).exists():
        _blank_not_numbers(version)
    missing = list(version.findings.filter(severity=Finding.Severity.MISSING))
    facts = {(f.row, f.column): NIL for f in missing if f.code == FACT_MISSING}
    if facts and not nil_facts:
        raise Unstated("；".join(f.message for f in missing if f.code == FACT_MISSING))
    if facts:
        facts_save(version=version, values=facts)
    parts = {}
    for finding in missing:
        if finding.code == PROFILE_MISSING:
            parts.update(profile[finding.row])
    if parts:
        profile_save(version=version, values=parts)
    reasons = {(f.row, f.column): reason for f in version.findings.filter(code=REASON_MISSING)}
    if reasons:
        written_save(version=version, values=reasons)


def _blank_not_numbers(version: Version) -> None:
    def clean(row):
        return replace(row, **{name: "" for name in NUMERIC_TEXTS if NOT_A_NUMBER.search(getattr(row, name) or "")})

    evaluations = [replace(e, indicators=[clean(row) for row in e.indicators]) for e in version_evaluations(version)]
    narrative_apply(version=version, data={"evaluations": [e.as_data() for e in evaluations]})
