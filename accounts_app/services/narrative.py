"""The text half of a version: carried forward to the next version, loaded from and
written to a plain dict (the seed narratives, the demo), and saved from the forms.

Only a version that its accountant may still change (草稿 or 退回) takes edits; the
caller checks the role (access.allowed), this module checks the state. An edit made by a
person (`actor`) is logged with a short summary of what changed (「修改补充数据：机关运行经费
支出 76.23」); an edit that changes nothing is not."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from decimal import Decimal

from django.db import transaction

from ..narrative.consistency import CODE as CONTRADICTION
from ..narrative.drafting import draft_sections
from ..selectors import version_evaluations, version_snapshot
from ..snapshot import PROFILE_FIELDS, Evaluation
from ..snapshot import Profile as ProfileData
from ..specs.facts import NIL
from .audit import EDIT, Actor, audit, summary_of
from .changes import PROFILE_LABELS, fact_label, fact_text, written_places
from .findings import version_findings_refresh
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


# -- saving from the forms: each write recomputes the derived findings ------------------


def _logged(actor: Actor | None, version: Version, kind: str, items: list[str]) -> None:
    """One audit entry for an edit by a person that changed something."""
    if actor is not None and items:
        audit(actor, EDIT, version.disclosure, version, summary_of(kind, items))


def profile_save(*, version: Version, values: dict, actor: Actor | None = None) -> Profile:
    require_editable(version)
    with transaction.atomic():
        stored = Profile.objects.filter(version=version).first()  # as saved (a form may have set the instance's fields)
        before = {name: getattr(stored, name) for name in PROFILE_FIELDS} if stored else {}
        profile = profile_of(version)
        for name in PROFILE_FIELDS:
            setattr(profile, name, values.get(name, getattr(profile, name)))
        profile.save()
        changed = [
            PROFILE_LABELS.get(name, name)
            for name in PROFILE_FIELDS
            if getattr(profile, name) != before.get(name) and (name in before or getattr(profile, name) not in ("", None, []))
        ]
        version_findings_refresh(version=version)
        _logged(actor, version, "修改部门概况", ["、".join(changed)] if changed else [])
    return profile


def _fact_value(value) -> Decimal | None:
    return None if value in (NIL, None) else Decimal(str(value))


def facts_save(*, version: Version, values: dict[tuple[str, str], Decimal | str | None], actor: Actor | None = None) -> None:
    """Set the given facts: a figure, or NIL (「无」); None removes one (not entered, unknown).
    Facts not named stay."""
    require_editable(version)
    with transaction.atomic():
        before = facts_of(version)
        changed = []
        for (key, code), value in values.items():
            if value is None:
                if (key, code) in before:
                    changed.append(f"{fact_label(key, code)} 清空")
                Fact.objects.filter(version=version, key=key, code=code).delete()
                continue
            stored = _fact_value(value)
            if (key, code) not in before or before[(key, code)] != stored:
                changed.append(f"{fact_label(key, code)} {fact_text(key, stored)}")
            Fact.objects.update_or_create(version=version, key=key, code=code, defaults={"value": stored})
        version_findings_refresh(version=version)
        _logged(actor, version, "修改补充数据", changed)


def written_save(*, version: Version, values: dict[tuple[str, str], str], actor: Actor | None = None) -> list[Finding]:
    """Set the written parts of 情况说明 (an empty text removes one); returns the contradictions
    with the figures now found."""
    require_editable(version)
    with transaction.atomic():
        before = {(w.section, w.field): w.text for w in version.written.all()}
        changed = []
        for (section, part), text in values.items():
            text = text.strip()
            if text != before.get((section, part), ""):
                changed.append((section, part))
            if text:
                WrittenText.objects.update_or_create(version=version, section=section, field=part, defaults={"text": text})
            else:
                WrittenText.objects.filter(version=version, section=section, field=part).delete()
        snapshot = version_snapshot(version)
        if actor is not None and changed:
            places = written_places(draft_sections(snapshot))
            _logged(actor, version, "修改情况说明", [places.get(key, "·".join(key)) for key in changed])
        found = version_findings_refresh(version=version, snapshot=snapshot)
    return [finding for finding in found if finding.code == CONTRADICTION]


def extra_sections_save(*, version: Version, sections: list[dict], actor: Actor | None = None) -> None:
    """Replace the optional sections with `sections` ([{title, body, table}], in order); the
    checklist reads their words (placeholders, 部门/单位 wording), so the findings follow."""
    require_editable(version)
    with transaction.atomic():
        before = list(version.extra_sections.values("title", "body", "table"))
        _extra_sections_replace(version, sections)
        version_findings_refresh(version=version)
        after = [{"title": s["title"], "body": s.get("body", ""), "table": s.get("table") or []} for s in sections]
        if before != after:
            kept = {s["title"] for s in after}
            titles = [s["title"] for s in after if s not in before] + [f"删除“{s['title']}”" for s in before if s["title"] not in kept]
            _logged(actor, version, "修改其他章节", ["、".join(titles) or "调整顺序"])


def _extra_sections_replace(version: Version, sections: list[dict]) -> None:
    version.extra_sections.all().delete()
    ExtraSection.objects.bulk_create(
        ExtraSection(version=version, position=i, title=s["title"], body=s.get("body", ""), table=s.get("table") or [])
        for i, s in enumerate(sections)
    )


def evaluation_save(*, version: Version, form, formsets, actor: Actor | None = None) -> PerformanceEvaluation:
    """A 绩效自评表 edited in its form, with its 资金 and 指标 rows (formsets of that form)."""
    require_editable(version)
    with transaction.atomic():
        new = form.instance.pk is None
        changed = form.has_changed() or any(formset.has_changed() for formset in formsets)
        evaluation = form.save()
        for formset in formsets:
            formset.instance = evaluation
            rows = formset.save(commit=False)
            for row in formset.deleted_objects:
                row.delete()
            for row in rows:
                row.position = row.position if row.pk else formset.model.objects.filter(evaluation=evaluation).count()
                row.save()
        version_findings_refresh(version=version)
        if new or changed:
            _logged(actor, version, "新增绩效自评表" if new else "修改绩效自评表", [f"{evaluation.get_kind_display()}“{evaluation.name}”"])
    return evaluation


def evaluation_delete(*, version: Version, evaluation: PerformanceEvaluation, actor: Actor | None = None) -> None:
    require_editable(version)
    with transaction.atomic():
        evaluation.delete()
        version_findings_refresh(version=version)
        _logged(actor, version, "删除绩效自评表", [f"{evaluation.get_kind_display()}“{evaluation.name}”"])


# -- carrying forward and plain data -----------------------------------------------------


@dataclass
class Carried:
    """What a new version starts with from the previous one, as the derived findings read it."""

    facts: dict[tuple[str, str], Decimal | None] = field(default_factory=dict)
    written: dict[tuple[str, str], str] = field(default_factory=dict)
    evaluations: list[Evaluation] = field(default_factory=list)
    profile: ProfileData = field(default_factory=ProfileData)
    extra_sections: list[dict] = field(default_factory=list)


def copy_forward(previous: Version, new: Version, *, evaluations: bool = True) -> Carried:
    """Start `new` with everything written for `previous` (inside the import's transaction).
    `evaluations=False` when the new workbook brought its own 绩效自评表."""
    profile_data = ProfileData()
    try:
        profile = previous.profile
    except Profile.DoesNotExist:
        pass
    else:
        profile_data = ProfileData(**{name: getattr(profile, name) for name in PROFILE_FIELDS})
        Profile.objects.create(version=new, **asdict(profile_data))
    facts = list(previous.facts.all())
    Fact.objects.bulk_create(Fact(version=new, key=f.key, code=f.code, value=f.value) for f in facts)
    written = list(previous.written.all())
    WrittenText.objects.bulk_create(WrittenText(version=new, section=w.section, field=w.field, text=w.text) for w in written)
    extra = list(previous.extra_sections.all())
    ExtraSection.objects.bulk_create(
        ExtraSection(version=new, position=s.position, title=s.title, body=s.body, table=s.table) for s in extra
    )
    carried = version_evaluations(previous) if evaluations else []
    for evaluation in carried:
        evaluation_store(version=new, evaluation=evaluation)
    return Carried(
        facts={(f.key, f.code): f.value for f in facts},
        written={(w.section, w.field): w.text for w in written},
        evaluations=carried,
        profile=profile_data,
        extra_sections=[{"title": s.title, "body": s.body, "table": s.table} for s in extra],
    )


_ROWS = ("funds", "indicators", "pk")


def evaluation_store(*, version: Version, evaluation: Evaluation) -> PerformanceEvaluation:
    """One 绩效自评表 stored with `version`, its rows in their order."""
    stored = PerformanceEvaluation.objects.create(
        version=version, **{f.name: getattr(evaluation, f.name) for f in fields(Evaluation) if f.name not in _ROWS}
    )
    PerformanceFund.objects.bulk_create(
        PerformanceFund(evaluation=stored, **{**asdict(row), "position": i}) for i, row in enumerate(evaluation.funds)
    )
    PerformanceIndicator.objects.bulk_create(
        PerformanceIndicator(evaluation=stored, **{**asdict(row), "position": i}) for i, row in enumerate(evaluation.indicators)
    )
    return stored


def narrative_apply(*, version: Version, data: dict) -> None:
    """Load a narrative given as plain data (the seed narratives in tests/fixtures/seeds,
    the demo): {profile: {...}, facts: [{key, code, value}], written: [{section, field,
    text}], extra_sections: [{title, body, table}], evaluations: [snapshot.Evaluation as data …]}.
    Each part given replaces the version's."""
    require_editable(version)
    with transaction.atomic():
        if "profile" in data:
            Profile.objects.filter(version=version).delete()
            Profile.objects.create(version=version, **{k: v for k, v in data["profile"].items() if k in PROFILE_FIELDS})
        if "facts" in data:
            version.facts.all().delete()
            Fact.objects.bulk_create(
                Fact(version=version, key=f["key"], code=f.get("code", ""), value=_fact_value(f["value"])) for f in data["facts"]
            )
        if "written" in data:
            version.written.all().delete()
            WrittenText.objects.bulk_create(
                WrittenText(version=version, section=w["section"], field=w["field"], text=w["text"]) for w in data["written"]
            )
        if "extra_sections" in data:
            _extra_sections_replace(version, data["extra_sections"])
        if "evaluations" in data:
            version.evaluations.all().delete()
            for i, evaluation in enumerate(data["evaluations"]):
                evaluation_store(version=version, evaluation=Evaluation.from_data({"position": i, **evaluation}))
        version_findings_refresh(version=version)
