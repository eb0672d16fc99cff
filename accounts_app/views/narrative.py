"""The text parts of a version in the workspace: 概况, 补充数据, 情况说明 (drafts and what
people write), optional sections and 绩效自评表. Thin: access decides who, services.narrative
saves and checks; every page is read-only once the version left 草稿/退回."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render

from .. import access
from ..access import Action
from ..models import PerformanceEvaluation
from ..narrative.drafting import section_fields, sections_for
from ..narrative.forms import (
    EvaluationForm,
    ExtraSectionFormSet,
    FactsForm,
    FundFormSet,
    IndicatorFormSet,
    ProfileForm,
    WrittenForm,
)
from ..services import narrative
from ..templatetags.portal import section_heading
from .work import _version

NARRATIVE_FINDINGS = ("narrative.", "performance.")


def _refresh(version, pairs=None) -> list:
    """Check the written parts against the figures; `pairs` (section_fields of the version)
    when the caller has drafted already: which parts exist depends on the figures and facts,
    not on what is written."""
    pairs = section_fields(version) if pairs is None else pairs
    labels = {(s.key, w.key): f"{section_heading(s)}·{w.label}" for s, w in pairs}
    return narrative.narrative_findings_refresh(version, labels)


def editing(view):
    """GET shows the page to whoever may see the version; POST needs Action.WRITE and an
    editable version (草稿 or 退回)."""

    @login_required
    @wraps(view)
    def wrapper(request, pk: int, *args, **kwargs):
        version = _version(request, pk, Action.VIEW)
        can_write = version.status in narrative.EDITABLE and access.allowed(request.user, Action.WRITE, version.disclosure)
        if request.method == "POST":
            version = _version(request, pk, Action.WRITE)
            if not can_write:
                messages.error(request, f"第 {version.number} 版{version.get_status_display()}，文字部分不能再修改；如需修改请上传新版本。")
                return redirect("work:narrative", pk=version.pk)
        return view(request, version, can_write, *args, **kwargs)

    return wrapper


def _page(request, version, can_write, template, **context):
    return render(request, template, {"version": version, "disclosure": version.disclosure, "can_write": can_write, **context})


@editing
def overview(request, version, can_write):
    findings = [f for f in version.findings.order_by("severity", "id") if f.code.startswith(NARRATIVE_FINDINGS)]
    return _page(
        request, version, can_write, "work/narrative.html",
        profile=narrative.profile_of(version),
        sections=sections_for(version),
        extra_sections=version.extra_sections.all(),
        evaluations=version.evaluations.all(),
        findings=findings,
    )


@editing
def profile_edit(request, version, can_write):
    form = ProfileForm(request.POST or None, instance=narrative.profile_of(version))
    if request.method == "POST" and form.is_valid():
        narrative.save_profile(version, form.cleaned_data)
        messages.success(request, "部门概况已保存。")
        return redirect("work:narrative", pk=version.pk)
    return _page(request, version, can_write, "work/narrative_form.html", form=form, title="第一部分 部门概况")


@editing
def facts_edit(request, version, can_write):
    form = FactsForm(request.POST or None, version=version, initial_facts=narrative.facts_of(version))
    if request.method == "POST" and form.is_valid():
        narrative.save_facts(version, form.facts())
        _refresh(version)
        messages.success(request, "补充数据已保存，情况说明已按新数据重新生成。")
        return redirect("work:narrative", pk=version.pk)
    return _page(request, version, can_write, "work/narrative_facts.html", form=form)


@editing
def text_edit(request, version, can_write):
    pairs = section_fields(version)
    form = WrittenForm(request.POST or None, pairs=pairs)
    if request.method == "POST" and form.is_valid():
        narrative.save_written(version, form.texts())
        found = _refresh(version, pairs)
        if found:
            messages.warning(request, f"已保存。填写内容中有 {len(found)} 处金额或比例与决算数据不一致，请修改后再提交。")
        else:
            messages.success(request, "情况说明已保存。")
        return redirect("work:narrative", pk=version.pk)
    return _page(request, version, can_write, "work/narrative_text.html", form=form)


@editing
def sections_edit(request, version, can_write):
    formset = ExtraSectionFormSet(request.POST or None, queryset=version.extra_sections.all())
    if request.method == "POST" and formset.is_valid():
        kept = [form.cleaned_data for form in formset.forms if form.has_changed() or form.instance.pk]
        kept = [data for data in kept if data and not data.get("DELETE") and data.get("title")]
        narrative.save_extra_sections(version, kept)
        messages.success(request, "其他章节已保存。")
        return redirect("work:narrative", pk=version.pk)
    return _page(request, version, can_write, "work/narrative_sections.html", formset=formset)


@editing
def evaluation_edit(request, version, can_write, evaluation_pk: int | None = None):
    evaluation = (
        get_object_or_404(version.evaluations, pk=evaluation_pk) if evaluation_pk
        else PerformanceEvaluation(version=version, position=version.evaluations.count())
    )
    form = EvaluationForm(request.POST or None, instance=evaluation)
    funds = FundFormSet(request.POST or None, instance=evaluation, prefix="funds")
    indicators = IndicatorFormSet(request.POST or None, instance=evaluation, prefix="indicators")
    if request.method == "POST" and form.is_valid() and funds.is_valid() and indicators.is_valid():
        with transaction.atomic():
            evaluation = form.save()
            for formset in (funds, indicators):
                formset.instance = evaluation
                rows = formset.save(commit=False)
                for row in formset.deleted_objects:
                    row.delete()
                for row in rows:
                    row.position = row.position if row.pk else formset.model.objects.filter(evaluation=evaluation).count()
                    row.save()
        narrative.performance_findings_refresh(version)
        messages.success(request, f"{evaluation.get_kind_display()}“{evaluation.name}”已保存。")
        return redirect("work:narrative", pk=version.pk)
    return _page(
        request, version, can_write, "work/narrative_evaluation.html",
        form=form, funds=funds, indicators=indicators, evaluation=evaluation,
    )


@editing
def evaluation_delete(request, version, can_write, evaluation_pk: int):
    evaluation = get_object_or_404(version.evaluations, pk=evaluation_pk)
    if request.method == "POST":
        evaluation.delete()
        narrative.performance_findings_refresh(version)
        messages.success(request, f"已删除“{evaluation.name}”。")
    return redirect("work:narrative", pk=version.pk)
