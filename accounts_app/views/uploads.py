"""Uploading a workbook in the workspace: the upload, what each sheet was read as, the
mapping step where the department says what a sheet is, discarding a draft, and the blank
template of its table set. Thin: access decides who, services.workflow does the work."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ..access import Action
from ..forms import UploadForm
from ..importing.reader import NOT_A_TABLE, Status
from ..services import downloads, workflow
from ..selectors import table_set as table_set_of
from ..specs import specs_for_year
from .version_page import sheet_readings
from .work import _disclosure, _version, actor

AUTO = "auto"  # the mapping choice: let the portal identify the sheet


def _go(request, url: str):
    """A redirect; to the upload page's script (static/js/upload.js, which sends the file itself
    to show its progress) the address to go to, as JSON."""
    if request.headers.get("X-Requested-With") == "XMLHttpRequest":
        return JsonResponse({"location": url})
    return redirect(url)


@login_required
@require_POST
def upload(request, pk: int):
    disclosure = _disclosure(request, pk, Action.UPLOAD)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("workbook", []):
            messages.error(request, error)
        return _go(request, reverse("work:disclosure", args=[disclosure.pk]))
    workbook = form.cleaned_data["workbook"]
    outcome = workflow.version_upload(disclosure=disclosure, data=workbook.read(), filename=workbook.name, actor=actor(request))
    if not outcome.accepted:
        return render(request, "work/upload_failed.html", {"disclosure": disclosure, "outcome": outcome}, status=422)
    errors = len(outcome.errors)
    text = f"已保存为第 {outcome.version.number} 版（草稿）。"
    carried = outcome.version.findings.exclude(explanation="").count()
    if carried:
        text += f"上一版本对相同提示的 {carried} 条说明已沿用。"
    if errors:
        messages.warning(request, text + f"有 {errors} 处错误，改正前不能提交审核。")
    else:
        messages.success(request, text)
    return _go(request, reverse("work:version", args=[outcome.version.pk]))


def _table_choices(version) -> list[tuple[str, str]]:
    """Every table (in every form) of the version's year, named by the region's number and title."""
    table_set = table_set_of(version.table_set)
    choices = [(AUTO, "自动识别"), (NOT_A_TABLE, "不是公开表（不读取）")]
    for spec in specs_for_year(version.disclosure.year.year).values():
        label = table_set.label_of(spec.family)
        columns = "、".join(column.heading for column in spec.value_columns[:4])
        more = "等" if len(spec.value_columns) > 4 else ""
        choices.append((spec.key, f"{label + ' ' if label else ''}{table_set.title_of(spec)}（栏目：{columns}{more}）"))
    return choices


@login_required
def sheets(request, pk: int):
    """The mapping step: each sheet with its first rows; the accountant says what it is."""
    version = _version(request, pk, Action.REMAP)
    readings = [r for r in sheet_readings(version) if r.status != Status.EVALUATION]
    choices = _table_choices(version)
    valid = {key for key, _ in choices}
    if request.method == "POST":
        chosen = {}
        for n, reading in enumerate(readings):
            value = request.POST.get(f"sheet-{n}", AUTO)
            if value not in valid:
                messages.error(request, f"工作表「{reading.sheet}」的选择无效。")
                return redirect("work:sheets", pk=version.pk)
            if value != AUTO:
                chosen[reading.sheet] = value
        if not chosen:
            messages.error(request, "没有指定任何工作表：请为需要确认的工作表选择它是哪张表，或“不是公开表”。")
            return redirect("work:sheets", pk=version.pk)
        try:
            new = workflow.version_remap(version=version, choices=chosen, actor=actor(request))
        except workflow.TransitionRefused as refused:
            messages.error(request, str(refused))
            return redirect("work:version", pk=version.pk)
        messages.success(
            request, f"已按指定重新读取为第 {new.number} 版；第 {version.number} 版已作废。本部门以后上传的工作簿也按此指定读取。"
        )
        return redirect("work:version", pk=new.pk)
    rows = [
        {"n": n, "reading": reading, "default": reading.table if reading.mapped else AUTO}
        for n, reading in enumerate(readings)
    ]
    return render(request, "work/sheets.html", {"version": version, "disclosure": version.disclosure, "rows": rows, "choices": choices})


@login_required
@require_POST
def discard(request, pk: int):
    version = _version(request, pk, Action.DISCARD)
    try:
        workflow.version_discard(version=version, actor=actor(request))
    except workflow.TransitionRefused as refused:
        messages.error(request, str(refused))
        return redirect("work:version", pk=version.pk)
    messages.success(request, f"第 {version.number} 版已作废，不再列出；上传的文件和操作记录仍保留。")
    return redirect("work:disclosure", pk=version.disclosure_id)


@login_required
def template(request, pk: int):
    """The blank workbook of the disclosure's table set, its year's catalog and its name."""
    return downloads.blank_template(disclosure=_disclosure(request, pk, Action.UPLOAD)).response()
