"""The text half of a version: carried forward to the next version, loaded from and
written to a plain dict (the seed narratives, the demo), and saved from the forms.

Only a version that its accountant may still change (草稿 or 退回) takes edits; the
caller checks the role (access.allowed), this module checks the state."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from ..checking.performance import performance_findings_refresh  # noqa: F401  (the views call it from here)
from ..models import (
    ExtraSection,
    Fact,
    Finding,
    PerformanceEvaluation,
    PerformanceFund,
    PerformanceIndicator,
    Profile,
    Version,
    WrittenText,
)

EDITABLE = (Version.Status.DRAFT, Version.Status.RETURNED)
PROFILE_FIELDS = (
    "duties", "organisation", "internal_bodies", "units",
    "staff_in_service", "staff_retired", "staff_other", "staff_notes",
)


class NotEditable(Exception):
    """The version is under review or published: its text is fixed."""


def require_editable(version: Version) -> None:
    if version.status not in EDITABLE:
        raise NotEditable(f"第 {version.number} 版{version.get_status_display()}，文字部分不能再修改；如需修改请上传新版本。")


def profile_of(version: Version) -> Profile:
    """The version's 概况 (an unsaved empty one when none was entered)."""
    try:
        return version.profile
    except Profile.DoesNotExist:
        return Profile(version=version)


def facts_of(version: Version) -> dict[tuple[str, str], Decimal]:
    return {(f.key, f.code): f.value for f in version.facts.all()}


def written_of(version: Version) -> dict[tuple[str, str], str]:
    return {(w.section, w.field): w.text for w in version.written.all()}


# -- saving from the forms ------------------------------------------------------------


def save_profile(version: Version, values: dict) -> Profile:
    require_editable(version)
    profile = profile_of(version)
    for name in PROFILE_FIELDS:
        setattr(profile, name, values.get(name, getattr(profile, name)))
    profile.save()
    return profile


def save_facts(version: Version, values: dict[tuple[str, str], Decimal | None]) -> None:
    """Set the given facts; None removes one (not entered). Facts not named stay."""
    require_editable(version)
    with transaction.atomic():
        for (key, code), value in values.items():
            if value is None:
                Fact.objects.filter(version=version, key=key, code=code).delete()
            else:
                Fact.objects.update_or_create(version=version, key=key, code=code, defaults={"value": value})


def save_written(version: Version, values: dict[tuple[str, str], str]) -> None:
    """Set the written parts of 情况说明; an empty text removes one."""
    require_editable(version)
    with transaction.atomic():
        for (section, field), text in values.items():
            text = text.strip()
            if text:
                WrittenText.objects.update_or_create(version=version, section=section, field=field, defaults={"text": text})
            else:
                WrittenText.objects.filter(version=version, section=section, field=field).delete()


def save_extra_sections(version: Version, sections: list[dict]) -> None:
    """Replace the optional sections with `sections` ([{title, body, table}], in order)."""
    require_editable(version)
    with transaction.atomic():
        version.extra_sections.all().delete()
        ExtraSection.objects.bulk_create(
            ExtraSection(version=version, position=i, title=s["title"], body=s.get("body", ""), table=s.get("table") or [])
            for i, s in enumerate(sections)
        )


# -- carrying forward and plain data -----------------------------------------------------


def copy_forward(previous: Version, new: Version, *, evaluations: bool = True) -> None:
    """Start `new` with everything written for `previous` (inside the import's transaction).
    `evaluations=False` when the new workbook brought its own 绩效自评表."""
    try:
        profile = previous.profile
    except Profile.DoesNotExist:
        pass
    else:
        Profile.objects.create(version=new, **{name: getattr(profile, name) for name in PROFILE_FIELDS})
    Fact.objects.bulk_create(Fact(version=new, key=f.key, code=f.code, value=f.value) for f in previous.facts.all())
    WrittenText.objects.bulk_create(
        WrittenText(version=new, section=w.section, field=w.field, text=w.text) for w in previous.written.all()
    )
    ExtraSection.objects.bulk_create(
        ExtraSection(version=new, position=s.position, title=s.title, body=s.body, table=s.table)
        for s in previous.extra_sections.all()
    )
    if evaluations:
        for evaluation in previous.evaluations.prefetch_related("funds", "indicators"):
            store_evaluation(new, evaluation_data(evaluation))


EVALUATION_FIELDS = (
    "kind", "position", "name", "department", "implementer", "goal_expected", "goal_actual",
    "tasks", "total_weight", "total_score", "sheet",
)
FUND_FIELDS = ("position", "label", "initial_budget", "full_budget", "executed", "weight", "rate", "score", "cell")
INDICATOR_FIELDS = (
    "position", "group", "level1", "level2", "level3", "target", "actual", "weight", "score", "deviation", "reason", "cell",
)


def evaluation_data(evaluation: PerformanceEvaluation) -> dict:
    return {
        **{name: getattr(evaluation, name) for name in EVALUATION_FIELDS},
        "funds": [{name: getattr(f, name) for name in FUND_FIELDS} for f in evaluation.funds.all()],
        "indicators": [{name: getattr(i, name) for name in INDICATOR_FIELDS} for i in evaluation.indicators.all()],
    }


def _decimal(value):
    return None if value is None or value == "" else Decimal(str(value))


def store_evaluation(version: Version, data: dict) -> PerformanceEvaluation:
    """One 绩效自评表 from a dict shaped like evaluation_data()."""
    decimals = {"total_weight", "total_score", "initial_budget", "full_budget", "executed", "weight", "rate", "score"}

    def clean(row: dict, names) -> dict:
        return {n: (_decimal(row.get(n)) if n in decimals else row.get(n, "")) for n in names if n in row}

    evaluation = PerformanceEvaluation.objects.create(version=version, **clean(data, EVALUATION_FIELDS))
    PerformanceFund.objects.bulk_create(
        PerformanceFund(evaluation=evaluation, **{"position": i, **clean(row, FUND_FIELDS)}) for i, row in enumerate(data.get("funds", ()))
    )
    PerformanceIndicator.objects.bulk_create(
        PerformanceIndicator(evaluation=evaluation, **{"position": i, **clean(row, INDICATOR_FIELDS)})
        for i, row in enumerate(data.get("indicators", ()))
    )
    return evaluation


def apply_narrative_data(version: Version, data: dict) -> None:
    """Load a narrative given as plain data (the seed narratives in tests/fixtures/seeds,
    the demo): {profile: {...}, facts: [{key, code, value}], written: [{section, field,
    text}], extra_sections: [{title, body, table}], evaluations: [evaluation_data …]}.
    Each part given replaces the version's."""
    require_editable(version)
    with transaction.atomic():
        if "profile" in data:
            Profile.objects.filter(version=version).delete()
            Profile.objects.create(version=version, **{k: v for k, v in data["profile"].items() if k in PROFILE_FIELDS})
        if "facts" in data:
            version.facts.all().delete()
            Fact.objects.bulk_create(
                Fact(version=version, key=f["key"], code=f.get("code", ""), value=Decimal(str(f["value"]))) for f in data["facts"]
            )
        if "written" in data:
            version.written.all().delete()
            WrittenText.objects.bulk_create(
                WrittenText(version=version, section=w["section"], field=w["field"], text=w["text"]) for w in data["written"]
            )
        if "extra_sections" in data:
            save_extra_sections(version, data["extra_sections"])
        if "evaluations" in data:
            version.evaluations.all().delete()
            for i, evaluation in enumerate(data["evaluations"]):
                store_evaluation(version, {"position": i, **evaluation})
            performance_findings_refresh(version)


# -- findings ----------------------------------------------------------------------------


def narrative_findings_refresh(version: Version, labels: dict[tuple[str, str], str] | None = None) -> list[Finding]:
    """Compare what is written in 情况说明 with the figures (narrative.consistency) and
    store the contradictions as error findings, replacing the previous ones."""
    from ..narrative.consistency import CODE, contradictions, vocabulary
    from ..selectors import version_dataset

    figures = vocabulary(version_dataset(version), facts_of(version))
    labels = labels or {}
    findings = []
    for (section, field), text in sorted(written_of(version).items()):
        where = labels.get((section, field), f"{section}·{field}")
        for found in contradictions(text, figures):
            findings.append(
                Finding(
                    version=version,
                    severity=Finding.Severity.ERROR,
                    code=CODE,
                    message=(
                        f"情况说明“{where}”写明{found.name}为 {found.written}，"
                        f"与{found.source}（{found.expected}）不一致：“{found.excerpt}”"
                    ),
                    table="narrative",
                    row=section[:30],
                    column=field[:40],
                    expected=found.expected[:100],
                    found=found.written[:100],
                    rule="情况说明中的金额和比例应与决算表、补充数据一致",
                )
            )
    with transaction.atomic():
        version.findings.filter(code=CODE).delete()
        Finding.objects.bulk_create(findings)
    return findings
