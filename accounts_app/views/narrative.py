"""The text parts of a version in the workspace: 概况, 补充数据, 情况说明 (drafts and what
people write), optional sections and 绩效自评表. Thin: access decides who, services.narrative
saves, checks and logs each edit; every page is read-only once the version left 草稿/退回."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from .. import access
from ..access import Action
from ..models import Finding, PerformanceEvaluation
from ..narrative.drafting import section_fields, sections_for
from ..selectors import version_snapshot
from ..narrative_forms import (
    EvaluationForm,
    ExtraSectionFormSet,
    FactsForm,
    FundFormSet,
    IndicatorFormSet,
    ProfileForm,
    WrittenForm,
    where_stated,
)
from ..services import narrative
from .work import _version, actor

NARRATIVE_FINDINGS = ("narrative.", "performance.", "rule.")


def editing(view):
    """GET shows the page to whoever may see the version; POST needs Action.WRITE and an
    editable version (草稿 or 退回): both as access.actions_available says."""

    @login_required
    @wraps(view)
    def wrapper(request, pk: int, *args, **kwargs):
        version = _version(request, pk, Action.VIEW)
        can_write = Action.WRITE in access.actions_available(user=request.user, version=version)
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
    found = [f for f in version.findings.order_by("severity", "id") if f.code.startswith(NARRATIVE_FINDINGS)]
    findings = [f for f in found if f.severity != Finding.Severity.MISSING]
    to_state = []
    for finding in found:
        if finding.severity == Finding.Severity.MISSING:
            name, anchor = where_stated(finding)
            to_state.append((finding.message, f"{reverse(name, args=[version.pk])}#{anchor}"))
    snapshot = version_snapshot(version)
    return _page(
        request, version, can_write, "work/narrative.html",
        profile=snapshot.profile,
        sections=sections_for(snapshot),
        extra_sections=snapshot.extra_sections,
        evaluations=snapshot.evaluations,
        findings=findings,
        to_state=to_state,
    )


@editing
def profile_edit(request, version, can_write):
    form = ProfileForm(request.POST or None, instance=narrative.profile_of(version))
    if request.method == "POST" and form.is_valid():
        narrative.profile_save(version=version, values=form.cleaned_data, actor=actor(request))
        messages.success(request, "部门概况已保存。")
        return redirect("work:narrative", pk=version.pk)
    return _page(request, version, can_write, "work/narrative_form.html", form=form, title="第一部分 部门概况")


@editing
def facts_edit(request, version, can_write):
    form = FactsForm(request.POST or None, version=version, initial_facts=narrative.facts_of(version))
    if request.method == "POST" and form.is_valid():
        narrative.facts_save(version=version, values=form.facts(), actor=actor(request))
        messages.success(request, "补充数据已保存，情况说明已按新数据重新生成。")
        return redirect("work:narrative", pk=version.pk)
    return _page(request, version, can_write, "work/narrative_facts.html", form=form)


@editing
def text_edit(request, version, can_write):
    form = WrittenForm(request.POST or None, pairs=section_fields(version_snapshot(version)))
    if request.method == "POST" and form.is_valid():
        found = narrative.written_save(version=version, values=form.texts(), actor=actor(request))
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
        narrative.extra_sections_save(version=version, sections=kept, actor=actor(request))
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
        evaluation = narrative.evaluation_save(version=version, form=form, formsets=(funds, indicators), actor=actor(request))
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
        narrative.evaluation_delete(version=version, evaluation=evaluation, actor=actor(request))
        messages.success(request, f"已删除“{evaluation.name}”。")
    return redirect("work:narrative", pk=version.pk)
