"""The workspace (工作台) of 填报人, 审核人 and 管理员. Thin: every lookup is scoped by
the user's `access.scope_of` (the models' visible_to / workable_by), every button comes
from `access.actions_available`, every change goes through `services.workflow` (states,
audit, notices)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from .. import access
from ..access import Action
from ..checking.quality import Score
from ..forms import UploadForm
from ..importing.reader import SheetReading
from ..importing.reader import Status as ReadStatus
from ..models import AuditEntry, Disclosure, Finding, Version
from ..models.disclosure import UNDER_REVIEW
from ..security import client_ip
from ..rendering.tables import render_dataset
from ..selectors import last_year_published, previous_version, version_dataset
from ..services import downloads, publication, workflow
from ..services.changes import dataset_changes
from ..services.deadlines import deadline_counts, deadline_rows
from ..services.pdfs import pdf_filename, version_pdf

Status = Version.Status


def actor(request) -> workflow.Actor:
    return workflow.Actor(request.user, client_ip(request))


def _version(request, pk: int, action: Action) -> Version:
    """The version if the user may see it (else 404) and take `action` on it (else 403)."""
    version = get_object_or_404(Version.objects.visible_to(access.scope_of(request.user)), pk=pk)
    if not access.allowed(request.user, action, version.disclosure):
        raise PermissionDenied
    return version


def sheet_readings(version: Version) -> list[SheetReading]:
    """What each sheet of the version's workbook was read as, as stored at import."""
    return [SheetReading(**entry) for entry in version.reading or []]


def _disclosure(request, pk: int, action: Action) -> Disclosure:
    disclosure = get_object_or_404(Disclosure.objects.workable_by(access.scope_of(request.user)), pk=pk)
    if not access.allowed(request.user, action, disclosure):
        raise PermissionDenied
    return disclosure


class ApprovalDateForm(forms.Form):
    approval_date = forms.DateField(label="批复日期", widget=forms.DateInput(attrs={"type": "date"}))


class ReturnForm(forms.Form):
    reason = forms.CharField(label="退回理由", widget=forms.Textarea(attrs={"rows": 3}))


class CommentForm(forms.Form):
    text = forms.CharField(label="意见", widget=forms.Textarea(attrs={"rows": 2}))
    table = forms.CharField(required=False, widget=forms.HiddenInput)
    row = forms.CharField(required=False, widget=forms.HiddenInput)


class PublishForm(forms.Form):
    at = forms.DateTimeField(
        label="定时公开（留空则立即公开）",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )


# -- pages ----------------------------------------------------------------------------


@login_required
def dashboard(request):
    scope = access.scope_of(request.user)
    if not scope.is_staff_role:
        return render(request, "work/no_role.html", status=403)
    workable = Disclosure.objects.workable_by(scope)
    queue = Version.objects.visible_to(scope).filter(status__in=UNDER_REVIEW, disclosure__in=workable)
    rows = deadline_rows(workable) if scope.role != access.Role.ACCOUNTANT else []
    return render(
        request,
        "work/dashboard.html",
        {
            "scope": scope,
            "disclosures": workable.annotate(version_count=Count("versions")),
            "queue": queue.order_by("submitted_at"),
            "deadline_rows": rows,
            "deadline_counts": deadline_counts(rows),
            "notifications": request.user.notifications.filter(read_at__isnull=True)[:10],
        },
    )


@login_required
def disclosure_detail(request, pk: int):
    disclosure = _disclosure(request, pk, Action.VIEW)
    all_versions = disclosure.versions.visible_to(access.scope_of(request.user))
    versions = all_versions.exclude(status=Status.DISCARDED).annotate(
        errors=Count("findings", filter=Q(findings__severity=Finding.Severity.ERROR)),
        warnings=Count("findings", filter=Q(findings__severity=Finding.Severity.WARNING)),
    )
    return render(
        request,
        "work/disclosure.html",
        {
            "disclosure": disclosure,
            "versions": versions.order_by("-number"),
            "actions": access.actions_available(user=request.user, disclosure=disclosure),
            "upload_form": UploadForm(),
            "date_form": ApprovalDateForm(initial={"approval_date": disclosure.approval_date}),
            "has_published": disclosure.has_published(),
            "discarded": all_versions.filter(status=Status.DISCARDED).count(),
        },
    )


@login_required
@require_POST
def approval_date(request, pk: int):
    disclosure = _disclosure(request, pk, Action.RECORD_APPROVAL)
    form = ApprovalDateForm(request.POST)
    if form.is_valid():
        workflow.approval_date_set(disclosure=disclosure, actor=actor(request), date=form.cleaned_data["approval_date"])
        messages.success(request, "批复日期已登记。")
    else:
        messages.error(request, "请填写正确的批复日期。")
    return redirect("work:disclosure", pk=disclosure.pk)


@login_required
def version_detail(request, pk: int):
    version = _version(request, pk, Action.VIEW)
    disclosure = version.disclosure
    dataset = version_dataset(version)
    previous = previous_version(version)
    visible = Version.objects.visible_to(access.scope_of(request.user))
    previous = previous if previous and visible.filter(pk=previous.pk).exists() else None
    last_year = last_year_published(disclosure)
    sheets = sheet_readings(version)
    findings = list(version.findings.order_by("severity", "id"))  # listed below, and counted here
    return render(
        request,
        "work/version.html",
        {
            "sheets": sheets,
            "read_count": sum(1 for s in sheets if s.status == ReadStatus.READ),
            "needs_mapping": any(s.status in ReadStatus.NEEDS_CHOICE for s in sheets)
            or any(f.code == "table.missing" for f in findings),
            "error_count": sum(f.severity == Finding.Severity.ERROR for f in findings),
            "warning_count": sum(f.severity == Finding.Severity.WARNING for f in findings),
            "version": version,
            "disclosure": disclosure,
            "tables": render_dataset(dataset),
            "findings": findings,
            "comments": version.comments.select_related("author"),
            "changes_previous": dataset_changes(version_dataset(previous), dataset) if previous else None,
            "previous": previous,
            "changes_last_year": dataset_changes(version_dataset(last_year), dataset) if last_year else None,
            "last_year": last_year,
            "actions": access.actions_available(user=request.user, version=version),
            "needs_correction_note": disclosure.has_published(),
            "return_form": ReturnForm(),
            "comment_form": CommentForm(),
            "publish_form": PublishForm(),
            "files_failed": version.status == Status.PUBLISHING and version.files_attempts >= publication.MAX_ATTEMPTS
            and bool(version.files_error),
            "quality": Score.from_data(version.quality) if version.quality else None,  # stored by services.quality
        },
    )


def transition_view(action: Action, perform):
    """A POST view that applies `perform(request, version)` and reports its message."""

    @login_required
    @require_POST
    def view(request, pk: int) -> HttpResponse:
        version = _version(request, pk, action)
        try:
            message = perform(request, version)
        except workflow.TransitionRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, message)
        return redirect("work:version", pk=version.pk)

    view.__name__ = perform.__name__
    return view


def _submit(request, version):
    workflow.version_submit(version=version, actor=actor(request), correction_note=request.POST.get("correction_note", ""))
    return "已提交审核。"


def _return(request, version):
    workflow.version_return(version=version, actor=actor(request), reason=request.POST.get("reason", ""))
    return "已退回填报人。"


def _approve(request, version):
    workflow.version_approve(version=version, actor=actor(request))
    return "已审核通过，可以公开。"


def _publish(request, version):
    form = PublishForm(request.POST)
    if not form.is_valid():
        raise workflow.TransitionRefused("定时公开时间格式不正确。")
    version = workflow.version_publish(version=version, actor=actor(request), at=form.cleaned_data["at"])
    if version.status == Status.PUBLISHED:
        return "已公开。"
    if version.status == Status.PUBLISHING:
        return "已决定公开，正在生成 PDF 和下载文件；生成后自动公开，本页会显示进度。"
    return f"将于 {timezone.localtime(version.publish_at):%Y-%m-%d %H:%M} 公开。"


def _regenerate(request, version):
    try:
        publication.version_files_retry(version=version, actor=actor(request))
    except publication.FilesRefused as refused:
        raise workflow.TransitionRefused(str(refused)) from None
    return "已重新开始生成公开文件。"


def _comment(request, version):
    form = CommentForm(request.POST)
    if not form.is_valid():
        raise workflow.TransitionRefused("意见不能为空。")
    workflow.comment_add(version=version, actor=actor(request), **form.cleaned_data)
    return "意见已保存。"


submit = transition_view(Action.SUBMIT, _submit)
return_version = transition_view(Action.RETURN, _return)
approve = transition_view(Action.APPROVE, _approve)
publish = transition_view(Action.PUBLISH, _publish)
regenerate = transition_view(Action.REGENERATE, _regenerate)
comment = transition_view(Action.COMMENT, _comment)


@login_required
@require_POST
def explain(request, pk: int):
    visible = Version.objects.visible_to(access.scope_of(request.user))
    finding = get_object_or_404(Finding.objects.select_related("version__disclosure__department"), pk=pk, version__in=visible)
    if not access.allowed(request.user, Action.EXPLAIN, finding.version.disclosure):
        raise PermissionDenied
    try:
        workflow.warning_explain(finding=finding, actor=actor(request), text=request.POST.get("explanation", ""))
    except workflow.TransitionRefused as refused:
        messages.error(request, str(refused))
    return redirect(f"/work/versions/{finding.version_id}/#finding-{finding.pk}")


@login_required
def download_xlsx(request, pk: int):
    """The version's figures regenerated in the official layout (never the uploaded file)."""
    return downloads.version_workbook(version=_version(request, pk, Action.VIEW)).response()


@login_required
def draft_pdf(request, pk: int):
    """A PDF of any version the user may see, rendered on demand and marked 草稿 unless published."""
    version = _version(request, pk, Action.VIEW)
    draft = version.status != Status.PUBLISHED
    response = HttpResponse(version_pdf(version, draft=draft), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, pdf_filename(version))
    return response


@login_required
def audit_log(request):
    scope = access.scope_of(request.user)
    if not scope.reads_audit_log:
        raise PermissionDenied
    entries = AuditEntry.objects.visible_to(scope)
    disclosure = request.GET.get("disclosure")
    if disclosure and disclosure.isdigit():
        entries = entries.filter(disclosure_id=int(disclosure))
    return render(request, "work/audit.html", {"entries": entries[:500]})


@login_required
def notifications(request):
    items = request.user.notifications.select_related("version__disclosure__department", "version__disclosure__year")
    if request.method == "POST":
        items.filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("work:notifications")
    return render(request, "work/notifications.html", {"items": items[:200]})
